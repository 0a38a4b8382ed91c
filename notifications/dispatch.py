"""The dispatcher: claim each due notification with one conditional UPDATE, then push it.

Exactly once: only the caller whose UPDATE changed the row (rowcount 1) sends it. A second
dispatcher, in this process or another, gets rowcount 0 for the same row and moves on. The claim
is committed before the push, so no lock is held across network calls.

Never skipped: a dispatcher that dies between its claim and the result leaves a claimed row that
is neither sent nor failed; once CLAIM_LEASE has passed another dispatcher may claim it again.
The lease is far longer than one delivery can take, so a live claim is never taken over. What is
left is a crash after the push service took the message and before sent_at was committed: that
one message can come twice, and its Topic and tag make the phone replace it rather than stack it.
"""

import logging
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, select

from core import clock
from core.clock import as_utc
from notifications.inbox import EXPIRED, NO_SUBSCRIPTION
from notifications.models import Notification
from notifications.push import deliver
from notifications.transport import PushSession
from volunteer.models import User

log = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=10)
BATCH = 100
SENT, FAILED, SKIPPED = "sent", "failed", "skipped"
INACTIVE = "inactive"
SUBSCRIPTION_GONE = "subscription_gone"  # the push service said 404/410 for every device


def _unsettled():
    return Notification.sent_at.is_(None), Notification.failed_at.is_(None)


def due_ids(db: Session, *, now: datetime, limit: int = BATCH) -> list[int]:
    query = (
        select(Notification.id)
        .where(
            *_unsettled(),
            Notification.due_at <= now,
            or_(Notification.claimed_at.is_(None), Notification.claimed_at < now - CLAIM_LEASE),
        )
        .order_by(Notification.due_at, Notification.id)
        .limit(limit)
    )
    return list(db.exec(query).all())


def claim(db: Session, notification_id: int, *, now: datetime) -> bool:
    """True for exactly one caller per row (until the lease of a dead claim runs out)."""
    statement = (
        update(Notification)
        .where(
            Notification.id == notification_id,
            *_unsettled(),
            or_(Notification.claimed_at.is_(None), Notification.claimed_at < now - CLAIM_LEASE),
        )
        .values(claimed_at=now)
    )
    claimed = db.execute(statement).rowcount == 1
    db.commit()
    return claimed


def is_expired(notification: Notification, now: datetime) -> bool:
    return notification.expires_at is not None and as_utc(notification.expires_at) <= now


def dispatch_one(
    db: Session,
    notification_id: int,
    *,
    now: datetime,
    session: PushSession | None = None,
) -> str:
    """Claim, then send, expire or fail one notification; returns what became of it."""
    if not claim(db, notification_id, now=now):
        return SKIPPED
    notification = db.get(Notification, notification_id, populate_existing=True)
    user = db.get(User, notification.user_id)
    if is_expired(notification, now):
        # Sent late, a reminder misleads ("in one hour" when the shift has started): keep the row
        # for the record and say why it never went out.
        return _fail(db, notification, EXPIRED, now)
    if user is None or not user.active:
        return _fail(db, notification, INACTIVE, now)
    delivery = deliver(db, notification, now=now, session=session)
    if delivery.delivered:
        notification.sent_at = now
        db.commit()
        return SENT
    if delivery.errors:
        reason = "; ".join(delivery.errors)
    else:
        reason = SUBSCRIPTION_GONE if delivery.removed else NO_SUBSCRIPTION
    return _fail(db, notification, reason, now)


def _fail(db: Session, notification: Notification, reason: str, now: datetime) -> str:
    notification.failed_at, notification.failure_reason = now, reason[:300]
    db.commit()
    return EXPIRED if reason == EXPIRED else FAILED


def dispatch_due(db: Session) -> Counter:
    """One pass over what is due. The clock is read again for every claim: a claim must carry
    the time it was really made, or a long pass would look like a dead one to another
    dispatcher."""
    counts: Counter = Counter()
    with PushSession() as session:
        for notification_id in due_ids(db, now=clock.now()):
            try:
                counts[dispatch_one(db, notification_id, now=clock.now(), session=session)] += 1
            except Exception:
                # One bad row must not stop the others; its claim lapses and it is retried.
                db.rollback()
                log.exception("dispatching notification %s failed", notification_id)
                counts["error"] += 1
    return counts
