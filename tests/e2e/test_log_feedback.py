"""Issue 16 on the log screen at 360x740: the saved note and its undo (offline too), the same
search order as the server, a repeat log and a new resident's level-2 account in few taps, a
log started from the household page, and follow-ups that never claim "nothing" while loading."""

import json
from pathlib import Path

from playwright.sync_api import expect
from sqlalchemy import func
from sqlmodel import select

from assistance.models import AssistanceRecord, AssistanceResident
from households.models import Household, Resident
from tests.e2e.conftest import PHONE, login, wait_for, wait_until, wait_until_sent
from tests.e2e.test_log_screen import READY, SETTLED, open_log, stored_by

CASES = json.loads((Path(__file__).parents[1] / "search_rank_cases.json").read_text("utf-8"))
NOTE_STATE = "document.getElementById('saved-note').dataset.state"
SYNCED = "T247.store.getMeta('lastSuccess').then(Boolean)"


class Taps:
    """Counts what a volunteer does: a tap, or typing into one field (one tap to focus it)."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def tap(self, selector: str) -> None:
        self.page.locator(selector).first.tap()
        self.count += 1

    def type(self, selector: str, text: str) -> None:
        self.page.locator(selector).first.fill(text)
        self.count += 1


def a_household_of_two(live_db, skip: int) -> dict:
    """A consenting household whose head's name is unique in the ward, with two named adults."""

    def find(db):
        heads = (
            select(Household.head_name)
            .where(Household.deleted_at.is_(None), Household.head_name.is_not(None))
            .group_by(Household.head_name)
            .having(func.count() == 1)
        )
        found = []
        for h in db.exec(
            select(Household).where(Household.head_name.in_(heads)).order_by(Household.id)
        ).all():
            people = db.exec(
                select(Resident).where(
                    Resident.household_id == h.id,
                    Resident.deleted_at.is_(None),
                    Resident.full_name.is_not(None),
                )
            ).all()
            if h.consent and len(people) >= 2:
                found.append(
                    {
                        "id": h.id,
                        "uuid": h.uuid,
                        "head": h.head_name,
                        "people": [(r.uuid, r.full_name) for r in people[:2]],
                    }
                )
            if len(found) > skip:
                return found[skip]
        raise AssertionError("no household of two in the demo ward")

    return live_db(find)


def latest_record(live_db, username: str):
    from volunteer.models import User

    def read(db):
        user = db.exec(select(User.id).where(User.username == username)).one()
        record = db.exec(
            select(AssistanceRecord)
            .where(AssistanceRecord.volunteer_id == user)
            .order_by(AssistanceRecord.id.desc())
        ).first()
        helped = db.exec(
            select(Resident.uuid)
            .join(AssistanceResident, AssistanceResident.resident_id == Resident.id)
            .where(AssistanceResident.record_id == record.id)
        ).all()
        return record.kind, record.outcome, set(helped)

    return live_db(read)


def search_first(page, taps: Taps, text: str, household_uuid: str) -> None:
    taps.type("#hh-search", text)
    # Exact matches first: the household typed in full is the first result.
    first = "document.querySelector('#results .pick-button')"
    wait_for(page, f"{first} !== null && {first}.dataset.household === '{household_uuid}'")


def test_the_phone_ranks_the_shared_cases_like_the_server(context):
    page = context.new_page()
    login(page, "tnv09")
    page.goto("/log")
    wait_for(page, READY)
    wait_for(page, SETTLED)
    wait_until(page, SYNCED, timeout=60_000)
    context.set_offline(True)  # no pull may replace the copy under the test
    ranks = page.evaluate(
        "(cases) => cases.map(c => c.households.map(h => T247.store.rank(c.query, h, h.names)))",
        CASES,
    )
    assert ranks == [[c["ranks"][h["key"]] for h in c["households"]] for c in CASES]
    # The whole search, on the phone's store: each case in a group of its own.
    orders = page.evaluate(
        """async (cases) => {
             const out = [];
             for (const [i, c] of cases.entries()) {
               const group = 900000 + i;
               const keys = {};
               for (const h of c.households) {
                 const uuid = crypto.randomUUID();
                 keys[uuid] = h.key;
                 await T247.store.addLocal("households", {uuid, group_id: group, consent: true,
                   head_name: h.head_name, address: h.address, phone: h.phone, local: true});
                 for (const name of h.names) await T247.store.addLocal("residents", {
                   uuid: crypto.randomUUID(), household_uuid: uuid, full_name: name,
                   birth_year: 1980, eid_level: 0});
               }
               const found = await T247.store.search(c.query, group, 30);
               out.push(found.rows.map(r => keys[r.uuid]));
             }
             return out;
           }""",
        CASES,
    )
    assert orders == [c["order"] for c in CASES]


