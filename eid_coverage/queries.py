"""Every figure of the ward dashboard and the city view, in a fixed number of SQL statements.

Each statement aggregates per "area" (a group for the ward dashboard, a ward for the city view)
and Python only adds the rows up, so the number of statements never depends on how many groups,
households or records there are (tests/test_coverage_statements.py counts them).

Two kinds of figures (docs/COVERAGE.md):
- the registry: live households and residents; a household is reached when it has at least one
  record that is not deleted;
- activity: every record that is not deleted, by the ward it carries (the log screen and sync
  write the household's ward) and, in the group table, by its household's group. Work done for a
  household that was later removed still counts for the ward and the volunteer.
"""

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import and_, case, exists, func, null, or_, select
from sqlmodel import Session

from assistance.models import AssistanceRecord, AssistanceResident, Kind
from core import clock, figures
from core.access import Role
from core.clock import as_utc
from dossiers.models import FILED_OUTCOMES, filed_condition
from eid_coverage import visits
from eid_coverage.figures import Area, City, Dashboard, Shifts, Volunteer, WardRow, Week, by_gap
from eid_coverage.period import Period
from eid_coverage.sql import local_date
from households.models import Household, Resident, ResidentialGroup, Ward
from households.queries import adult_birth_year_limit
from shifts.models import Assignment, Attendance, Shift, ShiftStatus
from volunteer.models import User

G, H, R, A, AR = ResidentialGroup, Household, Resident, AssistanceRecord, AssistanceResident


def _one(value) -> int:
    return int(value or 0)


def _live_groups(ward_id: int | None) -> list:
    conditions = [G.deleted_at.is_(None)]
    if ward_id is not None:
        conditions.append(G.ward_id == ward_id)
    return conditions


def _records(wards: list[int]) -> list:
    """Records not deleted, of the given wards. The city passes every ward's id too: an IN list
    on the leading column lets the (ward_id, client_time, ...) index serve each ward's range,
    where a bare time range would read the records' rows for ward and deletion."""
    return [A.deleted_at.is_(None), A.ward_id.in_(wards)]


def _in(period: Period, column=A.client_time):
    return and_(column >= period.starts_at, column < period.ends_at)


def _households(db: Session, *, key, ward_id: int | None) -> dict[int, Area]:
    """Live households per area, and how many of them were ever reached."""
    reached = exists().where(A.household_id == H.id, A.deleted_at.is_(None))
    labels = [G.number, G.name] if key is G.id else []
    query = (
        select(key, *labels, func.count(H.id), func.sum(case((reached, 1), else_=0)))
        .select_from(G)
        .outerjoin(H, and_(H.group_id == G.id, H.deleted_at.is_(None)))
        .where(*_live_groups(ward_id))
        .group_by(key, *labels)
    )
    areas = {}
    for row in db.execute(query).all():
        area = Area(id=row[0], households=_one(row[-2]), reached=_one(row[-1]))
        if labels:
            area.number, area.name = row[1], row[2]
        areas[area.id] = area
    return areas


def _adult_residents(query, ward_id: int | None):
    """Live adults in live households of live groups (of one ward, or of every ward)."""
    query = query.join(H, H.id == R.household_id).join(G, G.id == H.group_id)
    return query.where(
        R.deleted_at.is_(None),
        H.deleted_at.is_(None),
        R.birth_year <= adult_birth_year_limit(),
        *_live_groups(ward_id),
    )


def _adults(db: Session, *, key, ward_id: int | None) -> dict[int, tuple[int, int, int]]:
    """(adults, level 1, level 2) per area."""
    query = select(
        key,
        func.count(R.id),
        func.sum(case((R.eid_level == 1, 1), else_=0)),
        func.sum(case((R.eid_level == 2, 1), else_=0)),
    ).select_from(R)
    query = _adult_residents(query, ward_id).group_by(key)
    return {area: (n, _one(l1), _one(l2)) for area, n, l1, l2 in db.execute(query).all()}


