"""Residents' feedback on a phone: the hand-over rating kept on the phone while offline and sent
when the signal returns; the desk's public page and its A4 sign fit 360 px."""

from sqlalchemy import func
from sqlmodel import select

from feedback.models import Feedback
from tests.e2e.conftest import assert_fits_360, login, shot, wait_until

PENDING = "JSON.parse(localStorage.getItem('t247-feedback-outbox') || '[]').length"


def _ratings(live_db) -> int:
    return live_db(lambda db: db.exec(select(func.count()).select_from(Feedback)).one())


def test_rating_offline_is_sent_when_back_online(context, page, live_db):
    login(page, "tnv01")
    page.goto("/feedback/hand-over#place=desk&kind=guidance")
    assert_fits_360(page)
    shot(page, "feedback-hand-over")
    before = _ratings(live_db)
    context.set_offline(True)
    page.click("label.face[data-rating='5']")
    page.fill("textarea[name=comment]", "Các em rất nhiệt tình")
    page.click("form.rating button[type=submit]")
    page.wait_for_selector("[data-thanks]")
    wait_until(page, f"{PENDING} === 1")
    assert _ratings(live_db) == before
    context.set_offline(False)
    wait_until(page, f"{PENDING} === 0", 15_000)
    assert _ratings(live_db) == before + 1


def test_desk_page_and_sign_at_360(page):
    page.goto("/feedback/desk/1")
    assert page.locator("label.face").count() == 5
    assert_fits_360(page)
    shot(page, "feedback-desk")
    login(page, "bithu")
    page.goto("/feedback/desk/1/sign")
    assert page.locator("[data-qr] svg").count() == 1
    assert_fits_360(page)
    page.goto("/feedback/")
    assert_fits_360(page)
