"""The inbox, the bell, the push switches and the ward's reminder times, through requests."""

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from sqlmodel import select

from core.clock import as_utc
from core.db import get_session
from notifications.models import Notification, NotificationSettings, PushSubscription
from tests import notifications_support
from tests.helpers import page_text
from tests.notifications_support import due_notification, notifications_of

push_service = notifications_support.push_service  # the fixture, for this module
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def _subscriptions(app) -> list[PushSubscription]:
    with app.app_context():
        return list(get_session().exec(select(PushSubscription)).all())


def test_subscribing_stores_one_row_per_device(app, world, auth, client, push_service):
    phone = push_service.device("phone")
    auth.login("tnv01")
    assert (
        client.post("/notifications/subscription", json=phone.subscription_json()).status_code
        == 201
    )
    assert (
        client.post("/notifications/subscription", json=phone.subscription_json()).status_code
        == 201
    )
    [row] = _subscriptions(app)
    assert (row.user_id, row.endpoint, row.p256dh) == (
        world.users["tnv01"],
        phone.endpoint,
        phone.p256dh,
    )
    # The same phone after tnv02 logs in on it: the device now reminds tnv02, not both.
    auth.logout()
    auth.login("tnv02")
    client.post("/notifications/subscription", json=phone.subscription_json())
    [row] = _subscriptions(app)
    assert row.user_id == world.users["tnv02"]


def test_bad_subscriptions_are_refused(app, world, auth, client, push_service):
    auth.login("tnv01")
    good = push_service.device("phone").subscription_json()
    bad = [
        None,
        {"endpoint": "ftp://push.example/x", "keys": good["keys"]},
        {"endpoint": good["endpoint"], "keys": {"p256dh": "abc", "auth": good["keys"]["auth"]}},
        {"endpoint": good["endpoint"], "keys": {"p256dh": good["keys"]["p256dh"], "auth": "AAAA"}},
        {"endpoint": good["endpoint"]},
    ]
    for body in bad:
        response = client.post("/notifications/subscription", json=body)
        assert response.status_code == 400, body
        assert response.get_json()["error"] == "bad_subscription"
    assert _subscriptions(app) == []


def test_plain_http_endpoints_are_refused_outside_the_tests(app, world, auth, client, push_service):
    app.config["PUSH_TEST_ORIGINS"] = []  # the server POSTs to the endpoint: HTTPS only
    auth.login("tnv01")
    body = push_service.device("phone").subscription_json()
    assert client.post("/notifications/subscription", json=body).status_code == 400


def test_turning_off_removes_only_ones_own_device(app, world, auth, client, push_service):
    mine, theirs = push_service.device("mine"), push_service.device("theirs")
    their_phone = app.test_client()
    their_phone.post("/login", data={"username": "tnv02", "password": "thanhnien247"})
    their_phone.post("/notifications/subscription", json=theirs.subscription_json())
    auth.login("tnv01")
    client.post("/notifications/subscription", json=mine.subscription_json())
    for endpoint in (theirs.endpoint, mine.endpoint):
        client.post("/notifications/subscription/delete", json={"endpoint": endpoint})
    assert [row.endpoint for row in _subscriptions(app)] == [theirs.endpoint]


def test_the_test_button_pushes_and_fills_the_inbox(app, world, auth, client, push_service):
    auth.login("tnv01")
    client.post(
        "/notifications/subscription", json=push_service.device("phone").subscription_json()
    )
    response = client.post("/notifications/test", json={})
    assert response.get_json()["result"] == "sent"
    [message] = push_service.messages()
    assert message["title"] == "Thông báo thử"
    assert message["body"] == "Điện thoại này đã nhận được nhắc việc của Thanh niên 24/7."
    inbox = page_text(client.get("/notifications/"))
    assert "Thông báo thử" in inbox and "đã gửi tới điện thoại" in inbox


def test_the_test_button_without_a_device_still_fills_the_inbox(app, world, auth, client):
    auth.login("tnv01")
    response = client.post("/notifications/test", follow_redirects=True)
    text = page_text(response)
    assert "Máy này chưa bật nhắc việc; thông báo chỉ có trong hộp thư." in text
    assert "Thông báo thử" in text


