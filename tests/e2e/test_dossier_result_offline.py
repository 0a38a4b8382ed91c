"""A dossier's result recorded later from the log screen's follow-ups without signal: "returned
for more papers" is kept on the phone and stored when the signal returns; the follow-up stays."""

import uuid
from datetime import UTC, datetime

from sqlmodel import select

from assistance import catalogue
from assistance.models import AssistanceRecord, Kind, Outcome, Place
from dossiers.models import DossierResult
from households.models import Household, ResidentialGroup
from tests.e2e.conftest import assert_fits_360, login, shot, wait_for, wait_until
from volunteer.models import User

READY = "document.getElementById('log-app').dataset.ready === '1'"
PENDING = "JSON.parse(localStorage.getItem('t247-dossier-results') || '[]').length"


def _waiting_dossier(db) -> str:
    """A dossier filed long ago, waiting for its result: among the oldest follow-ups."""
    volunteer = db.exec(select(User).where(User.username == "tnv09")).one()
    household = db.exec(
        select(Household)
        .join(ResidentialGroup)
        .where(ResidentialGroup.ward_id == volunteer.ward_id)
        .order_by(Household.id)
    ).first()
    catalogue.ensure_seeded(db, volunteer.ward_id)
    procedure = catalogue.procedures(db, ward_id=volunteer.ward_id, active_only=True)[0]
    record = AssistanceRecord(
        uuid=str(uuid.uuid4()),
        ward_id=volunteer.ward_id,
        household_id=household.id,
        volunteer_id=volunteer.id,
        kind=Kind.DOSSIER,
        procedure_id=procedure.id,
        mode="toan_trinh",
        outcome=Outcome.PENDING,
        reason="Chờ kết quả",
        place=Place.HOME,
        client_time=datetime(2019, 6, 1, 3, tzinfo=UTC),
    )
    db.add(record)
    db.flush()
    return record.uuid


def _result(live_db, record_uuid):
    def read(db):
        row = db.exec(
            select(DossierResult.result, AssistanceRecord.resolved_at)
            .join(AssistanceRecord, AssistanceRecord.id == DossierResult.record_id)
            .where(AssistanceRecord.uuid == record_uuid)
        ).first()
        return tuple(row) if row else None

    return live_db(read)


def test_returned_for_more_papers_recorded_offline(context, page, live_db):
    record_uuid = live_db(_waiting_dossier)
    login(page, "tnv09")
    page.goto("/log")
    wait_for(page, READY)
    button = f"#followups button[data-dossier-result='{record_uuid}']"
    page.wait_for_selector(button, timeout=60_000)
    context.set_offline(True)
    page.click(button)
    page.check("#dossier-result-form input[value='returned']")
    assert_fits_360(page)
    shot(page, "log-dossier-result")
    page.click("#dossier-result-form button[type=submit]")
    wait_until(page, f"{PENDING} === 1")
    assert page.locator("#dr-pending").inner_text().endswith("1")
    assert page.locator(button).count() == 1  # returned: still waiting for papers
    assert _result(live_db, record_uuid) is None
    context.set_offline(False)
    wait_until(page, f"{PENDING} === 0", 15_000)
    assert _result(live_db, record_uuid) == ("returned", None)
