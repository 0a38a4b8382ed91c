"""News about a shift, sent at once: the rota announces it (shifts/notices.py signals), this
module writes it to the inbox, and the dispatcher pushes it to the phone.

A shift cancelled, changed, someone put on or taken off it, a swap offered, accepted or
declined: one row per volunteer told. An offer open to anyone goes to the ward's other
volunteers. Reminders (rules.py) use the same `shift_draft`, so every notice about a shift
carries its topic and urgency the same way.
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
from notifications.models import Urgency
from shifts import notices
from shifts.models import Assignment, Shift, SwapOffer
from volunteer.models import User


def subscribe() -> None:
    """Listen to the rota; connecting the same function again is a no-op (one app per test)."""
    notices.shift_notice.connect(shift_news)
    notices.swap_opened.connect(open_offer)


def topic_for(shift_id: int) -> str:
    """One topic per shift: a newer message about a shift replaces an undelivered older one."""
    return f"shift-{shift_id}"


def urgency_for(shift: Shift, now: datetime) -> str:
    return Urgency.HIGH if clock.local_date(shift.starts_at) == clock.today(now) else Urgency.NORMAL


def shift_draft(
    shift: Shift,
    *,
    user_id: int,
    kind: str,
    key: str,
    title: str,
    body: str,
    due_at: datetime,
    expires_at: datetime | None,
    now: datetime,
    url: str | None = None,
    urgency: str | None = None,
) -> Draft:
    """A notification about a shift: it leads to "my shifts" unless told otherwise."""
    return Draft(
        user_id=user_id,
        kind=kind,
        key=key,
        title=title,
        body=body,
        url=url or path_for("shifts.mine"),
        due_at=due_at,
        expires_at=expires_at,
        topic=topic_for(shift.id),
        urgency=urgency or urgency_for(shift, now),
    )


def _group(db: Session, shift: Shift) -> ResidentialGroup | None:
    return db.get(ResidentialGroup, shift.group_id) if shift.group_id else None


def shift_news(
    db: Session,
    *,
    user_id: int,
    kind: str,
    title: str,
    shift_id: int | None,
    now: datetime,
    detail: str | None = None,
    actor_id: int | None = None,
) -> None:
    """One notice of the rota, as a notification due now. `title` may be a lazy string: it is
    rendered in the recipient's language."""
    user = db.get(User, user_id)
    shift = db.get(Shift, shift_id) if shift_id else None
    if user is None or shift is None:
        return
    with texts.spoken_to(user):
        heading, body = texts.shift_news(title, shift, _group(db, shift), detail)
    draft = shift_draft(
        shift,
        user_id=user_id,
        kind=f"shift_{kind}",
        # An event happens once; its key only has to be unique.
        key=f"event:{kind}:{shift.id}:{user_id}:{uuid.uuid4().hex}",
        title=heading,
        body=body,
        due_at=now,
        # News about a shift is worth reading until the shift is over.
        expires_at=as_utc(shift.ends_at),
        now=now,
    )
    add_once(db, [draft], now=now)


def open_offer(db: Session, *, swap: SwapOffer, shift: Shift, now: datetime) -> int:
    """A shift offered to anyone: every other active volunteer of the ward is asked."""
    offerer = db.get(User, swap.from_user_id)
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
            shift_draft(
                shift,
                user_id=user.id,
                kind="swap_open",
                key=f"swap:{swap.id}:{user.id}",
                title=title,
                body=body,
                due_at=now,
                expires_at=as_utc(shift.starts_at),
                now=now,
            )
        )
    return add_once(db, drafts, now=now)
