"""A dossier's life: filed online, its result recorded later from the follow-ups, audited."""

import uuid
from datetime import timedelta

from sqlmodel import select

from assistance.models import AssistanceRecord, Kind, Outcome
from core import clock
from core.audit import AuditLog
from core.db import get_session
from dossiers.models import DossierResult
from tests.coverage_support import add_record, local
from tests.helpers import page_text


def _dossier(app, world, *, outcome=Outcome.PENDING, household="hung", days_ago=10) -> int:
    with app.app_context():
        record_id = add_record(
            world,
            household,
            at=local(clock.today() - timedelta(days=days_ago)),
            kind=Kind.DOSSIER,
            outcome=outcome,
            residents=("hung",) if household == "hung" else (),
            reason="Chờ kết quả" if outcome != Outcome.DONE else None,
        )
        db = get_session()
        record = db.get(AssistanceRecord, record_id)
        record.mode, record.dossier_code = "toan_trinh", "000.00.07.H17-261201-0001"
        db.commit()
    return record_id


def _post(client, record_id, result="done", days_ago=3):
    day = clock.today() - timedelta(days=days_ago)
    return client.post(
        f"/records/{record_id}/dossier-result",
        data={"result": result, "result_on": day.isoformat()},
    )


def test_result_recorded_from_followups_closes_it(app, world, auth, client):
    record_id = _dossier(app, world)
    auth.login("tnv01")
    followups = page_text(client.get("/follow-ups"))
    assert "000.00.07.H17-261201-0001" in followups
    assert f"/records/{record_id}/dossier-result" in followups
    assert client.get(f"/records/{record_id}/dossier-result").status_code == 200
    assert _post(client, record_id).status_code == 302
    with app.app_context():
        db = get_session()
        row = db.get(DossierResult, record_id)
        assert (row.result, row.result_on) == ("done", clock.today() - timedelta(days=3))
        assert db.get(AssistanceRecord, record_id).resolved_at is not None
        entry = db.exec(select(AuditLog).where(AuditLog.entity == "dossier_result")).one()
        assert entry.action == "create" and entry.changes["result"] == [None, "done"]
    listed = page_text(client.get("/records"))
    assert 'data-dossier-result="done"' in listed
    assert "000.00.07.H17-261201-0001" in listed


def test_returned_keeps_the_followup_open_and_can_be_corrected(app, world, auth, client):
    record_id = _dossier(app, world)
    auth.login("bithu")
    assert _post(client, record_id, result="returned", days_ago=5).status_code == 302
    with app.app_context():
        assert get_session().get(AssistanceRecord, record_id).resolved_at is None
    assert _post(client, record_id, result="done", days_ago=1).status_code == 302
    with app.app_context():
        db = get_session()
        assert db.get(DossierResult, record_id).result == "done"
        assert db.get(AssistanceRecord, record_id).resolved_at is not None
        actions = db.exec(select(AuditLog.action).where(AuditLog.entity == "dossier_result")).all()
        assert sorted(actions) == ["create", "update"]


def test_bad_dates_and_choices_are_refused_without_a_500(app, world, auth, client):
    record_id = _dossier(app, world, days_ago=10)
    auth.login("tnv01")
    for data in (
        {"result": "done", "result_on": (clock.today() + timedelta(days=1)).isoformat()},
        {"result": "done", "result_on": (clock.today() - timedelta(days=11)).isoformat()},
        {"result": "done", "result_on": "31/02/2026"},
        {"result": "done", "result_on": "99999-01-01"},
        {"result": "lost", "result_on": clock.today().isoformat()},
        {},
    ):
        response = client.post(f"/records/{record_id}/dossier-result", data=data)
        assert response.status_code == 200, data
    with app.app_context():
        assert get_session().get(DossierResult, record_id) is None


def test_only_filed_dossiers_of_ones_ward(app, world, auth, client):
    failed = _dossier(app, world, outcome=Outcome.FAILED)
    with app.app_context():
        guidance = add_record(world, "hung", at=local(clock.today()))
    other_ward = _dossier(app, world, household="hung_b")
    auth.login("tnv01")
    assert client.get(f"/records/{failed}/dossier-result").status_code == 404
    assert client.get(f"/records/{guidance}/dossier-result").status_code == 404
    assert client.get(f"/records/{other_ward}/dossier-result").status_code == 404
    auth.logout()
    auth.login("phuong")  # the ward officer reads, does not record
    assert client.get(f"/records/{failed}/dossier-result").status_code == 403