def _confirmed_since(db: Session, *, ward_id: int | None, since: date) -> dict[date, int]:
    """Adults whose e-ID was confirmed on each day from `since` (for the trend). A separate
    statement, because only these few rows need a date: it starts from ix_resident_confirmed."""
    query = select(R.eid_confirmed_on, func.count(R.id)).select_from(R)
    query = _adult_residents(query, ward_id).where(
        R.eid_level >= 1, R.eid_confirmed_on.is_not(None), R.eid_confirmed_on >= since
    )
    rows = db.execute(query.group_by(R.eid_confirmed_on)).all()
    return {_as_date(on): count for on, count in rows}


def _online(db: Session, *, key, ward_id: int | None) -> tuple[dict[int, int], dict[date, int]]:
    """Adults named on at least one filed online dossier (not deleted), per area, and how many
    of them filed their first one on each day (for the trend). One row per such adult."""
    first = func.min(A.client_time)
    query = select(key, R.id, first).select_from(R)
    query = _adult_residents(query, ward_id).join(AR, AR.resident_id == R.id)
    query = query.join(A, A.id == AR.record_id).where(
        A.kind == Kind.DOSSIER, A.outcome.in_(FILED_OUTCOMES), A.deleted_at.is_(None)
    )
    per_area: dict[int, int] = defaultdict(int)
    per_day: dict[date, int] = defaultdict(int)
    for area, _resident, filed_at in db.execute(query.group_by(key, R.id)).all():
        per_area[area] += 1
        per_day[clock.local_date(as_utc(filed_at))] += 1
    return per_area, per_day


def _activity(db: Session, *, wards: list[int], per_group: bool, period: Period) -> dict:
    """Records, dossiers and households helped in the period: per group of one ward (with each
    group's last activity, ever), or per ward for the city (last activity: _last_activity)."""
    in_period = _in(period)
    dossier = and_(in_period, filed_condition(A))
    counts = [
        func.sum(case((in_period, 1), else_=0)),
        func.sum(case((dossier, 1), else_=0)),
        func.count(func.distinct(case((in_period, A.household_id), else_=None))),
    ]
    if per_group:
        query = select(H.group_id, func.max(A.client_time), *counts).select_from(A)
        query = _join_households(query, wards[0]).where(*_records(wards))
        query = query.group_by(H.group_id)
    else:
        query = select(A.ward_id, null(), *counts).where(*_records(wards), in_period)
        query = query.group_by(A.ward_id)
    areas = {}
    for area, latest, records, dossiers, helped in db.execute(query).all():
        areas[area] = Area(
            id=area,
            last_activity=as_utc(latest),
            records=_one(records),
            dossiers=_one(dossiers),
            households_helped=_one(helped),
        )
    return areas


def _join_households(query, ward_id: int):
    """The records' households, through the ward's groups: the same rows, but it tells
    PostgreSQL how few households to look at (else it hashes every household of the city)."""
    query = query.join(H, H.id == A.household_id)
    return query.join(G, and_(G.id == H.group_id, G.ward_id == ward_id))


def _residents_helped(db: Session, *, wards: list[int], per_group: bool, period: Period) -> dict:
    key = H.group_id if per_group else A.ward_id
    query = select(key, func.count(func.distinct(AR.resident_id))).select_from(AR)
    query = query.join(A, A.id == AR.record_id)
    if per_group:
        query = _join_households(query, wards[0])
    query = query.where(*_records(wards), _in(period)).group_by(key)
    return {area: _one(count) for area, count in db.execute(query).all()}


def _last_activity(db: Session) -> dict[int, object]:
    """Each ward's latest record: one index lookup per ward, not a scan of every record."""
    latest = (
        select(func.max(A.client_time))
        .where(A.ward_id == Ward.id, A.deleted_at.is_(None))
        .scalar_subquery()
    )
    rows = db.execute(select(Ward.id, Ward.name, latest).order_by(Ward.name)).all()
    return {ward_id: (name, as_utc(last)) for ward_id, name, last in rows}


