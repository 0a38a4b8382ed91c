"""The report's figures as XLSX: the coverage workbook plus the dossiers and satisfaction."""

from flask_babel import lazy_gettext as _l

from eid_coverage import exports
from reports.content import MonthlyReport


def satisfaction_rows(report: MonthlyReport) -> tuple[list[str], list[list]]:
    header = [
        str(_l("Nhóm")),
        str(_l("Số đánh giá")),
        str(_l("Trung bình")),
        str(_l("Hài lòng (%)")),
    ]
    s = report.satisfaction
    rows = [[str(_l("Cả tháng")), s.total.count, s.total.average, s.total.satisfied_share]]
    for label, tallies in ((_l("Nơi"), s.by_place), (_l("Việc"), s.by_kind)):
        rows += [
            [f"{label}: {t.key or '-'}", t.count, t.average, t.satisfied_share] for t in tallies
        ]
    return header, rows


def monthly_workbook(report: MonthlyReport) -> bytes:
    table = (report.procedures, report.procedures_total)
    return exports.monthly_report(
        report.data,
        report.month,
        table,
        extra=[(str(_l("Mức độ hài lòng")), *satisfaction_rows(report))],
    )
