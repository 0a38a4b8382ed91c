"""The app shell the service worker precaches, and its version (served by sync/views_pwa.py)."""

import hashlib
from pathlib import Path

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