def _records_by_day(db: Session, *, wards: list[int], first: date, last: date) -> dict:
    day = local_date(A.client_time)
    query = (
        select(day, func.count())
        .where(
            *_records(wards),
            A.client_time >= clock.midnight(first),
            A.client_time < clock.midnight(last + timedelta(days=1)),
        )
        .group_by(day)
    )
    return {_as_date(on): count for on, count in db.execute(query).all()}


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _weeks(
    mondays: list[date], by_day: dict, per_day: dict, total: Area, online_days: dict
) -> list[Week]:
    """Records per week, and adults holding an e-ID at the end of each week: today's holders
    less those confirmed after that Sunday (undated e-IDs count from the start); the same for
    adults who had filed an online dossier, by the day of their first one."""
    weeks = []
    for monday in mondays:
        days = [monday + timedelta(days=i) for i in range(7)]
        later = sum(n for on, n in per_day.items() if on > days[-1])
        online_later = sum(n for on, n in online_days.items() if on > days[-1])
        records = sum(by_day.get(day, 0) for day in days)
        weeks.append(
            Week(
                monday=monday,
                records=records,
                with_eid=total.with_eid - later,
                adults=total.adults,
                online=total.online - online_later,
            )
        )
    return weeks


def _presence(db: Session, *, ward_id: int | None, period: Period) -> list[tuple]:
    """(ward, user, hours) for every present volunteer on an open shift started in the period.

    Same rule as shifts/attendance/hours.py: hours run from check-in to check-out when both exist,
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


def _record_volunteers(db: Session, *, wards: list[int], period: Period) -> list[tuple]:
    """(ward, volunteer, records, distinct households) in the period."""
    query = (
        select(A.ward_id, A.volunteer_id, func.count(), func.count(func.distinct(A.household_id)))
        .where(*_records(wards), _in(period))
        .group_by(A.ward_id, A.volunteer_id)
    )
    return [tuple(row) for row in db.execute(query).all()]


def _volunteers(db: Session, *, ward_id: int, period: Period) -> list[Volunteer]:
    """Everyone who logged a record or worked a shift in the period, and every active volunteer
    of the ward (at zero), most records first."""
    records = _record_volunteers(db, wards=[ward_id], period=period)
    presence = _presence(db, ward_id=ward_id, period=period)
    home = visits.visits(db, starts_at=period.starts_at, ends_at=period.ends_at, ward_id=ward_id)
    ids = {row[1] for row in records} | {user for _ward, user, _hours in presence} | set(home)
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
    for uid, found in home.items():
        people[uid].visits = found.count
        people[uid].hours += found.hours
    for person in people.values():
        person.hours = figures.hours(person.hours)
    return sorted(people.values(), key=lambda v: (-v.records, -v.hours, v.name, v.id))


def _fill(
    area: Area, levels: dict, activity: dict[int, Area], helped: dict[int, int], online: dict
) -> None:
    """Adds an area's adults and its activity to its registry figures."""
    area.adults, area.level1, area.level2 = levels.get(area.id, (0, 0, 0))
    area.online = online.get(area.id, 0)
    found = activity.get(area.id, Area(id=area.id))
    area.last_activity = area.last_activity or found.last_activity
    area.records, area.dossiers = found.records, found.dossiers
    area.households_helped = found.households_helped
    area.residents_helped = helped.get(area.id, 0)


