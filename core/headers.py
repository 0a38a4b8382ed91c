"""Headers on every answer: security (pages, JSON, static files, the service worker, errors),
caching of static files, and compression.

Static files are asked for by versioned URLs (`url_for("static", ...)` adds `?v=` and the first
hex digits of the file's content hash), and an answer to the current version may be kept for a
year without asking again: on a 3G link each revalidation was a round trip of its own (issue 15,
docs/BENCHMARKS.md). Any other static request (no or an old `v`, or an icon named by the web
manifest) is revalidated each time as before. /sw.js is not a static file and is never cached
(sync/views_pwa.py): browsers must see a new service worker at once.

An ES module's relative imports (static/js/log.js and its parts in static/js/log/) are versioned
the same way: the module is served with each `from "./x.js"` turned into `from "./x.js?v=..."`,
and its own version covers every module it reaches, so an edit to one part gives a new URL to
each module that imports it. Without that, every part would be revalidated, a round trip each,
on every visit.

Text answers are compressed by Flask-Compress (gzip, or brotli where the browser offers it):
it handles what a hand-written after_request gets wrong easily, namely Accept-Encoding with
q-values, Vary, ETags that differ per encoding and conditional requests on compressed static
files. Answers already compressed (the sync pull's JSON, sync/api.py) are left as they are.

The Content-Security-Policy allows scripts, styles and everything else from this origin only: no
inline script or event handler (templates load static/js/ files and mark confirmations with
data-confirm), no eval, no framing. A template that slips an inline script back in is blocked by
the browser, and the browser tests fail on the CSP report in the console.
"""

import hashlib
import os
import posixpath
import re

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface
from flask_compress import Compress
from werkzeug.security import safe_join

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Features the app never uses (it never asks for a position: see Personal data in the README).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
HSTS = "max-age=31536000"  # one year; without includeSubDomains: other hosts are not ours

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    # Same origin only: Flask-WTF's CSRF check needs the Referer over HTTPS, and no other site
    # should learn our paths (the private iCal feed's URL is a secret).
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
}


STATIC_MAX_AGE = 365 * 24 * 3600
COMPRESSION = {
    # Chromium offers brotli only over HTTPS (production, behind its proxy); gzip otherwise.
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_BR_LEVEL": 5,
    "COMPRESS_MIMETYPES": [
        "text/html",
        "text/css",
        "text/plain",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/manifest+json",
        "image/svg+xml",
        "text/calendar",
    ],
}
# Kept at one URL: an installed app is tied to the URL of its web manifest.
UNVERSIONED = frozenset({"manifest.webmanifest"})
# A relative import at the start of a line of an ES module: `import { a } from "./a.js"`,
# `export { b } from "../b.js"`, `import "./c.js"` (group 3 is the specifier).
IMPORT = re.compile(
    r"""^((?:import|export)\b[^;"']*?\bfrom\s*|import\s*)(["'])(\.\.?/[^"'?#]+)\2""", re.M
)
# static file -> (mtime, SHA-256 of its bytes, the static files it imports)
_files: dict[str, tuple[float, str, tuple[str, ...]]] = {}


def _read(folder: str, filename: str) -> tuple[str, tuple[str, ...]] | None:
    """A static file's SHA-256 and the files it imports, read again when it changes on disk (a
    deploy, an edit under `flask run`); None when there is no such file."""
    path = safe_join(folder, filename)
    if path is None:  # a name that leaves the folder
        return None
    try:
        mtime = os.stat(path).st_mtime
    except (OSError, ValueError):
        return None
    known = _files.get(path)
    if known is None or known[0] != mtime:
        with open(path, "rb") as file:
            data = file.read()
        imports = ()
        if filename.endswith(".js"):
            found = (
                _target(filename, match[3])
                for match in IMPORT.finditer(data.decode(errors="replace"))
            )
            imports = tuple(dict.fromkeys(name for name in found if name))
        known = _files[path] = (mtime, hashlib.sha256(data).hexdigest(), imports)
    return known[1], known[2]


def _target(module: str, specifier: str) -> str | None:
    """The static file a module's relative import names; None when it leaves the folder."""
    name = posixpath.normpath(posixpath.join(posixpath.dirname(module), specifier))
    return None if name.startswith("../") else name


