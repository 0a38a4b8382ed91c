"""Smaller pages of the rota through real requests: availability, settings, marks, swap form, admin."""

from datetime import timedelta

from sqlmodel import select

from core.db import get_session
from shifts.models import ShiftSettings, Unavailability
from tests.helpers import page_text
from tests.shifts_support import MONDAY, NOW, freeze, make_shift, notices_of, people_on, put_on

WEDNESDAY = MONDAY + timedelta(days=2)


def _unavailability(app, user_id):
    with app.test_request_context():
        rows = get_session().exec(select(Unavailability).where(Unavailability.user_id == user_id))
        return [(row.weekday, row.day) for row in rows.all()]


def test_availability_by_weekday_and_date(app, world, auth, time_machine):
    freeze(time_machine)
    with app.test_request_context():
        db = get_session()
        put_on(db, make_shift(db, world.ward_a, WEDNESDAY), world.users["tnv01"])
    auth.login("tnv01")
    tnv01 = world.users["tnv01"]
    past = auth.client.post("/shifts/availability", data={"kind": "day", "day": "2026-11-20"})
    assert "Không thể báo bận cho ngày đã qua." in page_text(past)
    empty = auth.client.post("/shifts/availability", data={"kind": "day", "day": ""})
    assert "Hãy chọn ngày." in page_text(empty)
    assert _unavailability(app, tnv01) == []

    # Saying Wednesdays are impossible warns about the Wednesday shift already taken.
    added = auth.client.post(
        "/shifts/availability", data={"kind": "weekday", "weekday": "2"}, follow_redirects=True
    )
    assert "Bạn đang có ca Thứ Tư 25/11 07:30–11:30" in page_text(added)
    again = auth.client.post("/shifts/availability", data={"kind": "weekday", "weekday": "2"})
    assert "Bạn đã báo bận vào Thứ Tư rồi." in page_text(again)
    auth.client.post(
        "/shifts/availability", data={"kind": "day", "day": "2026-12-24", "note": "Thi"}
    )
    assert _unavailability(app, tnv01) == [(2, None), (None, MONDAY.replace(month=12, day=24))]
    page = page_text(auth.client.get("/shifts/availability"))
    assert "Mọi Thứ Tư" in page and "Thi" in page

    with app.test_request_context():
        item = (
            get_session().exec(select(Unavailability.id).where(Unavailability.weekday == 2)).one()
        )
    auth.logout()
    auth.login("tnv02")  # someone else's entry is not theirs to remove
    assert auth.client.post(f"/shifts/availability/{item}/delete").status_code == 404
    auth.logout()
    auth.login("tnv01")
    auth.client.post(f"/shifts/availability/{item}/delete")
    assert _unavailability(app, tnv01) == [(None, MONDAY.replace(month=12, day=24))]


def test_settings_page(app, world, auth, time_machine):
    freeze(time_machine)
    auth.login("bithu")
    assert "Tình nguyện viên được tự đăng ký ca còn chỗ" in page_text(
        auth.client.get("/shifts/pattern")
    )
    bad = auth.client.post("/shifts/settings", data={"release_hours": "500"}, follow_redirects=True)
    assert "Từ 0 đến 168 giờ." in page_text(bad)
    auth.client.post("/shifts/settings", data={"release_hours": "48"})  # self sign-up unticked
    with app.test_request_context():
        settings = get_session().get(ShiftSettings, world.ward_a)
        assert (settings.self_signup, settings.release_hours) == (False, 48)


def test_secretary_marks_attendance_from_the_shift_page(app, world, auth, time_machine):
    with app.test_request_context():
        db = get_session()
        shift = make_shift(db, world.ward_a)
        put_on(db, shift, world.users["tnv01"], world.users["tnv02"])
    freeze(time_machine)  # 07:00: the shift starts at 07:30
    auth.login("bithu")
    early = auth.client.post(
        f"/shifts/{shift.id}/attendance/{world.users['tnv01']}",
        data={"present": "1"},
        follow_redirects=True,
    )
    assert "Ca chưa bắt đầu, chưa thể điểm danh." in page_text(early)
    freeze(time_machine, NOW + timedelta(hours=5))  # 12:00, the shift is over
    auth.client.post(f"/shifts/{shift.id}/attendance/{world.users['tnv01']}", data={"present": "1"})
    page = page_text(
        auth.client.post(
            f"/shifts/{shift.id}/attendance/{world.users['tnv02']}",
            data={"present": "0"},
            follow_redirects=True,
        )
    )
    assert "Đã ghi vắng mặt." in page and page.count("Có mặt") >= 1 and "Vắng" in page
    # After the end nobody is taken off: they are marked absent instead.
    late = auth.client.post(
        f"/shifts/{shift.id}/unassign/{world.users['tnv02']}", follow_redirects=True
    )
    assert "hãy điểm danh vắng thay vì rút người" in page_text(late)
    changes = page_text(auth.client.get("/shifts/changes"))
    assert "Người dùng tnv02: vắng" in changes


def test_swap_form_names_an_unknown_volunteer_next_to_the_field(app, world, auth, time_machine):
    freeze(time_machine)
    with app.test_request_context():
        db = get_session()
        shift = make_shift(db, world.ward_a, WEDNESDAY)
        put_on(db, shift, world.users["tnv01"])
    auth.login("tnv01")
    form = page_text(auth.client.get(f"/shifts/{shift.id}/swap"))
    assert "Bất kỳ ai trong đội" in form and "Người dùng tnv02" in form
    bad = auth.client.post(f"/shifts/{shift.id}/swap", data={"user_id": world.users["tnv_b"]})
    assert 'class="field has-error"' in page_text(bad)
    assert "Không có tình nguyện viên này trong phường." in page_text(bad)
    auth.logout()
    auth.login("tnv02")  # not on the shift: nothing to offer
    assert auth.client.get(f"/shifts/{shift.id}/swap").status_code == 404
    with app.test_request_context():
        assert notices_of(get_session(), world.users["tnv02"]) == []


def test_admin_picks_a_ward_first(app, world, auth, time_machine):
    freeze(time_machine)
    with app.test_request_context():
        db = get_session()
        shift = make_shift(db, world.ward_b)
    auth.login("admin")
    first = auth.client.get("/shifts/")
    assert first.status_code == 302 and first.headers["Location"].endswith("/wards")
    week = page_text(auth.client.get(f"/shifts/?ward={world.ward_b}&start=2026-11-23"))
    assert "07:30–11:30" in week
    response = auth.client.post(
        f"/shifts/{shift.id}/assign", data={"user_id": world.users["tnv_b"]}
    )
    assert response.status_code == 302
    with app.test_request_context():
        assert people_on(get_session(), shift.id) == {world.users["tnv_b"]}
