"""Every figure of the ward dashboard and the city view, in a fixed number of SQL statements.

Each statement aggregates per "area" (a group for the ward dashboard, a ward for the city view)
and Python only adds the rows up, so the number of statements never depends on how many groups,
households or records there are (tests/test_coverage_statements.py counts them).
"""

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlmodel import Session

from assistance.models import AssistanceRecord, AssistanceResident, Kind, Outcome
from core.access import Role
from core.db import as_utc
from coverage.figures import Area, City, Dashboard, Shifts, Volunteer, WardRow, Week, by_gap
from coverage.period import Period, local_midnight, today
from coverage.sql import local_date
from households.models import Household, Resident, ResidentialGroup, Ward
from households.queries import adult_birth_year_limit
from shifts.models import Assignment, Attendance, Shift, ShiftStatus
from volunteer.models import User

G, H, R, A = ResidentialGroup, Household, Resident, AssistanceRecord


def _one(value) -> int:
    return int(value or 0)


def _live(ward_id: int | None) -> list:
    """Live groups (of one ward, or of every ward)."""
    conditions = [G.deleted_at.is_(None)]
    if ward_id is not None:
        conditions.append(G.ward_id == ward_id)
    return conditions


def _counted(ward_id: int | None) -> list:
    """A record counts when it is not deleted and its household and group are live.
    Callers join H on the record's household and G on the household's group."""
    return [A.deleted_at.is_(None), H.deleted_at.is_(None), *_live(ward_id)]


def _in(period: Period, column=A.client_time):
    return and_(column >= period.starts_at, column < period.ends_at)


def _areas(db: Session, *, key, ward_id: int | None, period: Period) -> dict[int, Area]:
    """Households, households reached, records, dossiers and last activity per area."""
    in_period = _in(period)
    dossier = and_(in_period, A.kind == Kind.DOSSIER, A.outcome == Outcome.DONE)
    per_household = select(
        A.household_id.label("hid"),
        func.max(A.client_time).label("last"),
        func.sum(case((in_period, 1), else_=0)).label("records"),
        func.sum(case((dossier, 1), else_=0)).label("dossiers"),
    ).where(A.deleted_at.is_(None))
    if ward_id is not None:
        # Same rows as without it; it only lets the database skip other wards' records early.
        ward_households = select(H.id).join(G, G.id == H.group_id).where(G.ward_id == ward_id)
        per_household = per_household.where(A.household_id.in_(ward_households))
    ph = per_household.group_by(A.household_id).subquery()
    labels = [G.number, G.name] if key is G.id else []
    query = (
        select(
            key,
            *labels,
            func.count(H.id),
            func.count(ph.c.hid),
            func.max(ph.c.last),
            func.sum(ph.c.records),
            func.sum(ph.c.dossiers),
            func.sum(case((ph.c.records > 0, 1), else_=0)),
        )
        .select_from(G)
        .outerjoin(H, and_(H.group_id == G.id, H.deleted_at.is_(None)))
        .outerjoin(ph, ph.c.hid == H.id)
        .where(*_live(ward_id))
        .group_by(key, *labels)
    )
    areas = {}
    for row in db.execute(query).all():
        area_id, rest = row[0], list(row[1:])
        number, name = (rest.pop(0), rest.pop(0)) if labels else (0, "")
        households, reached, last, records, dossiers, helped = rest
        areas[area_id] = Area(
            id=area_id,
            number=number,
            name=name,
            households=_one(households),
            reached=_one(reached),
            last_activity=as_utc(last),
            records=_one(records),
            dossiers=_one(dossiers),
            households_helped=_one(helped),
        )
    return areas


def _adults(db: Session, *, key, ward_id: int | None, since: date) -> tuple[dict, dict, int]:
    """Adults and their e-ID levels per area, and when adults got their e-ID (trend).

    Returns ({area: (adults, level1, level2)}, {confirmed date: adults with e-ID}, baseline),
    where the baseline counts adults holding an e-ID confirmed before `since` or undated."""
    dated = and_(R.eid_level >= 1, R.eid_confirmed_on >= since)
    inner = (
        select(
            key.label("area"),
            case((dated, R.eid_confirmed_on), else_=None).label("on"),
            R.eid_level.label("level"),
        )
        .select_from(R)
        .join(H, H.id == R.household_id)
        .join(G, G.id == H.group_id)
        .where(
            R.deleted_at.is_(None),
            H.deleted_at.is_(None),
            R.birth_year <= adult_birth_year_limit(),
            *_live(ward_id),
        )
        .subquery()
    )
    query = select(
        inner.c.area,
        inner.c.on,
        func.count(),
        func.sum(case((inner.c.level == 1, 1), else_=0)),
        func.sum(case((inner.c.level == 2, 1), else_=0)),
    ).group_by(inner.c.area, inner.c.on)
    per_area: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    per_day: dict[date, int] = defaultdict(int)
    baseline = 0
    for area, on, adults, level1, level2 in db.execute(query).all():
        totals = per_area[area]
        totals[0] += adults
        totals[1] += _one(level1)
        totals[2] += _one(level2)
        if on is None:
            baseline += _one(level1) + _one(level2)
        else:
            per_day[on] += _one(level1) + _one(level2)
    return per_area, per_day, baseline


