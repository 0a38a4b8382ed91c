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
from demo.dossiers import build_demo_results
from demo.feedback import build_demo_feedback
from demo.ward import build_demo_ward
from dossiers import stats
from dossiers.models import DossierResult
from eid_coverage import period, queries
from feedback import queries as feedback_queries
from feedback.models import Feedback
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
        ward_id = build_demo_ward(db, seed=247)["ward_id"]
        totals = build_demo_assistance(db, seed=247, now=NOW)  # no rota: made-up desk sessions
        totals |= build_demo_results(db, seed=247, ward_id=ward_id)
        totals |= build_demo_feedback(db, seed=247, ward_id=ward_id)
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
        results = {row.record_id: row for row in db.exec(select(DossierResult)).all()}
    closed = [r for r in pending if r.resolved_at is not None]
    assert 0 < len(closed) < len(pending)
    for record in closed:
        if record.kind == Kind.DOSSIER:  # closed by its final result, not by a visit
            assert record.resolved_by_record_id is None
            assert results[record.id].result in ("done", "refused")
            continue
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


def test_demo_dossiers_have_results_after_realistic_days(demo):
    """Done, returned and refused, a few days after filing, never after today; the newest
    still wait; last month's procedure table has results and a median."""
    app, now, totals = demo
    with app.app_context(), session_scope() as db:
        rows = db.exec(select(DossierResult, AssistanceRecord).join(AssistanceRecord)).all()
        ward = db.exec(select(Ward)).one()
        last_month = period.parse_month(f"{clock.local(now - timedelta(days=30)):%Y-%m}")
        table, total = stats.by_procedure(
            db, ward_id=ward.id, starts_at=last_month.starts_at, ends_at=last_month.ends_at
        )
    assert {result.result for result, _record in rows} == {"done", "returned", "refused"}
    assert totals["filed"] > len(rows) > totals["filed"] // 2
    for result, record in rows:
        days = (result.result_on - clock.local_date(as_utc(record.client_time))).days
        assert 2 <= days <= 20 and result.result_on <= clock.local_date(now)
    assert len(table) >= 5 and total.filed >= total.with_result > total.filed // 2
    assert total.results["returned"] and total.results["refused"]
    assert 2 <= total.median_days <= 12


def test_demo_residents_rate_the_help_over_the_weeks(demo):
    """Ratings after visits (linked to the record, home and desk) and from the desk's page,
    in every demo week, mostly pleased, a few comments, nothing that names anyone."""
    app, now, totals = demo
    with app.app_context(), session_scope() as db:
        ratings = db.exec(select(Feedback)).all()
        records = set(db.exec(select(AssistanceRecord.uuid)).all())
        ward = db.exec(select(Ward)).one()
        month = period.parse_month(f"{clock.local(now):%Y-%m}")
        summary = feedback_queries.satisfaction(
            db, ward_id=ward.id, starts_at=month.starts_at, ends_at=month.ends_at
        )
    assert len(ratings) == totals["ratings"] > 100
    weeks = {(now - as_utc(r.given_at)).days // 7 for r in ratings}
    assert set(range(WEEKS)) <= weeks <= set(range(WEEKS + 1))  # the first day may be older
    visits = [r for r in ratings if r.source == "visit"]
    assert all(r.record_uuid in records for r in visits)
    assert {r.place for r in visits} == {"home", "desk"}
    assert any(r.source == "desk" and r.record_uuid is None for r in ratings)
    assert 0 < totals["comments"] < len(ratings) // 3
    assert {tally.key for tally in summary.by_place} == {"home", "desk"}
    assert summary.total.satisfied_share > 60 and summary.comments
