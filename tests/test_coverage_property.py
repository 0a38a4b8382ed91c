"""Property: on random wards, residents, records (duplicates for the same person included) and
shifts, every figure of the ward dashboard and the city view equals a plain recomputation in
Python over the same rows. Runs on SQLite and PostgreSQL (the `app` fixture's two backends).

Each example writes new wards and compares only those, so examples need no clean-up.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistance.models import AssistanceRecord, AssistanceResident, Kind, Outcome
from core import clock, figures
from core.access import Role
from core.db import get_session
from eid_coverage import queries
from eid_coverage.figures import COUNTS
from eid_coverage.period import Period
from households.models import Household, Resident, ResidentialGroup, Ward
from households.queries import adult_birth_year_limit
from shifts.models import Assignment, Shift
from volunteer.models import User

# A past period, so that "today" never cuts the trend short: four weeks from Monday 3 March 2025.
FIRST, LAST = date(2025, 3, 3), date(2025, 3, 30)
START = clock.midnight(FIRST)
END = clock.midnight(LAST + timedelta(days=1))
DAY = 48  # half hours
TREND_DAYS = -28  # the trend starts four weeks before the period
# Times in half hours from the period's start: anywhere around it, or right at an edge (the
# period's, the trend's, a local midnight).
EDGES = [
    0,
    -1,
    28 * DAY,
    28 * DAY - 1,
    TREND_DAYS * DAY,
    TREND_DAYS * DAY - 1,
    7 * DAY,
    7 * DAY - 1,
]
HALF_HOURS = st.sampled_from(EDGES) | st.integers(min_value=-60 * DAY, max_value=40 * DAY)
RARELY = st.sampled_from([False, False, False, True])  # deleted rows are the exception


def _at(half_hours: int) -> datetime:
    return START + timedelta(minutes=30 * half_hours)


residents = st.lists(
    st.tuples(
        st.integers(-2, 2),  # birth year against the adult limit (<= 0 is an adult)
        st.integers(0, 2),  # e-ID level
        # confirmed on, days from the period's first day (edges of weeks and of the trend)
        st.none()
        | st.sampled_from([TREND_DAYS - 1, TREND_DAYS, -1, 0, 6, 7, 27])
        | st.integers(-60, 40),
        RARELY,  # deleted
    ),
    min_size=1,
    max_size=3,
)
households = st.lists(st.tuples(RARELY, residents), min_size=1, max_size=3)  # (deleted, residents)
groups = st.lists(st.tuples(RARELY, households), min_size=1, max_size=3)
records = st.lists(
    st.tuples(
        st.integers(0, 3),  # household pick (modulo the ward's households): few, so they repeat
        st.integers(0, 2),  # volunteer
        st.sampled_from(list(Kind)),
        st.sampled_from(list(Outcome)),
        HALF_HOURS,
        RARELY,  # deleted
        st.lists(st.integers(0, 5), min_size=1, max_size=3),  # residents named (modulo)
        st.integers(0, 2),  # extra copies of the same record, for the same people
    ),
    min_size=1,
    max_size=8,
)
shifts = st.lists(
    st.tuples(
        HALF_HOURS,
        st.integers(1, 10),  # length in half hours
        st.integers(1, 3),  # minimum
        st.booleans(),  # cancelled
        st.lists(
            st.tuples(
                st.integers(0, 2),
                st.sampled_from([None, "present", "absent"]),
                st.none() | st.integers(-2, 8),  # check-in, half hours after the start
                st.none() | st.integers(0, 12),  # check-out, half hours after check-in
            ),
            max_size=3,
            unique_by=lambda a: a[0],
        ),
    ),
    max_size=3,
)
wards = st.lists(st.tuples(groups, records, shifts), min_size=1, max_size=2)


@dataclass
class Built:
    ward_ids: list[int] = field(default_factory=list)
    groups: dict = field(default_factory=dict)  # id -> (ward, deleted)
    households: dict = field(default_factory=dict)  # id -> (group, deleted)
    residents: dict = field(default_factory=dict)  # id -> (household, birth, level, on, deleted)
    records: list = field(default_factory=list)  # (ward, hh, user, kind, outcome, at, del, rids)
    users: dict = field(default_factory=dict)  # id -> (ward, role, active)
    shifts: list = field(default_factory=list)  # (ward, starts, ends, min, count, open, people)


def _build(spec) -> Built:
    db, built, limit = get_session(), Built(), adult_birth_year_limit()
    for group_specs, record_specs, shift_specs in spec:
        ward = Ward(name=f"P {uuid.uuid4().hex[:8]}", province="Đà Nẵng")
        db.add(ward)
        db.flush()
        built.ward_ids.append(ward.id)
        people = []
        for index, active in enumerate((True, True, False)):
            role = Role.SECRETARY if index == 1 else Role.VOLUNTEER
            user = User(
                username=uuid.uuid4().hex[:20],
                full_name=f"U{index}",
                role=role,
                ward_id=ward.id,
                active=active,
                password_hash="x",
            )
            db.add(user)
            db.flush()
            people.append(user.id)
            built.users[user.id] = (ward.id, role, active)
        ward_households = []
        for number, (group_deleted, household_specs) in enumerate(group_specs, start=1):
            group = ResidentialGroup(
                ward_id=ward.id,
                number=number,
                name=f"Tổ {number}",
                deleted_at=START if group_deleted else None,
            )
            db.add(group)
            db.flush()
            built.groups[group.id] = (ward.id, group_deleted)
            for household_deleted, resident_specs in household_specs:
                household = Household(
                    group_id=group.id,
                    address="x",
                    address_norm="x",
                    deleted_at=START if household_deleted else None,
                )
                db.add(household)
                db.flush()
                built.households[household.id] = (group.id, household_deleted)
                members = []
                for birth, level, on, deleted in resident_specs:
                    confirmed = FIRST + timedelta(days=on) if on is not None else None
                    resident = Resident(
                        household_id=household.id,
                        birth_year=limit + birth,
                        eid_level=level,
                        eid_confirmed_on=confirmed,
                        deleted_at=START if deleted else None,
                    )
                    db.add(resident)
                    db.flush()
                    members.append(resident.id)
                    built.residents[resident.id] = (
                        household.id,
                        limit + birth,
                        level,
                        confirmed,
                        deleted,
                    )
                ward_households.append((household.id, members))
        for pick, who, kind, outcome, at, deleted, named, copies in record_specs:
            if not ward_households:
                break
            household_id, members = ward_households[pick % len(ward_households)]
            rids = sorted({members[i % len(members)] for i in named}) if members else []
            for copy in range(copies + 1):
                when = _at(at + copy)
                record = AssistanceRecord(
                    uuid=str(uuid.uuid4()),
                    ward_id=ward.id,
                    household_id=household_id,
                    volunteer_id=people[who],
                    kind=kind,
                    outcome=outcome,
                    place="home",
                    client_time=when,
                    deleted_at=when if deleted else None,
                )
                db.add(record)
                db.flush()
                db.add_all(AssistanceResident(record_id=record.id, resident_id=r) for r in rids)
                built.records.append(
                    (ward.id, household_id, people[who], kind, outcome, when, deleted, rids)
                )
        for index, (at, length, minimum, cancelled, assigned) in enumerate(shift_specs):
            starts, ends = _at(at), _at(at + length)
            shift = Shift(
                ward_id=ward.id,
                starts_at=starts,
                ends_at=ends,
                place="desk",
                place_key=f"t{index}",
                min_volunteers=minimum,
                max_volunteers=minimum + len(assigned),
                assigned_count=len(assigned),
                status="cancelled" if cancelled else "open",
            )
            db.add(shift)
            db.flush()
            rows = []
            for who, attendance, check_in, check_out in assigned:
                came = starts + timedelta(minutes=30 * check_in) if check_in is not None else None
                left = (
                    came + timedelta(minutes=30 * check_out)
                    if came and check_out is not None
                    else None
                )
                db.add(
                    Assignment(
                        shift_id=shift.id,
                        user_id=people[who],
                        source="self",
                        attendance=attendance,
                        check_in_at=came,
                        check_out_at=left,
                    )
                )
                rows.append((people[who], attendance, came, left))
            built.shifts.append(
                (ward.id, starts, ends, minimum, len(assigned), not cancelled, rows)
            )
    db.commit()
    return built


def _filed(record) -> bool:
    """An online dossier done or waiting for its result (issue 17); failed ones were not filed."""
    return record[3] == Kind.DOSSIER and record[4] in (Outcome.DONE, Outcome.PENDING)


def _expected(built: Built, ward_id: int, weeks: list[date], visit_minutes: int) -> dict:
    """The ward's figures, recomputed from the rows as they were written."""
    limit = adult_birth_year_limit()
    live_group = {g for g, (w, deleted) in built.groups.items() if w == ward_id and not deleted}
    live_household = {
        h for h, (g, deleted) in built.households.items() if g in live_group and not deleted
    }
    group_of = {h: g for h, (g, _deleted) in built.households.items()}
    adults = {
        r: v
        for r, v in built.residents.items()
        if v[0] in live_household and v[1] <= limit and not v[4]
    }
    # Activity: every record not deleted, whatever became of its household since.
    counted = [r for r in built.records if r[0] == ward_id and not r[6]]
    in_period = [r for r in counted if START <= r[5] < END]

    def activity(records: list, ever: list) -> dict:
        mine = [r for r in records if START <= r[5] < END]
        return {
            "records": len(mine),
            "dossiers": sum(1 for r in mine if _filed(r)),
            "households_helped": len({r[1] for r in mine}),
            "residents_helped": len({rid for r in mine for rid in r[7]}),
            "last_activity": max((r[5] for r in ever), default=None),
        }

    # Online services: adults named on a filed dossier, by the day of their first one.
    first_filed: dict[int, datetime] = {}
    for r in counted:
        for rid in r[7] if _filed(r) else ():
            if rid in adults and (rid not in first_filed or r[5] < first_filed[rid]):
                first_filed[rid] = r[5]
    groups = {}
    for g in live_group:
        ever = [r for r in counted if group_of[r[1]] == g]
        group_adults = [v for v in adults.values() if group_of[v[0]] == g]
        groups[g] = {
            "households": sum(1 for h in live_household if group_of[h] == g),
            "reached": len({r[1] for r in ever if r[1] in live_household}),
            "adults": len(group_adults),
            "level1": sum(1 for v in group_adults if v[2] == 1),
            "level2": sum(1 for v in group_adults if v[2] == 2),
            **activity(ever, ever),
            "online": sum(1 for rid in first_filed if group_of[adults[rid][0]] == g),
        }
    ward = {key: sum(g[key] for g in groups.values()) for key in (*COUNTS[:5], "online")}
    ward.update(activity(counted, counted))
    people = defaultdict(lambda: [0, set(), 0, 0.0])
    for r in in_period:
        people[r[2]][0] += 1
        people[r[2]][1].add(r[1])
    staffed = total = 0
    for w, starts, ends, minimum, count, is_open, rows in built.shifts:
        if w != ward_id or not is_open or not START <= starts < END:
            continue
        total += 1
        staffed += count >= minimum
        for user, attendance, came, left in rows:
            if attendance == "absent" or not (attendance == "present" or came):
                continue
            worked = (left - came) if came and left else (ends - starts)
            people[user][2] += 1
            people[user][3] += worked.total_seconds() / 3600
    # Home visits outside a shift: one per volunteer, household and local day, each worth
    # VISIT_MINUTES (the built records give no minutes of their own).
    for volunteer, _household, _day in {(r[2], r[1], clock.local_date(r[5])) for r in in_period}:
        people[volunteer][3] += visit_minutes / 60
    for uid, (w, role, active) in built.users.items():
        if w == ward_id and role == Role.VOLUNTEER and active:
            people[uid]  # noqa: B018 - listed at zero
    trend = []
    for monday in weeks:
        sunday = monday + timedelta(days=6)
        trend.append(
            (
                sum(1 for r in counted if monday <= clock.local_date(r[5]) <= sunday),
                sum(1 for v in adults.values() if v[2] >= 1 and (v[3] is None or v[3] <= sunday)),
                sum(1 for at in first_filed.values() if clock.local_date(at) <= sunday),
            )
        )
    return {
        "groups": groups,
        "ward": ward,
        "volunteers": {u: (p[0], len(p[1]), p[2], figures.hours(p[3])) for u, p in people.items()},
        "shifts": (total, staffed),
        "trend": trend,
        "adults": len(adults),
    }


