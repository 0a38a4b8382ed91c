"""Every rule of issue 6 point 4 at a frozen moment (times are Asia/Ho_Chi_Minh wall clock)."""

import uuid
from datetime import time, timedelta

from sqlmodel import select

from assistance.models import AssistanceRecord, Kind, Outcome, Place
from core.clock import as_utc
from core.db import get_session
from notifications import rules
from notifications.models import Notification, NotificationSettings, Urgency
from shifts.models import Assignment, ShiftStatus
from tests.notifications_support import at, notifications_of
from tests.shifts_support import MONDAY, make_shift, put_on
from volunteer.models import User

TUESDAY = MONDAY + timedelta(days=1)
WEDNESDAY = MONDAY + timedelta(days=2)
THURSDAY = MONDAY + timedelta(days=3)


def _count(db) -> int:
    return len(db.exec(select(Notification.id)).all())


def _tuesday_morning(db, world):
    shift = make_shift(db, world.ward_a, TUESDAY, "07:30", "11:30")
    put_on(db, shift, world.users["tnv01"])
    return shift


NOW_9 = at(MONDAY, "09:00")


# --- the evening before and shortly before -------------------------------------------------------


def test_evening_reminder_at_19_00_the_day_before(app, world):
    with app.test_request_context():
        db = get_session()
        shift = _tuesday_morning(db, world)
        assert rules.shift_reminders(db, now=at(MONDAY, "18:59")) == 0
        assert rules.shift_reminders(db, now=at(MONDAY, "19:00")) == 1
        db.commit()
        [row] = notifications_of(db, world.users["tnv01"])
        assert row.kind == "reminder_evening"
        assert as_utc(row.due_at) == at(MONDAY, "19:00")
        assert as_utc(row.expires_at) == at(MONDAY, "22:00")
        assert row.title == "Nhắc lịch: ngày mai bạn có ca trực"
        assert row.body == "Thứ Ba 24/11 07:30–11:30 · Trực bộ phận Một cửa"
        assert (row.topic, row.urgency, row.url) == (f"shift-{shift.id}", "normal", "/shifts/mine")
        # Every minute the rule runs again; it never writes the same reminder twice.
        assert rules.shift_reminders(db, now=at(MONDAY, "19:01")) == 0
        assert rules.shift_reminders(db, now=at(MONDAY, "21:30")) == 0


def test_one_hour_before_with_high_urgency(app, world):
    with app.test_request_context():
        db = get_session()
        shift = _tuesday_morning(db, world)
        rules.shift_reminders(db, now=at(MONDAY, "19:00"))
        assert rules.shift_reminders(db, now=at(TUESDAY, "06:29")) == 0
        assert rules.shift_reminders(db, now=at(TUESDAY, "06:30")) == 1
        db.commit()
        soon = notifications_of(db, world.users["tnv01"], "reminder_soon")[0]
        assert soon.title == "Ca trực bắt đầu lúc 07:30"
        assert soon.urgency == Urgency.HIGH and soon.topic == f"shift-{shift.id}"
        assert as_utc(soon.expires_at) == at(TUESDAY, "07:30")
        assert rules.shift_reminders(db, now=at(TUESDAY, "07:00")) == 0


def test_reminder_times_are_set_per_ward(app, world):
    with app.test_request_context():
        db = get_session()
        _tuesday_morning(db, world)
        other = make_shift(db, world.ward_b, TUESDAY, "07:30", "11:30")
        put_on(db, other, world.users["tnv_b"])
        db.add(
            NotificationSettings(ward_id=world.ward_a, evening_at=time(20, 30), before_minutes=30)
        )
        db.commit()
        rules.shift_reminders(db, now=at(MONDAY, "19:00"))
        assert notifications_of(db, world.users["tnv01"]) == []
        assert len(notifications_of(db, world.users["tnv_b"])) == 1  # ward B keeps 19:00
        rules.shift_reminders(db, now=at(MONDAY, "20:30"))
        rules.shift_reminders(db, now=at(TUESDAY, "06:30"))
        assert [n.kind for n in notifications_of(db, world.users["tnv01"])] == ["reminder_evening"]
        rules.shift_reminders(db, now=at(TUESDAY, "07:00"))
        kinds = [n.kind for n in notifications_of(db, world.users["tnv01"])]
        assert kinds == ["reminder_evening", "reminder_soon"]


