"""The monthly report (issue 17, part 3): a PDF in the administrative format whose text carries
the dashboard's figures for the same month, and the same figures as XLSX."""

import io
import re

from openpyxl import load_workbook
from pypdf import PdfReader

from core.db import get_session
from feedback import queries as feedback_queries
from tests.coverage_support import figures, rows
from tests.test_coverage_online import _march

MONTH = {"month": "2026-03"}
MARCH = {"period": "custom", "start": "2026-03-01", "end": "2026-03-31"}


def _text(response) -> str:
    reader = PdfReader(io.BytesIO(response.data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_pdf_has_the_administrative_form_and_the_dashboards_figures(app, world, auth, client):
    _march(app, world)
    auth.login("bithu")
    cards = figures(client.get("/coverage/", query_string=MARCH))
    response = client.get("/reports/monthly.pdf", query_string=MONTH)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    text = _text(response)
    for part in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ĐỘI HÌNH THANH NIÊN 24/7",
        "/BC-TN247",
        "BÁO CÁO",
        "tháng 03/2026",
        "Nơi nhận:",
        "BÍ THƯ ĐOÀN PHƯỜNG",
    ):
        assert part in text, part
    assert f"đạt {cards['coverage']} (chỉ tiêu 90%)" in text
    assert f"đạt {cards['online']} (chỉ tiêu 30%)" in text
    assert "Đăng ký khai sinh Toàn trình 1 1 1 0 2" in text
    assert "Đăng ký thường trú Một phần 2 1 0 0 6" in text


def test_pdf_and_xlsx_carry_satisfaction(app, world, auth, client, time_machine):
    time_machine.move_to("2026-03-15T03:00Z", tick=False)
    with app.app_context():
        db = get_session()
        for rating in (5, 4, 1):
            feedback_queries.add_feedback(
                db, ward_id=world.ward_a, source="desk", place="desk", rating=rating, comment=None
            )
        db.commit()
    auth.login("phuong")
    text = _text(client.get("/reports/monthly.pdf", query_string=MONTH))
    assert "3 lượt đánh giá, hài lòng 66,6%, điểm trung bình 3.3/5." in text
    book = load_workbook(io.BytesIO(client.get("/reports/monthly.xlsx", query_string=MONTH).data))
    assert book.sheetnames[-2:] == ["Hồ sơ theo thủ tục", "Mức độ hài lòng"]
    first = next(book["Mức độ hài lòng"].iter_rows(min_row=2, values_only=True))
    assert first[1:] == (3, 3.3, 66.6)


def test_another_ward_and_a_bad_month(app, world, auth, client):
    auth.login("bithu_b")
    assert client.get("/reports/monthly.pdf", query_string={"month": "x-13"}).status_code == 200
    auth.logout()
    auth.login("tnv01")
    assert client.get("/reports/monthly.pdf").status_code == 403


def test_pdf_tables_carry_the_dashboards_own_rows(app, world, auth, client):
    """Every group's two shares and every procedure row, as the dashboard computes and shows
    them for the same month, are in the PDF's tables (nothing re-typed in the test)."""
    _march(app, world)
    auth.login("bithu")
    dashboard = client.get("/coverage/", query_string=MARCH)
    text = _text(client.get("/reports/monthly.pdf", query_string=MONTH))
    groups = rows(dashboard)
    assert groups
    for number, cells in groups.items():
        shares = (
            rf"{number}\. [^%]*? {cells['adults']} \d+ {cells['coverage']} \d+ {cells['online']}"
        )
        assert re.search(shares, text), (number, cells)
    procedures = rows(dashboard, "data-procedure")
    assert procedures
    for key, cells in procedures.items():
        figures_ = [cells[c] for c in ("filed", "with_result", "returned", "refused")]
        line = " ".join([key.split("|")[0], cells["mode"], *figures_, cells["median_days"]])
        assert line in text, line


def test_one_rating_is_counted_in_the_singular_in_english(app, world, auth, client, time_machine):
    time_machine.move_to("2026-03-15T03:00Z", tick=False)
    with app.app_context():
        db = get_session()
        feedback_queries.add_feedback(
            db, ward_id=world.ward_a, source="desk", place="desk", rating=5, comment=None
        )
        db.commit()
    auth.login("phuong")
    client.post("/language", data={"language": "en"})
    text = _text(client.get("/reports/monthly.pdf", query_string=MONTH))
    assert "1 rating, 100% satisfied, average 5.0/5." in text