def _mondays() -> list[date]:
    last = LAST - timedelta(days=LAST.weekday())
    first = min(FIRST - timedelta(days=FIRST.weekday()), last - timedelta(weeks=7))
    return [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]


def _area(area) -> dict:
    values = {name: getattr(area, name) for name in COUNTS}
    values["last_activity"] = area.last_activity and area.last_activity.astimezone(UTC)
    return values


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=wards)
def test_every_figure_matches_a_plain_recomputation(app, spec):
    period = Period("custom", FIRST, LAST)
    with app.app_context():
        built = _build(spec)
        db = get_session()
        city = {row.id: row for row in queries.city_overview(db, period=period).wards}
        for ward_id in built.ward_ids:
            expected = _expected(built, ward_id, _mondays(), app.config["VISIT_MINUTES"])
            data = queries.ward_dashboard(db, ward_id=ward_id, period=period)
            assert {g.id: _area(g) for g in data.groups} == expected["groups"]
            assert [g.gap for g in data.groups] == sorted(
                (g.gap for g in data.groups), reverse=True
            )
            assert _area(data.total) == expected["ward"]
            assert {
                v.id: (v.records, v.households, v.shifts_present, v.hours) for v in data.volunteers
            } == expected["volunteers"]
            assert data.active_volunteers == sum(
                1 for v in expected["volunteers"].values() if v[0] or v[2]
            )
            assert (data.shifts.total, data.shifts.staffed) == expected["shifts"]
            assert [w.monday for w in data.weeks] == _mondays()
            assert [(w.records, w.with_eid, w.online) for w in data.weeks] == expected["trend"]
            assert all(w.adults == expected["adults"] for w in data.weeks)
            row = city[ward_id]
            assert (
                row.adults,
                row.level1,
                row.level2,
                row.households,
                row.reached,
                row.records,
                row.dossiers,
                row.residents_helped,
                row.online,
            ) == (
                data.total.adults,
                data.total.level1,
                data.total.level2,
                data.total.households,
                data.total.reached,
                data.total.records,
                data.total.dossiers,
                data.total.residents_helped,
                data.total.online,
            )
            assert row.active_volunteers == data.active_volunteers
            assert (row.shifts.total, row.shifts.staffed) == expected["shifts"]
