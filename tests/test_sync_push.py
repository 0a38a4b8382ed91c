"""POST /api/v1/push: one answer per item, idempotent by UUID, valid items stored together."""

from sqlalchemy import func
from sqlmodel import select

from assistance.models import AssistanceRecord, AssistanceResident, Procedure
from core.audit import AuditLog
from core.db import get_session
from households.models import Household, Resident
from sync.items import content_hash
from sync.models import SyncReceipt
from tests.sync_items import (
    household,
    household_uuid,
    new_uuid,
    push,
    record,
    resident,
    resident_uuid,
    statuses,
)


def count(model) -> int:
    return get_session().exec(select(func.count()).select_from(model)).one()


def test_a_record_is_stored_with_its_residents(app, world, auth, client):
    auth.login("tnv01")
    with app.app_context():
        item = record(
            household_uuid(world, "hung"),
            resident_uuids=[resident_uuid(world, "duong")],
            kind="eid_level2",
        )
        response = push(client, [item])
        assert response.status_code == 200
        result = response.get_json()["results"][0]
        assert result["status"] == "accepted"
        stored = get_session().get(AssistanceRecord, result["id"])
        assert stored.uuid == item["uuid"]
        assert stored.volunteer_id == world.users["tnv01"]
        assert stored.household_id == world.households["hung"]
        links = get_session().exec(select(AssistanceResident.resident_id)).all()
        assert links == [world.residents["duong"]]
        # A done level-2 record raises the resident to level 2, and the change is audited.
        assert get_session().get(Resident, world.residents["duong"]).eid_level == 2
        changes = (
            get_session()
            .exec(
                select(AuditLog.changes).where(
                    AuditLog.entity == "resident", AuditLog.entity_id == world.residents["duong"]
                )
            )
            .all()
        )
        assert {"eid_level": [0, 2]} in changes


def test_replaying_a_push_answers_duplicate_with_the_stored_ids(app, world, auth, client):
    auth.login("tnv01")
    with app.app_context():
        group = world.groups["a1"]
        new = household(group)
        items = [
            new,
            resident(new["uuid"]),
            record(new["uuid"]),
            record(household_uuid(world, "lan")),
        ]
        first = push(client, items).get_json()["results"]
        second = push(client, items).get_json()["results"]
        third = push(client, items).get_json()["results"]
        assert [r["status"] for r in first] == ["accepted"] * 4
        assert [r["status"] for r in second] == ["duplicate"] * 4
        assert [r["id"] for r in second] == [r["id"] for r in first] == [r["id"] for r in third]
        assert count(AssistanceRecord) == 2
        assert count(SyncReceipt) == 2  # the household and the resident; records keep their hash
        hashes = get_session().exec(select(AssistanceRecord.content_hash)).all()
        assert sorted(hashes) == sorted(content_hash(item) for item in items[2:])
        assert (
            len(get_session().exec(select(Household).where(Household.uuid == new["uuid"])).all())
            == 1
        )


def test_same_uuid_with_other_content_is_a_conflict(app, world, auth, client):
    auth.login("tnv01")
    with app.app_context():
        item = record(household_uuid(world, "lan"))
        push(client, [item])
        changed = {**item, "minutes": 45}
        response = push(client, [changed])
        assert response.get_json()["results"][0] == {
            "uuid": item["uuid"],
            "type": "record",
            "status": "conflict",
            "reason": "uuid_reused",
        }
        assert get_session().exec(select(AssistanceRecord.minutes)).all() == [10]


def test_a_uuid_is_never_reused_across_item_types(app, world, auth, client):
    """Households keep receipts and records keep their own hash: both are looked up."""
    auth.login("tnv01")
    with app.app_context():
        new = household(world.groups["a1"])
        lan = household_uuid(world, "lan")
        kept = record(lan)
        push(client, [new, kept])
        as_record = {**record(lan), "uuid": new["uuid"]}
        as_resident = {**resident(new["uuid"]), "uuid": kept["uuid"]}
        results = push(client, [as_record, as_resident]).get_json()["results"]
        assert [(r["status"], r.get("reason")) for r in results] == [
            ("conflict", "uuid_reused"),
            ("conflict", "uuid_reused"),
        ]
        assert count(AssistanceRecord) == 1 and count(Resident) == len(world.residents)


