"""Fixtures: `app` (on SQLite, and on PostgreSQL when reachable), `client`, `runner`, `auth`, `world`.

Every request test runs once per database backend. PostgreSQL tests skip with a reason when the
server is not reachable, unless REQUIRE_POSTGRES=1 (set by .ci/run) makes that a failure.

`--clock=ISO-DATETIME` moves the one clock (core/clock.py) of every test to that moment in ward
time, ticking, before the test's fixtures run: the proof that no test depends on today's date.
Tests on PostgreSQL are deselected then: its server clock can't be moved.
A test that pins its own moment (time_machine.travel) still gets it: travels nest. A test marked
`real_clock(reason)` is skipped under `--clock`.
"""

import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import text

from app import create_app
from core.clock import WARD_TZ
from core.db import make_engine
from core.schema import metadata
from tests.factories import World, build_world


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        metavar="ISO-DATETIME",
        help="run every test with the clock moved (ticking) to this moment, ward time unless "
        "the value has an offset; tests marked real_clock are skipped",
    )


def _moved_clock(config) -> datetime | None:
    value = config.getoption("--clock")
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise pytest.UsageError(f"--clock: not an ISO date-time: {value!r}") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=WARD_TZ)


def pytest_collection_modifyitems(config, items):
    if _moved_clock(config) is None:
        return
    # PostgreSQL's server clock (now(), CURRENT_TIMESTAMP) can't be moved from here.
    on_postgres = [item for item in items if _database_of(item) == "postgresql"]
    if on_postgres:
        config.hook.pytest_deselected(items=on_postgres)
        items[:] = [item for item in items if _database_of(item) != "postgresql"]
    for item in items:
        marker = item.get_closest_marker("real_clock")
        if marker is not None:
            reason = marker.args[0] if marker.args else marker.kwargs.get("reason", "")
            item.add_marker(pytest.mark.skip(reason=f"real_clock under --clock: {reason}"))


def _database_of(item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("database_url") if callspec else None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    # Around setup, call and teardown, so that fixtures building rows see the moved clock too.
    moment = _moved_clock(item.config)
    if moment is None or item.get_closest_marker("real_clock"):
        return (yield)
    with time_machine.travel(moment, tick=True):
        return (yield)


POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _worker_schema() -> str:
    # Unique per test run and worker: several runs may share one PostgreSQL database at once.
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))[:8]
    return f"t_{run}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


@pytest.fixture(scope="session")
def postgres_url():
    """A schema of its own per xdist worker, so parallel workers never see each other's rows."""
    base = make_engine(POSTGRES_URL)
    try:
        with base.begin() as connection:
            schema = _worker_schema()
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as error:  # noqa: BLE001 - any connection failure means "not reachable"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required (REQUIRE_POSTGRES=1) but not reachable: {error}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {type(error).__name__}")
    finally:
        base.dispose()
    # Commits don't wait for the log to reach the disk (2-3 ms each here): a crash of the test
    # server may lose the last ones, which no test needs; what sessions see is unchanged.
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{_worker_schema()}%20-csynchronous_commit%3Doff"
    engine = make_engine(url)
    metadata.create_all(engine)
    engine.dispose()
    yield url
    base = make_engine(POSTGRES_URL)
    with base.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {_worker_schema()} CASCADE"))
    base.dispose()


@pytest.fixture(scope="session")
def empty_postgres(postgres_url):
    """Empties the worker's schema before each test, as TRUNCATE ... RESTART IDENTITY would.

    DELETE, children before parents, then every sequence back to 1: on tables of a few rows this
    takes 3 ms where TRUNCATE, which gives each table a new file, took 90-130 ms, once per
    PostgreSQL test."""
    engine = make_engine(postgres_url)
    with engine.connect() as connection:
        sequences = connection.execute(
            text("SELECT sequencename FROM pg_sequences WHERE schemaname = :schema"),
            {"schema": _worker_schema()},
        ).scalars()
        restart = ", ".join(f"setval('\"{name}\"', 1, false)" for name in sorted(sequences))
    deletes = [f'DELETE FROM "{table.name}"' for table in reversed(metadata.sorted_tables)]

    def empty() -> None:
        with engine.begin() as connection:
            connection.exec_driver_sql("; ".join(deletes))
            if restart:
                connection.exec_driver_sql(f"SELECT {restart}")

    yield empty
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """The schema built once per worker; each test gets a copy of the file (create_all: 40 ms)."""
    path = tmp_path_factory.mktemp("schema") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    engine.dispose()  # the last connection closing folds the write-ahead log into the file
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    request.getfixturevalue("empty_postgres")()
    return url


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-only-secret",
            "DATABASE_URL": database_url,
            "WTF_CSRF_ENABLED": False,
        }
    )
    app.instance_path = str(tmp_path / "instance")
    os.makedirs(app.instance_path, exist_ok=True)
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def world(app) -> World:
    """Two wards with users of every role, groups, households and residents."""
    with app.app_context():
        return build_world()


@dataclass
class AuthActions:
    client: object
    logged_in_as: list = field(default_factory=list)

    def login(self, username: str, password: str = "thanhnien247", remember: bool = False):
        response = self.client.post(
            "/login",
            data={"username": username, "password": password, "remember": "y" if remember else ""},
        )
        self.logged_in_as.append(username)
        return response

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """Tests always run against the catalogue as it is in the tree, compiled afresh."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in Path(__file__).resolve().parent.parent.glob("translations/*/LC_MESSAGES/*.po"):
        with po_path.open("rb") as source:
            catalog = read_po(source)
        # Written aside and renamed: both xdist workers compile at once, and a reader must
        # never see a half-written file.
        partial = po_path.with_suffix(f".mo.{os.getpid()}")
        with partial.open("wb") as target:
            write_mo(target, catalog)
        os.replace(partial, po_path.with_suffix(".mo"))
