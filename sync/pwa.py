"""The service worker at /sw.js (so its scope is the whole app) and the offline fallback page."""

import hashlib
import json
from pathlib import Path

from flask import Response, current_app, render_template, request, url_for

from core.access import public
from sync import bp

# The app shell the worker precaches; with the offline page and /log these make the log screen
# work without a network. Their content hash is the cache version, so any change to one of them
# installs a new worker that drops the old cache. js/log.js is an ES module: the parts it imports
# come with it (tests/test_static_caching.py checks that none is missing).
SHELL_FILES = [
    "css/app.css",
    "js/page.js",
    "js/store.js",
    "js/sync.js",
    "js/app.js",
    "js/log.js",
    "js/log/screen.js",
    "js/log/storage.js",
    "js/log/saved-note.js",
    "js/log/record-form.js",
    "js/log/search.js",
    "js/log/followups.js",
    "js/log/outbox.js",
    "js/log/save.js",
    "css/log.css",
    "js/feedback.js",
    "js/dossier-result.js",
    "css/feedback.css",
    "vendor/idb/umd.js",
    "manifest.webmanifest",
    "icons/icon.svg",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/icon-maskable-512.png",
]
# Not needed by the log screen: fetched once the page's first sync round is over (static/sw.js,
# "precache-later"), so that on a slow link they do not share it with the first pull.
SHELL_LATER = [
    "js/feedback.js",
    "css/feedback.css",
    "manifest.webmanifest",
    "icons/icon-512.png",
    "icons/icon-maskable-512.png",
]


# What static/sw.js loads with importScripts.
WORKER_IMPORTS = ["vendor/idb/umd.js", "js/store.js", "js/sync.js"]


def shell_version(static: Path) -> str:
    digest = hashlib.sha256()
    for name in [*SHELL_FILES, "sw.js"]:
        digest.update(name.encode())
        digest.update((static / name).read_bytes())
    return digest.hexdigest()[:12]


@bp.route("/sw.js")
@public
def service_worker():
    static = Path(current_app.static_folder)
    # SHELL_VERSION, when set, stands in for the content hash: it releases a new worker (which
    # drops the old shell cache) with no shell file changed, as the browser tests need to.
    pinned = current_app.config.get("SHELL_VERSION")
    cached = current_app.extensions.get("sw_body")
    if cached is None or cached[0] != pinned or current_app.debug:
        urls = [url_for("static", filename=name) for name in SHELL_FILES if name not in SHELL_LATER]
        later = [url_for("static", filename=name) for name in SHELL_LATER]
        body = (
            (static / "sw.js")
            .read_text()
            .replace('"__SHELL_VERSION__"', json.dumps(pinned or shell_version(static)))
            .replace('"__SHELL_FILES__"', json.dumps(urls))
            .replace('"__SHELL_LATER__"', json.dumps(later))
        )
        for name in WORKER_IMPORTS:
            # Versioned like the pages' own: an update check then finds them in the HTTP cache
            # instead of asking for each again over the link (core/headers.py).
            body = body.replace(f'"/static/{name}"', json.dumps(url_for("static", filename=name)))
        cached = current_app.extensions["sw_body"] = (pinned, body)
    response = Response(cached[1], mimetype="text/javascript")
    # Browsers check the worker for updates on each visit; never let a cache answer for it
    # without asking. Unchanged, the answer is a bodiless 304.
    response.headers["Cache-Control"] = "no-cache"
    response.set_etag(hashlib.sha256(cached[1].encode()).hexdigest()[:16])
    response.make_conditional(request)
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/offline")
@public
def offline():
    return render_template("sync/offline.html")