def test_reminders_can_be_switched_off_per_ward(app, world):
    with app.test_request_context():
        db = get_session()
        _tuesday_morning(db, world)
        db.add(NotificationSettings(ward_id=world.ward_a, evening=False, before_minutes=0))
        db.commit()
        for moment in [at(MONDAY, "19:00"), at(TUESDAY, "06:30"), at(TUESDAY, "07:29")]:
            assert rules.shift_reminders(db, now=moment) == 0


def test_no_reminder_for_a_cancelled_shift_an_inactive_or_a_late_volunteer(app, world):
    with app.test_request_context():
        db = get_session()
        cancelled = _tuesday_morning(db, world)
        cancelled.status = ShiftStatus.CANCELLED
        afternoon = make_shift(db, world.ward_a, TUESDAY, "13:30", "17:00")
        put_on(db, afternoon, world.users["tnv02"])
        db.get(User, world.users["tnv02"]).active = False
        late = make_shift(db, world.ward_a, TUESDAY, "08:00", "11:00")
        put_on(db, late, world.users["tnv01"], now=at(MONDAY, "19:30"))
        joined = db.exec(select(Assignment).where(Assignment.shift_id == late.id)).one()
        joined.created_at = at(MONDAY, "19:30")
        db.commit()
        assert rules.shift_reminders(db, now=at(MONDAY, "19:45")) == 0
        # Who signed up after the evening moment still gets the one before the shift.
        assert rules.shift_reminders(db, now=at(TUESDAY, "07:00")) == 1


# --- changed, cancelled, swaps: at once -------------------------------------------------------


def test_a_cancelled_shift_is_told_at_once_to_those_on_it(app, world):
    from shifts.models import CancelReason
    from shifts.planning import generation

    with app.test_request_context():
        db = get_session()
        shift = make_shift(db, world.ward_a, MONDAY, "13:30", "17:00")
        put_on(db, shift, world.users["tnv01"], world.users["tnv02"])
        now = at(MONDAY, "08:00")
        generation.cancel_shift(
            db, shift, reason=CancelReason.CLOSED, detail="Nghỉ lễ", actor_id=None, now=now
        )
        db.commit()
        for name in ("tnv01", "tnv02"):
            [row] = notifications_of(db, world.users[name])
            assert row.kind == "shift_cancelled" and row.title == "Ca của bạn đã bị hủy"
            assert row.body == "Thứ Hai 23/11 13:30–17:00 · Trực bộ phận Một cửa · Nghỉ lễ"
            assert row.topic == f"shift-{shift.id}" and row.urgency == Urgency.HIGH  # same day
            assert as_utc(row.due_at) == now and as_utc(row.expires_at) == at(MONDAY, "17:00")
        assert notifications_of(db, world.users["bithu"]) == []


def test_a_changed_shift_time_is_told_at_once(app, world):
    from shifts.models import PatternSlot, Shift
    from shifts.planning import generation, setup

    with app.test_request_context():
        db = get_session()
        now = at(MONDAY, "06:00")
        setup.ensure_setup(db, ward_id=world.ward_a)
        generation.generate(db, ward_id=world.ward_a, weeks=1, now=now, actor_id=None)
        db.commit()
        wednesday_morning = db.exec(
            select(Shift).where(Shift.starts_at == at(WEDNESDAY, "07:30"))
        ).one()
        put_on(db, wednesday_morning, world.users["tnv01"])
        morning = db.exec(select(PatternSlot).where(PatternSlot.starts == time(7, 30))).one()
        data = setup.SlotData([0, 2, 4], time(7, 30), time(11, 0), "desk", None, 1, 4)
        setup.save_slot(db, morning, data, now=now, actor_id=world.users["bithu"])
        db.commit()
        [row] = notifications_of(db, world.users["tnv01"])
        assert row.kind == "shift_changed" and row.title == "Giờ ca của bạn đã thay đổi"
        assert row.body == "Thứ Tư 25/11 07:30–11:00 · Trực bộ phận Một cửa"


