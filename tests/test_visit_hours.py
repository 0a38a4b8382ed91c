"""Home visits count towards a volunteer's hours: the minutes a record gives, or VISIT_MINUTES
(20) per visit, one visit being a household on a day; records made during a shift are left out."""

from datetime import date
from io import BytesIO

from openpyxl import load_workbook

from tests.coverage_support import add_record, add_shift, local, rows
from tests.helpers import page_text
from tests.shifts_support import freeze

MONTH = "2026-11"


def _visits(app, world) -> None:
    with app.app_context():
        day = date(2026, 11, 3)
        # Three people of one household helped in one call: one visit, 20 minutes.
        for hour in (9, 9, 10):
            add_record(world, "hung", at=local(day, hour))
        add_record(world, "lan", at=local(day, 11), minutes=45)  # the minutes it gives
        add_record(world, "lan", at=local(date(2026, 11, 5)))  # another day: another visit
        shift = add_shift(world.ward_a, local(date(2026, 11, 6), 7))
        add_record(world, "hung", at=local(date(2026, 11, 6), 8), shift_id=shift)  # on shift
        add_record(world, "lan", at=local(date(2026, 10, 30)))  # the month before


def test_four_home_visits_give_hours_on_the_hours_pages(app, world, auth, time_machine):
    _visits(app, world)
    freeze(time_machine)
    auth.login("tnv01")
    mine = page_text(auth.client.get(f"/shifts/hours/mine?month={MONTH}"))
    # 20 + 45 + 20 minutes = 85 minutes = 1.4 h (rounded half up), three visits.
    assert '<strong id="hours-total">1,4</strong>' in mine
    assert "20 phút" in mine  # the default is stated on the page
    auth.logout()
    auth.login("bithu")
    ward = rows(auth.client.get(f"/shifts/hours?month={MONTH}"), "data-volunteer")
    assert ward["tnv01"] == {"visits": "3", "hours": "1,4"}
    book = load_workbook(BytesIO(auth.client.get(f"/shifts/hours/export.xlsx?month={MONTH}").data))
    summary = {row[1]: row for row in book["Tổng hợp"].iter_rows(min_row=3, values_only=True)}
    assert summary["tnv01"][-1] == 1.4


def test_visit_minutes_are_configurable_and_reach_the_report(app, world, auth, time_machine):
    app.config["VISIT_MINUTES"] = 30
    _visits(app, world)
    freeze(time_machine)
    auth.login("bithu")
    query = {"period": "custom", "start": "2026-11-01", "end": "2026-11-30"}
    table = rows(auth.client.get("/coverage/", query_string=query), "data-volunteer")
    assert table[str(world.users["tnv01"])]["hours"] == "1,8"  # 30 + 45 + 30 minutes
    report = page_text(auth.client.get(f"/coverage/report?month={MONTH}"))
    assert "Giờ tình nguyện trong tháng: 1,8." in report
    assert "30 phút" in page_text(auth.client.get(f"/shifts/hours?month={MONTH}"))
