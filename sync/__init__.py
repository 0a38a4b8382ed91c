"""The offline side: the versioned sync API, its OpenAPI document, the service worker."""

from flask import Blueprint

bp = Blueprint("sync", __name__)

from sync import api, copy, lookup, pwa, review  # noqa: E402,F401  (views register on bp)
