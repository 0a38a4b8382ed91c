"""What keeps a volunteer's work on the phone (issue 4): a new service worker that drops the old
shell caches, the "add to home screen" hint on iPhone and iPad (which passes for a Mac), persistent
storage asked for after the first record, the logout warning for unsent work (in the badge's terms),
and the export of that work to a file."""

import json
import re

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from assistance.models import AssistanceRecord
from households.models import Household
from sync.pwa import SHELL_FILES, SHELL_LATER
from tests.e2e.conftest import login, wait_for, wait_until, wait_until_sent
from tests.e2e.test_log_screen import log_guidance, open_log

CONTROLLED = "navigator.serviceWorker.controller !== null"
OUTBOX = "T247.store.outbox().then(rows => rows.map(r => r.uuid).sort())"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
# iPadOS Safari asks for desktop sites by default: the user agent of a Mac.
MAC_SAFARI = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Version/17.5 Safari/605.1.15"
)
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36"
    " (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"
)
IOS_HINT = (
    "Trên iPhone/iPad: bấm nút Chia sẻ rồi “Thêm vào MH chính” để dùng ứng dụng khi mất mạng"
    " và không mất dữ liệu."
)


def cache_names(page: Page) -> set[str]:
    return set(page.evaluate("caches.keys()"))


def press_logout(page: Page) -> None:
    logout = page.locator("form[data-logout] button")
    if not logout.is_visible():  # the menu stays open after the dialog: no need to reopen it
        page.click(".menu-toggle")
    logout.click()


def exported(download) -> dict:
    assert re.fullmatch(r"thanhnien247-chua-gui-\d{4}-\d\d-\d\d\.json", download.suggested_filename)
    with open(download.path(), encoding="utf-8") as file:
        return json.load(file)


def test_a_new_worker_drops_old_shell_caches_and_keeps_pages(page, live_app, monkeypatch):
    login(page, "tnv11")
    # Generous: with the other browser group running, the worker's install can take over 10 s.
    wait_for(page, CONTROLLED, timeout=30_000)
    page.goto("/follow-ups")  # under the worker now: kept in t247-pages for use offline
    wait_until(page, "caches.has('t247-pages')")
    (current,) = [name for name in cache_names(page) if name.startswith("t247-shell-")]
    page.evaluate("caches.open('t247-shell-old')")  # left behind by some earlier release

    # A release: /sw.js now serves a worker of another version, found on the next update check.
    monkeypatch.setitem(live_app.config, "SHELL_VERSION", "e2e-next")
    assert page.evaluate(
        """navigator.serviceWorker.getRegistration().then(async (registration) => {
             await registration.update();
             window.__next = registration.installing;
             return window.__next !== null;
           })"""
    )
    # "activated" comes once the worker's activate handler (the clean-up) is over.
    wait_for(page, "window.__next.state === 'activated'")
    assert cache_names(page) == {"t247-shell-e2e-next", "t247-pages"}, f"was {current}"
    shell = page.evaluate("caches.open('t247-shell-e2e-next').then(c => c.keys())")
    # The shell and the offline page; the rest (SHELL_LATER) comes after a page's first sync.
    assert len(shell) == len(SHELL_FILES) - len(SHELL_LATER) + 1
    assert page.evaluate("caches.match('/follow-ups').then(Boolean)")


def test_iphone_safari_shows_the_home_screen_hint_until_dismissed(phone):
    page = phone(user_agent=IPHONE)
    login(page, "tnv12")
    hint = page.locator("#ios-hint")
    expect(hint).to_be_in_viewport()  # on the page they land on, not at its foot
    expect(hint).to_have_text(IOS_HINT + " Đã hiểu")
    hint.get_by_role("button", name="Đã hiểu").tap()
    expect(hint).to_be_hidden()
    page.reload()
    page.wait_for_selector("#sync-badge:not([hidden])")  # app.js has run
    expect(hint).to_be_hidden()


@pytest.mark.parametrize(
    ("user_agent", "standalone"), [(ANDROID, False), (IPHONE, True)], ids=["android", "installed"]
)
def test_no_home_screen_hint_on_android_or_once_installed(phone, user_agent, standalone):
    page = phone(user_agent=user_agent)
    if standalone:  # opened from the home screen: Safari says so in navigator.standalone
        page.add_init_script("Object.defineProperty(navigator, 'standalone', {value: true})")
    login(page, "tnv12")
    page.wait_for_selector("#sync-badge:not([hidden])")
    expect(page.locator("#ios-hint")).to_be_hidden()


@pytest.mark.parametrize("touch", [True, False], ids=["ipad", "mac"])
def test_ipad_passing_for_a_mac_still_gets_the_home_screen_hint(phone, touch):
    page = phone(
        user_agent=MAC_SAFARI,
        viewport={"width": 1024, "height": 768},
        has_touch=touch,
        is_mobile=touch,
    )
    # Safari on both says "MacIntel"; only an iPad has a touch screen (5 points). Chromium says
    # "Linux x86_64" and at most 1 point, so Safari's values are put in.
    page.add_init_script(
        """Object.defineProperty(navigator, 'platform', {value: 'MacIntel'});
           Object.defineProperty(navigator, 'maxTouchPoints', {value: navigator.maxTouchPoints && 5});"""
    )
    login(page, "tnv12")
    page.wait_for_selector("#sync-badge:not([hidden])")
    expect(page.locator("#ios-hint")).to_be_visible(visible=touch)


