"""Coverage: the ward dashboard, group drill-down and worklists, exports and the city view."""

from flask import Blueprint

bp = Blueprint("coverage", __name__, url_prefix="/coverage")

from eid_coverage import common, views, views_export, views_groups  # noqa: E402,F401  (views register on bp)