def module_graph(folder: str, entry: str) -> list[str]:
    """The entry, then every static file it imports at any depth (each once, in import order);
    just the entry for any other file. Imports of missing files are left out."""
    graph = [entry]
    for name in graph:  # grows as it goes
        known = _read(folder, name)
        graph.extend(target for target in (known[1] if known else ()) if target not in graph)
    return [name for name in graph if name == entry or _read(folder, name)]


def static_version(app: Flask, filename: str) -> str | None:
    """The first 10 hex digits of the file's SHA-256; None when there is no such file. For an ES
    module, the hash of every file in its graph: its text as served names their versions."""
    known = _read(app.static_folder, filename)
    if known is None:
        return None
    if not known[1]:
        return known[0][:10]
    digest = hashlib.sha256()
    for name in module_graph(app.static_folder, filename):
        digest.update(f"{name} {_read(app.static_folder, name)[0]}\n".encode())
    return digest.hexdigest()[:10]


def module_text(app: Flask, filename: str) -> str | None:
    """An ES module as served: each relative import with `?v=` and its file's version, so the
    browser asks for the whole graph by versioned URLs. None for a file that imports nothing."""
    known = _read(app.static_folder, filename)
    if not known or not known[1]:
        return None

    def versioned(match: re.Match) -> str:
        target = _target(filename, match[3])
        version = static_version(app, target) if target else None
        if not version:
            return match[0]
        return f"{match[1]}{match[2]}{match[3]}?v={version}{match[2]}"

    with open(safe_join(app.static_folder, filename), encoding="utf-8") as file:
        return IMPORT.sub(versioned, file.read())


class _SessionInterface(SecureCookieSessionInterface):
    """Flask marks every answer whose request looked at the session `Vary: Cookie` (Flask-Login
    looks at it on every answer). A static file is the same whoever asks, and a browser keeps a
    `Vary: Cookie` answer only for the cookie it was fetched with: the files cached by the login
    page would all be fetched again after signing in."""

    def save_session(self, app, session, response) -> None:
        super().save_session(app, session, response)
        if request.endpoint == "static" and "Set-Cookie" not in response.headers:
            vary = [name for name in response.vary if name.lower() != "cookie"]
            response.headers["Vary"] = ", ".join(vary)
            if not vary:
                del response.headers["Vary"]


def init_app(app: Flask) -> None:
    app.session_interface = _SessionInterface()
    for name, value in COMPRESSION.items():
        app.config.setdefault(name, value)
    Compress(app)

    @app.url_defaults
    def versioned_static(endpoint: str, values: dict) -> None:
        filename = values.get("filename")
        if endpoint == "static" and "v" not in values and filename and filename not in UNVERSIONED:
            version = static_version(app, filename)
            if version:
                values["v"] = version

    serve_static = app.view_functions["static"]

    def static_file(filename: str) -> Response:
        text = module_text(app, filename) if filename.endswith(".js") else None
        if text is None:
            return serve_static(filename=filename)
        # Its text depends on the files it imports: tagged by its version, not by its own file.
        response = Response(text, mimetype="text/javascript")
        response.set_etag(static_version(app, filename))
        return response.make_conditional(request)

    app.view_functions["static"] = static_file

    @app.template_global()
    def module_imports(entry: str) -> list[str]:
        """What a page's ES module imports at any depth: its <link rel="modulepreload"> list, so
        that the browser asks for them all at once instead of one level of imports at a time."""
        return module_graph(app.static_folder, entry)[1:]

    compressible = set(app.config["COMPRESS_MIMETYPES"])

    @app.after_request
    def static_caching(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code in (200, 304):
            filename = (request.view_args or {}).get("filename", "")
            if (
                response.status_code == 200
                and response.direct_passthrough  # a file as sent by Flask, not a module's text
                and response.mimetype in compressible
            ):
                # Read whole (a few KB) rather than streamed: Flask-Compress then gzips it like
                # a page (it streams only brotli and deflate, and leaves the file open).
                with open(safe_join(app.static_folder, filename), "rb") as file:
                    body = file.read()
                response.close()
                response.direct_passthrough = False
                response.set_data(body)
            if request.args.get("v") and request.args["v"] == static_version(app, filename):
                # This URL's content never changes: a new version is a new URL.
                response.headers["Cache-Control"] = f"public, max-age={STATIC_MAX_AGE}, immutable"
            else:
                response.headers["Cache-Control"] = "no-cache"
        return response

    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        # Only behind HTTPS (SECURE_COOKIES): over plain HTTP it would lock browsers out.
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
