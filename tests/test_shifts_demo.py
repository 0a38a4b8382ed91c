"""The demo rota (8 weeks back, 4 ahead) on the small test ward, and every rota page rendered on it
by each role at a phone's width of content (no errors, nothing missing)."""

from datetime import timedelta

import pytest
from sqlmodel import select

from core.access import Role
from core.clock import as_utc
from core.db import get_session
from demo.shifts import build_demo_shifts
from shifts import queries
from shifts.attendance import hours, presence
from shifts.models import Assignment, ClosedDay, Shift, ShiftStatus
from tests.factories import add_user
from tests.shifts_support import NOW, freeze


@pytest.fixture
def rota(app, world):
    with app.test_request_context():
        db = get_session()
        for number in range(3, 13):
            add_user(db, f"tnv{number:02d}", Role.VOLUNTEER, world.ward_a)
        totals = build_demo_shifts(db, seed=247, now=NOW)
        db.commit()
    return totals


def test_demo_rota_has_past_attendance_and_a_partly_staffed_future(app, world, rota):
    with app.test_request_context():
        db = get_session()
        shifts = db.exec(select(Shift).where(Shift.status == ShiftStatus.OPEN)).all()
        past = [s for s in shifts if as_utc(s.ends_at) <= NOW]
        future = [s for s in shifts if as_utc(s.starts_at) > NOW]
        assert as_utc(min(s.starts_at for s in past)) < NOW - timedelta(weeks=7)
        assert as_utc(max(s.starts_at for s in future)) > NOW + timedelta(weeks=3)
        assert all(s.min_volunteers <= s.assigned_count <= s.max_volunteers for s in past)
        views = queries.views_of(db, future)
        assert any(v.understaffed for v in views) and any(v.assigned >= 2 for v in views)
        assert db.exec(select(ClosedDay)).first() is not None

        lines = hours.month_totals(db, ward_id=world.ward_a, year=2026, month=11, now=NOW)
        states = [
            line.state for totals in lines for line in totals.lines if line.state != "upcoming"
        ]
        present = states.count(presence.State.PRESENT)
        assert present / len(states) > 0.75 and present < len(states)  # realistic, not perfect
        assert sum(t.hours for t in lines) > 0
        for shift in shifts:  # counters agree with the rows
            count = len(db.exec(select(Assignment).where(Assignment.shift_id == shift.id)).all())
            assert count == shift.assigned_count


PAGES = {
    "bithu": [
        "/shifts/",
        "/shifts/?start=2026-11-02",
        "/shifts/pattern",
        "/shifts/generate",
        "/shifts/closed",
        "/shifts/new",
        "/shifts/pattern/new",
        "/shifts/changes",
        "/shifts/hours",
        "/shifts/hours?month=2026-10",
    ],
    "phuong": ["/shifts/", "/shifts/changes", "/shifts/hours"],
    "tnv01": [
        "/shifts/",
        "/shifts/mine",
        "/shifts/open",
        "/shifts/availability",
        "/shifts/hours/mine",
        "/shifts/calendar",
    ],
    "admin": ["/shifts/?ward={ward}", "/shifts/pattern", "/shifts/hours"],
}


@pytest.mark.parametrize("username", PAGES)
def test_every_rota_page_renders_on_the_demo_rota(app, world, rota, auth, time_machine, username):
    freeze(time_machine)
    auth.login(username)
    with app.test_request_context():
        db = get_session()
        shift_ids = db.exec(select(Shift.id).order_by(Shift.starts_at)).all()
        slot_pages = (
            [f"/shifts/pattern/{slot}/edit" for slot in (1, 2)] if username == "bithu" else []
        )
    pages = [page.format(ward=world.ward_a) for page in PAGES[username]] + slot_pages
    pages += [f"/shifts/{shift_id}" for shift_id in shift_ids[::7]]
    for page in pages:
        response = auth.client.get(page)
        assert response.status_code == 200, page
        assert b"</html>" in response.data, page
