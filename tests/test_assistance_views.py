"""Corrections within 24 hours, the catalogue, follow-ups, and the secretary's duplicate review."""

from datetime import timedelta

from sqlmodel import select

from assistance import records
from assistance.models import AssistanceRecord, Procedure
from core import audit, clock
from core.audit import AuditLog
from core.db import get_session
from households.models import Household, Resident
from sync.items import content_hash
from tests.helpers import page_text
from tests.sync_items import household, household_uuid, push, record, resident, resident_uuid


def _push_one(app, world, client, **fields) -> int:
    with app.app_context():
        item = record(household_uuid(world, "hung"), **fields)
    return push(client, [item]).get_json()["results"][0]["id"]


def _edit(client, record_id, **fields):
    data = {
        "kind": "guidance",
        "procedure_id": "0",
        "outcome": "done",
        "place": "home",
        "minutes": "20",
    }
    data.update(fields)
    return client.post(f"/records/{record_id}/edit", data=data)


def test_volunteer_corrects_own_record_for_24_hours(app, world, auth, client):
    auth.login("tnv01")
    record_id = _push_one(app, world, client)
    assert client.get(f"/records/{record_id}/edit").status_code == 200
    assert _edit(client, record_id, minutes="25").status_code == 302
    with app.app_context():
        db = get_session()
        assert db.get(AssistanceRecord, record_id).minutes == 25
        changes = db.exec(
            select(AuditLog.changes).where(AuditLog.entity == "assistance_record")
        ).one()
        assert changes == {"minutes": [10, 25]}
        db.get(AssistanceRecord, record_id).received_at = clock.now() - timedelta(hours=25)
        db.commit()
    assert _edit(client, record_id, minutes="30").status_code == 403
    auth.logout()
    auth.login("tnv02")  # someone else's record, even fresh
    other = _push_one(app, world, client)
    auth.logout()
    auth.login("tnv01")
    assert client.get(f"/records/{other}/edit").status_code == 403
    auth.logout()
    auth.login("bithu")  # the secretary may, at any time
    assert (
        _edit(client, record_id, minutes="30", outcome="pending", reason="Hẹn lần sau").status_code
        == 302
    )
    assert client.post(f"/records/{record_id}/delete").status_code == 302
    with app.app_context():
        assert get_session().get(AssistanceRecord, record_id).deleted_at is not None
    auth.logout()
    auth.login("bithu_b")
    assert client.get(f"/records/{other}/edit").status_code == 404


def test_correction_to_done_raises_level_and_reason_is_required(app, world, auth, client):
    auth.login("tnv01")
    with app.app_context():
        duong = resident_uuid(world, "duong")
    record_id = _push_one(
        app,
        world,
        client,
        kind="eid_level2",
        outcome="pending",
        reason="Chờ",
        resident_uuids=[duong],
    )
    response = _edit(client, record_id, kind="eid_level2", outcome="failed", reason="")
    assert response.status_code == 200 and "lý do" in page_text(response)
    response = _edit(
        client, record_id, kind="eid_level2", resident_ids=str(world.residents["duong"])
    )
    assert response.status_code == 302
    with app.app_context():
        assert get_session().get(Resident, world.residents["duong"]).eid_level == 2


def test_record_list_and_followups_pages(app, world, auth, client):
    auth.login("tnv01")
    _push_one(app, world, client, outcome="pending", reason="Thiếu giấy khai sinh")
    assert "Thiếu giấy khai sinh" in page_text(client.get("/follow-ups"))
    assert "Thiếu giấy khai sinh" in page_text(client.get("/records"))
    assert "Ghi hỗ trợ" in page_text(client.get("/log"))


def test_secretary_edits_the_catalogue(app, world, auth, client):
    auth.login("bithu")
    assert "Đăng ký khai sinh" in page_text(client.get("/procedures"))
    response = client.post(
        "/procedures/new",
        data={"name": "Đăng ký nhận cha, mẹ, con", "mode": "mot_phan", "active": "y"},
    )
    assert response.status_code == 302
    with app.app_context():
        db = get_session()
        added = db.exec(
            select(Procedure).where(Procedure.name == "Đăng ký nhận cha, mẹ, con")
        ).one()
        assert added.code == "dang_ky_nhan_cha,_me,_con" or added.code.startswith("dang_ky_nhan")
        birth = db.exec(select(Procedure).where(Procedure.code == "khai_sinh")).one()
    client.post(f"/procedures/{birth.id}/edit", data={"name": birth.name, "mode": "toan_trinh"})
    with app.app_context():
        assert get_session().get(Procedure, birth.id).active is False
    copy = client.get("/api/v1/pull").get_json()
    assert any(p["id"] == birth.id and not p["active"] for p in copy["procedures"])