def ward_dashboard(db: Session, *, ward_id: int, period: Period) -> Dashboard | None:
    ward = db.get(Ward, ward_id)
    if ward is None:
        return None
    weeks = period.weeks(clock.today())
    groups = _households(db, key=G.id, ward_id=ward_id)
    levels = _adults(db, key=G.id, ward_id=ward_id)
    per_day = _confirmed_since(db, ward_id=ward_id, since=weeks[0])
    activity = _activity(db, wards=[ward_id], per_group=True, period=period)
    helped = _residents_helped(db, wards=[ward_id], per_group=True, period=period)
    online, online_days = _online(db, key=G.id, ward_id=ward_id)
    total = Area(id=ward_id, name=ward.name)
    for area in groups.values():
        _fill(area, levels, activity, helped, online)
        total.add(area)
    # The ward's activity is all of its records, also for groups removed since (not in the table).
    for gone in activity.keys() - groups.keys():
        total.add(activity[gone])
        total.residents_helped += helped.get(gone, 0)
    by_day = _records_by_day(db, wards=[ward_id], first=weeks[0], last=weeks[-1] + timedelta(6))
    return Dashboard(
        ward_id=ward_id,
        ward_name=ward.name,
        groups=by_gap(list(groups.values())),
        total=total,
        volunteers=_volunteers(db, ward_id=ward_id, period=period),
        weeks=_weeks(weeks, by_day, per_day, total, online_days),
        shifts=_shifts(db, ward_id=ward_id, period=period).get(ward_id, Shifts()),
    )


def city_overview(db: Session, *, period: Period) -> City:
    weeks = period.weeks(clock.today())
    wards = _last_activity(db)
    registry = _households(db, key=G.ward_id, ward_id=None)
    levels = _adults(db, key=G.ward_id, ward_id=None)
    per_day = _confirmed_since(db, ward_id=None, since=weeks[0])
    ids = list(wards)
    activity = _activity(db, wards=ids, per_group=False, period=period)
    helped = _residents_helped(db, wards=ids, per_group=False, period=period)
    shifts = _shifts(db, ward_id=None, period=period)
    online, online_days = _online(db, key=G.ward_id, ward_id=None)
    active: dict[int, set[int]] = defaultdict(set)
    for ward, uid, _count, _homes in _record_volunteers(db, wards=ids, period=period):
        active[ward].add(uid)
    for ward, uid, _hours in _presence(db, ward_id=None, period=period):
        active[ward].add(uid)
    rows, total = [], Area(id=0)
    for ward_id, (name, last) in wards.items():
        found = registry.get(ward_id, Area(id=ward_id))
        row = WardRow(id=ward_id, name=name, last_activity=last)
        row.households, row.reached = found.households, found.reached
        _fill(row, levels, activity, helped, online)
        row.active_volunteers = len(active[ward_id])
        row.shifts = shifts.get(ward_id, Shifts())
        total.add(row)
        rows.append(row)
    by_day = _records_by_day(db, wards=ids, first=weeks[0], last=weeks[-1] + timedelta(6))
    return City(
        wards=by_gap(rows),
        total=total,
        weeks=_weeks(weeks, by_day, per_day, total, online_days),
        active_volunteers=len(set().union(*active.values())),
        shifts=Shifts(
            total=sum(s.total for s in shifts.values()),
            staffed=sum(s.staffed for s in shifts.values()),
        ),
    )


def where_next(db: Session, *, ward_id: int, limit: int = 5) -> list[Area]:
    """The groups furthest from the 90% target, in the dashboard's order and with its gap
    (one statement; a ward has tens of groups, so they are ranked here). Groups at the
    target are left out even when some adults there still have no e-ID."""
    level1 = func.sum(case((R.eid_level == 1, 1), else_=0))
    level2 = func.sum(case((R.eid_level == 2, 1), else_=0))
    adult = and_(
        R.household_id == H.id, R.deleted_at.is_(None), R.birth_year <= adult_birth_year_limit()
    )
    query = (
        select(G.id, G.number, G.name, func.count(R.id), level1, level2)
        .select_from(G)
        .join(H, and_(H.group_id == G.id, H.deleted_at.is_(None)))
        .join(R, adult)
        .where(*_live_groups(ward_id))
        .group_by(G.id, G.number, G.name)
    )
    areas = [
        Area(id=gid, number=number, name=name, adults=adults, level1=_one(l1), level2=_one(l2))
        for gid, number, name, adults, l1, l2 in db.execute(query).all()
    ]
    return [area for area in by_gap(areas) if area.gap > 0][:limit]
