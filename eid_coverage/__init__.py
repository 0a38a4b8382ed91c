"""Coverage: the ward dashboard, group drill-down and worklists, exports and the city view."""

from flask import Blueprint

from core import page_parts

bp = Blueprint("coverage", __name__, url_prefix="/coverage")

from eid_coverage import common, views, views_export, views_groups, visits  # noqa: E402,F401  (views register on bp)


@bp.record_once
def _lend_page_parts(state) -> None:
    # The rota's pages sit below coverage and cannot import it: their views ask for these.
    page_parts.lend(state.app, "visit_hours", visits.visits)
    page_parts.lend(state.app, "where_next", common.where_next)