def test_saved_note_names_the_person_and_undoes_while_on_the_phone(browser, signal, live_db):
    context = browser.new_context(base_url=signal.url, **PHONE)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        login(page, "tnv08")
        open_log(page)
        wait_until(page, SYNCED, timeout=30_000)
        before = stored_by(live_db, "tnv08")
        household = a_household_of_two(live_db, skip=0)
        person_uuid, person = household["people"][0]
        signal.cut()
        context.set_offline(True)
        page.fill("#hh-search", household["head"])
        page.locator(f"#results .pick-button[data-household='{household['uuid']}']").click()
        page.click(f"#residents label.chip:has(input[value='{person_uuid}'])")
        page.click("label.tile:has(input[name=kind][value=guidance])")
        page.click("label.tile:has(input[name=outcome][value=done])")
        page.click("#save")
        note = page.locator("#saved-note")
        note.wait_for(state="visible")
        assert note.get_attribute("role") == "status"
        assert f"Đã lưu: {person} — Chỉ hướng dẫn · Xong" in note.inner_text()
        # Where the volunteer looks: in the 740 px viewport, focused for a screen reader.
        box = note.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 740
        assert page.evaluate("document.activeElement.id") == "saved-note"
        wait_for(page, f"{NOTE_STATE} === 'on-phone'")
        page.wait_for_timeout(300)  # the old "saved" line was gone within 150 ms: this stays
        assert note.is_visible() and person in note.inner_text()
        page.click("#saved-undo")
        wait_for(page, f"{NOTE_STATE} === 'undone'")
        assert page.evaluate("T247.store.outbox().then(rows => rows.length)") == 0
        assert not page.locator("#saved-undo").is_visible()
        assert not page.locator("#rate-link").is_visible()
        wait_for(page, "document.querySelector('#sync-badge [data-count]').textContent === '0'")

        # Online: once sent, no undo, and the note says so.
        signal.restore()
        context.set_offline(False)
        page.fill("#hh-search", household["head"])
        page.locator(f"#results .pick-button[data-household='{household['uuid']}']").click()
        assert not note.is_visible()  # the next action closes it
        page.click("label.tile:has(input[name=kind][value=eid_signin_help])")
        page.click("label.tile:has(input[name=outcome][value=done])")
        page.click("#save")
        note.wait_for(state="visible")
        assert household["head"] in note.inner_text()  # nobody ticked: the household
        wait_until_sent(page)
        wait_for(page, f"{NOTE_STATE} === 'sent'")
        assert not page.locator("#saved-undo").is_visible()
        assert "không hoàn tác được" in note.inner_text()
        page.click("#saved-close")
        assert not note.is_visible()
        assert stored_by(live_db, "tnv08") - before == 1  # the undone record never left
    finally:
        context.close()


def test_repeat_log_for_another_person_of_a_household_in_five_taps_from_home(context, live_db):
    page = context.new_page()
    login(page, "tnv26")
    open_log(page)
    household = a_household_of_two(live_db, skip=1)
    (first_uuid, _first), (second_uuid, _second) = household["people"]
    # The first person, logged as usual.
    page.fill("#hh-search", household["head"])
    page.locator(f"#results .pick-button[data-household='{household['uuid']}']").click()
    page.click(f"#residents label.chip:has(input[value='{first_uuid}'])")
    page.click("label.tile:has(input[name=kind][value=eid_level2])")
    page.click("label.tile:has(input[name=outcome][value=done])")
    page.click("#save")
    wait_until_sent(page)
    # Later in the day, from the home screen: every tap counted, 5 at most.
    page.goto("/")
    taps = Taps(page)
    taps.tap("[data-home-log]")
    page.wait_for_url("**/log")
    wait_for(page, READY)
    wait_for(page, SETTLED)
    wait_for(page, f"document.querySelector(\"#recent [data-repeat='{household['uuid']}']\")")
    taps.tap(f"#recent [data-repeat='{household['uuid']}']")
    expect(page.locator("#repeating")).to_be_visible()
    taps.tap(f"#residents label.chip:has(input[value='{second_uuid}'])")
    taps.tap("#save")
    page.locator("#saved-note").wait_for(state="visible")
    assert taps.count <= 5, f"{taps.count} taps from the home screen"
    wait_until_sent(page)
    assert latest_record(live_db, "tnv26") == ("eid_level2", "done", {second_uuid})


