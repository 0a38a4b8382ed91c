"""Reminders on a phone: "Turn on reminders" asks for permission only after the tap, stores the
subscription, and the test notification is pushed (checked and decrypted by the fake push
service) and reaches the inbox.

This machine cannot reach a browser vendor's push service, so an init script replaces
PushManager.subscribe/getSubscription with ones returning a subscription whose endpoint is the
fake push service and whose keys this test holds. Everything on our side of that endpoint is real:
the page's script, the subscribe endpoint, the dispatcher, pywebpush, VAPID, the encryption.
"""

import json

import pytest
from sqlmodel import select

from core import clock
from notifications import vapid
from notifications.models import Notification, PushSubscription
from tests.e2e.conftest import assert_fits_360, login, shot, wait_for
from tests.push_service import FakePushService, unb64url
from volunteer.models import User

USERNAME = "tnv27"  # no other browser test uses this volunteer

FAKE_PUSH_MANAGER = """
(() => {
  const subscription = %s;
  const calls = { permission: 0, subscribe: 0, key: null, userVisibleOnly: null };
  window.__push = calls;
  const ask = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = function () { calls.permission += 1; return ask(); };
  function make(key) {
    return {
      endpoint: subscription.endpoint,
      expirationTime: null,
      options: { userVisibleOnly: true, applicationServerKey: key },
      toJSON: () => subscription,
      unsubscribe: async () => { localStorage.removeItem("fake-push"); return true; },
    };
  }
  PushManager.prototype.subscribe = async function (options) {
    calls.subscribe += 1;
    calls.userVisibleOnly = options.userVisibleOnly;
    calls.key = Array.from(new Uint8Array(options.applicationServerKey));
    localStorage.setItem("fake-push", JSON.stringify(calls.key));
    return make(new Uint8Array(calls.key).buffer);
  };
  PushManager.prototype.getSubscription = async function () {
    const key = localStorage.getItem("fake-push");
    return key ? make(new Uint8Array(JSON.parse(key)).buffer) : null;
  };
})();
"""


@pytest.fixture
def push_service(live_app):
    service = FakePushService(
        vapid.application_server_key(live_app), live_app.config["VAPID_SUBJECT"]
    ).start()
    # The fake push service speaks plain HTTP on 127.0.0.1: only its origin is let through.
    live_app.config["PUSH_TEST_ORIGINS"] = [service.origin]
    yield service
    live_app.config["PUSH_TEST_ORIGINS"] = []
    service.stop()


def _last_notification_id(live_db) -> int:
    return live_db(lambda db: max(db.exec(select(Notification.id)).all(), default=0))


def _read_so_far(live_db) -> None:
    """The volunteer has read their earlier news (another browser test's "Xếp đủ người" may
    have put them on a shift), so the bell counts only what this test sends."""

    def mark(db):
        user = db.exec(select(User).where(User.username == USERNAME)).one()
        for notification in db.exec(
            select(Notification).where(
                Notification.user_id == user.id, Notification.opened_at.is_(None)
            )
        ):
            notification.opened_at = clock.now()
        db.commit()

    live_db(mark)


def _rows(live_db, after: int = 0):
    """The volunteer's subscriptions, and the notifications made after id `after` (other
    browser tests may put the same volunteer on a shift, which notifies them too)."""

    def look(db):
        user = db.exec(select(User).where(User.username == USERNAME)).one()
        subscriptions = db.exec(
            select(PushSubscription).where(PushSubscription.user_id == user.id)
        ).all()
        notifications = db.exec(
            select(Notification).where(Notification.user_id == user.id, Notification.id > after)
        ).all()
        return [s.endpoint for s in subscriptions], [(n.kind, n.sent_at) for n in notifications]

    return live_db(look)


