"""One notification to every device of its user, through pywebpush (RFC 8030/8291/8292)."""

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime

import requests
from flask import current_app
from pywebpush import WebPushException, webpush
from sqlmodel import Session, select

from core.clock import as_utc
from notifications import endpoints, vapid
from notifications.inbox import path_for
from notifications.models import Notification, PushSubscription
from notifications.transport import PushSession

log = logging.getLogger(__name__)

TTL_SECONDS = 12 * 3600  # a push service keeps an undelivered message this long at most
TIMEOUT_SECONDS = 10
GONE = {404, 410}  # RFC 8030 section 7.3: the subscription no longer exists
ICON = "icons/icon-192.png"


@dataclass
class Delivery:
    delivered: int = 0
    removed: int = 0
    errors: list[str] = field(default_factory=list)


def payload(notification: Notification) -> str:
    """What the service worker reads in its `push` handler."""
    return json.dumps(
        {
            "id": notification.id,
            "title": notification.title,
            "body": notification.body,
            "url": path_for("notifications.open_one", notification_id=notification.id),
            "tag": notification.topic or f"n{notification.id}",
            "icon": path_for("static", filename=ICON),
        },
        ensure_ascii=False,
    )


def ttl_for(notification: Notification, now: datetime) -> int:
    """Never ask the push service to keep a reminder past the moment it stops being useful."""
    ttl = TTL_SECONDS
    if notification.expires_at is not None:
        ttl = min(ttl, int((as_utc(notification.expires_at) - now).total_seconds()))
    return max(ttl, 0)


def headers_for(notification: Notification) -> dict[str, str]:
    headers = {"Urgency": notification.urgency}
    if notification.topic:
        headers["Topic"] = notification.topic
    return headers


def vapid_claims() -> dict[str, str]:
    """A new dict for every push: pywebpush writes `aud` (the endpoint's origin) and `exp` into
    the dict it is given, so a shared dict would carry the first push service's audience and a
    stale expiry into every later push."""
    return {"sub": current_app.config["VAPID_SUBJECT"]}


def subscriptions_of(db: Session, user_id: int) -> list[PushSubscription]:
    query = select(PushSubscription).where(PushSubscription.user_id == user_id)
    return list(db.exec(query.order_by(PushSubscription.id)).all())


def send_one(
    subscription: PushSubscription,
    notification: Notification,
    *,
    now: datetime,
    session: PushSession,
) -> requests.Response:
    """POST one encrypted message; raises WebPushException, RefusedEndpoint or requests' errors."""
    endpoints.check_url(subscription.endpoint, current_app.config)
    return webpush(
        subscription_info={
            "endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
        },
        data=payload(notification),
        vapid_private_key=vapid.load(),
        vapid_claims=vapid_claims(),
        content_encoding="aes128gcm",
        ttl=ttl_for(notification, now),
        headers=headers_for(notification),
        timeout=TIMEOUT_SECONDS,
        requests_session=session,
    )


def deliver(
    db: Session,
    notification: Notification,
    *,
    now: datetime,
    session: PushSession | None = None,
) -> Delivery:
    """Push to each device of the user; forget devices the push service says are gone, and
    endpoints the server must never connect to (stored before they were checked)."""
    result = Delivery()
    session = session or PushSession()
    for subscription in subscriptions_of(db, notification.user_id):
        try:
            endpoints.check_url(subscription.endpoint, current_app.config)
        except endpoints.RefusedEndpoint as refused:
            log.warning("subscription %s removed: %s", subscription.id, refused)
            db.delete(subscription)
            result.removed += 1
            continue
        try:
            send_one(subscription, notification, now=now, session=session)
        except WebPushException as error:
            response = error.response
            status = response.status_code if response is not None else None
            if status in GONE:
                db.delete(subscription)
                result.removed += 1
                continue
            answer = response.text[:200] if response is not None else str(error)[:200]
            log.warning(
                "push %s to subscription %s failed: %s %s",
                notification.id,
                subscription.id,
                status,
                answer,
            )
            result.errors.append(f"{status}: {answer}")
        except (requests.RequestException, endpoints.RefusedEndpoint) as error:
            log.warning(
                "push %s to subscription %s failed: %r", notification.id, subscription.id, error
            )
            result.errors.append(f"{type(error).__name__}: {error}"[:200])
        else:
            subscription.last_success_at = now
            result.delivered += 1
    return result
