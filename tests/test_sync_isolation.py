"""One bad item never fails its batch: collisions with rows made elsewhere and a database error
on one item (the database itself failing still answers 500: test_sync_faults.py)."""

import pytest
from sqlalchemy import func, text
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from assistance.models import AssistanceRecord
from core.db import get_session
from households.models import Household, Resident
from sync import push as push_module
from tests.sync_items import household, household_uuid, push, record, resident, statuses


def stored_records() -> int:
    return get_session().exec(select(func.count()).select_from(AssistanceRecord)).one()


def same_as_row(row: Household) -> dict:
    return household(
        row.group_id,
        uuid=row.uuid,
        address=row.address,
        head_name=row.head_name,
        phone=row.phone,
        note=row.note,
        consent=row.consent,
    )


def test_a_household_made_on_the_web_with_the_same_uuid_is_a_conflict_or_a_duplicate(
    app, world, auth, client
):
    auth.login("tnv01")
    with app.app_context():
        web_row = get_session().get(Household, world.households["lan"])
        lan = web_row.uuid
        changed = same_as_row(web_row) | {"address": "Một địa chỉ khác"}
        items = [changed, same_as_row(web_row), record(lan), record(lan)]
        response = push(client, items)
        assert response.status_code == 200
        # The second copy of the UUID in one batch is answered like the first would be alone.
        assert statuses(response) == ["conflict", "duplicate", "accepted", "accepted"]
        results = response.get_json()["results"]
        assert results[0]["reason"] == "uuid_reused"
        assert results[1]["id"] == web_row.id
        assert stored_records() == 2
        assert get_session().get(Household, web_row.id).address == web_row.address
        # Alone, the identical household is a duplicate too (and the phone may drop it).
        assert statuses(push(client, [same_as_row(web_row)])) == ["duplicate"]


def test_a_resident_made_on_the_web_with_the_same_uuid_is_a_conflict_or_a_duplicate(
    app, world, auth, client
):
    auth.login("tnv01")
    with app.app_context():
        row = get_session().get(Resident, world.residents["duong"])
        hh = get_session().get(Household, row.household_id)
        same = resident(hh.uuid, uuid=row.uuid, full_name=row.full_name, birth_year=row.birth_year)
        other = same | {"birth_year": row.birth_year - 1}
        new_one = resident(hh.uuid)
        response = push(client, [other, new_one, record(hh.uuid)])
        assert statuses(response) == ["conflict", "accepted", "accepted"]
        assert statuses(push(client, [same])) == ["duplicate"]
        assert get_session().get(Resident, row.id).birth_year == row.birth_year


@pytest.fixture
def refuses_reason_boom(app):
    """A database that refuses one record: a trigger, so the error comes from the database
    itself, in the middle of the batch's single INSERT."""
    with app.app_context():
        connection = get_session().connection()
        if connection.dialect.name == "sqlite":
            connection.execute(
                text(
                    "CREATE TRIGGER refuse_boom BEFORE INSERT ON assistance_record "
                    "WHEN NEW.reason = 'boom' BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )
        else:
            connection.execute(
                text(
                    "CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    "BEGIN IF NEW.reason = 'boom' THEN RAISE EXCEPTION 'refused'; END IF; "
                    "RETURN NEW; END $$"
                )
            )
            connection.execute(
                text(
                    "CREATE TRIGGER refuse_boom BEFORE INSERT ON assistance_record "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_boom()"
                )
            )
        get_session().commit()
    yield
    with app.app_context():
        connection = get_session().connection()
        connection.execute(
            text("DROP TRIGGER refuse_boom" + ("" if _sqlite(app) else " ON assistance_record"))
        )
        if not _sqlite(app):
            connection.execute(text("DROP FUNCTION refuse_boom()"))
        get_session().commit()


def _sqlite(app) -> bool:
    return app.config["DATABASE_URL"].startswith("sqlite")


def test_a_database_error_on_one_item_rejects_that_item_and_stores_the_rest(
    app, world, auth, client, refuses_reason_boom
):
    auth.login("tnv01")
    with app.app_context():
        lan = household_uuid(world, "lan")
        new = household(world.groups["a1"])
        bad = record(lan, outcome="failed", reason="boom")
        items = [record(lan), new, bad, resident(new["uuid"]), record(new["uuid"])]
        response = push(client, items)
        assert response.status_code == 200
        assert statuses(response) == ["accepted", "accepted", "rejected", "accepted", "accepted"]
        assert response.get_json()["results"][2]["reason"] == "storage_error"
        assert stored_records() == 2
        # Sent again: the stored ones are duplicates, the bad one is refused again, alone.
        assert statuses(push(client, items)) == [
            "duplicate",
            "duplicate",
            "rejected",
            "duplicate",
            "duplicate",
        ]
        assert stored_records() == 2


def test_the_database_failing_during_the_item_by_item_pass_leaves_nothing_half_written(
    app, world, auth, client, refuses_reason_boom, monkeypatch
):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    auth.login("tnv01")
    with app.app_context():
        lan = household_uuid(world, "lan")
    items = [record(lan), record(lan), record(lan, outcome="failed", reason="boom"), record(lan)]
    real = push_module.ingest
    single = []

    def disk_full_at_the_fourth_item(db, *, user, raw_items):
        if len(raw_items) == 1:
            single.append(1)
            if len(single) == 4:
                raise OperationalError("INSERT", {}, Exception("database or disk is full"))
        return real(db, user=user, raw_items=raw_items)

    monkeypatch.setattr(push_module, "ingest", disk_full_at_the_fourth_item)
    response = push(client, items)
    assert response.status_code == 500
    with app.app_context():
        # The first two records went in in savepoints; none of them may outlive the failure.
        assert stored_records() == 0
