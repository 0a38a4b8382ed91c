"""Issue 15 at 360x740: the secretary keeps the whole ward on the phone by default, narrows it
to one chosen group on /copy (the next pull drops the rest), then goes back to the whole ward."""

from sqlmodel import select

from households.models import Household, ResidentialGroup
from tests.e2e.conftest import PHONE, assert_fits_360, login, shot, wait_for

READY = "document.getElementById('log-app').dataset.ready === '1'"
HOUSEHOLDS = "Number(document.getElementById('log-app').dataset.households)"


def group_seven(db) -> tuple[int, int]:
    seven = db.exec(select(ResidentialGroup).where(ResidentialGroup.number == 7)).one()
    count = len(db.exec(select(Household.id).where(Household.group_id == seven.id)).all())
    return seven.id, count


def choose(page, group_ids: list[int]) -> None:
    for box in page.locator("#copy-form input[name=groups]").all():
        want = int(box.get_attribute("value")) in group_ids
        if box.is_checked() != want:
            box.locator("xpath=..").click()  # the tile is the label around the hidden box


def test_secretary_narrows_the_phone_copy_to_chosen_groups(browser, live_server, live_db):
    seven, seven_count = live_db(group_seven)
    context = browser.new_context(base_url=live_server, **PHONE)
    page = context.new_page()
    try:
        login(page, "bithu")
        page.goto("/log")
        wait_for(page, READY)
        wait_for(page, f"{HOUSEHOLDS} > {seven_count}", 30_000)  # the whole ward

        page.click("#choose-copy")
        page.wait_for_url("**/copy")
        assert "Đang giữ cả phường." in page.inner_text("#copy-choice")
        choose(page, [seven])
        assert_fits_360(page)
        shot(page, "copy-choice")
        page.click("#copy-form button[type=submit]")
        page.wait_for_url("**/log")
        wait_for(page, f"{HOUSEHOLDS} === {seven_count}", 30_000)
        assert f"{seven_count} hộ" in page.inner_text("#copy-status")

        page.goto("/copy")
        assert "Đang giữ 1 tổ." in page.inner_text("#copy-choice")
        page.click("#whole-ward-form button")
        page.wait_for_url("**/log")
        wait_for(page, f"{HOUSEHOLDS} > {seven_count}", 30_000)
    finally:
        # Leave the shared e2e ward as other tests expect it: the secretary keeps the whole ward.
        live_db(lambda db: _forget_choice(db))
        context.close()


def _forget_choice(db) -> None:
    from sqlmodel import delete

    from sync.models import CopyGroup

    db.exec(delete(CopyGroup))
    db.commit()
