"""Residents' feedback: a rating after help (no name), the desk's public page and its sign,
and the ward's satisfaction by month, place and kind of help."""

from flask import Blueprint

bp = Blueprint("feedback", __name__, url_prefix="/feedback")

from feedback import api, views, views_public  # noqa: E402,F401  (views register on bp)
