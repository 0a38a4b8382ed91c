"""Assigning and unassigning: every check, suggestions, self sign-up and the release deadline."""

from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from core.access import Role
from core.audit import AuditLog
from core.clock import as_utc
from core.db import get_session
from shifts import queries
from shifts.models import Assignment, Shift, ShiftSettings, Unavailability
from shifts.planning import setup
from shifts.rota import assigning
from shifts.rules import ShiftError
from tests.factories import add_user
from tests.helpers import page_text
from tests.notifications_support import notifications_of
from tests.shifts_support import MONDAY, NOW, freeze, make_shift, notices_of, people_on, put_on
from volunteer.models import User


def _assign(db, shift, user_id, actor_id):
    try:
        assigning.assign(db, shift_id=shift.id, user_id=user_id, actor_id=actor_id, now=NOW)
    except ShiftError as error:
        db.rollback()
        return error.message
    db.commit()
    return None


def test_each_conflict_is_refused_with_its_reason(app, world):
    with app.test_request_context():
        db = get_session()
        bithu, tnv01, tnv02 = (world.users[n] for n in ("bithu", "tnv01", "tnv02"))
        morning = make_shift(db, world.ward_a, maximum=1)
        overlapping = make_shift(
            db,
            world.ward_a,
            starts="10:00",
            ends="12:00",
            place="field",
            group_id=world.groups["a1"],
        )
        assert _assign(db, morning, tnv01, bithu) is None
        # above the maximum
        assert "Ca đã đủ 1 người" in _assign(db, morning, tnv02, bithu)
        # an overlapping shift
        assert "đã có ca trùng giờ" in _assign(db, overlapping, tnv01, bithu)
        # already on it
        morning.max_volunteers = 3
        db.commit()
        assert "đã có trong ca này" in _assign(db, morning, tnv01, bithu)
        # unavailable on that weekday, and on that date
        db.add(Unavailability(user_id=tnv02, weekday=0))
        db.commit()
        assert "đã báo bận vào Thứ Hai" in _assign(db, morning, tnv02, bithu)
        wednesday = make_shift(db, world.ward_a, MONDAY + timedelta(days=2))
        db.add(Unavailability(user_id=tnv01, day=MONDAY + timedelta(days=2)))
        db.commit()
        assert "đã báo bận vào Thứ Tư 25/11" in _assign(db, wednesday, tnv01, bithu)
        # an inactive account
        locked = add_user(db, "tnv_locked", Role.VOLUNTEER, world.ward_a, active=False)
        db.commit()
        assert "đã bị khóa" in _assign(db, wednesday, locked.id, bithu)
        # unknown volunteers: made up, from another ward, or not a volunteer
        for stranger in (999_999, world.users["tnv_b"], world.users["phuong"]):
            assert (
                _assign(db, wednesday, stranger, bithu)
                == "Không có tình nguyện viên này trong phường."
            )
        # a closed day
        friday = make_shift(db, world.ward_a, MONDAY + timedelta(days=4))
        setup.close_day(
            db,
            ward_id=world.ward_a,
            day=MONDAY + timedelta(days=4),
            reason="Tết",
            now=NOW,
            actor_id=None,
        )
        db.commit()
        assert "phường nghỉ: Tết" in _assign(db, friday, tnv02, bithu)
        # nothing half-saved: only the first assignment exists
        assert people_on(db, morning.id) == {tnv01}
        assert people_on(db, wednesday.id) == set() and people_on(db, overlapping.id) == set()
        assert db.get(type(morning), morning.id).assigned_count == 1


def test_the_database_refuses_more_than_the_maximum(app, world):
    with app.test_request_context():
        db = get_session()
        shift = make_shift(db, world.ward_a, maximum=1)
        put_on(db, shift, world.users["tnv01"])
        with pytest.raises(IntegrityError):
            db.execute(text("UPDATE shift SET assigned_count = 2 WHERE id = :id"), {"id": shift.id})
            db.commit()
        db.rollback()
        with pytest.raises(IntegrityError):
            db.execute(
                text(
                    "INSERT INTO shift_assignment (shift_id, user_id, source, created_at) "
                    "VALUES (:shift, :user, 'x', CURRENT_TIMESTAMP)"
                ),
                {"shift": shift.id, "user": world.users["tnv01"]},
            )
            db.commit()
        db.rollback()


