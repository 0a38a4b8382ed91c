"""Online dossiers from filing to result: the result form and the figures by procedure and mode."""

from flask import Blueprint

bp = Blueprint("dossiers", __name__)

from dossiers import api, views  # noqa: E402,F401  (views register on bp)
