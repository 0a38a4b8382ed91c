"""Issue 15: on a slow link, static files are not asked for again once cached (versioned URLs
with a year's lifetime), and text answers travel compressed."""

import gzip
import re

from core.headers import static_version


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


def test_pages_and_static_text_are_compressed_when_the_browser_accepts_it(client, world, auth):
    page = client.get("/login", headers={"Accept-Encoding": "gzip, deflate"})
    assert page.headers["Content-Encoding"] == "gzip"
    assert "<form" in gzip.decompress(page.data).decode()
    script = get(client, "/static/js/log.js", headers={"Accept-Encoding": "gzip, deflate"})
    assert script.headers["Content-Encoding"] == "gzip"
    assert b"log-app" in gzip.decompress(script.data)
    plain = client.get("/login")  # a client that does not say it accepts any
    assert "Content-Encoding" not in plain.headers and b"<form" in plain.data


def test_json_answers_are_compressed(client, world, auth):
    auth.login("bithu")
    answer = client.get("/api/v1/pull", headers={"Accept-Encoding": "gzip"})
    assert answer.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(answer.data).startswith(b"{")