def deliver_to_service_worker(context, page, origin: str, message: dict) -> list[dict]:
    """Hand a push to the page's service worker as the browser would after decrypting it, and
    return the notifications it then shows."""
    wait_for(page, "navigator.serviceWorker.controller !== null")
    cdp = context.new_cdp_session(page)
    registrations: list[dict] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    for _ in range(50):  # the registration arrives as an event shortly after enable
        if registrations:
            break
        page.wait_for_timeout(100)
    [registration] = [r for r in registrations if not r["isDeleted"]]
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": origin,
            "registrationId": registration["registrationId"],
            "data": json.dumps(message, ensure_ascii=False),
        },
    )
    shown: list[dict] = []
    # showNotification() runs in the worker a moment later, after fetching the icon and badge;
    # once in CI, with the other browser group busy, nothing was shown yet after 10 s.
    for _ in range(300):
        shown = page.evaluate(
            """navigator.serviceWorker.ready.then(r => r.getNotifications()).then(ns => ns.map(n =>
                 ({title: n.title, body: n.body, tag: n.tag, icon: n.icon, data: n.data})))"""
        )
        if shown:
            break
        page.wait_for_timeout(100)
    return shown


def test_turn_on_reminders_then_the_test_notification_arrives(
    context, live_app, live_db, live_server, push_service
):
    device = push_service.device("e2e-phone")
    context.grant_permissions(["notifications"])
    context.add_init_script(FAKE_PUSH_MANAGER % json.dumps(device.subscription_json()))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _read_so_far(live_db)
    login(page, USERNAME)
    before = _last_notification_id(live_db)

    page.click("a#bell")
    page.wait_for_url("**/notifications/")
    page.wait_for_selector("#push-on", state="visible")
    assert page.locator("#push-off").is_hidden()
    assert page.locator('[data-when="off"]').is_visible()
    assert page.locator('[data-when="denied"]').is_hidden()
    # Opening the page asked nothing; only the tap does.
    assert page.evaluate("window.__push.permission") == 0
    assert _rows(live_db, before) == ([], [])

    page.click("#push-on")
    page.wait_for_selector("#push-off", state="visible")
    assert page.locator("#push-on").is_hidden()
    assert page.locator('[data-when="on"]').is_visible()
    assert page.locator("#push-status").inner_text() == "Đã bật nhắc việc trên máy này."
    calls = page.evaluate("window.__push")
    assert calls["permission"] == 1 and calls["subscribe"] == 1 and calls["userVisibleOnly"]
    # The browser was given our VAPID public key as applicationServerKey.
    assert bytes(calls["key"]) == unb64url(vapid.application_server_key(live_app))
    assert _rows(live_db, before)[0] == [device.endpoint]

    page.click("#push-test")
    page.wait_for_selector(".flash.success")
    assert "Đã gửi" in page.locator(".flash.success").inner_text()
    [message] = push_service.messages("e2e-phone")
    assert message["title"] == "Thông báo thử"
    assert message["body"] == "Điện thoại này đã nhận được nhắc việc của Thanh niên 24/7."
    assert push_service.rejected == []
    item = page.locator("#inbox .notification").first
    assert "Thông báo thử" in item.inner_text() and "đã gửi tới điện thoại" in item.inner_text()
    assert page.locator("#bell [data-unread]").inner_text() == "1"
    # After the reload the page finds the device's subscription and shows reminders as on.
    page.wait_for_selector("#push-off", state="visible")
    assert_fits_360(page)
    shot(page, "notifications")

    # The phone's side: the message the push service decrypted goes to our service worker
    # (DevTools' deliverPushMessage), which shows it in Vietnamese with icon and tag.
    [shown] = deliver_to_service_worker(context, page, live_server, message)
    assert (shown["title"], shown["body"]) == (message["title"], message["body"])
    assert shown["tag"] == message["tag"] and shown["icon"].endswith("/static/icons/icon-192.png")
    # A tap opens the notification's own link, which marks it opened and leads on.
    assert shown["data"]["url"] == message["url"]
    page.goto(shown["data"]["url"])
    page.wait_for_url("**/notifications/")
    assert page.locator("#bell [data-unread]").count() == 0
    [(kind, sent_at)] = _rows(live_db, before)[1]
    assert kind == "test" and sent_at is not None
    assert errors == []
    # Let the last page's lazy fetches (manifest, icon) finish: closing the context under them
    # leaves the live server an unclosed file, which fails whichever test runs next.
    page.wait_for_load_state("networkidle")