def test_possible_duplicates_and_merge(app, world, auth, client):
    auth.login("tnv01")
    with app.app_context():
        twin = household(
            world.groups["a1"], head_name="Nguyen Van Hung", address="12 Kiet 45 Ha Huy Tap"
        )
        person = resident(twin["uuid"], full_name="Nguyễn Văn Hùng", birth_year=1958)
        visit = record(twin["uuid"], resident_uuids=[person["uuid"]])
        late = record(twin["uuid"])
        results = push(client, [twin, person, visit]).get_json()["results"]
    twin_id = results[0]["id"]
    auth.logout()
    auth.login("bithu")
    page = page_text(client.get("/duplicates"))
    assert "12 Kiet 45 Ha Huy Tap" in page and "Giống tên chủ hộ" in page
    keep = world.households["hung"]
    assert client.post("/duplicates/merge", data={"keep": keep, "drop": twin_id}).status_code == 302
    with app.app_context():
        db = get_session()
        assert db.get(Household, twin_id).deleted_at is not None
        moved = db.exec(select(Resident).where(Resident.uuid == person["uuid"])).one()
        assert moved.household_id == keep and moved.deleted_at is None
        assert db.exec(select(AssistanceRecord.household_id)).all() == [keep]
        merge = db.exec(select(AuditLog).where(AuditLog.action == "merge")).one()
        assert merge.changes["merged_id"] == twin_id
    assert "Không có hộ nào cần xem lại." in page_text(client.get("/duplicates"))
    # A record still queued on a phone for the merged household follows the merge.
    auth.logout()
    auth.login("tnv01")
    result = push(client, [late]).get_json()["results"][0]
    assert result["status"] == "accepted"
    with app.app_context():
        assert get_session().get(AssistanceRecord, result["id"]).household_id == keep


def test_dismissing_a_candidate(app, world, auth, client):
    auth.login("bithu")
    with app.app_context():
        twin = household(world.groups["a1"], head_name="Dương Thị Lan", address="9 Trần Cao Vân")
    twin_id = push(client, [twin]).get_json()["results"][0]["id"]
    assert "9 Trần Cao Vân" in page_text(client.get("/duplicates"))
    client.post(f"/duplicates/{twin_id}/dismiss")
    assert "Không có hộ nào cần xem lại." in page_text(client.get("/duplicates"))


def test_the_record_as_received_is_rebuilt_from_its_row_and_the_audit(app, world, auth, client):
    """Creating a record writes no audit row: the record itself says who logged it and when (volunteer,
    phone time, server time) and its sync receipt keeps the hash of what the phone sent. Every
    later change is audited, so the record as first received can always be rebuilt."""
    auth.login("tnv01")
    with app.app_context():
        duong = resident_uuid(world, "duong")
        item = record(
            household_uuid(world, "hung"),
            resident_uuids=[duong],
            kind="eid_level1",
            outcome="pending",
            reason="Chờ OTP",
        )
    record_id = push(client, [item]).get_json()["results"][0]["id"]
    with app.app_context():
        audited = select(AuditLog).where(AuditLog.entity == "assistance_record")
        assert get_session().exec(audited).all() == []
    assert (
        _edit(client, record_id, kind="eid_level1", outcome="failed", reason="Hết OTP").status_code
        == 302
    )
    auth.logout()
    auth.login("bithu")
    assert (
        _edit(
            client, record_id, minutes="35", resident_ids=str(world.residents["duong"])
        ).status_code
        == 302
    )
    with app.app_context():
        db = get_session()
        row = db.get(AssistanceRecord, record_id)
        assert row.volunteer_id == world.users["tnv01"]  # corrections never change who logged it
        state = audit.snapshot(row, records.RECORD_FIELDS)
        state["resident_ids"] = records.resident_ids_of(db, record_id)
        entries = db.exec(
            audited.where(AuditLog.entity_id == record_id).order_by(AuditLog.id.desc())
        ).all()
        assert [(e.actor_id, e.action) for e in entries] == [
            (world.users["bithu"], "update"),
            (world.users["tnv01"], "update"),
        ]
        for entry in entries:  # undo the corrections, latest first
            for name, (old, new) in entry.changes.items():
                assert state[name] == new
                state[name] = old
        assert state == {
            "kind": "eid_level1",
            "procedure_id": None,
            "mode": None,
            "dossier_code": None,
            "outcome": "pending",
            "reason": "Chờ OTP",
            "place": "home",
            "shift_id": None,
            "minutes": 10,
            "resident_ids": [world.residents["duong"]],
        }
        assert row.content_hash == content_hash(item)  # a replay is still a duplicate