def test_swaps_offered_and_accepted_reach_those_concerned(app, world):
    from shifts.mine import swaps

    with app.test_request_context():
        db = get_session()
        shift = make_shift(db, world.ward_a, THURSDAY, "07:30", "11:30")
        put_on(db, shift, world.users["tnv01"])
        now = at(MONDAY, "09:00")
        swap = swaps.offer(
            db,
            shift_id=shift.id,
            from_user_id=world.users["tnv01"],
            to_user_id=world.users["tnv02"],
            now=now,
        )
        db.commit()
        [offered] = notifications_of(db, world.users["tnv02"])
        assert offered.title == "Có người muốn nhường ca cho bạn"
        swaps.accept(db, swap_id=swap.id, user_id=world.users["tnv02"], now=now)
        db.commit()
        [accepted] = notifications_of(db, world.users["tnv01"])
        assert accepted.kind == "shift_swap_accepted"
        assert accepted.title == "Đã có người nhận ca bạn nhường"


def test_an_offer_to_anyone_goes_to_the_other_volunteers_of_the_ward(app, world):
    from shifts.mine import swaps

    with app.test_request_context():
        db = get_session()
        shift = make_shift(db, world.ward_a, THURSDAY, "07:30", "11:30")
        put_on(db, shift, world.users["tnv01"])
        swaps.offer(
            db, shift_id=shift.id, from_user_id=world.users["tnv01"], to_user_id=None, now=NOW_9
        )
        db.commit()
        [row] = notifications_of(db, world.users["tnv02"])
        assert row.kind == "swap_open" and row.title == "Có ca cần người nhận thay"
        assert row.body.startswith("Người dùng tnv01 nhường ca: Thứ Năm 26/11 07:30–11:30")
        for name in ("tnv01", "tnv_b", "bithu"):
            assert notifications_of(db, world.users[name]) == []


# --- understaffed 48 h ahead, to the secretary ---------------------------------------------------


def test_an_understaffed_shift_is_reported_48_hours_ahead(app, world):
    with app.test_request_context():
        db = get_session()
        short = make_shift(db, world.ward_a, WEDNESDAY, "07:30", "11:30", minimum=2, maximum=3)
        put_on(db, short, world.users["tnv01"])
        full = make_shift(db, world.ward_a, WEDNESDAY, "13:30", "17:00", minimum=1, maximum=2)
        put_on(db, full, world.users["tnv02"])
        assert rules.understaffed(db, now=at(MONDAY, "07:29")) == 0
        assert rules.understaffed(db, now=at(MONDAY, "07:30")) == 1
        db.commit()
        [row] = notifications_of(db, world.users["bithu"])
        assert row.title == "Ca trực còn thiếu người"
        assert row.body == "Thứ Tư 25/11 07:30–11:30 · Trực bộ phận Một cửa: mới có 1/2 người."
        assert row.url == f"/shifts/{short.id}" and row.urgency == Urgency.NORMAL
        for name in ("bithu_b", "phuong", "tnv01", "admin"):
            assert notifications_of(db, world.users[name]) == []
        assert rules.understaffed(db, now=at(TUESDAY, "07:30")) == 0


# --- follow-ups open for more than three days ---------------------------------------------------


def _pending(db, world, logged_at, **values) -> AssistanceRecord:
    fields = {
        "ward_id": world.ward_a,
        "household_id": world.households["hung"],
        "volunteer_id": world.users["tnv01"],
        "kind": Kind.EID_LEVEL2,
        "outcome": Outcome.PENDING,
        "reason": "Chờ công an xác thực",
        "place": Place.HOME,
    } | values
    record = AssistanceRecord(uuid=str(uuid.uuid4()), client_time=logged_at, **fields)
    db.add(record)
    db.commit()
    return record


