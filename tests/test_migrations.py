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
