"""The log screen, seen from the phone: a session that expires while offline, and how few taps it
takes to log again for a household seen recently."""

from sqlalchemy import func
from sqlmodel import select

from assistance.models import AssistanceRecord
from tests.e2e.conftest import PHONE, login, wait_for, wait_until, wait_until_sent

READY = "document.getElementById('log-app').dataset.ready === '1'"
LOADED = "Number(document.getElementById('log-app').dataset.households || 0) > 2000"
# The first sync round after opening is over and its lists are drawn (static/js/log.js).
SETTLED = "document.getElementById('log-app').dataset.settled === '1'"
BADGE = "document.querySelector('#sync-badge [data-count]').textContent"


def stored_by(live_db, username: str) -> int:
    from volunteer.models import User

    def count(db):
        user_id = db.exec(select(User.id).where(User.username == username)).one()
        query = select(func.count()).select_from(AssistanceRecord)
        return db.exec(query.where(AssistanceRecord.volunteer_id == user_id)).one()

    return live_db(count)


def open_log(page) -> None:
    page.goto("/log")
    wait_for(page, READY)
    wait_for(page, LOADED, timeout=60_000)


def log_guidance(page, search: str) -> str:
    """Logs "guidance, done" for the first household found; returns that household's UUID."""
    page.fill("#hh-search", search)
    found = page.locator("#results .pick-button").first
    household = found.get_attribute("data-household")
    found.click()
    page.click("label.tile:has(input[name=kind][value=guidance])")
    page.click("label.tile:has(input[name=outcome][value=done])")
    page.click("#save")
    page.wait_for_selector("#pick-household:not([hidden])")
    return household


def test_session_expired_while_offline(browser, signal, live_db):
    context = browser.new_context(base_url=signal.url, **PHONE)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        login(page, "tnv04")
        open_log(page)
        before = stored_by(live_db, "tnv04")
        signal.cut()
        context.set_offline(True)
        log_guidance(page, "nguyen")
        log_guidance(page, "tran")
        # The badge counts the outbox a moment after the save returns.
        wait_for(page, f"{BADGE} === '2'")
        # The session ends while the phone has no signal (the cookie is gone, as when it expires).
        context.clear_cookies()
        signal.restore()
        context.set_offline(False)
        # The server answers 401: the records stay on the phone, queued, and a login is asked.
        page.wait_for_selector("#login-needed:not([hidden])")
        assert page.evaluate(BADGE) == "2"
        states = page.evaluate("T247.store.outbox().then(rows => rows.map(r => r.state))")
        assert states == ["queued", "queued"]
        assert stored_by(live_db, "tnv04") == before
        # Signing in again from the banner comes back to the log screen, which sends them.
        page.click("#login-needed a")
        page.wait_for_url("**/login**")
        page.fill("input[name=username]", "tnv04")
        page.fill("input[name=password]", "thanhnien247")
        page.click("form button[type=submit]")
        page.wait_for_url("**/log")
        wait_until_sent(page)
        page.wait_for_selector("#login-needed", state="hidden")
        assert stored_by(live_db, "tnv04") - before == 2
    finally:
        context.close()


def test_logging_again_for_a_recent_household_takes_four_taps(context, live_db):
    page = context.new_page()
    login(page, "tnv03")
    open_log(page)
    # The rating link waits for a saved record: it names the record the rating is about.
    assert not page.locator("#rate-link").is_visible()
    household = log_guidance(page, "le")  # now among the recent households
    assert page.locator("#rate-link").is_visible()
    wait_until_sent(page)
    before = stored_by(live_db, "tnv03")
    # Every touch and every key press on the page from here on counts.
    page.evaluate(
        """() => {
             window.__taps = 0;
             const count = (event) => { if (event.isTrusted) window.__taps += 1; };
             document.addEventListener("pointerdown", count, true);
             document.addEventListener("keydown", count, true);
           }"""
    )
    page.locator(f"#recent .pick-button[data-household='{household}']").tap()
    page.locator("label.tile:has(input[name=kind][value=eid_signin_help])").tap()
    page.locator("label.tile:has(input[name=outcome][value=done])").tap()
    page.locator("#save").tap()
    page.wait_for_selector("#pick-household:not([hidden])")
    taps = page.evaluate("window.__taps")
    assert taps <= 5, f"{taps} taps to log again for a recent household"
    wait_until_sent(page)
    assert stored_by(live_db, "tnv03") - before == 1
    latest = live_db(
        lambda db: db.exec(
            select(AssistanceRecord.kind, AssistanceRecord.outcome, AssistanceRecord.place)
            .order_by(AssistanceRecord.id.desc())
            .limit(1)
        ).one()
    )
    assert tuple(latest) == ("eid_signin_help", "done", "home")