def test_a_follow_up_open_three_days_reminds_who_logged_it(app, world):
    with app.test_request_context():
        db = get_session()
        _pending(db, world, at(MONDAY, "10:00"))
        _pending(db, world, at(MONDAY, "10:00"), outcome=Outcome.DONE)
        _pending(db, world, at(MONDAY, "10:00"), resolved_at=at(TUESDAY, "09:00"))
        assert rules.stale_followups(db, now=at(THURSDAY, "09:59")) == 0
        assert rules.stale_followups(db, now=at(THURSDAY, "10:00")) == 1
        db.commit()
        [row] = notifications_of(db, world.users["tnv01"])
        assert row.title == "Việc chờ đã quá 3 ngày"
        assert row.body.startswith("Đăng ký VNeID mức 2 · tổ 1 · ghi ngày 23/11.")
        assert "Hùng" not in row.body  # a lock screen shows no resident's name
        assert (row.url, row.topic) == ("/follow-ups", "followups")
        assert as_utc(row.expires_at) == at(THURSDAY + timedelta(days=1), "10:00")
        assert rules.stale_followups(db, now=at(THURSDAY + timedelta(days=1), "10:00")) == 0


def test_old_follow_ups_are_not_pushed_all_at_once(app, world):
    """On the first start, or after a long outage, only follow-ups that turned three days old
    within the last day are reminded."""
    with app.test_request_context():
        db = get_session()
        _pending(db, world, at(MONDAY - timedelta(days=14), "10:00"))
        _pending(db, world, at(MONDAY - timedelta(days=1), "09:00"))
        assert rules.stale_followups(db, now=at(THURSDAY, "10:00")) == 0
        _pending(db, world, at(MONDAY, "09:00"))
        assert rules.stale_followups(db, now=at(THURSDAY, "10:00")) == 1


def test_a_follow_up_reminder_waits_for_the_morning(app, world):
    with app.test_request_context():
        db = get_session()
        _pending(db, world, at(MONDAY, "22:30"))
        assert rules.stale_followups(db, now=at(THURSDAY, "23:00")) == 0
        assert rules.stale_followups(db, now=at(THURSDAY + timedelta(days=1), "06:59")) == 0
        assert rules.stale_followups(db, now=at(THURSDAY + timedelta(days=1), "07:00")) == 1


# --- Monday 07:00: the weekly digest ------------------------------------------------------------


def test_weekly_digest_on_monday_morning_to_officers_and_secretaries(app, world):
    with app.test_request_context():
        db = get_session()
        _pending(db, world, at(MONDAY - timedelta(days=3), "10:00"))
        _pending(
            db, world, at(MONDAY - timedelta(days=2), "10:00"), outcome=Outcome.DONE, reason=None
        )
        assert rules.weekly_digest(db, now=at(MONDAY, "06:59")) == 0
        assert rules.weekly_digest(db, now=at(MONDAY, "07:00")) == 3
        db.commit()
        [row] = notifications_of(db, world.users["phuong"])
        assert row.title == "Tổng hợp tuần 23/11"
        # Ward A: 5 adults, 3 of them with an e-ID account; last week two records at one
        # household; group 2 has the largest gap and the lowest coverage.
        assert row.body == (
            "VNeID: 60% người từ 18 tuổi (3/5), còn thiếu 2 người để đạt 90%. "
            "Tuần trước: 2 lượt hỗ trợ ở 1 hộ, 0 hồ sơ trực tuyến. Việc chờ: 1. "
            "Nên đến trước: tổ 2 (0%)."
        )
        assert row.url == "/coverage/"
        assert len(notifications_of(db, world.users["bithu"])) == 1
        assert len(notifications_of(db, world.users["bithu_b"])) == 1
        for name in ("tnv01", "admin"):
            assert notifications_of(db, world.users[name]) == []
        assert rules.weekly_digest(db, now=at(WEDNESDAY, "07:00")) == 0
        assert rules.weekly_digest(db, now=at(MONDAY + timedelta(days=7), "07:00")) == 3


def test_run_rules_twice_writes_nothing_new(app, world):
    with app.test_request_context():
        db = get_session()
        _tuesday_morning(db, world)
        first = rules.run_rules(db, now=at(MONDAY, "19:00"))
        assert first["shift_reminders"] == 1 and first["weekly_digest"] == 3
        db.commit()
        before = _count(db)
        assert sum(rules.run_rules(db, now=at(MONDAY, "19:00")).values()) == 0
        assert _count(db) == before
