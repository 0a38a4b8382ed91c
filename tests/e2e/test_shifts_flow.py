"""The rota on a phone: the secretary generates four weeks and puts tnv01 on a shift; tnv01 finds
it under "Ca của tôi" and offers it to tnv02; tnv02 takes it; the secretary sees the change."""

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from core import clock
from tests.e2e.conftest import PHONE, assert_fits_360, login, shot
from volunteer.models import User


@pytest.fixture
def phone(browser, live_server):
    """Opens one phone per person, so three people can be signed in at once."""
    contexts = []

    def open_phone(username: str):
        context = browser.new_context(base_url=live_server, **PHONE)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        login(page, username)
        return page

    yield open_phone
    for context in contexts:
        context.close()


def _people(db) -> dict[str, User]:
    users = db.exec(select(User).where(User.username.in_(["tnv01", "tnv02"]))).all()
    return {user.username: {"id": user.id, "name": user.full_name} for user in users}


def test_generate_assign_swap_and_the_secretary_sees_it(phone, live_db):
    people = live_db(_people)
    today = clock.today()
    # Wednesday of next week: far enough ahead to swap, inside the four generated weeks.
    wednesday = today - timedelta(days=today.weekday()) + timedelta(days=9)

    secretary = phone("bithu")
    secretary.goto("/shifts/generate")
    secretary.fill("input[name=weeks]", "4")
    secretary.click("main form button[type=submit]")
    secretary.wait_for_url(re.compile(r"/shifts/(\?start=[0-9-]+)?$"))
    flash = secretary.locator(".flash").first.inner_text()
    assert "cho 4 tuần tới" in flash
    assert secretary.locator("li.shift").count() > 0
    shot(secretary, "shifts-week")

    secretary.goto(f"/shifts/?start={wednesday.isoformat()}")
    day = secretary.locator(f'section[data-day="{wednesday.isoformat()}"]')
    assert "Thiếu" in day.inner_text()  # a fresh shift is understaffed, and says so
    day.locator("li.shift a").first.click()
    secretary.wait_for_url(re.compile(r"/shifts/\d+$"))
    shift_id = int(secretary.url.rsplit("/", 1)[1])
    secretary.select_option("select[name=user_id]", str(people["tnv01"]["id"]))
    secretary.click("text=Xếp vào ca")
    assert "Đã xếp người vào ca." in secretary.locator(".flash.success").inner_text()
    assert people["tnv01"]["name"] in secretary.locator(".people").first.inner_text()
    assert_fits_360(secretary)
    shot(secretary, "shifts-assign")

    volunteer = phone("tnv01")
    volunteer.goto("/shifts/mine")
    card = volunteer.locator(f'li.shift[data-shift="{shift_id}"]')
    assert "07:30–11:30" in card.inner_text() and wednesday.strftime("%d/%m") in card.inner_text()
    assert_fits_360(volunteer)
    shot(volunteer, "shifts-mine")
    card.locator("text=Đổi ca").click()
    volunteer.wait_for_url(f"**/shifts/{shift_id}/swap")
    volunteer.select_option("select[name=user_id]", str(people["tnv02"]["id"]))
    assert_fits_360(volunteer)
    shot(volunteer, "shifts-swap-offer")
    volunteer.click("text=Gửi đề nghị")
    assert "Đã gửi đề nghị đổi ca." in volunteer.locator(".flash.success").inner_text()
    assert (
        f"Đang chờ {people['tnv02']['name']} nhận ca"
        in volunteer.locator(f'li.shift[data-shift="{shift_id}"]').inner_text()
    )

    colleague = phone("tnv02")
    colleague.goto("/shifts/mine")
    offer = colleague.locator("li[data-swap]", has_text=people["tnv01"]["name"])
    assert "muốn nhường ca này cho bạn" in offer.inner_text()
    shot(colleague, "shifts-swap-incoming")
    offer.locator("text=Nhận ca").click()
    assert "Bạn đã nhận ca" in colleague.locator(".flash.success").inner_text()
    assert colleague.locator(f'li.shift[data-shift="{shift_id}"]').count() == 1

    volunteer.goto("/shifts/mine")
    assert volunteer.locator(f'li.shift[data-shift="{shift_id}"]').count() == 0
    # One inbox: the news is under the bell, not in a list of its own on "my shifts".
    assert volunteer.locator("#bell .bell-count").inner_text() != ""
    volunteer.goto("/notifications/")
    assert "Đã có người nhận ca bạn nhường" in volunteer.locator("main").inner_text()

    secretary.goto(f"/shifts/{shift_id}")
    on_shift = secretary.locator(".people").first.inner_text()
    assert people["tnv02"]["name"] in on_shift and people["tnv01"]["name"] not in on_shift
    secretary.goto("/shifts/changes")
    latest = secretary.locator('li[data-action="swap_accept"]').first.inner_text()
    assert f"{people['tnv01']['name']} → {people['tnv02']['name']}" in latest
    assert_fits_360(secretary)
    shot(secretary, "shifts-changes")
