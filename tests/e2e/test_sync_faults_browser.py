"""Faults seen from the phone: a 500 on the first push, a CSRF refusal, one bad record."""

import json

from sqlalchemy import func
from sqlmodel import select

from assistance.models import AssistanceRecord
from tests.e2e.conftest import login

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
    page.wait_for_function(READY)
    page.wait_for_function(LOADED, timeout=60_000)
    before = stored(live_db)
    answers = iter(
        [
            {
                "status": 500,
                "content_type": "application/json",
                "body": '{"error": 500, "message": "x"}',
            },
            {
                "status": 400,
                "content_type": "application/json",
                "body": json.dumps({"error": "csrf", "message": "x"}),
            },
        ]
    )

    def faulty(route):
        answer = next(answers, None)
        return route.fulfill(**answer) if answer else route.continue_()

    page.route("**/api/v1/push", faulty)
    context.set_offline(True)
    queue_guidance(page, 2)
    # One record the server must refuse, put straight into the outbox.
    page.evaluate(
        """() => T247.store.enqueue({type: "record", uuid: crypto.randomUUID(),
             household_uuid: crypto.randomUUID(), kind: "guidance", outcome: "done",
             place: "home", client_time: new Date().toISOString()}, T247.app.userId, "bad")"""
    )
    context.set_offline(False)
    # First answer 500: nothing lost, the records wait. "Gửi ngay": the CSRF refusal is
    # answered by a fresh token and a retry, and the two good records go through once.
    page.wait_for_function("document.querySelector('#sync-badge [data-count]').textContent === '3'")
    page.click("#sync-now")
    page.wait_for_selector("#outbox-list [data-state=rejected]")
    page.wait_for_function("document.querySelector('#outbox-count').textContent === '1'")
    assert stored(live_db) - before == 2
    assert "Không tìm thấy" in page.locator("#outbox-list [data-state=rejected]").inner_text()
    page.click("#sync-now")
    page.wait_for_timeout(500)
    assert stored(live_db) - before == 2  # a replay adds nothing
