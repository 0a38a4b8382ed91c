"""Exports: the group table as XLSX and CSV, checked cell by cell against the dashboard page, and
the monthly report workbook (one sheet per section, named by ward and month)."""

import csv
import io
from datetime import date

from openpyxl import load_workbook

from assistance.models import Kind
from tests.coverage_support import MARCH, add_record, figures, local, rows, total_row

COLUMNS = [
    "number",
    "name",
    "households",
    "never_reached",
    "adults",
    "level1",
    "level2",
    "with_eid",
    "coverage",
    "band",
    "gap",
    "dossiers",
    "online",
    "online_share",
    "online_gap",
    "records",
    "households_helped",
    "residents_helped",
    "last_activity",
]


def _records(app, world):
    with app.app_context():
        add_record(
            world, "hung", at=local(date(2026, 3, 5)), kind=Kind.DOSSIER, residents=("hung",)
        )
        add_record(world, "hung", at=local(date(2026, 3, 6)), residents=("hung", "duong"))
        add_record(world, "no_consent", at=local(date(2026, 3, 20), 9), residents=("elder",))


def _sheet_rows(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    assert len(values[0]) == len(COLUMNS)
    return [dict(zip(COLUMNS, row, strict=True)) for row in values[1:]]


def test_xlsx_group_table_matches_the_dashboard_cell_by_cell(app, world, auth, client):
    _records(app, world)
    auth.login("bithu")
    page = client.get("/coverage/", query_string=MARCH)
    shown, shown_total = rows(page), total_row(page)
    response = client.get("/coverage/export.xlsx", query_string=MARCH)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="do-phu-vneid-thanh-khe-dong-2026-03-01-2026-03-31.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.title == "Tổ dân phố"
    assert sheet["A1"].value == "Số tổ" and sheet["I1"].value == "Tỷ lệ có VNeID (%)"
    exported = _sheet_rows(sheet)
    groups, total = exported[:-1], exported[-1]
    assert [str(row["number"]) for row in groups] == list(shown)  # same order: by gap
    for row in [*groups, total]:
        cells = shown_total if row is total else shown[str(row["number"])]
        for column in ("adults", "level1", "level2", "gap", "never_reached", "dossiers"):
            assert str(row[column]) == cells[column], (row["number"], column)
        coverage = "–" if row["coverage"] is None else f"{int(row['coverage'])}%"
        assert coverage == cells["coverage"]
        last = row["last_activity"]
        assert (last.strftime("%d/%m") if last else "–") == cells["last_activity"]
        assert row["with_eid"] == row["level1"] + row["level2"]
    a1 = next(row for row in groups if row["number"] == 1)
    assert (a1["households"], a1["coverage"], a1["band"]) == (2, 75.0, "Gần đạt (60–90%)")
    assert (a1["records"], a1["households_helped"], a1["residents_helped"]) == (2, 1, 2)
    assert total["name"] == "Toàn phường" and total["records"] == 3
    assert total["last_activity"].isoformat() == "2026-03-20T09:00:00"  # local time


def test_csv_has_the_same_cells(app, world, auth, client):
    _records(app, world)
    auth.login("phuong")
    book = load_workbook(
        io.BytesIO(client.get("/coverage/export.xlsx", query_string=MARCH).data)
    ).active
    response = client.get("/coverage/export.csv", query_string=MARCH)
    assert response.mimetype == "text/csv"
    assert response.data.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert lines[0][:3] == ["Số tổ", "Tên tổ", "Số hộ"]
    for sheet_row, csv_row in zip(
        book.iter_rows(min_row=2, values_only=True), lines[1:], strict=True
    ):
        for cell, text in zip(sheet_row, csv_row, strict=True):
            expected = "" if cell is None else cell
            if hasattr(cell, "hour"):
                expected = cell.strftime("%Y-%m-%d %H:%M")
            if isinstance(cell, int | float):
                assert float(text) == cell  # the workbook reads 0.0 back as 0
            else:
                assert str(expected) == text


def test_monthly_report_workbook(app, world, auth, client):
    _records(app, world)
    auth.login("bithu")
    cards = figures(client.get("/coverage/", query_string=MARCH))
    response = client.get("/coverage/report.xlsx?month=2026-03")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="bao-cao-vneid-thanh-khe-dong-2026-03.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == [
        "Tóm tắt",
        "Tổ dân phố",
        "Theo tuần",
        "Tình nguyện viên",
        "Hồ sơ theo thủ tục",
    ]
    summary = {row[0]: row[1] for row in book["Tóm tắt"].iter_rows(min_row=2, values_only=True)}
    assert summary["Phường"] == "Thanh Khê Đông"
    assert summary["Từ ngày"].date() == date(2026, 3, 1)
    assert f"{int(summary['Tỷ lệ có VNeID (%)'])}%" == cards["coverage"]
    assert f"{int(summary['Tỷ lệ mức 2 trên người lớn (%)'])}%" == cards["level2"]
    assert str(summary["Hồ sơ trực tuyến trong kỳ"]) == cards["dossiers"]
    assert str(summary["Lượt hỗ trợ trong kỳ"]) == cards["records"]
    assert str(summary["Tình nguyện viên hoạt động"]) == cards["volunteers"]
    assert (
        f"{summary['Hộ đã được tiếp cận ít nhất một lần']}/{summary['Số hộ']}" == cards["reached"]
    )
    assert len(_sheet_rows(book["Tổ dân phố"])) == 4  # three groups and the ward
    weeks = list(book["Theo tuần"].iter_rows(min_row=2, values_only=True))
    assert weeks[-1][0].date() == date(2026, 3, 30) and sum(w[1] for w in weeks) == 3
    volunteers = list(book["Tình nguyện viên"].iter_rows(min_row=2, values_only=True))
    # Three home visits outside a shift at 20 minutes each: one hour (eid_coverage/visits.py).
    assert ("Người dùng tnv01", 3, 2, 0, 1.0) in volunteers


def test_report_page_prints_the_month(app, world, auth, client):
    _records(app, world)
    auth.login("phuong")
    response = client.get("/coverage/report?month=2026-03")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Báo cáo tháng 03/2026" in html
    assert figures(response)["records"] == "3"
    assert "data-print" in html and "@media print" not in html  # print rules live in the CSS
    fallback = client.get("/coverage/report?month=2026-13")
    assert fallback.status_code == 200


def test_city_export_and_permissions(app, world, auth, client):
    _records(app, world)
    auth.login("bithu")
    assert client.get("/coverage/city/export.xlsx").status_code == 403
    auth.logout()
    auth.login("admin")
    response = client.get("/coverage/city/export.csv", query_string=MARCH)
    lines = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    names = [line[0] for line in lines[1:]]
    assert names == ["Thanh Khê Đông", "An Khê", "Toàn thành phố"]  # by gap: A lacks 2, B none
    assert lines[1][3] == "5" and lines[-1][3] == "6"  # adults