def test_persistent_storage_is_asked_after_the_first_record(page):
    page.add_init_script(
        """(() => {
             const persist = StorageManager.prototype.persist;
             window.__persistAsked = 0;
             StorageManager.prototype.persist = function () {
               window.__persistAsked += 1;
               return persist.call(this);
             };
           })()"""
    )
    login(page, "tnv13")
    open_log(page)
    wait_until(page, "T247.store.getMeta('lastSuccess').then(Boolean)", timeout=30_000)
    expect(page.locator("#storage-use")).to_have_text(
        re.compile(
            r"Máy còn đủ chỗ .*\(đang dùng \d+\.\d MB trên \d+\.\d MB trình duyệt cho phép\)"
        )
    )
    assert page.evaluate("window.__persistAsked") == 0  # not for merely opening the screen
    log_guidance(page, "nguyen")
    wait_for(page, "window.__persistAsked === 1")
    log_guidance(page, "tran")
    wait_until_sent(page)
    assert page.evaluate("window.__persistAsked") == 1  # asked once, not on every record


def log_for_a_new_household(page: Page, address: str) -> None:
    """Adds a household that is not in the registry yet and logs "guidance, done" for it."""
    page.click("#new-household")
    page.select_option("#nh-group", index=1)
    page.fill("#nh-address", address)
    page.fill("#nh-head", "Võ Thị Chưa Gửi")
    page.click("#household-form button[type=submit]")
    page.wait_for_selector("#record-form:not([hidden])")
    page.click("label.tile:has(input[name=kind][value=guidance])")
    page.click("label.tile:has(input[name=outcome][value=done])")
    page.click("#save")
    page.wait_for_selector("#pick-household:not([hidden])")


def test_logout_with_unsent_records_warns_and_keeps_them(context, live_db):
    # The server never gets the push (from the page or the worker), so the work waits.
    context.route("**/api/v1/push", lambda route: route.abort())
    page = context.new_page()
    login(page, "tnv14")
    open_log(page)
    log_for_a_new_household(page, "K14/9 Hẻm Chưa Gửi")
    wait_until(page, "T247.store.getMeta('failures').then(n => n > 0)")
    by_type = page.evaluate(
        "T247.store.outbox().then(rows => Object.fromEntries(rows.map(r => [r.item.type, r.uuid])))"
    )
    assert by_type.keys() == {"household", "record"}
    unsent = sorted(by_type.values())
    dialog = page.locator("#logout-dialog")

    # "Ở lại": nothing happens, the volunteer is still signed in with the work waiting.
    press_logout(page)
    expect(dialog).to_be_visible()
    # In the badge's terms (1 record waiting), with the new household named beside it.
    expect(page.locator("#sync-badge [data-count]")).to_have_text("1")
    expect(dialog).to_contain_text("Còn 1 lượt hỗ trợ và 1 hộ mới chưa gửi lên máy chủ.")
    dialog.get_by_role("button", name="Ở lại").click()
    expect(dialog).to_be_hidden()
    assert page.url.endswith("/log") and page.evaluate(OUTBOX) == unsent

    # "Tải tệp": the unsent work in a file, still signed in.
    press_logout(page)
    with page.expect_download() as download:
        dialog.get_by_role("button", name="Tải tệp bản ghi chưa gửi").click()
    items = exported(download.value)["items"]
    assert sorted(entry["item"]["uuid"] for entry in items) == unsent
    expect(dialog).to_be_hidden()
    assert page.url.endswith("/log")

    # "Giữ lại và đăng xuất": signed out; the ward's data leaves the phone, the work stays.
    press_logout(page)
    dialog.get_by_role("button", name="Giữ lại và đăng xuất").click()
    page.wait_for_url("**/login")
    assert page.evaluate(OUTBOX) == unsent
    assert page.evaluate("T247.store.counts()") == {"households": 0, "residents": 0}

    # Signing in again with signal sends it.
    context.unroute("**/api/v1/push")
    login(page, "tnv14")
    wait_until_sent(page)
    record = select(AssistanceRecord.uuid).where(AssistanceRecord.uuid == by_type["record"])
    assert live_db(lambda db: db.exec(record).first()) == by_type["record"]
    household = select(Household.uuid).where(Household.uuid == by_type["household"])
    assert live_db(lambda db: db.exec(household).first()) == by_type["household"]


def test_logout_with_nothing_unsent_asks_nothing(page):
    login(page, "tnv14")
    page.wait_for_selector("#sync-badge:not([hidden])")
    assert page.locator("#sync-badge [data-count]").inner_text() == "0"
    press_logout(page)
    page.wait_for_url("**/login")  # no dialog stood in the way


def test_export_holds_exactly_the_records_still_waiting(phone, signal):
    page = phone(base_url=signal.url)
    login(page, "tnv15")
    open_log(page)
    log_guidance(page, "pham")
    wait_until_sent(page)
    sent = set(page.evaluate("T247.store.all('records').then(rows => rows.map(r => r.uuid))"))

    signal.cut()
    page.context.set_offline(True)
    log_guidance(page, "nguyen")
    log_guidance(page, "tran")
    waiting = page.evaluate(OUTBOX)
    assert len(waiting) == 2 and not sent & set(waiting)
    with page.expect_download() as download:
        page.click("#export-unsent")
    items = exported(download.value)["items"]
    assert sorted(entry["item"]["uuid"] for entry in items) == waiting
    assert {entry["item"]["kind"] for entry in items} == {"guidance"}
