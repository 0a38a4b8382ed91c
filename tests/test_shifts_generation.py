"""Generating shifts from the weekly pattern, pattern changes, closed days, one-off shifts."""

from datetime import time, timedelta

from sqlmodel import select

from core import clock
from core.clock import as_utc
from core.db import get_session
from shifts.models import ClosedDay, PatternSlot, Shift, ShiftStatus
from shifts.planning import generation, setup
from tests.helpers import page_text
from tests.shifts_support import MONDAY, NOW, freeze, make_shift, notices_of, people_on, put_on

WEEK = timedelta(days=7)


def _open_shifts(db, ward_id):
    db.expire_all()
    query = select(Shift).where(Shift.ward_id == ward_id, Shift.status == ShiftStatus.OPEN)
    return list(db.exec(query.order_by(Shift.starts_at)).all())


def _generate(db, ward_id, weeks=4, now=NOW):
    setup.ensure_setup(db, ward_id=ward_id)
    result = generation.generate(db, ward_id=ward_id, weeks=weeks, now=now, actor_id=None)
    db.commit()
    return result


def test_default_pattern_gives_mon_wed_fri_two_sessions(app, world):
    with app.test_request_context():
        db = get_session()
        result = _generate(db, world.ward_a)
        shifts = _open_shifts(db, world.ward_a)
        assert result.created == 24 == len(shifts)  # 4 weeks x Mon/Wed/Fri x 2 sessions
        days = {clock.local_date(s.starts_at).weekday() for s in shifts}
        assert days == {0, 2, 4}
        first = shifts[0]
        # Stored in UTC, meant in Hà Nội time: 07:30 local is 00:30 UTC.
        assert as_utc(first.starts_at).hour == 0 and as_utc(first.starts_at).minute == 30
        assert f"{clock.local(first.starts_at):%H:%M}-{clock.local(first.ends_at):%H:%M}" == (
            "07:30-11:30"
        )
        assert clock.local_date(shifts[-1].starts_at) == MONDAY + 3 * WEEK + timedelta(days=4)


def test_generating_twice_creates_nothing_new(app, world):
    with app.test_request_context():
        db = get_session()
        _generate(db, world.ward_a)
        ids = [s.id for s in _open_shifts(db, world.ward_a)]
        again = _generate(db, world.ward_a)
        assert (again.created, again.updated, again.cancelled) == (0, 0, 0)
        assert [s.id for s in _open_shifts(db, world.ward_a)] == ids
        # A longer run only adds the weeks that were missing.
        longer = _generate(db, world.ward_a, weeks=5)
        assert longer.created == 6 and len(_open_shifts(db, world.ward_a)) == 30


def test_generation_never_creates_or_touches_past_shifts(app, world):
    with app.test_request_context():
        db = get_session()
        midday = NOW + timedelta(hours=6)  # Monday 13:00 local: the morning session has begun
        result = _generate(db, world.ward_a, now=midday)
        starts = [as_utc(s.starts_at) for s in _open_shifts(db, world.ward_a)]
        assert min(starts) > midday
        assert result.created == 23  # Monday morning is already under way


def test_pattern_change_applies_to_future_shifts_only(app, world):
    with app.test_request_context():
        db = get_session()
        last_week = NOW - WEEK
        _generate(db, world.ward_a, weeks=2, now=last_week)
        past = [s for s in _open_shifts(db, world.ward_a) if as_utc(s.starts_at) < NOW]
        assert len(past) == 6
        past_snapshot = {
            (s.id, as_utc(s.starts_at), as_utc(s.ends_at), s.max_volunteers) for s in past
        }
        _generate(db, world.ward_a, weeks=2)
        afternoon_wed = next(
            s
            for s in _open_shifts(db, world.ward_a)
            if clock.local_date(s.starts_at) == MONDAY + timedelta(days=2)
            and clock.local(s.starts_at).hour == 13
        )
        put_on(db, afternoon_wed, world.users["tnv01"])

        afternoon = db.exec(
            select(PatternSlot).where(
                PatternSlot.ward_id == world.ward_a, PatternSlot.starts == time(13, 30)
            )
        ).one()
        morning = db.exec(
            select(PatternSlot).where(
                PatternSlot.ward_id == world.ward_a, PatternSlot.starts == time(7, 30)
            )
        ).one()
        # Afternoons move to 14:00; mornings need 3 to 5 people.
        data = setup.SlotData([0, 2, 4], time(14, 0), time(17, 0), "desk", None, 2, 4)
        result = setup.save_slot(db, afternoon, data, now=NOW, actor_id=world.users["bithu"])
        data = setup.SlotData([0, 2, 4], time(7, 30), time(11, 30), "desk", None, 3, 5)
        setup.save_slot(db, morning, data, now=NOW, actor_id=world.users["bithu"])
        db.commit()

        shifts = _open_shifts(db, world.ward_a)
        future = [s for s in shifts if as_utc(s.starts_at) > NOW]
        assert {
            (s.id, as_utc(s.starts_at), as_utc(s.ends_at), s.max_volunteers)
            for s in shifts
            if as_utc(s.starts_at) < NOW
        } == past_snapshot
        afternoons = [s for s in future if clock.local(s.starts_at).hour >= 13]
        assert afternoons and all(
            f"{clock.local(s.starts_at):%H:%M}" == "14:00" for s in afternoons
        )
        mornings = [s for s in future if clock.local(s.starts_at).hour < 12]
        assert mornings and all((s.min_volunteers, s.max_volunteers) == (3, 5) for s in mornings)
        # The 13:30 shift that had a volunteer was cancelled and the volunteer told.
        db.refresh(afternoon_wed)
        assert afternoon_wed.status == ShiftStatus.CANCELLED
        assert people_on(db, afternoon_wed.id) == set()
        assert [n.kind for n in notices_of(db, world.users["tnv01"])] == ["cancelled"]
        assert result.cancelled == 6 and result.notified == 1 and result.created == 6


