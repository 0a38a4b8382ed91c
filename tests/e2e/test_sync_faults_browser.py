"""Faults seen from the phone: a 500 on the first push, a CSRF refusal, one bad record."""

import json
import time

from sqlalchemy import func
from sqlmodel import select

from assistance.models import AssistanceRecord
from tests.e2e.conftest import login, wait_for

READY = "document.getElementById('log-app').dataset.ready === '1'"
LOADED = "Number(document.getElementById('log-app').dataset.households || 0) > 2000"


def stored(live_db) -> int:
    return live_db(lambda db: db.exec(select(func.count()).select_from(AssistanceRecord)).one())


def queue_guidance(page, count: int) -> None:
    for _ in range(count):
        page.fill("#hh-search", "nguyen")
        page.locator("#results .pick-button").first.click()
        page.click("label.tile:has(input[name=kind][value=guidance])")
        page.click("label.tile:has(input[name=outcome][value=done])")
        page.click("#save")
        page.wait_for_selector("#pick-household:not([hidden])")


def test_server_error_csrf_refusal_and_a_bad_record(context, live_db):
    page = context.new_page()
    login(page, "tnv02")
    page.goto("/log")
    wait_for(page, READY)
    wait_for(page, LOADED, timeout=60_000)
    before = stored(live_db)
    faults = [
        {"status": 500, "content_type": "application/json", "body": '{"error": 500}'},
        {
            "status": 400,
            "content_type": "application/json",
            "body": json.dumps({"error": "csrf", "message": "x"}),
        },
    ]
    served: list[int] = []
    delivered: list[str] = []

    def faulty(route):
        # On the context, so that pushes from the service worker (Background Sync) meet the
        # same faults as pushes from the page: either may be the first to send.
        if len(served) < len(faults):
            served.append(faults[len(served)]["status"])
            return route.fulfill(**faults[len(served) - 1])
        served.append(200)
        delivered.append(route.request.post_data)
        return route.continue_()

    context.route("**/api/v1/push", faulty)
    context.set_offline(True)
    queue_guidance(page, 2)
    # One record the server must refuse, put straight into the outbox.
    page.evaluate(
        """() => T247.store.enqueue({type: "record", uuid: crypto.randomUUID(),
             household_uuid: crypto.randomUUID(), kind: "guidance", outcome: "done",
             place: "home", client_time: new Date().toISOString()}, T247.app.userId, "bad")"""
    )
    context.set_offline(False)
    # Back online, whichever sends first (the page or the worker) meets the 500.
    deadline = time.monotonic() + 30
    while not served and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert served and served[0] == 500
    # "Gửi ngay": the CSRF refusal is answered with a fresh token and one retry; the two good
    # records go through once, the bad one comes back rejected and stays visible.
    page.click("#sync-now")
    page.wait_for_selector("#outbox-list [data-state=rejected]")
    wait_for(page, "document.querySelector('#outbox-count').textContent === '1'")
    assert served == [500, 400, 200]
    assert stored(live_db) - before == 2
    assert "Không tìm thấy" in page.locator("#outbox-list [data-state=rejected]").inner_text()
    # The same push replayed (as a lost answer would make a phone do): duplicates, no new rows.
    replay = page.evaluate(
        """async (body) => {
             const token = (await (await fetch("/api/v1/csrf")).json()).csrf_token;
             const answer = await fetch("/api/v1/push", {method: "POST", body,
               headers: {"Content-Type": "application/json", "X-CSRFToken": token}});
             return (await answer.json()).results.map(r => r.status);
           }""",
        delivered[0],
    )
    assert sorted(replay) == ["duplicate", "duplicate", "rejected"]
    assert stored(live_db) - before == 2