def test_the_log_screen_lists_the_oldest_follow_ups_only(context):
    page = context.new_page()
    login(page, "tnv06")
    open_log(page)
    # Once the first round (push, then pull) is over, offline: no pull may replace the copy.
    wait_until(page, "T247.store.getMeta('lastSuccess').then(Boolean)", timeout=30_000)
    context.set_offline(True)
    # Fifteen follow-ups in the phone's copy, whatever the server holds.
    page.evaluate(
        """async () => {
             const households = (await T247.store.all("households")).slice(0, 15);
             await Promise.all(households.map((h, i) => T247.store.putRecord({
               uuid: crypto.randomUUID(), household_uuid: h.uuid, kind: "eid_level2",
               outcome: "pending", reason: "Chờ công an xác thực", followup: true,
               client_time: new Date(Date.UTC(2020, 0, 1 + i)).toISOString()})));
             // A round's "sent" and "done" come close together: two rebuilds overlap.
             window.dispatchEvent(new CustomEvent("t247:sync", {detail: {phase: "sent"}}));
             window.dispatchEvent(new CustomEvent("t247:sync", {detail: {phase: "done"}}));
           }"""
    )
    wait_for(
        page,
        "document.querySelectorAll('#followups li.card').length >= 10"
        " && document.querySelector(\"#followups a[href='/follow-ups']\") !== null",
    )
    page.wait_for_timeout(500)  # let both rebuilds finish: neither may add to the other's list
    assert page.locator("#followups li.card").count() == 10
    assert page.locator("#followups a[href='/follow-ups']").count() == 1
    assert "việc chờ nữa" in page.locator("#followups a[href='/follow-ups']").inner_text()


def test_a_record_saved_during_a_round_is_sent_when_it_ends(context, live_db):
    page = context.new_page()
    login(page, "tnv07")
    open_log(page)
    wait_until(page, "T247.store.getMeta('lastSuccess').then(Boolean)", timeout=30_000)
    before = stored_by(live_db, "tnv07")
    # A round in progress holds the lock (here: the test); only the page sends, no worker.
    page.evaluate(
        """() => {
             T247.app.requestBackgroundSync = () => {};
             window.__release = null;
             navigator.locks.request("t247-sync", () => new Promise((done) => {
               window.__release = done;
             }));
           }"""
    )
    wait_for(page, "window.__release !== null")
    log_guidance(page, "pham")
    page.wait_for_timeout(500)
    assert stored_by(live_db, "tnv07") == before  # not in the round that was running
    page.evaluate("window.__release()")
    wait_until_sent(page)
    assert stored_by(live_db, "tnv07") - before == 1


# How many times the log screen has redrawn its lists after a round (static/js/log.js).
REFRESHED = "Number(document.getElementById('log-app').dataset.refreshed || 0)"
KEEP_LIST_NODES = """document.querySelectorAll('#recent li, #followups li, #outbox-list li')
  .forEach((n) => { n.__kept = true; })"""
LIST_NODES_KEPT = """[...document.querySelectorAll('#recent li, #followups li')]
  .every((n) => n.__kept === true)"""


def sync_round(page) -> None:
    """One sync round with a pull, and both redraws it asks for (when the push is over, and when
    the pull is) finished."""
    rounds = page.evaluate(REFRESHED)
    page.evaluate("T247.app.sync(true)")
    wait_for(page, f"{REFRESHED} >= {rounds} + 2")


def test_a_round_that_brings_nothing_new_leaves_the_lists_and_the_form_alone(context):
    """A tap on a recent household during a redraw landed on a node just removed, and the
    procedure chosen in an open form went back to "—" at the end of every sync round."""
    page = context.new_page()
    login(page, "tnv16")  # no other browser test logs as tnv16
    open_log(page)
    wait_for(page, SETTLED)
    household = log_guidance(page, "vo")
    wait_until_sent(page)
    # The round after a push brings the record back as the server keeps it: drawn once more.
    sync_round(page)
    assert page.locator("#recent li").count() >= 1 and page.locator("#followups li").count() >= 1
    page.locator(f"#recent .pick-button[data-household='{household}']").click()
    page.click("label.tile:has(input[name=kind][value=dossier])")
    page.select_option("#procedure", index=2)
    chosen = page.input_value("#procedure")
    page.evaluate(KEEP_LIST_NODES)
    sync_round(page)
    assert page.evaluate(LIST_NODES_KEPT)
    assert page.input_value("#procedure") == chosen
    # What did change is drawn: the record saved now heads the recent households.
    page.click("label.tile:has(input[name=outcome][value=pending])")
    page.fill("#reason", "Chờ bổ sung giấy tờ")
    page.click("#save")
    page.wait_for_selector("#pick-household:not([hidden])")
    wait_for(
        page, "document.querySelector('#recent li') && !document.querySelector('#recent li').__kept"
    )


def test_a_household_made_offline_without_a_record_is_not_called_sent(phone, signal):
    """The badge counted records only: a new household waiting alone read "Đã gửi hết"."""
    page = phone(base_url=signal.url)
    login(page, "tnv19")  # no other browser test logs as tnv19
    open_log(page)
    wait_for(page, SETTLED)
    wait_until(page, "T247.store.getMeta('lastSuccess').then(Boolean)", timeout=30_000)
    # Nothing leaves the phone, the service worker's Background Sync included.
    signal.cut()
    page.context.set_offline(True)
    page.click("#new-household")
    page.select_option("#nh-group", index=1)
    page.fill("#nh-address", "K12/5 Đường Mới")
    page.fill("#nh-head", "Lê Thị Mới")
    page.click("#household-form button[type=submit]")
    page.wait_for_selector("#record-form:not([hidden])")
    badge = page.locator("#sync-badge [data-words]")
    wait_for(page, "document.querySelector('#sync-badge [data-words]').textContent.includes('mới')")
    assert badge.inner_text() == "1 hộ/người mới chờ gửi"
    assert page.locator("#last-sync").inner_text().startswith("Còn 1 hộ/người mới chưa gửi · ")
    assert page.locator("#sync-badge [data-count]").inner_text() == "0"  # records
