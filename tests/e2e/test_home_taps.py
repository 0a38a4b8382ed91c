"""Issue 16 at 360x740, counting taps: a volunteer sees the next shift on the home screen (0 taps);
the secretary fills a week's rota in at most 4 taps from the week view."""

import re
from datetime import timedelta

from sqlmodel import select

from core import clock
from shifts.models import Assignment, Shift, ShiftStatus
from shifts.planning import generation, setup
from shifts.rota import assigning
from tests.e2e.conftest import assert_fits_360, login, shot
from volunteer.models import User

VOLUNTEER = "tnv21"


def _coming_weeks(db) -> None:
    """Three weeks of rota, as "Tạo ca các tuần tới" makes it (the demo ward has none). Three,
    not four: tests/e2e/test_shifts_flow.py asks for four and expects some to be new."""
    secretary = db.exec(select(User).where(User.username == "bithu")).one()
    setup.ensure_setup(db, ward_id=secretary.ward_id)  # the default Mon/Wed/Fri pattern
    generation.generate(
        db, ward_id=secretary.ward_id, weeks=3, now=clock.now(), actor_id=secretary.id
    )


def _put_on_next_open_shift(db) -> int:
    """Puts tnv21 on the first coming shift with room, unless already on one; its shift id."""
    _coming_weeks(db)
    user = db.exec(select(User).where(User.username == VOLUNTEER)).one()
    now = clock.now()
    mine = db.exec(
        select(Shift)
        .join(Assignment, Assignment.shift_id == Shift.id)
        .where(Assignment.user_id == user.id, Shift.ends_at > now, Shift.status == ShiftStatus.OPEN)
        .order_by(Shift.starts_at)
    ).first()
    if mine is not None:
        return mine.id
    for shift in db.exec(
        select(Shift)
        .where(Shift.starts_at > now, Shift.status == ShiftStatus.OPEN)
        .where(Shift.assigned_count < Shift.max_volunteers)
        .order_by(Shift.starts_at)
    ).all():
        try:
            assigning.assign(db, shift_id=shift.id, user_id=user.id, actor_id=user.id, now=now)
        except assigning.ShiftError:
            db.rollback()
            continue
        return shift.id
    raise AssertionError("the demo ward has no coming shift with room")


def test_volunteer_sees_next_shift_and_log_on_home_without_a_tap(page, live_db):
    shift_id = live_db(_put_on_next_open_shift)
    login(page, VOLUNTEER)  # lands on "/": zero taps from here
    assert page.url.endswith("/")
    card = page.locator(f"[data-next-shift] li.shift[data-shift='{shift_id}']")
    assert card.is_visible()
    box = card.bounding_box()
    assert box["y"] + box["height"] <= 740, "the next shift is below the first screen"
    log = page.locator("[data-home-log]")
    assert log.get_attribute("href") == "/log"
    log_box = log.bounding_box()
    assert log_box["height"] >= 44 and log_box["y"] < 740
    assert re.search(r"Việc chờ của tôi \(\d+\)", page.locator("[data-my-followups]").inner_text())
    assert_fits_360(page)
    shot(page, "home-volunteer")


def test_secretary_fills_a_week_in_four_taps(page, live_db):
    live_db(_coming_weeks)
    login(page, "bithu")
    assert page.url.endswith("/")
    assert page.locator("[data-home-week]").is_visible()
    shot(page, "home-secretary")
    page.goto("/shifts/")
    # The summary and the fill button sit above the fold, the tools folded away.
    summary = page.locator("[data-week-summary]")
    assert summary.bounding_box()["y"] < 740
    assert not page.locator("details.tools a").first.is_visible()
    taps = 0
    # The week after next: next week's gaps belong to tests/e2e/test_shifts_flow.py.
    for _week in range(2):
        page.click("[data-next-week]")
        taps += 1
        page.wait_for_url(re.compile(r"start="))
    start = clock.week_start(clock.today()) + timedelta(days=14)
    assert f"start={start.isoformat()}" in page.url
    page.click("[data-fill]")
    taps += 1
    page.wait_for_url(re.compile(r"/shifts/fill"))
    assert_fits_360(page)
    shot(page, "shifts-fill")
    page.click("[data-fill-confirm]")
    taps += 1
    page.wait_for_url(re.compile(r"/shifts/\?start="))
    assert taps <= 4
    assert "Đã xếp" in page.locator(".flash").first.inner_text()
    summary = page.locator("[data-week-summary]").inner_text()
    # Every shift reached its minimum, unless too few volunteers were free.
    assert "Các ca sắp tới đã đủ người" in summary or "ca thiếu người" in summary
