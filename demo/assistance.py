"""The demo ward's last eight weeks of help: desk sessions and field visits, e-ID registrations
that explain part of today's coverage, follow-ups (some still open), and online dossiers.

Desk records come from the attended past shifts when the rota demo is loaded; otherwise from
Monday, Wednesday and Friday sessions made up here. Saturday visits go to the groups with the
largest gap, as the coverage dashboard suggests.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import bindparam, insert, update
from sqlmodel import Session, select

from assistance import catalogue
from assistance.models import AssistanceRecord, AssistanceResident, Kind, Mode, Outcome, Place
from core import clock
from core.access import Role
from core.clock import as_utc
from core.ids import uuid7
from households.models import Household, Resident, ResidentialGroup, Ward
from households.queries import adult_birth_year_limit
from shifts.models import Assignment, Attendance, Shift, ShiftStatus
from volunteer.models import User

WEEKS = 8
PENDING_REASONS = [
    "Hẹn công an phường xác thực mức 2",
    "Chưa mang căn cước gắn chip, hẹn lần sau",
    "Điện thoại không nhận được mã OTP",
]
FAILED_REASONS = ["Người dân chưa muốn đăng ký", "Điện thoại không cài được VNeID"]
DOSSIER_PENDING = "Thiếu giấy tờ, hẹn bổ sung"


@dataclass
class Visit:
    starts: datetime
    ends: datetime
    place: str
    group_id: int | None
    people: list[int]
    shift_id: int | None = None


def _local(day, hour: int, minute: int = 0) -> datetime:
    return clock.to_utc(day, time(hour, minute))


def _sessions(db: Session, rng: random.Random, ward_id: int, people: list[int], now: datetime):
    """Attended past shifts, or made-up desk sessions when the ward has no rota yet."""
    since = now - timedelta(weeks=WEEKS)
    rows = db.exec(
        select(Shift, Assignment)
        .join(Assignment, Assignment.shift_id == Shift.id)
        .where(
            Shift.ward_id == ward_id,
            Shift.status == ShiftStatus.OPEN,
            Shift.starts_at >= since,
            Shift.ends_at <= now,
            Assignment.attendance == Attendance.PRESENT,
        )
    ).all()
    by_shift: dict[int, Visit] = {}
    for shift, assignment in rows:
        visit = by_shift.setdefault(
            shift.id,
            Visit(
                as_utc(shift.starts_at),
                as_utc(shift.ends_at),
                shift.place,
                shift.group_id,
                [],
                shift.id,
            ),
        )
        visit.people.append(assignment.user_id)
    if by_shift:
        return list(by_shift.values())
    sessions = []
    day = clock.local_date(since)
    while _local(day, 17) < now:
        if day.weekday() in (0, 2, 4):
            for start, end in (
                (_local(day, 7, 30), _local(day, 11, 30)),
                (_local(day, 13, 30), _local(day, 17)),
            ):
                if end < now:
                    sessions.append(Visit(start, end, "desk", None, rng.sample(people, 3)))
        day += timedelta(days=1)
    return sessions


def _saturdays(rng: random.Random, groups_by_gap: list[int], people: list[int], now: datetime):
    """Door-to-door on Saturday mornings, two groups at a time, worst first."""
    sessions, day = [], clock.local_date(now - timedelta(weeks=WEEKS))
    targets = iter(groups_by_gap * 4)
    while _local(day, 11) < now:
        if day.weekday() == 5:
            for _ in range(2):
                sessions.append(
                    Visit(
                        _local(day, 7, 30),
                        _local(day, 11),
                        "field",
                        next(targets),
                        rng.sample(people, 3),
                    )
                )
        day += timedelta(days=1)
    return sessions


def build_demo_assistance(db: Session, *, seed: int, now: datetime | None = None) -> dict[str, int]:
    rng = random.Random(seed + 5)
    now = now or clock.now()
    ward = db.exec(select(Ward).where(Ward.name == "Thanh Khê Đông")).one()
    people = list(
        db.exec(
            select(User.id)
            .where(User.ward_id == ward.id, User.role == Role.VOLUNTEER)
            .order_by(User.username)
        ).all()
    )
    catalogue.ensure_seeded(db, ward.id)
    procedures = catalogue.procedures(db, ward_id=ward.id, active_only=True)
    households = db.exec(
        select(Household.id, Household.group_id)
        .join(ResidentialGroup, ResidentialGroup.id == Household.group_id)
        .where(ResidentialGroup.ward_id == ward.id, Household.deleted_at.is_(None))
        .order_by(Household.id)
    ).all()
    by_group: dict[int, list[int]] = defaultdict(list)
    for household_id, group_id in households:
        by_group[group_id].append(household_id)
    members: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    limit = adult_birth_year_limit()
    for rid, hid, birth, level in db.exec(
        select(Resident.id, Resident.household_id, Resident.birth_year, Resident.eid_level).where(
            Resident.household_id.in_([h for h, _g in households])
        )
    ).all():
        members[hid].append((rid, birth, level))
    gap = {
        g: sum(1 for h in hs for _r, b, lv in members[h] if b <= limit and lv == 0)
        for g, hs in by_group.items()
    }
    groups_by_gap = sorted(gap, key=lambda g: -gap[g])[:8]

    sessions = _sessions(db, rng, ward.id, people, now) + _saturdays(
        rng, groups_by_gap, people, now
    )
    sessions.sort(key=lambda s: s.starts)
    records, links, confirmed, pending = [], [], {}, []
    for visit in sessions:
        for volunteer in visit.people:
            span = (visit.ends - visit.starts).total_seconds()
            count = rng.randint(4, 9) if visit.place == "field" else rng.randint(2, 7)
            for _ in range(count):
                at = visit.starts + timedelta(seconds=rng.uniform(0, span))
                pool = (
                    by_group[visit.group_id]
                    if visit.group_id in by_group
                    else [h for h, _g in households]
                )
                hid = rng.choice(pool)
                record = {"procedure_id": None, "mode": None, "dossier_code": None, "reason": None}
                record.update(_one_record(rng, hid, members[hid], limit, procedures, confirmed, at))
                record.update(
                    uuid=uuid7(at=at, rng=rng),
                    ward_id=ward.id,
                    household_id=hid,
                    volunteer_id=volunteer,
                    place=Place.HOME if visit.place == "field" else Place.DESK,
                    shift_id=visit.shift_id,
                    minutes=rng.randint(5, 25),
                    client_time=at,
                    received_at=at + timedelta(minutes=rng.randint(0, 90)),
                    updated_at=at,
                )
                records.append(record)
    ids = (
        db.execute(
            insert(AssistanceRecord).returning(AssistanceRecord.id),
            [{k: v for k, v in r.items() if k != "_residents"} for r in records],
        )
        .scalars()
        .all()
    )
    for record_id, record in zip(ids, records, strict=True):
        links.extend({"record_id": record_id, "resident_id": rid} for rid in record["_residents"])
        if record["outcome"] == Outcome.PENDING:
            pending.append((record_id, record))
    if links:
        db.execute(insert(AssistanceResident), links)
    _resolve_some(db, rng, pending, ids, records, now)
    if confirmed:
        table = Resident.__table__
        db.execute(
            update(table)
            .where(table.c.id == bindparam("rid"))
            .values(eid_confirmed_on=bindparam("on")),
            [{"rid": rid, "on": on} for rid, on in confirmed.items()],
        )
    db.flush()
    return {"records": len(records), "eid_confirmed": len(confirmed), "followups": len(pending)}


def _one_record(rng, hid, household, limit, procedures, confirmed, at) -> dict:
    """What was done for one household on one visit, and for whom."""
    adults = [(rid, level) for rid, birth, level in household if birth <= limit]
    newly = [(rid, level) for rid, level in adults if level >= 1 and rid not in confirmed]
    without = [rid for rid, level in adults if level == 0]
    roll = rng.random()
    if newly and roll < 0.45:
        rid, level = rng.choice(newly)
        confirmed[rid] = clock.local_date(at)
        kind = Kind.EID_LEVEL2 if level == 2 else Kind.EID_LEVEL1
        return {"kind": kind, "outcome": Outcome.DONE, "_residents": [rid]}
    if without and roll < 0.75:
        rid = rng.choice(without)
        if rng.random() < 0.7:
            return {
                "kind": Kind.EID_LEVEL2,
                "outcome": Outcome.PENDING,
                "reason": rng.choice(PENDING_REASONS),
                "_residents": [rid],
            }
        return {
            "kind": Kind.EID_LEVEL1,
            "outcome": Outcome.FAILED,
            "reason": rng.choice(FAILED_REASONS),
            "_residents": [rid],
        }
    someone = [rng.choice(household)[0]] if household else []
    if procedures and roll < 0.92:
        procedure = rng.choice(procedures)
        done = rng.random() < 0.85
        return {
            "kind": Kind.DOSSIER,
            "procedure_id": procedure.id,
            "mode": procedure.mode or Mode.FULL,
            "dossier_code": f"H17.{rng.randint(10, 99)}-{at:%y%m%d}-{rng.randint(1, 9999):04d}",
            "outcome": Outcome.DONE if done else Outcome.PENDING,
            "reason": None if done else DOSSIER_PENDING,
            "_residents": someone,
        }
    kind = Kind.EID_SIGNIN_HELP if roll < 0.97 else Kind.GUIDANCE
    return {"kind": kind, "outcome": Outcome.DONE, "_residents": someone}


def _resolve_some(db: Session, rng: random.Random, pending, ids, records, now) -> None:
    """About half the follow-ups were closed by a later visit to the same household (dossiers
    wait for their result instead: demo/dossiers.py)."""
    later: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    for record_id, record in zip(ids, records, strict=True):
        if record["outcome"] == Outcome.DONE:
            later[record["household_id"]].append((record_id, record["client_time"]))
    resolved = []
    for record_id, record in pending:
        if record["kind"] == Kind.DOSSIER:
            continue
        after = [
            (rid, at) for rid, at in later[record["household_id"]] if at > record["client_time"]
        ]
        if after and rng.random() < 0.6:
            resolver, at = min(after, key=lambda pair: pair[1])
            resolved.append({"target": record_id, "resolver": resolver, "at": at})
    if resolved:
        table = AssistanceRecord.__table__
        db.execute(
            update(table)
            .where(table.c.id == bindparam("target"))
            .values(resolved_at=bindparam("at"), resolved_by_record_id=bindparam("resolver")),
            resolved,
        )
