"""The whole web push path against a fake push service that checks VAPID and decrypts."""

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from core.clock import as_utc
from core.db import get_session
from notifications import dispatch, push, vapid
from notifications.models import Notification, PushSubscription
from tests import notifications_support
from tests.notifications_support import due_notification, subscribe
from tests.push_service import FakePushService

push_service = notifications_support.push_service  # the fixture, for this module
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def at_now(time_machine):
    # The fake service checks VAPID's `exp` against the clock, so the clock stands at NOW too.
    time_machine.move_to(NOW)


def test_a_push_is_signed_encrypted_and_readable_by_the_device(app, world, push_service):
    with app.test_request_context():
        db = get_session()
        phone = push_service.device("phone")
        subscription = subscribe(db, world.users["tnv01"], phone)
        notification = due_notification(
            db,
            world.users["tnv01"],
            NOW,
            topic="shift-7",
            urgency="high",
            expires_at=NOW + timedelta(hours=1),
        )
        assert dispatch.dispatch_one(db, notification.id, now=NOW) == dispatch.SENT

        assert push_service.rejected == []
        [received] = push_service.received
        assert received.message["title"] == "Nhắc lịch: ngày mai bạn có ca trực"
        assert received.message["body"] == "Thứ Ba 24/11 07:30–11:30 · Trực bộ phận Một cửa"
        assert received.message["url"] == f"/notifications/{notification.id}/open"
        assert received.message["tag"] == "shift-7"
        assert received.claims["sub"] == app.config["VAPID_SUBJECT"]
        assert received.headers["urgency"] == "high"
        assert received.headers["topic"] == "shift-7"
        # Never kept by the push service past the moment the reminder stops being useful.
        assert 3500 <= int(received.headers["ttl"]) <= 3600
        db.expire_all()
        assert as_utc(db.get(Notification, notification.id).sent_at) == NOW
        assert as_utc(db.get(PushSubscription, subscription.id).last_success_at) == NOW


def test_ttl_is_about_twelve_hours_without_an_expiry(app, world, push_service):
    with app.test_request_context():
        db = get_session()
        subscribe(db, world.users["tnv01"], push_service.device("phone"))
        notification = due_notification(db, world.users["tnv01"], NOW)
        dispatch.dispatch_one(db, notification.id, now=NOW)
        [received] = push_service.received
        assert received.headers["ttl"] == str(12 * 3600)
        assert received.headers["urgency"] == "normal"
        assert "topic" not in received.headers


def test_claims_are_built_afresh_for_every_push_service(app, world, push_service):
    """pywebpush writes `aud` into the claims dict; a shared dict would send the first push
    service's origin to the second, which refuses it."""
    with app.test_request_context():
        db = get_session()
        other = FakePushService(push_service.vapid_public_key, push_service.subject).start()
        app.config["PUSH_TEST_ORIGINS"].append(other.origin)
        try:
            subscribe(db, world.users["tnv01"], push_service.device("phone"))
            subscribe(db, world.users["tnv01"], other.device("laptop"))
            for _ in range(2):
                notification = due_notification(db, world.users["tnv01"], NOW)
                assert dispatch.dispatch_one(db, notification.id, now=NOW) == dispatch.SENT
            assert push_service.rejected == [] and other.rejected == []
            assert len(push_service.received) == 2 and len(other.received) == 2
            assert {r.claims["aud"] for r in other.received} == {other.origin}
        finally:
            other.stop()


def test_a_subscription_answered_410_or_404_is_deleted(app, world, push_service):
    with app.test_request_context():
        db = get_session()
        subscribe(db, world.users["tnv01"], push_service.device("gone", status=410))
        subscribe(db, world.users["tnv01"], push_service.device("unknown", status=404))
        kept = subscribe(db, world.users["tnv02"], push_service.device("other"))
        notification = due_notification(db, world.users["tnv01"], NOW)
        assert dispatch.dispatch_one(db, notification.id, now=NOW) == dispatch.FAILED
        db.expire_all()
        remaining = db.exec(select(PushSubscription)).all()
        assert [s.id for s in remaining] == [kept.id]
        row = db.get(Notification, notification.id)
        assert row.failure_reason == "subscription_gone" and row.sent_at is None


def test_other_failures_keep_the_subscription_and_log_the_answer(app, world, push_service, caplog):
    with app.test_request_context():
        db = get_session()
        subscription = subscribe(
            db, world.users["tnv01"], push_service.device("busy", status=429, answer="slow down")
        )
        notification = due_notification(db, world.users["tnv01"], NOW)
        with caplog.at_level(logging.WARNING, logger="notifications.push"):
            assert dispatch.dispatch_one(db, notification.id, now=NOW) == dispatch.FAILED
        assert "429" in caplog.text and "slow down" in caplog.text
        db.expire_all()
        assert db.get(PushSubscription, subscription.id) is not None
        assert db.get(Notification, notification.id).failure_reason == "429: slow down"


def test_a_wrong_key_is_refused_by_the_push_service(app, world):
    """The fake really checks the signature: a service expecting another key refuses ours."""
    with app.test_request_context():
        db = get_session()
        _private, stranger = vapid.new_key_pair()
        service = FakePushService(stranger, app.config["VAPID_SUBJECT"]).start()
        app.config["PUSH_TEST_ORIGINS"] = [service.origin]
        try:
            subscribe(db, world.users["tnv01"], service.device("phone"))
            notification = due_notification(db, world.users["tnv01"], NOW)
            assert dispatch.dispatch_one(db, notification.id, now=NOW) == dispatch.FAILED
            assert service.received == []
            assert [r.reason for r in service.rejected] == [
                "k is not the application server key of the subscription"
            ]
        finally:
            service.stop()


def test_without_a_device_the_notification_stays_in_the_inbox(app, world):
    with app.test_request_context():
        db = get_session()
        notification = due_notification(db, world.users["tnv01"], NOW)
        assert dispatch.dispatch_one(db, notification.id, now=NOW) == dispatch.FAILED
        db.expire_all()
        assert db.get(Notification, notification.id).failure_reason == "no_subscription"


def test_the_payload_carries_only_what_the_service_worker_shows(app, world):
    with app.test_request_context():
        db = get_session()
        notification = due_notification(db, world.users["tnv01"], NOW, topic="shift-3")
        message = json.loads(push.payload(notification))
        assert set(message) == {"id", "title", "body", "url", "tag", "icon"}
        assert message["icon"] == "/static/icons/icon-192.png"
