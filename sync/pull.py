"""The ward's offline copy: everything at first, then only what changed since a cursor.

Rows are read as plain tuples (no ORM objects): a whole ward is 12,000 rows and must be served
in well under a second.
"""

from datetime import datetime, timedelta

from sqlalchemy import or_
from sqlmodel import Session, select

from assistance import catalogue
from assistance.models import AssistanceRecord, AssistanceResident, Outcome
from core import clock, params
from core.clock import as_utc
from households.models import Household, Resident, ResidentialGroup, Ward
from shifts.models import Assignment, Shift, ShiftStatus
from sync import scope as scoping
from volunteer.models import User

# A transaction that started before the cursor was handed out can commit rows stamped earlier than
# it. Each delta therefore starts a little before the previous answer; replaying a few rows twice
# is harmless because the phone stores them by UUID.
CURSOR_OVERLAP = timedelta(minutes=5)
RECENT_RECORDS = 30


class BadCursor(ValueError):
    pass


def parse_cursor(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise BadCursor(value) from None
    if parsed.tzinfo is None or not params.in_range(parsed.date()):
        raise BadCursor(value)
    return parsed


def ward_copy(
    db: Session, *, user: User, ward: Ward, since: datetime | None, held: set[int] | None = None
) -> dict:
    started = clock.now()
    catalogue.ensure_seeded(db, ward.id)
    scope = scoping.plan(
        scoping.scope_groups(db, user=user, ward_id=ward.id, now=started), held=held, since=since
    )
    since, groups = scope.since, scope.groups
    changed = None if groups is None else groups - scope.entered
    households, gone_households = _households(db, ward.id, since, changed)
    residents, gone_residents = _residents(db, ward.id, since, changed)
    if scope.entered:
        households += _households(db, ward.id, None, scope.entered)[0]
        residents += _residents(db, ward.id, None, scope.entered)[0]
    departed = scoping.departures(db, ward_id=ward.id, scope=scope)
    gone_households += [uuid for uuid, _deleted in departed]
    # Outside the copy, not deleted: a phone keeps one it fetched by the online search today.
    outside = [uuid for uuid, deleted in departed if not deleted]
    residents = _nest(households, residents)
    return {
        "cursor": (started - CURSOR_OVERLAP).isoformat(),
        "full": since is None,
        "scope": None if groups is None else sorted(groups),
        "server_time": started.isoformat(),
        "ward": {"id": ward.id, "name": ward.name},
        "groups": _groups(db, ward.id),
        "procedures": _procedures(db, ward.id),
        "shifts": _shifts(db, user.id, started),
        "households": households,
        "residents": residents,
        "deleted": {
            "households": gone_households,
            "residents": gone_residents,
            "outside": outside,
        },
        "followups": _records(db, _in_groups(_followups_query(ward.id), groups), user.id),
        "recent": _records(db, _in_groups(_recent_query(user.id, ward.id), groups), user.id),
    }


def _nest(households: list[dict], residents: list[dict]) -> list[dict]:
    """Residents go inside their household when it is in the answer too, without repeating its
    UUID: in a whole ward's copy that repeat was an eighth of the gzip bytes (9,000 random
    UUIDs gzip cannot shrink). The others, whose household did not change, stay in the list."""
    answered = {household["uuid"]: household for household in households}
    loose = []
    for resident in residents:
        household = answered.get(resident["household_uuid"])
        if household is None:
            loose.append(resident)
        else:
            del resident["household_uuid"]
            household.setdefault("residents", []).append(resident)
    return loose


def copied_residents(copy: dict) -> list[dict]:
    """Every resident of a pull answer as a client reads it (static/js/store.js): those inside
    their household's entry get its UUID back, then those listed on their own."""
    inside = [
        {**resident, "household_uuid": household["uuid"]}
        for household in copy["households"]
        for resident in household.get("residents") or ()
    ]
    return inside + copy["residents"]


def _shifts(db: Session, user_id: int, now: datetime) -> list[dict]:
    """The volunteer's shifts from yesterday to two weeks ahead, to link desk records offline."""
    query = (
        select(Shift.id, Shift.starts_at, Shift.ends_at, Shift.place, Shift.group_id)
        .join(Assignment, Assignment.shift_id == Shift.id)
        .where(
            Assignment.user_id == user_id,
            Shift.status == ShiftStatus.OPEN,
            Shift.starts_at >= now - timedelta(days=1),
            Shift.starts_at <= now + timedelta(days=14),
        )
        .order_by(Shift.starts_at)
    )
    return [
        {
            "id": shift_id,
            "starts_at": as_utc(starts).isoformat(),
            "ends_at": as_utc(ends).isoformat(),
            "place": place,
            "group_id": group_id,
        }
        for shift_id, starts, ends, place, group_id in db.exec(query).all()
    ]


def _groups(db: Session, ward_id: int) -> list[dict]:
    query = (
        select(ResidentialGroup.id, ResidentialGroup.number, ResidentialGroup.name)
        .where(ResidentialGroup.ward_id == ward_id, ResidentialGroup.deleted_at.is_(None))
        .order_by(ResidentialGroup.number)
    )
    return [{"id": i, "number": n, "name": name} for i, n, name in db.exec(query).all()]


def _procedures(db: Session, ward_id: int) -> list[dict]:
    return [
        {"id": p.id, "name": p.name, "mode": p.mode, "active": p.active}
        for p in catalogue.procedures(db, ward_id=ward_id)
    ]


def _in_groups(query, groups: set[int] | None):
    return query if groups is None else query.where(Household.group_id.in_(groups))


def _in_group_rows(query, groups: set[int] | None):
    # Naming the groups on both tables lets the planner start from them rather than the ward's
    # every group: a volunteer's pull then stays as fast however large the ward grows.
    if groups is None:
        return query
    return query.where(Household.group_id.in_(groups), ResidentialGroup.id.in_(groups))


def _households(db: Session, ward_id: int, since: datetime | None, groups: set[int] | None):
    query = (
        select(
            Household.uuid,
            Household.group_id,
            Household.address,
            Household.head_name,
            Household.phone,
            Household.consent,
            Household.deleted_at,
        )
        .join(ResidentialGroup, ResidentialGroup.id == Household.group_id)
        .where(ResidentialGroup.ward_id == ward_id)
    )
    query = _in_group_rows(query, groups)
    if since is None:
        query = query.where(Household.deleted_at.is_(None))
    else:
        query = query.where(or_(Household.updated_at >= since, Household.deleted_at >= since))
    live, gone = [], []
    for uuid, group_id, address, head, phone, consent, deleted_at in db.exec(query).all():
        if deleted_at is not None:
            gone.append(uuid)
            continue
        live.append(
            {
                "uuid": uuid,
                "group_id": group_id,
                "address": address,
                "head_name": head,
                "phone": phone,
                "consent": consent,
            }
        )
    return live, gone


def _residents(db: Session, ward_id: int, since: datetime | None, groups: set[int] | None):
    query = (
        select(
            Resident.uuid,
            Household.uuid,
            Resident.full_name,
            Resident.birth_year,
            Resident.eid_level,
            Resident.deleted_at,
            Household.deleted_at,
        )
        .join(Household, Household.id == Resident.household_id)
        .join(ResidentialGroup, ResidentialGroup.id == Household.group_id)
        .where(ResidentialGroup.ward_id == ward_id)
    )
    query = _in_group_rows(query, groups)
    if since is None:
        query = query.where(Resident.deleted_at.is_(None), Household.deleted_at.is_(None))
    else:
        # A household's change (consent withdrawn, merge) can rewrite its residents without
        # touching their own timestamps, so those residents are sent again too.
        query = query.where(
            or_(
                Resident.updated_at >= since,
                Resident.deleted_at >= since,
                Household.updated_at >= since,
            )
        )
    live, gone = [], []
    for uuid, household_uuid, name, year, level, deleted_at, household_gone in db.exec(query).all():
        if deleted_at is not None or household_gone is not None:
            gone.append(uuid)
            continue
        live.append(
            {
                "uuid": uuid,
                "household_uuid": household_uuid,
                "full_name": name,
                "birth_year": year,
                "eid_level": level,
            }
        )
    return live, gone


def _followups_query(ward_id: int):
    return (
        select(AssistanceRecord, Household.uuid, User.full_name)
        .join(Household, Household.id == AssistanceRecord.household_id)
        .join(User, User.id == AssistanceRecord.volunteer_id)
        .where(
            AssistanceRecord.ward_id == ward_id,
            AssistanceRecord.outcome == Outcome.PENDING,
            AssistanceRecord.resolved_at.is_(None),
            AssistanceRecord.deleted_at.is_(None),
            Household.deleted_at.is_(None),
        )
        .order_by(AssistanceRecord.client_time)
        .limit(500)
    )


def _recent_query(user_id: int, ward_id: int):
    return (
        select(AssistanceRecord, Household.uuid, User.full_name)
        .join(Household, Household.id == AssistanceRecord.household_id)
        .join(User, User.id == AssistanceRecord.volunteer_id)
        .where(
            AssistanceRecord.volunteer_id == user_id,
            AssistanceRecord.ward_id == ward_id,
            AssistanceRecord.deleted_at.is_(None),
            Household.deleted_at.is_(None),
        )
        .order_by(AssistanceRecord.client_time.desc())
        .limit(RECENT_RECORDS)
    )


def _records(db: Session, query, user_id: int) -> list[dict]:
    """`mine`: logged by the user pulling (the phone lists those first; two volunteers may
    well share a full name)."""
    rows = db.exec(query).all()
    ids = [record.id for record, _uuid, _name in rows]
    helped: dict[int, list[str]] = {record_id: [] for record_id in ids}
    if ids:
        for record_id, resident_uuid in db.exec(
            select(AssistanceResident.record_id, Resident.uuid)
            .join(Resident, Resident.id == AssistanceResident.resident_id)
            .where(AssistanceResident.record_id.in_(ids))
        ).all():
            helped[record_id].append(resident_uuid)
    return [
        {
            "uuid": record.uuid,
            "id": record.id,
            "household_uuid": household_uuid,
            "resident_uuids": helped[record.id],
            "kind": record.kind,
            "procedure_id": record.procedure_id,
            "mode": record.mode,
            "outcome": record.outcome,
            "reason": record.reason,
            "place": record.place,
            "client_time": as_utc(record.client_time).isoformat(),
            "volunteer": volunteer,
            "mine": record.volunteer_id == user_id,
        }
        for record, household_uuid, volunteer in rows
    ]
