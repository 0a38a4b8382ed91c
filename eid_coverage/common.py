"""What the coverage views share: the ward in view, a group lookup, charts, where next."""

from flask_babel import format_date
from flask_babel import gettext as _

from core.access import ward_in_view_or_pick
from core.db import get_session
from dossiers import stats as dossier_stats
from eid_coverage import charts, figures, queries
from eid_coverage.figures import Area, Week

SORTS = ("gap", "number", "coverage")


def ward_id() -> int:
    """One's own ward; the admin sees the ward they picked (the same pick as every feature's),
    and the city view until they pick one."""
    return ward_in_view_or_pick("coverage.city")


def sorted_areas(areas: list[Area], sort: str) -> list[Area]:
    """Rows arrive sorted by gap; the table can also follow the group number or coverage."""
    if sort == "number":
        return sorted(areas, key=lambda a: (a.number, a.name))
    if sort == "coverage":
        return sorted(areas, key=lambda a: (a.coverage if a.adults else 101.0, a.number, a.name))
    return areas


def trend_charts(weeks: list[Week]) -> dict:
    labels = [format_date(week.monday, "dd/MM") for week in weeks]
    return {
        "online": charts.trend_line(
            labels,
            [week.online_share for week in weeks],
            title=_("Tỷ lệ người lớn đã nộp hồ sơ trực tuyến theo tuần"),
            target_label=_("mục tiêu 30%"),
            target=figures.ONLINE_TARGET,
        ),
        "trend": charts.trend_line(
            labels,
            [week.coverage for week in weeks],
            title=_("Tỷ lệ người lớn có VNeID theo tuần"),
            target_label=_("mục tiêu 90%"),
        ),
        "records": charts.week_bars(
            labels, [week.records for week in weeks], title=_("Lượt hỗ trợ theo tuần")
        ),
    }


def area_chart(areas: list[Area], *, title: str, label) -> object:
    return charts.coverage_bars(
        [charts.Bar(label(area), area.coverage) for area in areas],
        title=title,
        target_label=_("90%"),
    )


def group_chart(groups: list[Area]) -> object:
    return area_chart(
        groups,
        title=_("Tỷ lệ người lớn có VNeID của từng tổ"),
        label=lambda g: _("Tổ %(number)s", number=g.number),
    )


def procedure_table(ward_id: int, period) -> tuple[list, object]:
    """Online dossiers filed in the period by procedure and mode, and their total."""
    return dossier_stats.by_procedure(
        get_session(), ward_id=ward_id, starts_at=period.starts_at, ends_at=period.ends_at
    )


def where_next(ward_id: int, limit: int = 5) -> list[Area]:
    """For the secretary planning shifts: groups with the most adults still without an e-ID."""
    return queries.where_next(get_session(), ward_id=ward_id, limit=limit)
