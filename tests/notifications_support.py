"""Fixtures and helpers for the notification tests: the fake push service, rows, local times."""

import uuid
from datetime import date, datetime, time

import pytest
from sqlmodel import Session, select

from core import clock
from notifications import vapid
from notifications.models import Notification, PushSubscription
from tests.push_service import Device, FakePushService


def at(day: date, hour_minute: str) -> datetime:
    """A wall-clock time in Asia/Ho_Chi_Minh, as the UTC instant the rules are given."""
    return clock.to_utc(day, time.fromisoformat(hour_minute))


@pytest.fixture
def push_service(app):
    with app.app_context():
        key = vapid.application_server_key()
    service = FakePushService(key, app.config["VAPID_SUBJECT"]).start()
    # The fake speaks plain HTTP on 127.0.0.1: only its exact origin is let through.
    app.config["PUSH_TEST_ORIGINS"] = [service.origin]
    yield service
    service.stop()


def subscribe(db: Session, user_id: int, device: Device) -> PushSubscription:
    subscription = PushSubscription(
        user_id=user_id, endpoint=device.endpoint, p256dh=device.p256dh, auth=device.auth
    )
    db.add(subscription)
    db.commit()
    return subscription


def due_notification(db: Session, user_id: int, due_at: datetime, **values) -> Notification:
    fields = {
        "kind": "test",
        "title": "Nhắc lịch: ngày mai bạn có ca trực",
        "body": "Thứ Ba 24/11 07:30–11:30 · Trực bộ phận Một cửa",
        "url": "/shifts/mine",
        "dedupe_key": f"test:{uuid.uuid4().hex}",
    } | values
    notification = Notification(user_id=user_id, due_at=due_at, created_at=due_at, **fields)
    db.add(notification)
    db.commit()
    return notification


def notifications_of(db: Session, user_id: int, kind: str | None = None) -> list[Notification]:
    db.expire_all()
    query = select(Notification).where(Notification.user_id == user_id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return list(db.exec(query.order_by(Notification.due_at, Notification.id)).all())
