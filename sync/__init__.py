"""The offline side: the versioned sync API, its OpenAPI document, the service worker."""

from flask import Blueprint

bp = Blueprint("sync", __name__)

from sync import api, api_lookup, views_copy, views_pwa, views_review  # noqa: E402,F401  (views register on bp)
