"""Writing notification rows, and reading them back for the in-app inbox and the bell."""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from notifications.models import Notification, Urgency

EXPIRED = "expired"
NO_SUBSCRIPTION = "no_subscription"
INBOX_SIZE = 50
CHUNK = 200  # rows per INSERT, well under SQLite's limit on bound parameters


@dataclass
class Draft:
    """A notification a rule wants; `key` makes it unique across runs and schedulers."""

    user_id: int
    kind: str
    key: str
    title: str
    body: str
    url: str
    due_at: datetime
    expires_at: datetime | None = None
    topic: str | None = None
    urgency: str = Urgency.NORMAL

    def row(self, now: datetime) -> dict:
        return {
            "user_id": self.user_id,
            "kind": self.kind,
            "dedupe_key": self.key[:120],
            "title": self.title[:120],
            "body": self.body[:400],
            "url": self.url[:200],
            "due_at": self.due_at,
            "expires_at": self.expires_at,
            "topic": self.topic,
            "urgency": self.urgency,
            "created_at": now,
        }


def path_for(endpoint: str, **values) -> str:
    """A site-relative URL that works without a request too: the scheduler has none, and
    url_for() outside a request wants SERVER_NAME, which this app does not need otherwise."""
    adapter = current_app.url_map.bind("localhost", script_name="/")
    return adapter.build(endpoint, values)


def add_once(db: Session, drafts: list[Draft], *, now: datetime) -> int:
    """Insert the drafts whose key is new; returns how many rows were written.

    INSERT ... ON CONFLICT DO NOTHING rather than check-then-insert: two schedulers running the
    same rule at the same moment both try, and the database keeps exactly one row.
    """
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    written = 0
    for start in range(0, len(drafts), CHUNK):
        statement = (
            dialect.insert(Notification.__table__)  # the table: a Core insert, one statement
            .values([draft.row(now) for draft in drafts[start : start + CHUNK]])
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(Notification.__table__.c.id)
        )
        written += len(db.execute(statement).all())
    return written


def existing_keys(db: Session, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    query = select(Notification.dedupe_key).where(Notification.dedupe_key.in_(keys))
    return set(db.exec(query).all())


def _visible(user_id: int, now: datetime):
    """What the inbox shows: due, and not a reminder that lapsed unsent."""
    return (
        Notification.user_id == user_id,
        Notification.due_at <= now,
        or_(Notification.failure_reason.is_(None), Notification.failure_reason != EXPIRED),
    )


def unread_count(db: Session, *, user_id: int, now: datetime) -> int:
    query = select(func.count(Notification.id)).where(
        *_visible(user_id, now),
        Notification.opened_at.is_(None),
        or_(Notification.expires_at.is_(None), Notification.expires_at > now),
    )
    return db.exec(query).one()


def latest(db: Session, *, user_id: int, now: datetime, limit: int = INBOX_SIZE) -> list:
    query = (
        select(Notification)
        .where(*_visible(user_id, now))
        .order_by(Notification.due_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return list(db.exec(query).all())


def mark_opened(db: Session, notification: Notification, *, now: datetime) -> None:
    if notification.opened_at is None:
        notification.opened_at = now


def mark_all_opened(db: Session, *, user_id: int, now: datetime) -> int:
    statement = (
        update(Notification)
        .where(*_visible(user_id, now), Notification.opened_at.is_(None))
        .values(opened_at=now)
    )
    return db.execute(statement).rowcount