def test_assign_form_shows_the_reason_next_to_the_field(app, world, auth, time_machine):
    freeze(time_machine)
    with app.test_request_context():
        db = get_session()
        shift = make_shift(db, world.ward_a, maximum=1)
        put_on(db, shift, world.users["tnv01"])
    auth.login("bithu")
    response = auth.client.post(
        f"/shifts/{shift.id}/assign", data={"user_id": world.users["tnv02"]}
    )
    text_ = page_text(response)
    assert 'class="field has-error"' in text_ and "Ca đã đủ 1 người" in text_
    unknown = page_text(auth.client.post(f"/shifts/{shift.id}/assign", data={"user_id": "424242"}))
    assert "Không có tình nguyện viên này trong phường." in unknown
    empty = page_text(auth.client.post(f"/shifts/{shift.id}/assign", data={"user_id": "0"}))
    assert "Hãy chọn tình nguyện viên." in empty


def test_assign_and_unassign_tell_the_volunteer(app, world, auth, time_machine):
    freeze(time_machine)
    with app.test_request_context():
        shift = make_shift(get_session(), world.ward_a)
    auth.login("bithu")
    ok = auth.client.post(f"/shifts/{shift.id}/assign", data={"user_id": world.users["tnv02"]})
    assert ok.status_code == 302
    assert "Người dùng tnv02" in page_text(auth.client.get(f"/shifts/{shift.id}"))
    auth.client.post(f"/shifts/{shift.id}/unassign/{world.users['tnv02']}")
    with app.test_request_context():
        db = get_session()
        assert people_on(db, shift.id) == set()
        assert [n.kind for n in notices_of(db, world.users["tnv02"])] == ["assigned", "unassigned"]


def test_another_wards_secretary_cannot_see_or_touch_the_shift(app, world, auth, time_machine):
    freeze(time_machine)
    with app.test_request_context():
        shift = make_shift(get_session(), world.ward_a)
    auth.login("bithu_b")
    assert auth.client.get(f"/shifts/{shift.id}").status_code == 404
    response = auth.client.post(
        f"/shifts/{shift.id}/assign", data={"user_id": world.users["tnv_b"]}
    )
    assert response.status_code == 404


def test_suggestions_are_free_volunteers_with_fewest_shifts_this_month(app, world):
    with app.test_request_context():
        db = get_session()
        extra = [add_user(db, f"tnv{n:02d}", Role.VOLUNTEER, world.ward_a).id for n in (3, 4, 5)]
        db.commit()
        tnv01, tnv02 = world.users["tnv01"], world.users["tnv02"]
        busy_3, away_4, fresh_5 = extra
        # tnv01 already has two shifts this month, tnv02 one; tnv05 none.
        for day in (date(2026, 11, 2), date(2026, 11, 4)):
            put_on(db, make_shift(db, world.ward_a, day), tnv01, now=NOW - timedelta(days=30))
        put_on(
            db, make_shift(db, world.ward_a, date(2026, 11, 6)), tnv02, now=NOW - timedelta(days=30)
        )
        target = make_shift(db, world.ward_a, MONDAY + timedelta(days=2), maximum=4)
        # tnv03 is on an overlapping field visit; tnv04 said Wednesdays are impossible.
        put_on(
            db,
            make_shift(
                db,
                world.ward_a,
                MONDAY + timedelta(days=2),
                "09:00",
                "10:00",
                place="field",
                group_id=world.groups["a2"],
            ),
            busy_3,
        )
        db.add(Unavailability(user_id=away_4, weekday=2))
        db.commit()
        view = queries.views_of(db, [target])[0]
        suggested = [(user.id, count) for user, count in queries.suggestions(db, view=view)]
        assert suggested == [(fresh_5, 0), (tnv02, 1), (tnv01, 2)]


