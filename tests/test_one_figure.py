"""One figure, one format (issue 16): every screen and export shows a group's e-ID share and its
gap from one computation, rounded down to one decimal, with a decimal comma in Vietnamese."""

import io
import re

from openpyxl import load_workbook
from pypdf import PdfReader

from core import clock
from core.db import get_session
from households import registry
from households.models import EidLevel, Household
from tests.coverage_support import rows
from tests.helpers import page_text

PERCENT = re.compile(r"^(\d+)(?:,(\d))?%$")


def _more_adults(app, world) -> None:
    """Group 1 gets 19 adults, 7 with an e-ID: 36.84%, shown 36,8% (rounded half up it would
    be 37%, to whole percents down 36%). Group 2 keeps 1 of 2: 50%."""
    with app.app_context():
        db = get_session()
        household = db.get(Household, world.households["lan"])
        for n in range(15):
            registry.create_resident(
                db,
                household,
                registry.ResidentData(
                    full_name=f"Người {n}",
                    birth_year=1990,
                    eid_level=EidLevel.LEVEL_1 if n < 4 else EidLevel.NONE,
                ),
                actor_id=world.users["bithu"],
            )
        db.commit()


def _number(shown: str) -> float | None:
    if shown == "–":
        return None
    match = PERCENT.match(shown)
    assert match, shown
    return float(f"{match[1]}.{match[2] or 0}")


def _sheet(book, title: str) -> dict[int, tuple]:
    sheet = book[title]
    header = [cell.value for cell in sheet[1]]
    share, gap = header.index("Tỷ lệ có VNeID (%)"), header.index("Còn thiếu để đạt 90%")
    found = {}
    for row in sheet.iter_rows(min_row=2):
        if isinstance(row[0].value, int):
            assert row[share].value is None or row[share].number_format == "0.0"
            found[row[0].value] = (row[share].value, row[gap].value)
    return found


def test_groups_coverage_report_and_xlsx_show_the_same_figure(app, world, auth, client):
    _more_adults(app, world)
    auth.login("bithu")
    month = f"{clock.today():%Y-%m}"
    groups_page = rows(client.get("/groups"))
    coverage_page = rows(client.get("/coverage/"))
    report_page = rows(client.get(f"/coverage/report?month={month}"))
    group_book = load_workbook(io.BytesIO(client.get("/coverage/export.xlsx").data))
    report_book = load_workbook(io.BytesIO(client.get(f"/coverage/report.xlsx?month={month}").data))
    sent_book = load_workbook(io.BytesIO(client.get(f"/reports/monthly.xlsx?month={month}").data))
    pdf = PdfReader(io.BytesIO(client.get(f"/reports/monthly.pdf?month={month}").data))
    pdf_text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pdf.pages))
    sheets = [
        _sheet(group_book, "Tổ dân phố"),
        _sheet(report_book, "Tổ dân phố"),
        _sheet(sent_book, "Tổ dân phố"),
    ]
    assert coverage_page["1"]["coverage"] == "36,8%"
    assert set(coverage_page) == {"1", "2", "3"}
    for number, cells in coverage_page.items():
        shown = cells["coverage"]
        for page in (groups_page, report_page):
            assert page[number]["coverage"] == shown, number
            assert page[number]["gap"] == cells["gap"], number
        for sheet in sheets:
            assert sheet[int(number)] == (_number(shown), int(cells["gap"])), number
        if shown != "–":
            assert f" {shown} " in pdf_text


def test_english_uses_a_decimal_point(app, world, auth, client):
    _more_adults(app, world)
    auth.login("bithu")
    client.post("/language", data={"language": "en"})
    assert rows(client.get("/coverage/"))["1"]["coverage"] == "36.8%"


def test_children_are_shown_neutrally_and_outside_the_target(app, world, auth, client):
    auth.login("bithu")
    page = client.get(f"/households/{world.households['hung']}").get_data(as_text=True)
    cards = re.findall(r'<li class="card">(.*?)</li>', page, re.S)
    child = next(card for card in cards if "Nguyễn Minh Khang" in card)
    adult = next(card for card in cards if "Trần Thị Dương" in card)
    assert "data-child" in child and "Chưa có VNeID" not in child
    assert "Chưa có VNeID" in adult and "data-child" not in adult
    rule = f"sinh năm {clock.this_year() - 18} trở về trước"
    assert rule in page_text(client.get("/coverage/"))
