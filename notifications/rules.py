"""What the scheduler sends, as functions of the database and `now` (a UTC instant).

Each rule runs every minute and writes the notifications whose moment has come (due_at <= now);
the dedupe key keeps each one to a single row however often, or by however many schedulers, the
rule runs. Shift reminders missed while the scheduler was down (up to LOOKBACK) are still written,
with their own due time, so the dispatcher can tell one that is still useful from one that has
lapsed and mark it expired.
"""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from assistance.models import AssistanceRecord, Outcome
from core import clock
from core.access import Role
from core.clock import as_utc
from eid_coverage.period import for_week
from eid_coverage.queries import ward_dashboard
from households.models import Household, ResidentialGroup, Ward
from notifications import texts
from notifications.events import shift_draft
from notifications.inbox import Draft, add_once, existing_keys, path_for
from notifications.models import NotificationSettings, Urgency
from shifts.models import Assignment, Shift, ShiftStatus
from volunteer.models import User

LOOKBACK = timedelta(hours=12)  # how far back missed reminders are still written (then expired)
EVENING_VALID = timedelta(hours=3)  # an evening reminder sent after 22:00 would wake people
UNDERSTAFFED_AHEAD = timedelta(hours=48)
FOLLOWUP_AFTER = timedelta(days=3)
# A follow-up is reminded on the day it turns three days old, not weeks later: without this,
# the first start (or a long outage) would push every old open follow-up at once.
FOLLOWUP_VALID = timedelta(days=1)
DIGEST_VALID = timedelta(days=2)
DAY_STARTS, DAY_ENDS = 7, 21  # local hours between which a follow-up reminder may go out


def settings_for(db: Session, ward_id: int) -> NotificationSettings:
    return db.get(NotificationSettings, ward_id) or NotificationSettings(ward_id=ward_id)


def _groups(db: Session, shifts) -> dict[int, ResidentialGroup]:
    ids = {shift.group_id for shift in shifts if shift.group_id}
    if not ids:
        return {}
    return {g.id: g for g in db.exec(select(ResidentialGroup).where(ResidentialGroup.id.in_(ids)))}


def reminder_moments(shift: Shift, settings: NotificationSettings):
    """(kind, due, expires) of the evening-before and the shortly-before reminder."""
    starts = as_utc(shift.starts_at)
    soon = None
    if settings.before_minutes > 0:
        soon = ("reminder_soon", starts - timedelta(minutes=settings.before_minutes), starts)
    if settings.evening:
        eve = clock.to_utc(clock.local_date(starts) - timedelta(days=1), settings.evening_at)
        if soon is None or eve < soon[1]:
            yield "reminder_evening", eve, min(eve + EVENING_VALID, starts)
    if soon is not None:
        yield soon


def shift_reminders(db: Session, *, now: datetime) -> int:
    """The evening before and a while before a shift, to each volunteer on it."""
    rows = db.exec(
        select(Shift, Assignment, User)
        .join(Assignment, Assignment.shift_id == Shift.id)
        .join(User, User.id == Assignment.user_id)
        .where(
            Shift.status == ShiftStatus.OPEN,
            Shift.starts_at > now - LOOKBACK,
            Shift.starts_at <= now + timedelta(days=2),
            User.active.is_(True),
        )
    ).all()
    settings: dict[int, NotificationSettings] = {}
    wanted = []
    for shift, assignment, user in rows:
        if shift.ward_id not in settings:
            settings[shift.ward_id] = settings_for(db, shift.ward_id)
        ward = settings[shift.ward_id]
        for kind, due, expires in reminder_moments(shift, ward):
            # Someone who joined after the moment was just told (or signed up themselves).
            if due <= now and as_utc(assignment.created_at) <= due:
                wanted.append((f"{kind}:{shift.id}:{user.id}", kind, due, expires, shift, user))
    taken = existing_keys(db, [item[0] for item in wanted])
    groups = _groups(db, [item[4] for item in wanted])
    drafts = []
    for key, kind, due, expires, shift, user in wanted:
        if key in taken:
            continue
        group = groups.get(shift.group_id)
        with texts.spoken_to(user):
            if kind == "reminder_soon":
                title, body = texts.soon_reminder(shift, group)
            else:
                title, body = texts.evening_reminder(shift, group)
        drafts.append(
            shift_draft(
                shift,
                user_id=user.id,
                kind=kind,
                key=key,
                title=title,
                body=body,
                due_at=due,
                expires_at=expires,
                now=now,
                # Same-day reminders must not wait for the phone's battery saver.
                urgency=Urgency.HIGH if kind == "reminder_soon" else Urgency.NORMAL,
            )
        )
    return add_once(db, drafts, now=now)


def understaffed(db: Session, *, now: datetime) -> int:
    """A shift still short of its minimum 48 hours before it starts, to the ward's secretaries."""
    shifts = db.exec(
        select(Shift).where(
            Shift.status == ShiftStatus.OPEN,
            Shift.starts_at > now,
            Shift.starts_at <= now + UNDERSTAFFED_AHEAD,
            Shift.assigned_count < Shift.min_volunteers,
        )
    ).all()
    secretaries = _staff(db, {shift.ward_id for shift in shifts}, {Role.SECRETARY})
    groups = _groups(db, shifts)
    drafts = []
    for shift in shifts:
        for user in secretaries.get(shift.ward_id, []):
            with texts.spoken_to(user):
                title, body = texts.understaffed(shift, groups.get(shift.group_id))
            drafts.append(
                shift_draft(
                    shift,
                    user_id=user.id,
                    kind="understaffed",
                    key=f"understaffed:{shift.id}:{user.id}",
                    title=title,
                    body=body,
                    url=path_for("shifts.shift_detail", shift_id=shift.id),
                    due_at=as_utc(shift.starts_at) - UNDERSTAFFED_AHEAD,
                    expires_at=as_utc(shift.starts_at),
                    now=now,
                )
            )
    return add_once(db, _new_only(db, drafts), now=now)