def test_self_signup_follows_the_ward_setting(app, world, auth, time_machine):
    freeze(time_machine)
    with app.test_request_context():
        db = get_session()
        shift = make_shift(db, world.ward_a, MONDAY + timedelta(days=2))
        db.add(ShiftSettings(ward_id=world.ward_a, self_signup=False))
        db.commit()
    auth.login("tnv01")
    refused = auth.client.post(f"/shifts/{shift.id}/signup", follow_redirects=True)
    assert "Phường chưa cho phép tự đăng ký ca" in page_text(refused)
    with app.test_request_context():
        db = get_session()
        db.get(ShiftSettings, world.ward_a).self_signup = True
        db.commit()
    assert "Người dùng tnv01" not in page_text(auth.client.get("/shifts/open"))
    auth.client.post(f"/shifts/{shift.id}/signup")
    with app.test_request_context():
        assert people_on(get_session(), shift.id) == {world.users["tnv01"]}
    assert "Đăng ký" not in page_text(auth.client.get("/shifts/open"))  # no longer offered to me


def test_release_until_the_deadline_then_only_the_secretary(app, world, auth, time_machine):
    with app.test_request_context():
        db = get_session()
        # Wednesday 07:30: 48.5 h after NOW; Monday 07:30 is only half an hour away.
        later = make_shift(db, world.ward_a, MONDAY + timedelta(days=2))
        soon = make_shift(db, world.ward_a, MONDAY)
        put_on(db, later, world.users["tnv01"])
        put_on(db, soon, world.users["tnv01"])
    freeze(time_machine)
    auth.login("tnv01")
    assert auth.client.post(f"/shifts/{later.id}/release").status_code == 302
    late = auth.client.post(f"/shifts/{soon.id}/release", follow_redirects=True)
    assert "Đã quá hạn trả ca (24 giờ trước giờ bắt đầu)" in page_text(late)
    with app.test_request_context():
        db = get_session()
        assert people_on(db, later.id) == set() and people_on(db, soon.id) == {world.users["tnv01"]}
        # The deadline is a ward setting.
        db.add(ShiftSettings(ward_id=world.ward_a, release_hours=0))
        db.commit()
    assert auth.client.post(f"/shifts/{soon.id}/release").status_code == 302
    with app.test_request_context():
        db = get_session()
        assert people_on(db, soon.id) == set()
        db.get(ShiftSettings, world.ward_a).release_hours = 24
        db.commit()
        put_on(db, soon, world.users["tnv01"])
    auth.logout()
    auth.login("bithu")
    auth.client.post(f"/shifts/{soon.id}/unassign/{world.users['tnv01']}")
    with app.test_request_context():
        assert people_on(get_session(), soon.id) == set()


def test_deactivated_volunteer_is_not_suggested(app, world):
    with app.test_request_context():
        db = get_session()
        shift = make_shift(db, world.ward_a)
        db.get(User, world.users["tnv02"]).active = False
        db.commit()
        view = queries.views_of(db, [shift])[0]
        assert [u.username for u, _ in queries.suggestions(db, view=view)] == ["tnv01"]


def test_an_assignment_is_stamped_with_the_services_now_everywhere(app, world):
    """assign(now=...) is the moment of every row it writes: the assignment, the shift, the audit
    entry, the notice and the inbox news (the evening reminder compares them with its own now)."""
    with app.test_request_context():
        db = get_session()
        shift = make_shift(db, world.ward_a)
        at = NOW - timedelta(days=3)
        assigning.assign(
            db,
            shift_id=shift.id,
            user_id=world.users["tnv01"],
            actor_id=world.users["bithu"],
            now=at,
        )
        db.commit()
        db.expire_all()
        [assignment] = db.exec(select(Assignment)).all()
        entry = db.exec(select(AuditLog).where(AuditLog.action == "assign")).one()
        [notice] = notices_of(db, world.users["tnv01"])
        [news] = notifications_of(db, world.users["tnv01"])
        stamps = {
            "assignment": as_utc(assignment.created_at),
            "shift": as_utc(db.get(Shift, shift.id).updated_at),
            "audit": as_utc(entry.at),
            "notice": as_utc(notice.created_at),
            "news": as_utc(news.created_at),
        }
        assert stamps == dict.fromkeys(stamps, at)