def test_one_invalid_record_does_not_block_the_others(app, world, auth, client):
    auth.login("tnv01")
    with app.app_context():
        lan = household_uuid(world, "lan")
        items = [record(lan), record(lan, outcome="pending", reason=None), record(lan)]
        response = push(client, items)
        results = response.get_json()["results"]
        assert [r["status"] for r in results] == ["accepted", "rejected", "accepted"]
        assert results[1]["reason"] == "missing_field" and results[1]["field"] == "reason"
        stored = set(get_session().exec(select(AssistanceRecord.uuid)).all())
        assert stored == {items[0]["uuid"], items[2]["uuid"]}


def test_the_same_uuid_twice_in_one_batch(app, world, auth, client):
    auth.login("tnv01")
    with app.app_context():
        item = record(household_uuid(world, "lan"))
        results = push(client, [item, dict(item), {**item, "minutes": 3}]).get_json()["results"]
        assert [r["status"] for r in results] == ["accepted", "duplicate", "conflict"]
        assert results[1]["id"] == results[0]["id"]
        assert count(AssistanceRecord) == 1


def test_levels_only_move_up(app, world, auth, client):
    auth.login("tnv01")
    with app.app_context():
        hung = household_uuid(world, "hung")
        lan = resident_uuid(world, "lan")
        lan_household = household_uuid(world, "lan")
        duong = resident_uuid(world, "duong")
        push(
            client,
            [
                # Lan is at level 2: a level-1 record does not lower her.
                record(lan_household, resident_uuids=[lan], kind="eid_level1"),
                # Two phones raising Dương: the higher level wins whatever the order.
                record(hung, resident_uuids=[duong], kind="eid_level2"),
                record(hung, resident_uuids=[duong], kind="eid_level1"),
                # A pending level-2 registration changes nothing yet.
                record(
                    hung,
                    resident_uuids=[resident_uuid(world, "hung")],
                    kind="eid_level2",
                    outcome="pending",
                    reason="Chờ công an xác thực",
                ),
            ],
        )
        db = get_session()
        assert db.get(Resident, world.residents["lan"]).eid_level == 2
        assert db.get(Resident, world.residents["duong"]).eid_level == 2
        assert db.get(Resident, world.residents["hung"]).eid_level == 1


def test_household_resident_and_record_created_offline(app, world, auth, client):
    auth.login("tnv01")
    with app.app_context():
        new = household(world.groups["a2"], consent=False, head_name=None, phone=None)
        person = resident(new["uuid"], full_name=None, birth_year=1970, eid_level=1)
        visit = record(new["uuid"], resident_uuids=[person["uuid"]], kind="eid_level2")
        assert statuses(push(client, [visit, person, new])) == ["accepted"] * 3
        db = get_session()
        stored = db.exec(select(Household).where(Household.uuid == new["uuid"])).one()
        assert stored.group_id == world.groups["a2"] and stored.head_name is None
        assert stored.created_by_id == world.users["tnv01"]
        stored_resident = db.exec(select(Resident).where(Resident.uuid == person["uuid"])).one()
        assert stored_resident.household_id == stored.id and stored_resident.eid_level == 2
        audited = db.exec(select(AuditLog.entity).where(AuditLog.action == "create")).all()
        assert "household" in audited and "resident" in audited


