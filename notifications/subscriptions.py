"""Storing and removing a device's push subscription (what PushSubscription.toJSON() gives)."""

import base64
import binascii
from datetime import datetime

from flask import current_app, session
from sqlmodel import Session, select

from core.db import get_session
from core.text import UnprintableText, refuse_unprintable
from notifications import endpoints
from notifications.models import PushSubscription

SESSION_KEY = "push_endpoint"


class BadSubscription(ValueError):
    """str() names the field that is wrong."""


class RefusedService(BadSubscription):
    """The endpoint is not a push service the server will connect to."""


def _storable(value: object) -> bool:
    """A string that core/text.py's rule leaves as it is (PostgreSQL cannot even compare NUL)."""
    if not isinstance(value, str):
        return False
    try:
        refuse_unprintable(value)
    except UnprintableText:
        return False
    return True


def _decoded(value: object, length: int, name: str) -> str:
    if not isinstance(value, str) or len(value) > 200:
        raise BadSubscription(name)
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as error:
        raise BadSubscription(name) from error
    if len(raw) != length:
        raise BadSubscription(name)
    return value.rstrip("=")


def parse(data: object) -> tuple[str, str, str]:
    """(endpoint, p256dh, auth), checked: the server will POST to that endpoint."""
    if not isinstance(data, dict):
        raise BadSubscription("body")
    endpoint = data.get("endpoint")
    keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
    if not _storable(endpoint) or len(endpoint) > 1000:
        raise BadSubscription("endpoint")
    try:
        endpoints.check_url(endpoint, current_app.config)
    except endpoints.RefusedEndpoint as refused:
        raise RefusedService("endpoint") from refused
    p256dh = _decoded(keys.get("p256dh"), 65, "p256dh")  # an uncompressed P-256 point
    auth = _decoded(keys.get("auth"), 16, "auth")  # RFC 8291: 16 random bytes
    return endpoint, p256dh, auth


def save(
    db: Session, *, user_id: int, data: object, user_agent: str | None, now: datetime
) -> PushSubscription:
    """One row per endpoint: a device that subscribes again, or passes to another user after a
    logout and login, updates its row instead of adding a second one."""
    endpoint, p256dh, auth = parse(data)
    subscription = db.exec(
        select(PushSubscription).where(PushSubscription.endpoint == endpoint)
    ).first()
    if subscription is None:
        subscription = PushSubscription(endpoint=endpoint, user_id=user_id, p256dh="", auth="")
        subscription.created_at = now
        db.add(subscription)
    subscription.user_id, subscription.p256dh, subscription.auth = user_id, p256dh, auth
    subscription.user_agent = (user_agent or "")[:200] or None
    return subscription


def remove(db: Session, *, user_id: int, endpoint: object) -> bool:
    if not _storable(endpoint):
        return False
    subscription = db.exec(
        select(PushSubscription).where(
            PushSubscription.endpoint == endpoint, PushSubscription.user_id == user_id
        )
    ).first()
    if subscription is None:
        return False
    db.delete(subscription)
    return True


def count_for(db: Session, *, user_id: int) -> int:
    query = select(PushSubscription.id).where(PushSubscription.user_id == user_id)
    return len(db.exec(query).all())


def forget_device_on_logout(_app, user, **_extra) -> None:
    """A phone passed to the next volunteer must not keep showing the last one's reminders."""
    endpoint = session.pop(SESSION_KEY, None)
    if user is not None and endpoint:
        db = get_session()
        if remove(db, user_id=user.id, endpoint=endpoint):
            db.commit()
