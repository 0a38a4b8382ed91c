"""The number of SQL statements per coverage request does not grow with the number of groups,
households or records: a ward with 3 groups and one with 30 cost the same."""

import uuid
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event

from assistance.models import AssistanceRecord, AssistanceResident, Kind, Outcome
from core import clock
from core.access import Role
from core.db import get_session
from households.models import Household, Resident, ResidentialGroup, Ward
from shifts.models import Assignment, Shift, place_key
from tests.factories import add_user


def _ward(name: str, groups: int) -> tuple[int, int]:
    """A ward with `groups` groups of two households (three residents each), records naming
    residents, a pending follow-up per group, and a shift per group; returns (ward, a group)."""
    db = get_session()
    ward = Ward(name=name, province="Đà Nẵng")
    db.add(ward)
    db.flush()
    secretary = add_user(db, f"sec_{ward.id}", Role.SECRETARY, ward.id)
    volunteers = [add_user(db, f"v{i}_{ward.id}", Role.VOLUNTEER, ward.id) for i in range(3)]
    now = clock.now()
    first_group = None
    for number in range(1, groups + 1):
        group = ResidentialGroup(ward_id=ward.id, number=number, name=f"Tổ {number}")
        db.add(group)
        db.flush()
        first_group = first_group or group.id
        for index in range(2):
            household = Household(
                group_id=group.id, address=f"{index} Lê Duẩn", address_norm=f"{index} le duan"
            )
            db.add(household)
            db.flush()
            people = [
                Resident(household_id=household.id, birth_year=1970 + i, eid_level=i % 3)
                for i in range(3)
            ]
            db.add_all(people)
            db.flush()
            for volunteer, outcome in zip(
                volunteers[:2], (Outcome.DONE, Outcome.PENDING), strict=True
            ):
                record = AssistanceRecord(
                    uuid=str(uuid.uuid4()),
                    ward_id=ward.id,
                    household_id=household.id,
                    volunteer_id=volunteer.id,
                    kind=Kind.DOSSIER,
                    outcome=outcome,
                    place="home",
                    client_time=now - timedelta(minutes=number),
                )
                db.add(record)
                db.flush()
                db.add_all(
                    AssistanceResident(record_id=record.id, resident_id=p.id) for p in people
                )
        shift = Shift(
            ward_id=ward.id,
            starts_at=now - timedelta(hours=number),
            ends_at=now - timedelta(hours=number) + timedelta(hours=2),
            place="field",
            group_id=group.id,
            place_key=place_key("field", group.id),
            min_volunteers=1,
            max_volunteers=3,
            assigned_count=1,
        )
        db.add(shift)
        db.flush()
        db.add(
            Assignment(
                shift_id=shift.id,
                user_id=volunteers[number % 3].id,
                source="self",
                attendance="present",
            )
        )
    db.commit()
    return secretary.username, first_group


@contextmanager
def counted(app):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = app.extensions["db_engine"]
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


PAGES = [
    "/coverage/",
    "/coverage/?period=week",
    "/coverage/?period=custom&start=2025-01-01&end=2025-12-31",
    "/coverage/groups/{group}",
    "/coverage/groups/{group}/worklist",
    "/coverage/export.xlsx",
    "/coverage/export.csv",
    "/coverage/report?month=2026-03",
    "/coverage/report.xlsx",
]


@pytest.mark.parametrize("page", PAGES)
def test_statements_do_not_grow_with_groups(app, client, auth, page):
    with app.app_context():
        small, small_group = _ward("Phường Nhỏ", 3)
        large, large_group = _ward("Phường Lớn", 30)
    counts = []
    for username, group in ((small, small_group), (large, large_group)):
        auth.login(username, password="thanhnien247")
        client.get(page.format(group=group))  # warm up: first-request work is not the page's
        with counted(app) as statements:
            response = client.get(page.format(group=group))
        assert response.status_code == 200, response.status_code
        counts.append(len(statements))
        auth.logout()
    assert counts[0] == counts[1], counts
    assert counts[0] <= 16, (
        counts
    )  # a handful (the page, the login, the nav badges), not one per group


def test_city_view_statements_do_not_grow_with_wards(app, client, auth):
    with app.app_context():
        _ward("Phường Một", 3)
        add_user(get_session(), "admin", Role.ADMIN, None)
        get_session().commit()
    auth.login("admin")
    client.get("/coverage/city")
    with counted(app) as few:
        client.get("/coverage/city")
    with app.app_context():
        for index in range(5):
            _ward(f"Phường Thêm {index}", 6)
    with counted(app) as many:
        assert client.get("/coverage/city").status_code == 200
    assert len(few) == len(many), (len(few), len(many))