def test_dropping_a_weekday_cancels_only_future_shifts_of_that_day(app, world):
    with app.test_request_context():
        db = get_session()
        _generate(db, world.ward_a, weeks=2, now=NOW - WEEK)
        _generate(db, world.ward_a, weeks=2)
        for slot in generation.live_slots(db, ward_id=world.ward_a):
            data = setup.SlotData([0, 2], slot.starts, slot.ends, "desk", None, 2, 4)
            setup.save_slot(db, slot, data, now=NOW, actor_id=None)
        db.commit()
        fridays = [
            s
            for s in _open_shifts(db, world.ward_a)
            if clock.local_date(s.starts_at).weekday() == 4
        ]
        assert fridays and all(as_utc(s.starts_at) < NOW for s in fridays)


def test_closed_day_gets_no_shifts_and_closing_cancels_and_tells(app, world):
    with app.test_request_context():
        db = get_session()
        wednesday, friday = MONDAY + timedelta(days=2), MONDAY + timedelta(days=4)
        setup.close_day(
            db, ward_id=world.ward_a, day=wednesday, reason="Nghỉ bù", now=NOW, actor_id=None
        )
        _generate(db, world.ward_a, weeks=1)
        days = {clock.local_date(s.starts_at) for s in _open_shifts(db, world.ward_a)}
        assert days == {MONDAY, friday}

        friday_morning = next(
            s for s in _open_shifts(db, world.ward_a) if clock.local_date(s.starts_at) == friday
        )
        put_on(db, friday_morning, world.users["tnv01"], world.users["tnv02"])
        cancelled, told = setup.close_day(
            db,
            ward_id=world.ward_a,
            day=friday,
            reason="Tết",
            now=NOW,
            actor_id=world.users["bithu"],
        )
        db.commit()
        assert (cancelled, told) == (2, 2)
        assert {clock.local_date(s.starts_at) for s in _open_shifts(db, world.ward_a)} == {MONDAY}
        for username in ("tnv01", "tnv02"):
            notice = notices_of(db, world.users[username])[0]
            assert (notice.kind, notice.shift_id) == ("cancelled", friday_morning.id)
            assert notice.body.endswith(" · Tết")  # the reason, after the shift's day and place

        # Reopening the day brings its shifts back, empty.
        closed = db.exec(select(ClosedDay).where(ClosedDay.day == friday)).one()
        setup.reopen_day(db, closed, now=NOW, actor_id=None)
        db.commit()
        db.refresh(friday_morning)
        assert friday_morning.status == ShiftStatus.OPEN and friday_morning.assigned_count == 0


def test_the_volunteer_sees_the_cancellation_on_next_visit(app, world, auth, time_machine):
    freeze(time_machine)
    with app.test_request_context():
        db = get_session()
        shift = make_shift(db, world.ward_a, MONDAY + timedelta(days=4))
        put_on(db, shift, world.users["tnv01"])
        setup.close_day(
            db,
            ward_id=world.ward_a,
            day=MONDAY + timedelta(days=4),
            reason="Giỗ Tổ",
            now=NOW,
            actor_id=None,
        )
        db.commit()
    auth.login("tnv01")
    # One inbox: the cancellation is in the notifications inbox, counted by the one bell.
    text = page_text(auth.client.get("/notifications/"))
    assert "Ca của bạn đã bị hủy" in text and "Giỗ Tổ" in text
    assert '<span class="bell-count" data-unread>1</span>' in text
    assert auth.client.post("/notifications/read").status_code == 302
    assert "data-unread" not in page_text(auth.client.get("/shifts/mine"))


