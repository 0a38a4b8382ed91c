"""Coverage: the ward dashboard, group drill-down and worklists, exports and the city view."""

from flask import Blueprint

bp = Blueprint("coverage", __name__, url_prefix="/coverage")

from eid_coverage import common, views, views_export, views_groups, visits  # noqa: E402,F401  (views register on bp)


@bp.record_once
def _join_visit_hours(state) -> None:
    visits.init_app(state.app)
