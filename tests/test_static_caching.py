"""Issue 15: on a slow link, static files are not asked for again once cached (versioned URLs
with a year's lifetime), and text answers travel compressed."""

import gzip
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

from core.headers import module_graph, module_text, static_version

STATIC = Path(__file__).resolve().parent.parent / "static"
LONG = "public, max-age=31536000, immutable"


def get(client, url: str, **kwargs):
    response = client.get(url, **kwargs)
    response.get_data()  # reads (and closes) a static file's stream
    return response


def test_pages_ask_for_versioned_static_files(client):
    page = client.get("/login").get_data(as_text=True)
    urls = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert "/static/js/app.js?v=" + static_version(client.application, "js/app.js") in urls
    assert urls and all("?v=" in url for url in urls if "manifest" not in url)
    assert "/static/manifest.webmanifest" in urls  # an installed app is tied to its URL


def test_the_current_version_is_cached_for_a_year_anything_else_is_revalidated(client):
    version = static_version(client.application, "js/sync.js")
    current = get(client, f"/static/js/sync.js?v={version}")
    assert current.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    for url in ("/static/js/sync.js", "/static/js/sync.js?v=0123456789"):
        assert get(client, url).headers["Cache-Control"] == "no-cache"


def test_static_files_do_not_vary_by_cookie(client, world, auth):
    # Otherwise the files the login page cached would be fetched again after signing in.
    auth.login("tnv01")
    response = get(
        client, "/static/css/app.css?v=" + static_version(client.application, "css/app.css")
    )
    assert "cookie" not in response.headers.get("Vary", "").lower()
    assert "Cookie" in client.get("/log").headers.get("Vary", "")


def test_the_service_worker_is_never_cached_but_answers_304_when_unchanged(client):
    first = client.get("/sw.js")
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get("/sw.js", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    body = first.get_data(as_text=True)
    # The shell it precaches and the scripts it imports are versioned too.
    assert '"/static/js/log.js?v=' in body
    assert 'importScripts("/static/vendor/idb/umd.js?v=' in body
    # With every part of the log screen: it opens offline on a fresh install.
    for name in module_graph(client.application.static_folder, "js/log.js"):
        assert f'"/static/{name}?v={static_version(client.application, name)}"' in body


def test_the_log_screens_modules_are_asked_for_by_versioned_urls(client, world, auth):
    # Each relative import of a module names the version of its file, so no part of the log
    # screen is revalidated on the next login: one round trip each on a phone's link.
    auth.login("tnv01")
    page = client.get("/log").get_data(as_text=True)
    entry = re.search(r'<script type="module" src="(/static/js/log\.js\?v=\w+)"', page)[1]
    preloaded = re.findall(r'<link rel="modulepreload" href="([^"]+)"', page)
    fetched, waiting = [], [entry]
    while waiting:
        url = waiting.pop()
        if url in fetched:
            continue
        fetched.append(url)
        answer = get(client, url)
        assert answer.status_code == 200 and answer.headers["Cache-Control"] == LONG, url
        text = answer.get_data(as_text=True)
        for specifier in re.findall(r'(?:\bfrom|^import)\s*"([^"]+)"', text, re.M):
            assert "?v=" in specifier, (url, specifier)
            waiting.append(
                urljoin("http://localhost" + url, specifier).removeprefix("http://localhost")
            )
    assert sorted(fetched[1:]) == sorted(preloaded)  # asked for at once, not level by level
    # Every part on disk is used, and nothing else: what the service worker precaches.
    parts = {f"/static/js/log/{path.name}" for path in (STATIC / "js/log").glob("*.js")}
    assert {url.split("?")[0] for url in fetched[1:]} == parts
    # Its ETag is its version (its text changes with its imports): unchanged, a bodiless 304.
    etag = get(client, entry).headers["ETag"]
    assert get(client, entry, headers={"If-None-Match": etag}).status_code == 304


def test_a_changed_part_gives_new_urls_to_the_modules_that_import_it(app, tmp_path, monkeypatch):
    shutil.copytree(STATIC / "js", tmp_path / "js")
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    names = ["js/log.js", "js/log/save.js", "js/log/outbox.js", "js/log/screen.js"]
    before = {name: static_version(app, name) for name in names}
    part = tmp_path / "js/log/outbox.js"
    part.write_text(part.read_text() + "// changed\n")
    os.utime(part, ns=(part.stat().st_atime_ns, part.stat().st_mtime_ns + 10**9))
    after = {name: static_version(app, name) for name in names}
    # log.js and save.js import outbox.js; screen.js does not.
    assert [after[name] != before[name] for name in names] == [True, True, True, False]
    assert f'from "./log/outbox.js?v={after["js/log/outbox.js"]}"' in module_text(app, "js/log.js")


def test_pages_and_static_text_are_compressed_when_the_browser_accepts_it(client, world, auth):
    page = client.get("/login", headers={"Accept-Encoding": "gzip, deflate"})
    assert page.headers["Content-Encoding"] == "gzip"
    assert "<form" in gzip.decompress(page.data).decode()
    # A plain script, and a module whose text names the versions of its imports.
    for name, text in [("sync.js", b"T247"), ("log.js", b'from "./log/screen.js?v=')]:
        script = get(client, f"/static/js/{name}", headers={"Accept-Encoding": "gzip, deflate"})
        assert script.headers["Content-Encoding"] == "gzip"
        assert text in gzip.decompress(script.data)
    plain = client.get("/login")  # a client that does not say it accepts any
    assert "Content-Encoding" not in plain.headers and b"<form" in plain.data


def test_json_answers_are_compressed(client, world, auth):
    auth.login("bithu")
    answer = client.get("/api/v1/pull", headers={"Accept-Encoding": "gzip"})
    assert answer.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(answer.data).startswith(b"{")
