"""News about a shift, sent at once: the rota's services call these as things happen.

shifts.notices.notify() (a shift cancelled, changed, someone put on or taken off it, a swap
offered, accepted or declined) hands every notice to `shift_news`; the same news then reaches the
phone and the in-app inbox. An offer open to anyone goes to the ward's other volunteers.
"""

import uuid
from datetime import datetime

from sqlmodel import Session, select

from core import clock
from core.access import Role
from core.clock import as_utc
from households.models import ResidentialGroup
from notifications import texts
from notifications.inbox import Draft, add_once, path_for
from notifications.models import Notification, Urgency
from shifts.models import Assignment, Shift
from volunteer.models import User


def topic_for(shift_id: int) -> str:
    """One topic per shift: a newer message about a shift replaces an undelivered older one."""
    return f"shift-{shift_id}"


def urgency_for(shift: Shift, now: datetime) -> str:
    return Urgency.HIGH if clock.local_date(shift.starts_at) == clock.today(now) else Urgency.NORMAL


def _group(db: Session, shift: Shift) -> ResidentialGroup | None:
    return db.get(ResidentialGroup, shift.group_id) if shift.group_id else None


def shift_news(
    db: Session,
    *,
    user_id: int,
    kind: str,
    title: str,
    shift_id: int | None,
    detail: str | None = None,
    now: datetime | None = None,
) -> None:
    """One notice of the rota, as a notification due now. `title` may be a lazy string: it is
    rendered in the recipient's language."""
    now = now or clock.now()
    user = db.get(User, user_id)
    shift = db.get(Shift, shift_id) if shift_id else None
    if user is None or shift is None:
        return
    with texts.spoken_to(user):
        heading, body = texts.shift_news(title, shift, _group(db, shift), detail)
    db.add(
        Notification(
            user_id=user_id,
            kind=f"shift_{kind}"[:30],
            # An event happens once; its key only has to be unique.
            dedupe_key=f"event:{kind}:{shift.id}:{user_id}:{uuid.uuid4().hex}"[:120],
            title=heading[:120],
            body=body[:400],
            url=path_for("shifts.mine"),
            topic=topic_for(shift.id),
            urgency=urgency_for(shift, now),
            created_at=now,
            due_at=now,
            # News about a shift is worth reading until the shift is over.
            expires_at=as_utc(shift.ends_at),
        )
    )


def open_offer(db: Session, *, swap_id: int, shift: Shift, from_user_id: int, now: datetime) -> int:
    """A shift offered to anyone: every other active volunteer of the ward is asked."""
    offerer = db.get(User, from_user_id)
    on_shift = select(Assignment.user_id).where(Assignment.shift_id == shift.id)
    colleagues = db.exec(
        select(User).where(
            User.ward_id == shift.ward_id,
            User.role == Role.VOLUNTEER,
            User.active.is_(True),
            User.id.not_in(on_shift),
        )
    ).all()
    group = _group(db, shift)
    drafts = []
    for user in colleagues:
        with texts.spoken_to(user):
            title, body = texts.open_swap(shift, group, offerer.full_name if offerer else "")
        drafts.append(
            Draft(
                user_id=user.id,
                kind="swap_open",
                key=f"swap:{swap_id}:{user.id}",
                title=title,
                body=body,
                url=path_for("shifts.mine"),
                due_at=now,
                expires_at=as_utc(shift.starts_at),
                topic=topic_for(shift.id),
                urgency=urgency_for(shift, now),
            )
        )
    return add_once(db, drafts, now=now)
