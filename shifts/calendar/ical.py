"""The private iCal feed: a volunteer's shifts at a secret URL their calendar app subscribes to.

UIDs are derived from the shift id and DTSTAMP from the shift's last change, so fetching the feed
twice gives the same events and calendar apps update them instead of adding duplicates.
"""

import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlmodel import Session, select

from core import clock
from core.clock import as_utc
from households.models import ResidentialGroup, Ward
from shifts.labels import place_text
from shifts.models import Assignment, CalendarToken, Shift, ShiftStatus
from volunteer.models import User

PAST_DAYS = 60
UID_DOMAIN = "thanhnien247"


def event_uid(shift_id: int) -> str:
    return f"shift-{shift_id}@{UID_DOMAIN}"


def token_for(db: Session, *, user_id: int) -> CalendarToken:
    token = db.get(CalendarToken, user_id)
    if token is None:
        token = CalendarToken(user_id=user_id, token=secrets.token_urlsafe(32))
        db.add(token)
        db.flush()
    return token


def regenerate(db: Session, *, user_id: int, now: datetime) -> CalendarToken:
    """A new secret; the old URL stops working at once."""
    token = token_for(db, user_id=user_id)
    token.token, token.created_at = secrets.token_urlsafe(32), now
    db.flush()
    return token


def user_for_token(db: Session, token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    found = db.exec(select(CalendarToken).where(CalendarToken.token == token)).first()
    if found is None:
        return None
    user = db.get(User, found.user_id)
    return user if user is not None and user.active else None


def feed(db: Session, *, user: User, now: datetime) -> bytes:
    ward = db.get(Ward, user.ward_id) if user.ward_id else None
    rows = db.exec(
        select(Shift, ResidentialGroup)
        .join(Assignment, Assignment.shift_id == Shift.id)
        .outerjoin(ResidentialGroup, ResidentialGroup.id == Shift.group_id)
        .where(
            Assignment.user_id == user.id,
            Shift.status == ShiftStatus.OPEN,
            Shift.starts_at >= now - timedelta(days=PAST_DAYS),
        )
        .order_by(Shift.starts_at)
    ).all()
    calendar = Calendar()
    calendar.add("prodid", "-//Thanh nien 24/7//Lich truc//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Ca trực Thanh niên 24/7"))
    calendar.add("x-wr-timezone", clock.WARD_TIMEZONE)
    for shift, group in rows:
        event = Event()
        event.add("uid", event_uid(shift.id))
        event.add("dtstamp", as_utc(shift.updated_at))
        event.add("dtstart", as_utc(shift.starts_at))
        event.add("dtend", as_utc(shift.ends_at))
        event.add("summary", place_text(shift, group))
        if ward is not None:
            event.add("location", _("Phường %(name)s", name=ward.name))
        calendar.add_component(event)
    return calendar.to_ical()