def _residents_helped(db: Session, *, key, ward_id: int | None, period: Period) -> dict[int, int]:
    query = (
        select(key, func.count(func.distinct(AssistanceResident.resident_id)))
        .select_from(AssistanceResident)
        .join(A, A.id == AssistanceResident.record_id)
        .join(R, and_(R.id == AssistanceResident.resident_id, R.deleted_at.is_(None)))
        .join(H, H.id == A.household_id)
        .join(G, G.id == H.group_id)
        .where(*_counted(ward_id), _in(period))
        .group_by(key)
    )
    return {area: _one(count) for area, count in db.execute(query).all()}


def _records_by_day(db: Session, *, ward_id: int | None, first: date, last: date) -> dict:
    day = local_date(A.client_time)
    query = (
        select(day, func.count(A.id))
        .select_from(A)
        .join(H, H.id == A.household_id)
        .join(G, G.id == H.group_id)
        .where(
            *_counted(ward_id),
            A.client_time >= local_midnight(first),
            A.client_time < local_midnight(last + timedelta(days=1)),
        )
        .group_by(day)
    )
    return {_as_date(on): count for on, count in db.execute(query).all()}


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _weeks(mondays: list[date], by_day: dict, per_day: dict, baseline: int, adults: int) -> list:
    """Records per week, and adults holding an e-ID at the end of each week (by the date their
    level was confirmed; undated e-IDs count from the start)."""
    weeks, with_eid = [], baseline
    for monday in mondays:
        days = [monday + timedelta(days=i) for i in range(7)]
        with_eid += sum(per_day.get(day, 0) for day in days)
        weeks.append(
            Week(
                monday=monday,
                records=sum(by_day.get(day, 0) for day in days),
                with_eid=with_eid,
                adults=adults,
            )
        )
    return weeks


def _presence(db: Session, *, ward_id: int | None, period: Period) -> list[tuple]:
    """(ward, user, hours) for every assignment to an open shift that started in the period.

    Same rule as shifts/attendance.py: hours run from check-in to check-out when both exist,
    otherwise a present volunteer gets the shift's length; absent or no-show counts nothing."""
    query = (
        select(
            Shift.ward_id,
            Assignment.user_id,
            Assignment.attendance,
            Assignment.check_in_at,
            Assignment.check_out_at,
            Shift.starts_at,
            Shift.ends_at,
        )
        .join(Shift, Shift.id == Assignment.shift_id)
        .where(Shift.status == ShiftStatus.OPEN, _in(period, Shift.starts_at))
    )
    if ward_id is not None:
        query = query.where(Shift.ward_id == ward_id)
    present = []
    for ward, user, attendance, check_in, check_out, starts, ends in db.execute(query).all():
        if attendance == Attendance.ABSENT or not (attendance == Attendance.PRESENT or check_in):
            continue
        if check_in and check_out:
            worked = as_utc(check_out) - as_utc(check_in)
        else:
            worked = as_utc(ends) - as_utc(starts)
        present.append((ward, user, max(worked.total_seconds(), 0) / 3600))
    return present


def _shifts(db: Session, *, ward_id: int | None, period: Period) -> dict[int, Shifts]:
    query = select(
        Shift.ward_id,
        func.count(Shift.id),
        func.sum(case((Shift.assigned_count >= Shift.min_volunteers, 1), else_=0)),
    ).where(Shift.status == ShiftStatus.OPEN, _in(period, Shift.starts_at))
    if ward_id is not None:
        query = query.where(Shift.ward_id == ward_id)
    rows = db.execute(query.group_by(Shift.ward_id)).all()
    return {ward: Shifts(total=_one(total), staffed=_one(staffed)) for ward, total, staffed in rows}


def _record_volunteers(db: Session, *, ward_id: int | None, period: Period) -> list[tuple]:
    """(ward, volunteer, records, distinct households) in the period."""
    query = (
        select(
            G.ward_id,
            A.volunteer_id,
            func.count(A.id),
            func.count(func.distinct(A.household_id)),
        )
        .select_from(A)
        .join(H, H.id == A.household_id)
        .join(G, G.id == H.group_id)
        .where(*_counted(ward_id), _in(period))
        .group_by(G.ward_id, A.volunteer_id)
    )
    return [tuple(row) for row in db.execute(query).all()]


