"""The group table as XLSX and CSV, and the monthly report workbook (one sheet per section).

Cells hold the dashboard's own figures (the same objects the page renders), so a test can compare
them cell by cell. Percentages and hours are the pages' own numbers (core/figures.py rounds them
once), stored as numbers with a number format; times are local wall-clock.
"""

import csv
import io
from collections.abc import Callable, Sequence

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from core import clock, figures
from core.text import normalize, printable_row
from eid_coverage.figures import Area, City, Dashboard, Volunteer, Week
from eid_coverage.period import Period

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

BAND_LABELS = {
    "good": _l("Đạt (từ 90%)"),
    "mid": _l("Gần đạt (60–90%)"),
    "low": _l("Thấp (dưới 60%)"),
    "none": _l("Chưa có người lớn"),
}


def local_time(value):
    """Naive local time: spreadsheets have no time zones."""
    return clock.local(value).replace(tzinfo=None) if value else None


Column = tuple[object, Callable[[Area], object]]

AREA_COLUMNS: list[Column] = [
    (_l("Số hộ"), lambda a: a.households),
    (_l("Hộ chưa tiếp cận"), lambda a: a.never_reached),
    (_l("Người lớn"), lambda a: a.adults),
    (_l("VNeID mức 1"), lambda a: a.level1),
    (_l("VNeID mức 2"), lambda a: a.level2),
    (_l("Có VNeID"), lambda a: a.with_eid),
    (_l("Tỷ lệ có VNeID (%)"), lambda a: a.coverage),
    (_l("Dải màu"), lambda a: str(BAND_LABELS[a.band])),
    (_l("Còn thiếu để đạt 90%"), lambda a: a.gap),
    (_l("Hồ sơ trực tuyến trong kỳ"), lambda a: a.dossiers),
    (_l("Người lớn đã nộp hồ sơ trực tuyến"), lambda a: a.online),
    (_l("Tỷ lệ dùng dịch vụ công trực tuyến (%)"), lambda a: a.online_share),
    (_l("Còn thiếu để đạt 30%"), lambda a: a.online_gap),
    (_l("Lượt hỗ trợ trong kỳ"), lambda a: a.records),
    (_l("Hộ được hỗ trợ trong kỳ"), lambda a: a.households_helped),
    (_l("Người được hỗ trợ trong kỳ"), lambda a: a.residents_helped),
    (_l("Hoạt động gần nhất"), lambda a: local_time(a.last_activity)),
]


def group_rows(data: Dashboard) -> tuple[list[str], list[list]]:
    header = [str(_l("Số tổ")), str(_l("Tên tổ"))] + [str(title) for title, _get in AREA_COLUMNS]
    rows = [[g.number, g.name] + [get(g) for _t, get in AREA_COLUMNS] for g in data.groups]
    rows.append(["", str(_l("Toàn phường"))] + [get(data.total) for _t, get in AREA_COLUMNS])
    return header, rows


def ward_rows(city: City) -> tuple[list[str], list[list]]:
    header = [str(_l("Phường"))] + [str(title) for title, _get in AREA_COLUMNS]
    header += [str(_l("Tình nguyện viên hoạt động")), str(_l("Ca đủ người")), str(_l("Số ca"))]
    rows = [
        [w.name]
        + [get(w) for _t, get in AREA_COLUMNS]
        + [w.active_volunteers, w.shifts.staffed, w.shifts.total]
        for w in city.wards
    ]
    rows.append(
        [str(_l("Toàn thành phố"))]
        + [get(city.total) for _t, get in AREA_COLUMNS]
        + [city.active_volunteers, city.shifts.staffed, city.shifts.total]
    )
    return header, rows


def week_rows(weeks: Sequence[Week]) -> tuple[list[str], list[list]]:
    header = [
        str(_l("Tuần từ")),
        str(_l("Lượt hỗ trợ")),
        str(_l("Người lớn có VNeID cuối tuần")),
        str(_l("Người lớn")),
        str(_l("Tỷ lệ (%)")),
        str(_l("Người lớn đã nộp hồ sơ trực tuyến cuối tuần")),
        str(_l("Tỷ lệ dùng dịch vụ công trực tuyến (%)")),
    ]
    rows = [
        [w.monday, w.records, w.with_eid, w.adults, w.coverage] + [w.online, w.online_share]
        for w in weeks
    ]
    return header, rows


def volunteer_rows(people: Sequence[Volunteer]) -> tuple[list[str], list[list]]:
    header = [
        str(_l("Họ tên")),
        str(_l("Lượt hỗ trợ")),
        str(_l("Hộ được hỗ trợ")),
        str(_l("Số ca có mặt")),
        str(_l("Giờ")),
    ]
    rows = [[v.name, v.records, v.households, v.shifts_present, v.hours] for v in people]
    return header, rows


