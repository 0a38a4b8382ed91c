"""Attendance inside the shift window, the secretary's marks, no-shows, hours and their export."""

from datetime import date, timedelta
from io import BytesIO

from openpyxl import load_workbook

from core.access import Role
from core.db import get_session
from shifts.attendance import hours, presence
from shifts.attendance.presence import State
from shifts.rules import ShiftError
from tests.factories import add_user
from tests.helpers import page_text
from tests.shifts_support import NOW, freeze, make_shift, put_on

MINUTE = timedelta(minutes=1)
# Monday's morning shift runs 07:30-11:30 local, i.e. NOW + 30 min to NOW + 4 h 30.
STARTS, ENDS = NOW + 30 * MINUTE, NOW + 270 * MINUTE


def _refusal(action) -> str:
    try:
        action()
    except ShiftError as error:
        get_session().rollback()
        return error.message
    raise AssertionError("should have been refused")


def test_check_in_and_out_only_inside_the_window(app, world):
    with app.test_request_context():
        db = get_session()
        shift = make_shift(db, world.ward_a)
        user = world.users["tnv01"]
        put_on(db, shift, user)

        def check_in(at):
            return presence.check_in(db, shift_id=shift.id, user_id=user, now=at)

        assert "Chỉ điểm danh vào trong khung giờ ca (từ 07:00 đến 11:30)" in _refusal(
            lambda: check_in(NOW - MINUTE)
        )
        assert "khung giờ ca" in _refusal(lambda: check_in(ENDS))
        assert "chưa điểm danh vào" in _refusal(
            lambda: presence.check_out(db, shift_id=shift.id, user_id=user, now=STARTS)
        )
        assert "Bạn không có trong ca này." in _refusal(
            lambda: presence.check_in(
                db, shift_id=shift.id, user_id=world.users["tnv02"], now=STARTS
            )
        )
        check_in(STARTS + 5 * MINUTE)
        db.commit()
        assert "đã điểm danh vào" in _refusal(lambda: check_in(STARTS + 6 * MINUTE))
        assert "quá giờ điểm danh ra" in _refusal(
            lambda: presence.check_out(db, shift_id=shift.id, user_id=user, now=ENDS + 61 * MINUTE)
        )
        assignment = presence.check_out(db, shift_id=shift.id, user_id=user, now=ENDS - 35 * MINUTE)
        db.commit()
        # 07:35 to 10:55: three hours and twenty minutes.
        assert hours.hours_of(assignment, shift, ENDS + MINUTE) == 3.33


def test_hours_states_and_no_shows(app, world):
    with app.test_request_context():
        db = get_session()
        shift = make_shift(db, world.ward_a, minimum=1, maximum=4)
        tnv01, tnv02, bithu = world.users["tnv01"], world.users["tnv02"], world.users["bithu"]
        tnv03 = add_user(db, "tnv03", Role.VOLUNTEER, world.ward_a).id
        put_on(db, shift, tnv01, tnv02, tnv03)
        assert "chưa bắt đầu" in _refusal(
            lambda: presence.mark(
                db, shift_id=shift.id, user_id=tnv01, present=True, actor_id=bithu, now=NOW
            )
        )
        presence.mark(
            db, shift_id=shift.id, user_id=tnv01, present=True, actor_id=bithu, now=STARTS
        )
        presence.mark(
            db, shift_id=shift.id, user_id=tnv02, present=False, actor_id=bithu, now=STARTS
        )
        db.commit()
        after = ENDS + MINUTE
        lines = hours.month_totals(db, ward_id=world.ward_a, year=2026, month=11, now=after)
        by_user = {t.user.id: t for t in lines}
        # Present without check-in/out: the shift's length. Absent, or never came: nothing.
        assert (by_user[tnv01].hours, by_user[tnv01].present, by_user[tnv01].no_shows) == (
            4.0,
            1,
            0,
        )
        assert (by_user[tnv02].hours, by_user[tnv02].lines[0].state) == (0.0, State.ABSENT)
        assert (by_user[tnv03].hours, by_user[tnv03].lines[0].state) == (0.0, State.NO_SHOW)
        assert by_user[tnv02].no_shows == by_user[tnv03].no_shows == 1
        during = hours.month_totals(db, ward_id=world.ward_a, year=2026, month=11, now=STARTS)
        assert {t.user.id: t.lines[0].state for t in during}[tnv03] == State.ON_SHIFT


def test_monthly_hours_pages_and_xlsx(app, world, auth, time_machine):
    with app.test_request_context():
        db = get_session()
        tnv01, tnv02 = world.users["tnv01"], world.users["tnv02"]
        earlier = NOW - timedelta(days=30)
        first = make_shift(db, world.ward_a, date(2026, 11, 2))  # 4 h
        second = make_shift(db, world.ward_a, date(2026, 11, 4), "13:30", "17:00")  # 3.5 h
        october = make_shift(db, world.ward_a, date(2026, 10, 30))
        put_on(db, first, tnv01, tnv02, now=earlier)
        put_on(db, second, tnv01, now=earlier)
        put_on(db, october, tnv01, now=earlier - timedelta(days=10))
        for shift in (first, second, october):
            presence.mark(
                db, shift_id=shift.id, user_id=tnv01, present=True, actor_id=None, now=NOW
            )
        db.commit()
    freeze(time_machine)
    auth.login("tnv01")
    mine = page_text(auth.client.get("/shifts/hours/mine"))
    assert '<strong id="hours-total">7,5</strong>' in mine
    october_page = page_text(auth.client.get("/shifts/hours/mine?month=2026-10"))
    assert '<strong id="hours-total">4</strong>' in october_page
    auth.logout()
    auth.login("phuong")  # the ward officer reads the ward's hours
    ward = page_text(auth.client.get("/shifts/hours?month=2026-11"))
    assert "7,5" in ward and "Người dùng tnv02" in ward
    assert auth.client.get(f"/shifts/hours/{tnv02}?month=2026-11").status_code == 200
    response = auth.client.get("/shifts/hours/export.xlsx?month=2026-11")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.data))
    summary = {row[1]: row for row in book["Tổng hợp"].iter_rows(min_row=3, values_only=True)}
    assert summary["tnv01"][2:] == (2, 2, 0, 7.5)
    assert summary["tnv02"][2:] == (1, 0, 1, 0)
    assert book["Chi tiết"].max_row == 4  # header and three attendances in November
    auth.logout()
    auth.login("bithu_b")
    assert auth.client.get(f"/shifts/hours/{tnv02}").status_code == 404


def test_check_in_from_the_phone_page(app, world, auth, time_machine):
    with app.test_request_context():
        db = get_session()
        shift = make_shift(db, world.ward_a)
        put_on(db, shift, world.users["tnv01"])
    freeze(time_machine, STARTS - 10 * MINUTE)
    auth.login("tnv01")
    assert "Điểm danh vào" in page_text(auth.client.get("/shifts/mine"))
    done = auth.client.post(f"/shifts/{shift.id}/check-in", follow_redirects=True)
    assert "Đã điểm danh vào ca" in page_text(done)
    assert "Điểm danh ra" in page_text(done)
    auth.logout()
    freeze(time_machine, STARTS + 10 * MINUTE)
    auth.login("bithu")
    detail = page_text(auth.client.get(f"/shifts/{shift.id}"))
    assert "Có mặt" in detail and "vào 07:20" in detail