def _volunteers(db: Session, *, ward_id: int, period: Period) -> list[Volunteer]:
    """Everyone who logged a record or worked a shift in the period, and every active volunteer
    of the ward (at zero), most records first."""
    records = _record_volunteers(db, ward_id=ward_id, period=period)
    presence = _presence(db, ward_id=ward_id, period=period)
    ids = {row[1] for row in records} | {user for _ward, user, _hours in presence}
    users = db.execute(
        select(User.id, User.full_name, User.role).where(
            or_(
                and_(User.ward_id == ward_id, User.role == Role.VOLUNTEER, User.active),
                User.id.in_(ids),
            )
        )
    ).all()
    people = {uid: Volunteer(id=uid, name=name, role=role) for uid, name, role in users}
    for _ward, uid, count, households in records:
        people[uid].records, people[uid].households = count, households
    for _ward, uid, hours in presence:
        people[uid].shifts_present += 1
        people[uid].hours += hours
    for person in people.values():
        person.hours = round(person.hours, 2)
    return sorted(people.values(), key=lambda v: (-v.records, -v.hours, v.name, v.id))


def ward_dashboard(db: Session, *, ward_id: int, period: Period) -> Dashboard | None:
    ward = db.get(Ward, ward_id)
    if ward is None:
        return None
    weeks = period.weeks(today())
    groups = _areas(db, key=G.id, ward_id=ward_id, period=period)
    levels, per_day, baseline = _adults(db, key=G.id, ward_id=ward_id, since=weeks[0])
    helped = _residents_helped(db, key=G.id, ward_id=ward_id, period=period)
    total = Area(id=ward_id, name=ward.name)
    for area in groups.values():
        area.adults, area.level1, area.level2 = levels.get(area.id, (0, 0, 0))
        area.residents_helped = helped.get(area.id, 0)
        total.add(area)
    by_day = _records_by_day(db, ward_id=ward_id, first=weeks[0], last=weeks[-1] + timedelta(6))
    return Dashboard(
        ward_id=ward_id,
        ward_name=ward.name,
        groups=by_gap(list(groups.values())),
        total=total,
        volunteers=_volunteers(db, ward_id=ward_id, period=period),
        weeks=_weeks(weeks, by_day, per_day, baseline, total.adults),
        shifts=_shifts(db, ward_id=ward_id, period=period).get(ward_id, Shifts()),
    )


def city_overview(db: Session, *, period: Period) -> City:
    weeks = period.weeks(today())
    wards = db.execute(select(Ward.id, Ward.name).order_by(Ward.name)).all()
    areas = _areas(db, key=G.ward_id, ward_id=None, period=period)
    levels, per_day, baseline = _adults(db, key=G.ward_id, ward_id=None, since=weeks[0])
    helped = _residents_helped(db, key=G.ward_id, ward_id=None, period=period)
    shifts = _shifts(db, ward_id=None, period=period)
    active: dict[int, set[int]] = defaultdict(set)
    for ward, uid, _records, _households in _record_volunteers(db, ward_id=None, period=period):
        active[ward].add(uid)
    for ward, uid, _hours in _presence(db, ward_id=None, period=period):
        active[ward].add(uid)
    rows, total = [], Area(id=0)
    for ward_id, name in wards:
        row = WardRow(id=ward_id, name=name)
        row.add(areas.get(ward_id, Area(id=ward_id)))
        row.adults, row.level1, row.level2 = levels.get(ward_id, (0, 0, 0))
        row.residents_helped = helped.get(ward_id, 0)
        row.active_volunteers = len(active[ward_id])
        row.shifts = shifts.get(ward_id, Shifts())
        total.add(row)
        rows.append(row)
    by_day = _records_by_day(db, ward_id=None, first=weeks[0], last=weeks[-1] + timedelta(6))
    return City(
        wards=by_gap(rows),
        total=total,
        weeks=_weeks(weeks, by_day, per_day, baseline, total.adults),
        active_volunteers=len(set().union(*active.values())),
        shifts=Shifts(
            total=sum(s.total for s in shifts.values()),
            staffed=sum(s.staffed for s in shifts.values()),
        ),
    )


def where_next(db: Session, *, ward_id: int, limit: int = 5) -> list[Area]:
    """The groups with the most adults still without an e-ID (one statement)."""
    level1 = func.sum(case((R.eid_level == 1, 1), else_=0))
    level2 = func.sum(case((R.eid_level == 2, 1), else_=0))
    query = (
        select(G.id, G.number, G.name, func.count(R.id), level1, level2)
        .select_from(G)
        .join(H, and_(H.group_id == G.id, H.deleted_at.is_(None)))
        .join(
            R,
            and_(
                R.household_id == H.id,
                R.deleted_at.is_(None),
                R.birth_year <= adult_birth_year_limit(),
            ),
        )
        .where(*_live(ward_id))
        .group_by(G.id, G.number, G.name)
        .order_by((func.count(R.id) - level1 - level2).desc(), G.number)
        .limit(limit)
    )
    areas = [
        Area(id=gid, number=number, name=name, adults=adults, level1=_one(l1), level2=_one(l2))
        for gid, number, name, adults, l1, l2 in db.execute(query).all()
    ]
    return [area for area in areas if area.without_eid > 0]