def test_the_bell_counts_unread_and_opening_marks_read(app, world, auth, client, time_machine):
    time_machine.move_to(NOW, tick=False)
    with app.app_context():
        db = get_session()
        mine = due_notification(db, world.users["tnv01"], NOW - timedelta(minutes=5))
        due_notification(db, world.users["tnv01"], NOW - timedelta(minutes=1), url="/follow-ups")
        due_notification(db, world.users["tnv01"], NOW + timedelta(hours=1))  # not due yet
        due_notification(
            db, world.users["tnv01"], NOW - timedelta(hours=3), failure_reason="expired"
        )
        theirs = due_notification(db, world.users["tnv02"], NOW - timedelta(minutes=5))
    auth.login("tnv01")
    page = page_text(client.get("/notifications/"))
    assert '<span class="bell-count" data-unread>2</span>' in page
    assert page.count('class="card notification') == 2
    response = client.get(f"/notifications/{mine.id}/open")
    assert response.status_code == 302 and response.headers["Location"] == "/shifts/mine"
    assert '<span class="bell-count" data-unread>1</span>' in page_text(client.get("/log"))
    assert client.get(f"/notifications/{theirs.id}/open").status_code == 404
    client.post("/notifications/read")
    assert "bell-count" not in page_text(client.get("/notifications/"))
    with app.app_context():
        opened = {
            row.id: row.opened_at for row in notifications_of(get_session(), world.users["tnv01"])
        }
        assert as_utc(opened[mine.id]) == NOW
        assert sum(value is not None for value in opened.values()) == 2  # the due, unexpired ones


def test_a_lapsed_reminder_is_not_counted_as_unread(app, world, auth, client, time_machine):
    time_machine.move_to(NOW, tick=False)
    with app.app_context():
        due_notification(
            get_session(),
            world.users["tnv01"],
            NOW - timedelta(hours=2),
            expires_at=NOW - timedelta(hours=1),
            sent_at=NOW - timedelta(hours=2),
        )
    auth.login("tnv01")
    page = page_text(client.get("/notifications/"))
    assert "bell-count" not in page and 'class="card notification"' in page


def test_the_inbox_never_asks_for_permission_by_itself(app, world, auth, client):
    auth.login("tnv01")
    page = page_text(client.get("/notifications/"))
    assert 'id="push-on"' in page and "js/push.js" in page
    script = (Path(app.static_folder) / "js" / "push.js").read_text()
    # requestPermission appears once, inside the click handler turnOn().
    assert script.count("requestPermission") == 1
    handler = script[script.index("async function turnOn") : script.index("async function turnOff")]
    assert "requestPermission" in handler


def test_the_secretary_sets_the_wards_reminder_times(app, world, auth, client):
    auth.login("bithu")
    page = page_text(client.get("/notifications/settings"))
    assert 'value="19:00"' in page and 'value="60"' in page
    response = client.post(
        "/notifications/settings",
        data={"evening_at": "20:30", "before_minutes": "45", "digest_at": "06:30"},
    )
    assert response.status_code == 302
    with app.app_context():
        row = get_session().get(NotificationSettings, world.ward_a)
        assert (row.evening, row.evening_at, row.before_minutes, row.digest_at) == (
            False,
            time(20, 30),
            45,
            time(6, 30),
        )
    response = client.post(
        "/notifications/settings",
        data={"evening": "y", "evening_at": "", "before_minutes": "-5", "digest_at": "07:00"},
    )
    assert response.status_code == 200  # refused, shown again with the errors


def test_the_admin_picks_a_ward_first(app, world, auth, client):
    auth.login("admin")
    page = page_text(client.get("/notifications/settings"))
    assert "An Khê" in page and "Thanh Khê Đông" in page
    assert client.get(f"/notifications/settings?ward={world.ward_b}").status_code == 200
    assert client.get("/notifications/settings?ward=999999").status_code == 404


def test_the_inbox_shows_only_ones_own(app, world, auth, client):
    with app.app_context():
        due_notification(get_session(), world.users["tnv02"], NOW, title="Của người khác")
    auth.login("tnv01")
    assert "Của người khác" not in page_text(client.get("/notifications/"))
    with app.app_context():
        assert get_session().exec(select(Notification)).all()


def test_logging_out_stops_this_phones_pushes(app, world, auth, client, push_service):
    """A shared phone: after tnv01 logs out there, tnv01's reminders no longer reach it,
    while tnv01's own laptop, still logged in, keeps them."""
    phone, laptop = push_service.device("phone"), push_service.device("laptop")
    laptop_client = app.test_client()
    laptop_client.post("/login", data={"username": "tnv01", "password": "thanhnien247"})
    laptop_client.post("/notifications/subscription", json=laptop.subscription_json())
    auth.login("tnv01")
    client.post("/notifications/subscription", json=phone.subscription_json())
    auth.logout()
    assert [row.endpoint for row in _subscriptions(app)] == [laptop.subscription_json()["endpoint"]]
