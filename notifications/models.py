"""Tables of issue 6: the devices that receive pushes, every notification, per-ward timings.

A notification is a row with a due time. The scheduler's rules create the rows (a unique dedupe
key makes a second run, or a second scheduler, find the row already there) and the dispatcher
claims each row with one conditional UPDATE before it pushes, so no row is sent twice.
"""

from datetime import datetime, time

from sqlalchemy import DateTime, Index, text
from sqlmodel import Field, SQLModel

from core import clock

DEFAULT_EVENING = time(19, 0)
DEFAULT_BEFORE_MINUTES = 60
DEFAULT_DIGEST = time(7, 0)


class Urgency:
    """RFC 8030 section 5.3; "high" is kept for what matters today."""

    NORMAL = "normal"
    HIGH = "high"


class PushSubscription(SQLModel, table=True):
    """One browser on one device; the endpoint is unique, so a device is never registered twice."""

    __tablename__ = "push_subscription"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    endpoint: str = Field(max_length=1000, unique=True)
    p256dh: str = Field(max_length=200)
    auth: str = Field(max_length=100)
    user_agent: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))
    last_success_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class Notification(SQLModel, table=True):
    """Kept whether or not a push got through: the in-app inbox shows the same rows."""

    __tablename__ = "notification"
    __table_args__ = (
        # What the dispatcher scans: rows not yet settled, by due time.
        Index(
            "ix_notification_pending",
            "due_at",
            sqlite_where=text("sent_at IS NULL AND failed_at IS NULL"),
            postgresql_where=text("sent_at IS NULL AND failed_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=30)
    title: str = Field(max_length=120)
    body: str = Field(max_length=400)
    url: str = Field(max_length=200)
    # RFC 8030 Topic: a newer push with the same topic replaces an undelivered older one.
    topic: str | None = Field(default=None, max_length=32)
    urgency: str = Field(default=Urgency.NORMAL, max_length=10)
    # One rule, one moment, one person: a second run of a rule finds its key taken.
    dedupe_key: str = Field(max_length=120, unique=True)
    created_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))
    due_at: datetime = Field(sa_type=DateTime(timezone=True))
    expires_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    claimed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    sent_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    failed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    # "expired", "no_subscription", or the push service's answer.
    failure_reason: str | None = Field(default=None, max_length=300)
    opened_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class NotificationSettings(SQLModel, table=True):
    """A ward's reminder times (the ward's wall clock); no row means the defaults."""

    __tablename__ = "notification_settings"

    ward_id: int = Field(foreign_key="ward.id", primary_key=True)
    evening: bool = Field(default=True)
    evening_at: time = Field(default=DEFAULT_EVENING)
    # 0 turns the reminder shortly before the shift off.
    before_minutes: int = Field(default=DEFAULT_BEFORE_MINUTES)
    digest_at: time = Field(default=DEFAULT_DIGEST)
    updated_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))
