"""`flask demo-data`: the seeded demo ward. Loading takes a few seconds, so it runs on SQLite
only and is loaded once for the read-only checks."""

import re

import pytest
from sqlmodel import func, select

from app import create_app
from core import clock
from core.db import make_engine, session_scope
from core.schema import metadata
from households.models import GroupAssignment, Household, Resident, ResidentialGroup, Ward
from households.queries import group_counts
from tests.helpers import csrf_from
from volunteer.models import User

DEMO_USERS = {"admin", "bithu", "phuong"} | {f"tnv{n:02d}" for n in range(1, 31)}


def empty_app(path):
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    metadata.create_all(engine)
    engine.dispose()
    return create_app({"TESTING": True, "SECRET_KEY": "test-only-secret", "DATABASE_URL": url})


def load(app, *args):
    result = app.test_cli_runner().invoke(args=["demo-data", *args])
    assert result.exit_code == 0, result.output
    return result.output


def roll(app) -> list[tuple]:
    with app.app_context(), session_scope() as db:
        households = db.exec(select(Household.address, Household.head_name).order_by(Household.id))
        residents = db.exec(select(Resident.full_name, Resident.birth_year).order_by(Resident.id))
        return [*households.all(), *residents.all()]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    app = empty_app(tmp_path_factory.mktemp("demo") / "demo.db")
    output = load(app)
    yield app, output
    app.extensions["db_engine"].dispose()


def test_demo_ward_has_the_promised_size(demo):
    app, output = demo
    with app.app_context(), session_scope() as db:
        [ward] = db.exec(select(Ward)).all()
        groups = db.exec(select(func.count()).select_from(ResidentialGroup)).one()
        households = db.exec(select(func.count()).select_from(Household)).one()
        residents = db.exec(select(func.count()).select_from(Resident)).one()
    assert ward.name == "Thanh Khê Đông"
    assert groups == 49
    assert 2_700 <= households <= 3_300
    assert 8_000 <= residents <= 10_000
    assert f"{households} hộ" in output and f"{residents} người" in output


def test_demo_people_are_plausible_and_respect_consent(demo):
    app, _output = demo
    year = clock.this_year()
    with app.app_context(), session_scope() as db:
        years = db.exec(select(func.min(Resident.birth_year), func.max(Resident.birth_year))).one()
        unnamed = db.exec(select(Household).where(Household.consent.is_(False))).all()
        named_without_consent = db.exec(
            select(func.count())
            .select_from(Resident)
            .join(Household, Household.id == Resident.household_id)
            .where(Household.consent.is_(False), Resident.full_name.is_not(None))
        ).one()
        sample = db.exec(select(Resident.full_name).where(Resident.full_name.is_not(None))).first()
    assert year - 100 <= years[0] and years[1] <= year
    assert unnamed and all(h.head_name is None and h.phone is None for h in unnamed)
    assert named_without_consent == 0
    assert len(sample.split()) >= 3  # family, middle and given name


def test_demo_users_log_in_with_the_demo_password(demo):
    app, output = demo
    with app.app_context(), session_scope() as db:
        users = {user.username: user.role for user in db.exec(select(User)).all()}
    assert set(users) == DEMO_USERS
    assert (users["admin"], users["bithu"], users["phuong"], users["tnv17"]) == (
        "admin",
        "secretary",
        "ward_officer",
        "volunteer",
    )
    for username in ("admin", "bithu", "phuong", "tnv01", "tnv30"):
        client = app.test_client()  # CSRF is on here, as in production
        token = csrf_from(client.get("/login").data)
        data = {"username": username, "password": "thanhnien247", "csrf_token": token}
        assert client.post("/login", data=data).status_code == 302, username
    assert "thanhnien247" in output
    assert all(name in output for name in ("admin", "bithu", "phuong", "tnv01"))


def test_every_demo_volunteer_has_one_to_four_groups_and_every_group_someone(demo):
    app, output = demo
    with app.app_context(), session_scope() as db:
        rows = db.exec(select(GroupAssignment.user_id, GroupAssignment.group_id)).all()
        volunteers = db.exec(select(User.id).where(User.role == "volunteer")).all()
        groups = db.exec(select(ResidentialGroup.id)).all()
    per_volunteer = {user_id: sum(1 for u, _g in rows if u == user_id) for user_id in volunteers}
    assert all(1 <= n <= 4 for n in per_volunteer.values()), per_volunteer
    assert 4 in per_volunteer.values()  # the benchmark's volunteer (bench/scope_bench.py)
    assert {g for _u, g in rows} == set(groups)
    assert f"Tổ phụ trách: {len(rows)} lượt" in output


def test_demo_coverage_differs_by_group(demo):
    app, _output = demo
    with app.app_context(), session_scope() as db:
        ward_id = db.exec(select(Ward.id)).one()
        coverage = [c.coverage for c in group_counts(db, ward_id=ward_id).values()]
    assert len(coverage) == 49
    assert max(coverage) >= 80
    assert min(coverage) < 50


def test_if_empty_leaves_a_loaded_database_alone(demo):
    app, _output = demo
    before = roll(app)
    output = load(app, "--if-empty")
    assert "không nạp lại" in output
    assert "thanhnien247" in output and "bithu" in output
    assert roll(app) == before
    refused = app.test_cli_runner().invoke(args=["demo-data"])
    assert refused.exit_code != 0
    assert roll(app) == before


def test_demo_is_deterministic(demo, tmp_path):
    app, _output = demo
    again = empty_app(tmp_path / "again.db")
    load(again)
    other_seed = empty_app(tmp_path / "other.db")
    load(other_seed, "--seed", "7")
    try:
        first = roll(app)
        assert roll(again) == first
        assert roll(other_seed) != first
        assert re.search(r"[ạ-ỹđ]", " ".join(name or "" for name, _ in first[:200]))
    finally:
        again.extensions["db_engine"].dispose()
        other_seed.extensions["db_engine"].dispose()