def test_another_wards_household_is_unknown(app, world, auth, client):
    auth.login("tnv01")
    with app.app_context():
        items = [
            record(household_uuid(world, "hung_b")),
            household(world.groups["b1"]),
            record(new_uuid()),
            record(household_uuid(world, "hung"), resident_uuids=[resident_uuid(world, "lan")]),
        ]
        results = push(client, items).get_json()["results"]
        assert [(r["status"], r.get("field")) for r in results] == [
            ("rejected", "household_uuid"),
            ("rejected", "group_id"),
            ("rejected", "household_uuid"),
            ("rejected", "resident_uuids"),
        ]
        assert count(AssistanceRecord) == 0


def test_dossier_needs_a_procedure_of_the_ward(app, world, auth, client):
    auth.login("tnv01")
    with app.app_context():
        client.get("/api/v1/pull")  # seeds the ward's catalogue
        procedure = (
            get_session().exec(select(Procedure).where(Procedure.ward_id == world.ward_a)).first()
        )
        lan = household_uuid(world, "lan")
        items = [
            record(lan, kind="dossier", procedure_id=procedure.id, dossier_code="H12.34-567"),
            record(lan, kind="dossier"),
            record(lan, kind="dossier", procedure_id=999_999),
            record(lan, kind="guidance", procedure_id=procedure.id),
        ]
        results = push(client, items).get_json()["results"]
        assert [r["status"] for r in results] == ["accepted", "rejected", "rejected", "rejected"]
        stored = get_session().get(AssistanceRecord, results[0]["id"])
        assert stored.mode == procedure.mode and stored.dossier_code == "H12.34-567"


def test_a_later_record_resolves_a_followup(app, world, auth, client):
    auth.login("tnv01")
    with app.app_context():
        hung = household_uuid(world, "hung")
        waiting = record(hung, kind="eid_level2", outcome="pending", reason="Chờ công an")
        push(client, [waiting])
        pulled = client.get("/api/v1/pull").get_json()
        assert [f["uuid"] for f in pulled["followups"]] == [waiting["uuid"]]
        auth.logout()
        auth.login("tnv02")
        closing = record(hung, kind="eid_level2", resolves=waiting["uuid"])
        assert statuses(push(client, [closing])) == ["accepted"]
        pulled = client.get("/api/v1/pull").get_json()
        assert pulled["followups"] == []
        first = (
            get_session()
            .exec(select(AssistanceRecord).where(AssistanceRecord.uuid == waiting["uuid"]))
            .one()
        )
        assert first.resolved_at is not None


def test_bad_bodies_get_json_errors(app, world, auth, client):
    auth.login("tnv01")
    for body in [b"not json", b"[1, 2]", b'{"items": 3}', b"{}"]:
        response = client.post("/api/v1/push", data=body, content_type="application/json")
        assert response.status_code == 400
        assert response.get_json()["error"] == "bad_request"


def test_oversized_body_or_batch_gets_413(app, world, auth, client):
    auth.login("tnv01")
    app.config["SYNC_PUSH_MAX_ITEMS"] = 3
    response = push(client, [{"type": "record"}] * 4)
    assert response.status_code == 413
    assert response.get_json()["error"] == "too_large"
    assert response.get_json()["max_items"] == 3
    app.config["SYNC_PUSH_MAX_BYTES"] = 2000
    response = push(client, [{"type": "record", "note": "x" * 3000}])
    assert response.status_code == 413
    assert response.get_json()["max_bytes"] == 2000
    # Bigger than the app-wide limit too: still the API's JSON, not an HTML page.
    response = client.post(
        "/api/v1/push", data=b"x" * (6 * 1024 * 1024), content_type="application/json"
    )
    assert response.status_code == 413 and response.is_json


def test_without_a_session_the_api_answers_401_json(client, world):
    for method, url in [("get", "/api/v1/pull"), ("get", "/api/v1/csrf"), ("post", "/api/v1/push")]:
        response = getattr(client, method)(url, json={} if method == "post" else None)
        assert response.status_code == 401
        assert response.get_json()["error"] == "unauthorized"
        assert "Location" not in response.headers


def test_ward_officer_cannot_push(world, auth, client):
    auth.login("phuong")
    assert push(client, []).status_code == 403