def followup_due(logged_at: datetime) -> datetime:
    """Three days after logging, moved into the day: nobody wants this at 2 a.m."""
    moment = clock.local(logged_at + FOLLOWUP_AFTER)
    start_of_day = {"minute": 0, "second": 0, "microsecond": 0, "hour": DAY_STARTS}
    if moment.hour < DAY_STARTS:
        moment = moment.replace(**start_of_day)
    elif moment.hour >= DAY_ENDS:
        moment = (moment + timedelta(days=1)).replace(**start_of_day)
    return moment.astimezone(UTC)


def stale_followups(db: Session, *, now: datetime) -> int:
    """Follow-ups still open three days after they were logged, to the one who logged them."""
    rows = db.exec(
        select(AssistanceRecord, ResidentialGroup.number, User)
        .join(Household, Household.id == AssistanceRecord.household_id)
        .join(ResidentialGroup, ResidentialGroup.id == Household.group_id)
        .join(User, User.id == AssistanceRecord.volunteer_id)
        .where(
            AssistanceRecord.outcome == Outcome.PENDING,
            AssistanceRecord.resolved_at.is_(None),
            AssistanceRecord.deleted_at.is_(None),
            AssistanceRecord.client_time <= now - FOLLOWUP_AFTER,
            # Margin: the reminder of a record logged late at night moves to the next morning.
            AssistanceRecord.client_time
            > now - FOLLOWUP_AFTER - FOLLOWUP_VALID - timedelta(days=1),
            User.active.is_(True),
        )
    ).all()
    drafts = []
    for record, group_number, user in rows:
        due = followup_due(as_utc(record.client_time))
        if not due <= now < due + FOLLOWUP_VALID:
            continue
        with texts.spoken_to(user):
            title, body = texts.stale_followup(record.kind, group_number, record.client_time)
        drafts.append(
            Draft(
                user_id=user.id,
                kind="followup",
                key=f"followup:{record.id}",
                title=title,
                body=body,
                url=path_for("assistance.followups"),
                due_at=due,
                expires_at=due + FOLLOWUP_VALID,
                # Several on one day show as one notification on the phone; the inbox has all.
                topic="followups",
            )
        )
    return add_once(db, _new_only(db, drafts), now=now)


def weekly_digest(db: Session, *, now: datetime) -> int:
    """Monday morning: the ward's e-ID coverage and last week's work, to officers and secretary."""
    monday = clock.week_start(clock.today(now))
    wards = db.exec(select(Ward.id)).all()
    staff = _staff(db, set(wards), {Role.SECRETARY, Role.WARD_OFFICER})
    drafts = []
    for ward_id in wards:
        due = clock.to_utc(monday, settings_for(db, ward_id).digest_at)
        if due > now:
            continue
        keys = {
            u.id: f"digest:{ward_id}:{monday.isoformat()}:{u.id}" for u in staff.get(ward_id, [])
        }
        taken = existing_keys(db, list(keys.values()))
        fresh = [u for u in staff.get(ward_id, []) if keys[u.id] not in taken]
        if not fresh:
            continue
        # Last week's figures, the same the coverage dashboard shows for that week.
        dashboard = ward_dashboard(db, ward_id=ward_id, period=for_week(monday - timedelta(days=7)))
        pending = _open_followups(db, ward_id=ward_id)
        for user in fresh:
            with texts.spoken_to(user):
                title, body = texts.weekly_digest(monday, dashboard, pending)
            drafts.append(
                Draft(
                    user_id=user.id,
                    kind="digest",
                    key=keys[user.id],
                    title=title,
                    body=body,
                    url=path_for("coverage.dashboard"),
                    due_at=due,
                    expires_at=due + DIGEST_VALID,
                )
            )
    return add_once(db, drafts, now=now)


def _open_followups(db: Session, *, ward_id: int) -> int:
    query = select(func.count(AssistanceRecord.id)).where(
        AssistanceRecord.ward_id == ward_id,
        AssistanceRecord.outcome == Outcome.PENDING,
        AssistanceRecord.resolved_at.is_(None),
        AssistanceRecord.deleted_at.is_(None),
    )
    return db.exec(query).one()


def _staff(db: Session, ward_ids: set[int], roles: set[Role]) -> dict[int, list[User]]:
    if not ward_ids:
        return {}
    users = db.exec(
        select(User)
        .where(User.ward_id.in_(ward_ids), User.role.in_(roles), User.active.is_(True))
        .order_by(User.id)
    ).all()
    found: dict[int, list[User]] = {}
    for user in users:
        found.setdefault(user.ward_id, []).append(user)
    return found


def _new_only(db: Session, drafts: list[Draft]) -> list[Draft]:
    """Skip rows already written (the insert would skip them too; this saves the round trip)."""
    taken = existing_keys(db, [draft.key for draft in drafts])
    return [draft for draft in drafts if draft.key not in taken]


RULES = (shift_reminders, understaffed, stale_followups, weekly_digest)


def run_rules(db: Session, *, now: datetime) -> dict[str, int]:
    """Every rule once; returns how many notifications each one wrote."""
    return {rule.__name__: rule(db, now=now) for rule in RULES}