def test_generate_through_the_page(app, world, auth, time_machine):
    freeze(time_machine)
    auth.login("bithu")
    response = auth.client.post("/shifts/generate", data={"weeks": "4"}, follow_redirects=True)
    assert "Đã tạo 24 ca mới cho 4 tuần tới" in page_text(response)
    response = auth.client.post("/shifts/generate", data={"weeks": "4"}, follow_redirects=True)
    assert "đã có sẵn; không tạo thêm" in page_text(response)
    week = page_text(auth.client.get("/shifts/?start=2026-11-23"))
    assert week.count("07:30–11:30") == 3 and week.count("13:30–17:00") == 3
    assert "Thiếu 2" in week  # understaffed shifts are flagged
    bad = auth.client.post("/shifts/generate", data={"weeks": "40"})
    assert "Từ 1 đến 12 tuần." in page_text(bad)


def test_bad_closed_day_input_is_refused_next_to_the_field(app, world, auth, time_machine):
    freeze(time_machine)
    auth.login("bithu")
    past = auth.client.post("/shifts/closed", data={"day": "2026-11-20", "reason": "Lễ"})
    assert 'class="field has-error"' in page_text(past)
    assert "Không thể đánh dấu nghỉ cho ngày đã qua." in page_text(past)
    garbage = auth.client.post("/shifts/closed", data={"day": "31/02/2026", "reason": "Lễ"})
    assert "Ngày không hợp lệ" in page_text(garbage)
    ok = auth.client.post("/shifts/closed", data={"day": "2026-12-31", "reason": "Tất niên"})
    assert ok.status_code == 302
    twice = auth.client.post("/shifts/closed", data={"day": "2026-12-31", "reason": "Lại"})
    assert "đã được đánh dấu nghỉ" in page_text(twice)
    with app.test_request_context():
        assert len(get_session().exec(select(ClosedDay)).all()) == 1


def test_bad_pattern_input_is_refused_and_nothing_saved(app, world, auth, time_machine):
    freeze(time_machine)
    auth.login("bithu")
    auth.client.get("/shifts/pattern")
    form = {
        "weekdays": ["1"],
        "starts": "15:00",
        "ends": "14:00",
        "place": "field",
        "group_id": "0",
        "min_volunteers": "3",
        "max_volunteers": "2",
    }
    text = page_text(auth.client.post("/shifts/pattern/new", data=form))
    assert "Giờ kết thúc phải sau giờ bắt đầu." in text
    assert "Số tối đa không được nhỏ hơn số tối thiểu." in text
    assert "Hãy chọn tổ dân phố sẽ đến." in text
    no_days = page_text(auth.client.post("/shifts/pattern/new", data={**form, "weekdays": []}))
    assert "Hãy chọn ít nhất một ngày." in no_days
    other_ward_group = {
        **form,
        "ends": "17:00",
        "max_volunteers": "4",
        "group_id": str(world.groups["b1"]),
    }
    assert "Hãy chọn tổ dân phố sẽ đến." in page_text(
        auth.client.post("/shifts/pattern/new", data=other_ward_group)
    )
    with app.test_request_context():
        assert len(generation.live_slots(get_session(), ward_id=world.ward_a)) == 2
    good = {**other_ward_group, "group_id": str(world.groups["a1"])}
    assert auth.client.post("/shifts/pattern/new", data=good).status_code == 302
    assert "Đi tổ 1 – Thanh Khê 1" in page_text(auth.client.get("/shifts/pattern"))


def test_one_off_shift_rules(app, world, auth, time_machine):
    freeze(time_machine)
    auth.login("bithu")
    base = {
        "starts": "08:00",
        "ends": "11:00",
        "place": "desk",
        "group_id": "0",
        "min_volunteers": "1",
        "max_volunteers": "2",
    }
    past = page_text(auth.client.post("/shifts/new", data={**base, "day": "2026-11-22"}))
    assert "Không thể tạo ca trong quá khứ." in past
    auth.client.post("/shifts/closed", data={"day": "2026-11-28", "reason": "Lễ hội"})
    closed = page_text(auth.client.post("/shifts/new", data={**base, "day": "2026-11-28"}))
    assert "phường nghỉ: Lễ hội" in closed
    created = auth.client.post("/shifts/new", data={**base, "day": "2026-11-29"})
    assert created.status_code == 302
    twice = page_text(auth.client.post("/shifts/new", data={**base, "day": "2026-11-29"}))
    assert "Đã có ca bắt đầu giờ này ở cùng nơi." in twice
    with app.test_request_context():
        assert len(_open_shifts(get_session(), world.ward_a)) == 1