def test_level_two_account_for_a_new_resident_in_eight_taps_from_home(context, live_db):
    page = context.new_page()
    login(page, "tnv12")
    open_log(page)  # the ward's copy on the phone, as after the first visit
    household = a_household_of_two(live_db, skip=2)
    page.goto("/")
    taps = Taps(page)
    taps.tap("[data-home-log]")
    page.wait_for_url("**/log")
    wait_for(page, READY)
    wait_for(page, SETTLED)
    search_first(page, taps, household["head"], household["uuid"])
    taps.tap("#results .pick-button")
    taps.type("#nr-name", "Đặng Thị Mới Đến")
    taps.type("#nr-year", "1999")
    taps.tap("label.tile:has(input[name=kind][value=eid_level2])")
    taps.tap("label.tile:has(input[name=outcome][value=done])")
    taps.tap("#save")
    note = page.locator("#saved-note")
    note.wait_for(state="visible")
    assert "Đã lưu: Đặng Thị Mới Đến — Đăng ký VNeID mức 2 · Xong" in note.inner_text()
    assert taps.count <= 8, f"{taps.count} taps from the home screen"
    wait_until_sent(page)
    kind, outcome, helped = latest_record(live_db, "tnv12")
    newcomer = live_db(
        lambda db: db.exec(
            select(Resident.uuid, Resident.birth_year).where(
                Resident.household_id == household["id"],
                Resident.full_name == "Đặng Thị Mới Đến",
            )
        ).one()
    )
    assert (kind, outcome, helped) == ("eid_level2", "done", {newcomer[0]})
    assert newcomer[1] == 1999


def test_the_household_page_opens_the_log_for_that_household(context, live_db):
    page = context.new_page()
    login(page, "tnv14")
    open_log(page)  # the phone's copy is there
    household = a_household_of_two(live_db, skip=3)
    page.goto(f"/households/{household['id']}")
    page.click("#log-for-household")
    wait_for(page, READY)
    wait_for(page, SETTLED)
    page.locator("#record-form").wait_for(state="visible")
    assert page.locator("#chosen-name").inner_text() == household["head"]
    assert page.locator("#residents label.chip").count() >= 2


def test_follow_ups_never_say_nothing_while_loading(context):
    page = context.new_page()
    login(page, "tnv15")
    page.route("**/api/v1/pull**", lambda route: route.abort())  # the copy never arrives
    page.goto("/log")
    wait_for(page, READY)
    wait_for(page, SETTLED)
    first = page.locator("#followups li").first
    assert first.get_attribute("data-empty") == "loading"
    assert "Không còn việc nào đang chờ" not in page.locator("#followups").inner_text()


def test_undoing_a_fix_puts_the_refused_record_back(phone, signal):
    """ "Sửa" on a record the server refused, saved, then "Hoàn tác": the record is back as it
    was, still refused and waiting on the phone (the undo used to drop it altogether)."""
    page = phone(base_url=signal.url)
    login(page, "tnv18")  # no other browser test logs as tnv18
    open_log(page)
    wait_for(page, SETTLED)
    wait_until(page, SYNCED, timeout=30_000)
    # Nothing leaves the phone during the test, the service worker's Background Sync included.
    signal.cut()
    page.context.set_offline(True)
    refused = page.evaluate(
        """async () => {
             const h = (await T247.store.all("households"))[0];
             const item = {type: "record", uuid: crypto.randomUUID(), household_uuid: h.uuid,
               resident_uuids: [], kind: "guidance", outcome: "done", reason: null,
               place: "home", shift_id: null, minutes: null, client_time: new Date().toISOString()};
             const userId = Number(document.getElementById("log-app").dataset.userId);
             await T247.store.enqueue(item, userId, "Thử · Chỉ hướng dẫn");
             await T247.store.updateOutbox(item.uuid,
               {state: "rejected", error: {reason: "invalid_field", field: "minutes"}});
             window.dispatchEvent(new CustomEvent("t247:sync", {detail: {phase: "failed"}}));
             return item.uuid;
           }"""
    )
    fix = page.locator("#outbox-list li[data-state=rejected] button", has_text="Sửa")
    fix.click()
    page.click("label.tile:has(input[name=outcome][value=pending])")
    page.fill("#reason", "Hẹn lần sau")
    page.click("#save")
    wait_for(page, f"{NOTE_STATE} === 'on-phone'")
    page.click("#saved-undo")
    wait_for(page, f"{NOTE_STATE} === 'undone'")
    assert "trở lại như trước khi sửa" in page.locator("#saved-note").inner_text()
    entry = page.evaluate(f"T247.store.get('outbox', '{refused}')")
    assert entry["state"] == "rejected" and entry["error"]["field"] == "minutes"
    assert (entry["item"]["outcome"], entry["item"]["reason"]) == ("done", None)
    expect(page.locator("#outbox-list li[data-state=rejected]")).to_have_count(1)
