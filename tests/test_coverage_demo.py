"""The demo's eight weeks of assistance records agree with the residents' e-ID levels, so the
demo dashboard tells a consistent story (SQLite only: loading the ward takes a few seconds)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlmodel import select

from app import create_app
from assistance.models import LEVEL_AFTER, AssistanceRecord, AssistanceResident, Kind, Outcome
from core import clock
from core.clock import as_utc
from core.db import make_engine, session_scope
from core.schema import metadata
from demo.assistance import WEEKS, build_demo_assistance
from demo.ward import build_demo_ward
from eid_coverage import period, queries
from households.models import Resident, Ward

# Mid-month: "this month" on the dashboard then holds weeks of the demo's records, whatever today is.
NOW = datetime(2026, 11, 18, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def at_demo_time(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('cov_demo') / 'demo.db'}"
    engine = make_engine(url)
    metadata.create_all(engine)
    engine.dispose()
    app = create_app({"TESTING": True, "SECRET_KEY": "test-only-secret", "DATABASE_URL": url})
    with time_machine.travel(NOW, tick=False), app.app_context(), session_scope() as db:
        build_demo_ward(db, seed=247)
        totals = build_demo_assistance(db, seed=247, now=NOW)  # no rota: made-up desk sessions
    yield app, NOW, totals
    app.extensions["db_engine"].dispose()


def test_records_fall_in_the_last_eight_weeks(demo):
    app, now, totals = demo
    with app.app_context(), session_scope() as db:
        times = [as_utc(t) for t in db.exec(select(AssistanceRecord.client_time)).all()]
    assert len(times) == totals["records"] > 500
    assert min(times) >= now - timedelta(weeks=WEEKS, days=1) and max(times) <= now


def test_done_e_id_records_match_the_residents_levels_and_dates(demo):
    app, _now, totals = demo
    with app.app_context(), session_scope() as db:
        rows = db.exec(
            select(AssistanceRecord, Resident)
            .join(AssistanceResident, AssistanceResident.record_id == AssistanceRecord.id)
            .join(Resident, Resident.id == AssistanceResident.resident_id)
            .where(
                AssistanceRecord.outcome == Outcome.DONE,
                AssistanceRecord.kind.in_(list(LEVEL_AFTER)),
            )
        ).all()
        dated = db.exec(select(Resident).where(Resident.eid_confirmed_on.is_not(None))).all()
    assert len(rows) == len(dated) == totals["eid_confirmed"] > 100
    for record, resident in rows:
        assert resident.eid_level >= LEVEL_AFTER[record.kind]
        assert resident.eid_confirmed_on == clock.local_date(record.client_time)


def test_follow_ups_are_partly_resolved_by_a_later_visit(demo):
    app, _now, _totals = demo
    with app.app_context(), session_scope() as db:
        pending = db.exec(
            select(AssistanceRecord).where(AssistanceRecord.outcome == Outcome.PENDING)
        ).all()
        resolvers = {
            r.id: r
            for r in db.exec(
                select(AssistanceRecord).where(AssistanceRecord.outcome == Outcome.DONE)
            ).all()
        }
    closed = [r for r in pending if r.resolved_at is not None]
    assert 0 < len(closed) < len(pending)
    for record in closed:
        resolver = resolvers[record.resolved_by_record_id]
        assert resolver.household_id == record.household_id
        assert as_utc(resolver.client_time) > as_utc(record.client_time)


def test_the_demo_dashboard_shows_coverage_rising(demo):
    app, _now, _totals = demo
    with app.app_context(), session_scope() as db:
        ward = db.exec(select(Ward)).one()
        data = queries.ward_dashboard(db, ward_id=ward.id, period=period.parse({}))
        dossiers = db.exec(
            select(AssistanceRecord).where(AssistanceRecord.kind == Kind.DOSSIER)
        ).all()
    shares = [week.coverage for week in data.weeks]
    assert shares == sorted(shares) and shares[-1] > shares[0]
    assert all(record.procedure_id and record.dossier_code for record in dossiers)
    assert data.total.reached > 300 and data.active_volunteers > 20
