"""The month's volunteer hours as an XLSX workbook: a summary sheet and a line per shift."""

from io import BytesIO

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core import clock
from core.text import printable_row
from households.models import ResidentialGroup, Ward
from shifts.attendance.hours import Totals
from shifts.attendance.presence import STATE_TEXT
from shifts.labels import place_text


def hours_workbook(
    ward: Ward,
    rows: list[Totals],
    *,
    year: int,
    month: int,
    groups: dict[int, ResidentialGroup],
) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = _("Tổng hợp")
    summary.append(
        printable_row(
            [
                _(
                    "Giờ tình nguyện tháng %(month)s/%(year)s – phường %(ward)s",
                    month=month,
                    year=year,
                    ward=ward.name,
                )
            ]
        )
    )
    summary["A1"].font = Font(bold=True)
    header = [_("Họ và tên"), _("Tên đăng nhập"), _("Số ca"), _("Có mặt"), _("Vắng"), _("Số giờ")]
    summary.append(header)
    for row in rows:
        summary.append(
            printable_row(
                [
                    row.user.full_name,
                    row.user.username,
                    row.shifts,
                    row.present,
                    row.no_shows,
                    row.hours,
                ]
            )
        )
    summary.append(
        [
            _("Tổng"),
            "",
            sum(r.shifts for r in rows),
            sum(r.present for r in rows),
            sum(r.no_shows for r in rows),
            round(sum(r.hours for r in rows), 2),
        ]
    )

    detail = book.create_sheet(_("Chi tiết"))
    detail.append(
        [
            _("Ngày"),
            _("Khung giờ"),
            _("Nơi trực"),
            _("Họ và tên"),
            _("Điểm danh"),
            _("Vào"),
            _("Ra"),
            _("Số giờ"),
        ]
    )
    for row in rows:
        for line in row.lines:
            starts, ends = clock.local(line.shift.starts_at), clock.local(line.shift.ends_at)
            detail.append(
                printable_row(
                    [
                        starts.date(),
                        f"{starts:%H:%M}–{ends:%H:%M}",
                        place_text(line.shift, groups.get(line.shift.group_id)),
                        row.user.full_name,
                        str(STATE_TEXT[line.state]),
                        f"{clock.local(line.assignment.check_in_at):%H:%M}"
                        if line.assignment.check_in_at
                        else "",
                        f"{clock.local(line.assignment.check_out_at):%H:%M}"
                        if line.assignment.check_out_at
                        else "",
                        line.hours,
                    ]
                )
            )
    for sheet in (summary, detail):
        for cells in sheet.iter_rows(
            min_row=2 if sheet is summary else 1, max_row=2 if sheet is summary else 1
        ):
            for cell in cells:
                cell.font = Font(bold=True)
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 40)
    for cell in detail["A"][1:]:
        cell.number_format = "DD/MM/YYYY"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