def summary_rows(data: Dashboard, period: Period) -> tuple[list[str], list[list]]:
    t = data.total
    rows = [
        [str(_l("Phường")), data.ward_name],
        [str(_l("Từ ngày")), period.first],
        [str(_l("Đến ngày")), period.last],
        [str(_l("Người lớn")), t.adults],
        [str(_l("Người lớn có VNeID")), t.with_eid],
        [str(_l("Tỷ lệ có VNeID (%)")), t.coverage],
        [str(_l("Tỷ lệ mức 2 trên người lớn (%)")), t.level2_share],
        [str(_l("Số hộ")), t.households],
        [str(_l("Hộ đã được tiếp cận ít nhất một lần")), t.reached],
        [str(_l("Hồ sơ trực tuyến trong kỳ")), t.dossiers],
        [str(_l("Người lớn đã nộp hồ sơ trực tuyến")), t.online],
        [str(_l("Tỷ lệ dùng dịch vụ công trực tuyến (%)")), t.online_share],
        [str(_l("Lượt hỗ trợ trong kỳ")), t.records],
        [str(_l("Người được hỗ trợ trong kỳ")), t.residents_helped],
        [str(_l("Tình nguyện viên hoạt động")), data.active_volunteers],
        [str(_l("Giờ tình nguyện")), data.hours],
        [str(_l("Ca đủ người")), data.shifts.staffed],
        [str(_l("Số ca")), data.shifts.total],
    ]
    return [str(_l("Chỉ số")), str(_l("Giá trị"))], rows


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list]) -> None:
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(printable_row(row))
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(len(name) + 2, 40))
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if hasattr(cell.value, "hour"):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif hasattr(cell.value, "day"):
                cell.number_format = "dd/mm/yyyy"
            elif isinstance(cell.value, float):
                cell.number_format = figures.NUMBER_FORMAT
    sheet.freeze_panes = "B2"


def _save(workbook: Workbook) -> bytes:
    workbook.remove(workbook.active)  # the empty sheet every new workbook starts with
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx(title: str, header: list[str], rows: list[list]) -> bytes:
    workbook = Workbook()
    _sheet(workbook, title, header, rows)
    return _save(workbook)


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else _csv_cell(cell) for cell in printable_row(row)])
    # The BOM lets Excel open the file as UTF-8 and show the diacritics.
    return out.getvalue().encode("utf-8-sig")


def _csv_cell(value) -> object:
    if hasattr(value, "hour"):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat() if hasattr(value, "isoformat") else value


MODE_NAMES = {"toan_trinh": _l("Toàn trình"), "mot_phan": _l("Một phần")}


def procedure_rows(table: tuple[list, object]) -> tuple[list[str], list[list]]:
    """Online dossiers by procedure and mode (dossiers/stats.py), with the total."""
    header = [
        str(_l("Thủ tục")),
        str(_l("Mức độ")),
        str(_l("Đã nộp")),
        str(_l("Có kết quả")),
        str(_l("Trả lại")),
        str(_l("Từ chối")),
        str(_l("Số ngày (trung vị)")),
    ]
    rows, total = table

    def line(row, name: str, mode: str) -> list:
        results = row.results
        return [name, mode, row.filed, row.with_result, results["returned"], results["refused"]] + [
            row.median_days
        ]

    body = [
        line(r, r.name or str(_l("(không ghi thủ tục)")), str(MODE_NAMES.get(r.mode, "")))
        for r in rows
    ]
    return header, body + [line(total, str(_l("Cộng")), "")]


def monthly_report(
    data: Dashboard, period: Period, procedures: tuple | None = None, extra: list | None = None
) -> bytes:
    """The workbook; `extra` adds (title, header, rows) sheets (reports/: satisfaction)."""
    workbook = Workbook()
    _sheet(workbook, str(_l("Tóm tắt")), *summary_rows(data, period))
    _sheet(workbook, str(_l("Tổ dân phố")), *group_rows(data))
    _sheet(workbook, str(_l("Theo tuần")), *week_rows(data.weeks))
    _sheet(workbook, str(_l("Tình nguyện viên")), *volunteer_rows(data.volunteers))
    if procedures is not None:
        _sheet(workbook, str(_l("Hồ sơ theo thủ tục")), *procedure_rows(procedures))
    for title, header, rows in extra or []:
        _sheet(workbook, title, header, rows)
    return _save(workbook)


def slug(name: str) -> str:
    return "-".join(normalize(name).split()) or "phuong"
