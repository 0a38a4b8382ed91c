"""The Alembic revisions build exactly the schema the models describe, on SQLite and PostgreSQL."""

import os
import uuid

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from core.db import make_engine
from core.migrate import alembic_config
from core.schema import metadata


def differences(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "target_metadata": metadata}
            )
            return compare_metadata(context, metadata)
    finally:
        engine.dispose()


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.fixture
def fresh_postgres_schema(postgres_url):
    """An empty schema of its own: the shared test schema already has create_all()'s tables."""
    base_url = postgres_url.split("?", 1)[0]
    schema = f"mig_{uuid.uuid4().hex[:12]}"
    base = make_engine(base_url)
    with base.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    yield f"{base_url}?options=-csearch_path%3D{schema}"
    with base.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    base.dispose()


def test_upgrade_on_empty_sqlite_matches_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    command.upgrade(alembic_config(url), "head")
    assert set(metadata.tables) <= table_names(url)
    assert differences(url) == []


def test_downgrade_to_base_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    command.upgrade(alembic_config(url), "head")
    command.downgrade(alembic_config(url), "base")
    assert table_names(url) <= {"alembic_version"}
    command.upgrade(alembic_config(url), "head")  # and back up again
    assert differences(url) == []


def test_upgrade_on_fresh_postgresql_matches_the_models(fresh_postgres_schema):
    command.upgrade(alembic_config(fresh_postgres_schema), "head")
    assert set(metadata.tables) <= table_names(fresh_postgres_schema)
    assert differences(fresh_postgres_schema) == []


def test_schema_module_lists_every_table_on_its_own(tmp_path):
    # Alembic's env.py only imports core.schema; a model module missing there would be
    # invisible to autogenerate even though the app (which imports everything) works.
    import subprocess
    import sys

    code = "from core.schema import metadata; print(' '.join(sorted(metadata.tables)))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    )
    assert set(result.stdout.split()) == set(metadata.tables)


def test_record_hashes_move_between_receipts_and_records(tmp_path):
    """0006 moves a pushed record's content hash from sync_receipt onto the record, and back on
    downgrade: a replay of a push made before the upgrade is still answered "duplicate"."""
    url = f"sqlite:///{tmp_path / 'hashes.db'}"
    command.upgrade(alembic_config(url), "0005_coverage")
    engine = make_engine(url)
    now = "2026-11-20 08:00:00"
    rows = [
        "INSERT INTO ward VALUES (1, 'Phường A', 'Đà Nẵng', :now)",
        "INSERT INTO residential_group (id, ward_id, number, name, created_at)"
        " VALUES (1, 1, 1, 'Tổ 1', :now)",
        "INSERT INTO household (id, uuid, group_id, address, address_norm, consent, created_at,"
        " updated_at) VALUES (1, 'h', 1, 'K1', 'k1', 0, :now, :now)",
        "INSERT INTO user (id, username, full_name, role, ward_id, active, password_hash,"
        " language, created_at, updated_at)"
        " VALUES (1, 'tnv', 'TNV', 'volunteer', 1, 1, 'x', 'vi', :now, :now)",
        *(
            "INSERT INTO assistance_record (id, uuid, ward_id, household_id, volunteer_id, kind,"
            " outcome, place, client_time, received_at, updated_at)"
            f" VALUES ({n}, 'r{n}', 1, 1, 1, 'guidance', 'done', 'home', :now, :now, :now)"
            for n in (1, 2)
        ),
        # Record 1 was pushed (it has a receipt); record 2 was not. A household receipt stays.
        "INSERT INTO sync_receipt (uuid, item_type, entity_id, content_hash, user_id, ward_id,"
        " received_at) VALUES ('r1', 'record', 1, 'hash-r1', 1, 1, :now),"
        " ('h', 'household', 1, 'hash-h', 1, 1, :now)",
    ]
    with engine.begin() as connection:
        for statement in rows:
            connection.execute(text(statement), {"now": now})
    command.upgrade(alembic_config(url), "head")
    with engine.connect() as connection:
        hashes = connection.execute(text("SELECT uuid, content_hash FROM assistance_record"))
        assert sorted(hashes) == [("r1", "hash-r1"), ("r2", None)]
        receipts = connection.execute(text("SELECT uuid, item_type FROM sync_receipt"))
        assert list(receipts) == [("h", "household")]
    command.downgrade(alembic_config(url), "0005_coverage")
    with engine.connect() as connection:
        receipts = connection.execute(
            text("SELECT uuid, item_type, entity_id, content_hash, user_id FROM sync_receipt")
        )
        assert sorted(receipts) == [
            ("h", "household", 1, "hash-h", 1),
            ("r1", "record", 1, "hash-r1", 1),
        ]
    engine.dispose()
