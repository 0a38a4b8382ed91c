"""The service worker at /sw.js (so its scope is the whole app) and the offline fallback page."""

import hashlib
import json
from pathlib import Path

from flask import Response, current_app, render_template, url_for

from core.access import public
from sync import bp

# The app shell the worker precaches; with the offline page and /log these make the log screen
# work without a network. Their content hash is the cache version, so any change to one of them
# installs a new worker that drops the old cache.
SHELL_FILES = [
    "css/app.css",
    "js/page.js",
    "js/store.js",
    "js/sync.js",
    "js/app.js",
    "js/log.js",
    "css/log.css",
    "js/feedback.js",
    "css/feedback.css",
    "vendor/idb/umd.js",
    "manifest.webmanifest",
    "icons/icon.svg",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/icon-maskable-512.png",
]


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
        urls = [url_for("static", filename=name) for name in SHELL_FILES]
        body = (
            (static / "sw.js")
            .read_text()
            .replace('"__SHELL_VERSION__"', json.dumps(pinned or shell_version(static)))
            .replace('"__SHELL_FILES__"', json.dumps(urls))
        )
        cached = current_app.extensions["sw_body"] = (pinned, body)
    response = Response(cached[1], mimetype="text/javascript")
    # Browsers check the worker for updates on each visit; never let a cache answer for it.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/offline")
@public
def offline():
    return render_template("sync/offline.html")
