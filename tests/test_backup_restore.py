"""The restore drill, on both databases: backup, a phone pushes 20 records, the database is
restored from the backup, the phone notices and sends what it kept again: everything is back,
nothing twice. Also the backup command's rotation and the restore's refusals."""

import contextlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from assistance.models import AssistanceRecord, Outcome
from core import serving
from core.db import get_session
from households.models import Household, Resident
from tests.sync_items import household, household_uuid, push, record, resident, resident_uuid


@pytest.fixture
def backups(app, tmp_path) -> Path:
    app.config["BACKUP_DIR"] = str(tmp_path / "backups")
    return tmp_path / "backups"


def server(client) -> dict:
    return client.get("/api/v1/csrf").get_json()["server"]


def twenty_records(world) -> list[dict]:
    """What a day on one phone may hold: a new household and resident, levels raised, follow-ups
    opened and one of them closed, plain guidance."""
    lan, hung = household_uuid(world, "lan"), household_uuid(world, "hung")
    duong, elder = resident_uuid(world, "duong"), resident_uuid(world, "elder")
    new = household(world.groups["a1"])
    person = resident(new["uuid"])
    pending = [
        record(lan, outcome="pending", reason="Hẹn quay lại", kind="eid_level2") for _ in range(4)
    ]
    records = [
        record(hung, kind="eid_level2", resident_uuids=[duong]),
        record(household_uuid(world, "no_consent"), kind="eid_level1", resident_uuids=[elder]),
        record(new["uuid"], kind="eid_level1", resident_uuids=[person["uuid"]]),
        *pending,
        record(lan, kind="eid_level2", resolves=pending[0]["uuid"]),
    ]
    records += [record(lan) for _ in range(20 - len(records))]
    return [new, person, *records]


def snapshot() -> dict:
    db = get_session()
    records = db.exec(
        select(AssistanceRecord.uuid, AssistanceRecord.outcome, AssistanceRecord.resolved_at)
    ).all()
    return {
        "records": sorted(uuid for uuid, _o, _r in records),
        "followups": sorted(u for u, o, r in records if o == Outcome.PENDING and r is None),
        "levels": dict(db.exec(select(Resident.uuid, Resident.eid_level)).all()),
        "households": sorted(db.exec(select(Household.uuid)).all()),
    }


def test_restore_drill_the_phone_sends_again_and_nothing_is_lost_or_doubled(
    app, world, auth, client, runner, backups
):
    auth.login("tnv01")
    with app.app_context():
        items = twenty_records(world)
        before_backup = snapshot()
    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    (backup_file,) = backups.glob("thanhnien247-*")

    answer = push(client, items).get_json()
    assert [r["status"] for r in answer["results"]] == ["accepted"] * 22
    told = answer["server"]  # what the phone remembers
    with app.app_context():
        after_push = snapshot()
    assert len(after_push["records"]) == 20 and len(after_push["followups"]) == 3

    # While the app serves (this process did, for the requests above), a restore refuses.
    refused = runner.invoke(args=["restore", str(backup_file)])
    assert refused.exit_code != 0 and "đang chạy" in refused.output
    serving.release(app)  # the server stops
    app.extensions["db_engine"].dispose()
    restored = runner.invoke(args=["restore", str(backup_file)])
    assert restored.exit_code == 0, restored.output
    assert len(list(backups.glob("before-restore-*"))) == 1
    with app.app_context():
        assert snapshot() == before_backup  # the 20 records are gone from the server

    # The phone's next contact: another database, and behind what it was told.
    now = server(client)
    assert now["identity"] != told["identity"]
    assert now["high_water"] < told["high_water"]
    assert client.get("/api/v1/pull").get_json()["server"] == now  # the pull says so too
    again = push(client, items).get_json()
    assert [r["status"] for r in again["results"]] == ["accepted"] * 22
    replay = push(client, items).get_json()
    assert [r["status"] for r in replay["results"]] == ["duplicate"] * 22
    with app.app_context():
        assert snapshot() == after_push  # 20 back, none twice, same follow-ups and levels


def test_backup_keeps_the_newest_n_and_each_copy_is_another_identity(
    app, world, auth, client, runner, backups, time_machine
):
    app.config["BACKUP_KEEP"] = 2
    auth.login("tnv01")
    live = server(client)["identity"]
    start = datetime(2027, 3, 1, 20, 0, tzinfo=UTC)
    for day in range(3):
        time_machine.move_to(start + timedelta(days=day), tick=False)
        assert runner.invoke(args=["backup"]).exit_code == 0
    kept = sorted(path.name for path in backups.glob("thanhnien247-*"))
    if app.config["DATABASE_URL"].startswith("sqlite"):
        assert kept == ["thanhnien247-20270302T200000Z.db", "thanhnien247-20270303T200000Z.db"]
        identities = set()
        for name in kept:
            with contextlib.closing(sqlite3.connect(backups / name)) as copy:
                identities.add(copy.execute("SELECT identity FROM server_identity").fetchone()[0])
        assert len(identities) == 2 and live not in identities
    else:
        assert kept == ["thanhnien247-20270302T200000Z.dump", "thanhnien247-20270303T200000Z.dump"]
    auth.login("tnv01")  # two days later
    assert server(client)["identity"] == live  # backing up never changes the live database


def test_restore_refuses_a_file_that_is_not_a_backup(app, runner, backups, tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_text("không phải cơ sở dữ liệu")
    for path in (junk, tmp_path / "missing.db"):
        result = runner.invoke(args=["restore", str(path)])
        assert result.exit_code != 0
        assert "Không khôi phục được" in result.output