def _uuid_of(app, record_id) -> str:
    with app.app_context():
        return get_session().get(AssistanceRecord, record_id).uuid


def _item(record_uuid, result, days_ago, **extra) -> dict:
    day = (clock.today() - timedelta(days=days_ago)).isoformat()
    item = {"uuid": str(uuid.uuid4()), "record_uuid": record_uuid, "result": result}
    return item | {"result_on": day} | extra


def test_results_kept_on_the_phone_are_stored_in_order(app, world, auth, client):
    """Offline, the log screen keeps "returned for more papers" (and done, refused) on the phone;
    sent later, each is stored as the result form would: returned keeps the follow-up open,
    done then closes it; a result whose filing is still on the phone waits."""
    record_id = _dossier(app, world, days_ago=10)
    record_uuid = _uuid_of(app, record_id)
    auth.login("tnv01")
    returned = _item(record_uuid, "returned", 6)
    waiting = _item(str(uuid.uuid4()), "done", 1)
    answer = client.post("/dossiers/api/results", json={"items": [returned, waiting]})
    assert [r["status"] for r in answer.get_json()["results"]] == ["stored", "waiting"]
    with app.app_context():
        db = get_session()
        row = db.get(DossierResult, record_id)
        assert (row.result, row.result_on) == ("returned", clock.today() - timedelta(days=6))
        assert db.get(AssistanceRecord, record_id).resolved_at is None
    done = _item(record_uuid, "done", 2)
    answer = client.post("/dossiers/api/results", json={"items": [returned, done, done]})
    assert [r["status"] for r in answer.get_json()["results"]] == ["stored"] * 3
    with app.app_context():
        db = get_session()
        assert db.get(DossierResult, record_id).result == "done"
        assert db.get(AssistanceRecord, record_id).resolved_at is not None
        actions = db.exec(select(AuditLog.action).where(AuditLog.entity == "dossier_result")).all()
        assert sorted(actions) == ["create", "update"]  # the repeats changed nothing


def test_a_result_kept_on_the_phone_does_not_overwrite_a_later_one(app, world, auth, client):
    record_id = _dossier(app, world, days_ago=10)
    auth.login("tnv01")
    assert _post(client, record_id, result="refused", days_ago=1).status_code == 302
    noted = (clock.now() - timedelta(days=2)).isoformat()
    item = _item(_uuid_of(app, record_id), "returned", 3, noted_at=noted)
    answer = client.post("/dossiers/api/results", json={"items": [item]}).get_json()
    assert answer["results"][0]["status"] == "stored"
    with app.app_context():
        assert get_session().get(DossierResult, record_id).result == "refused"


def test_offline_results_refuse_bad_items_without_a_500(app, world, auth, client):
    record_id = _dossier(app, world, days_ago=10)
    record_uuid = _uuid_of(app, record_id)
    failed_uuid = _uuid_of(app, _dossier(app, world, outcome=Outcome.FAILED))
    other_uuid = _uuid_of(app, _dossier(app, world, household="hung_b"))
    auth.login("tnv01")
    items = [
        _item(record_uuid, "lost", 1),
        _item(record_uuid, "done", -1),  # tomorrow
        _item(record_uuid, "done", 11),  # before it was filed
        _item(record_uuid, "done", 1) | {"result_on": "2026-02-31"},
        _item(record_uuid, "done", 1) | {"uuid": "x"},
        _item("nope", "done", 1),
        _item(failed_uuid, "done", 1),
        _item(other_uuid, "done", 1),
        "junk",
    ]
    answer = client.post("/dossiers/api/results", json={"items": items}).get_json()["results"]
    assert [r["status"] for r in answer] == ["rejected"] * len(items)
    assert [r["field"] for r in answer[:4]] == ["result", "result_on", "result_on", "result_on"]
    for body in (None, {"items": "x"}, {"items": [items[0]] * 101}, [1]):
        assert client.post("/dossiers/api/results", json=body).status_code == 400
    with app.app_context():
        assert get_session().exec(select(DossierResult)).all() == []
    auth.logout()
    auth.login("phuong")
    assert client.post("/dossiers/api/results", json={"items": []}).status_code == 403
