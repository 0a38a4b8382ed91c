"""The monthly report the ward sends up: a PDF in the Vietnamese administrative format
(Decree 30/2020/NĐ-CP layout) and the same figures as XLSX."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

from reports import views  # noqa: E402,F401  (views register on bp)
