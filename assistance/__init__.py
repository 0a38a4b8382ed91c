"""Logging assistance house by house: the log screen, follow-ups, corrections, the catalogue."""

from flask import Blueprint

bp = Blueprint("assistance", __name__)

from assistance import views, views_catalogue  # noqa: E402,F401  (views register on bp)
