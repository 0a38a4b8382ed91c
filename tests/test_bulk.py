"""core.bulk: rows written by its executemany read back exactly as SQLAlchemy's own insert
writes them; each new id is answered by its row's key."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import bindparam, event, insert, literal, select, union_all, update

from assistance import records
from core import audit, bulk
from core.clock import as_utc
from core.db import get_session
from households.models import Resident


def _rows(actor_id: int, ward_id: int, entity_ids: range) -> list[dict]:
    at = datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC)
    return [
        {
            "at": at,  # one value shared by every row, converted once
            "actor_id": actor_id if i % 2 else None,
            "ward_id": ward_id,
            "entity": "resident",
            "entity_id": n,
            "action": "update",
            "changes": {"eid_level": [0, i], "tên": "Nguyễn Văn Hùng"},
        }
        for i, n in enumerate(entity_ids)
    ]


def test_insert_rows_stores_what_sqlalchemy_stores(app, world):
    table = audit.AuditLog.__table__
    columns = [c for c in table.c if c.name != "id"]
    with app.app_context():
        db = get_session()
        connection = db.connection()
        ward = world.ward_a
        actor = world.users["tnv01"]
        connection.execute(insert(table), _rows(actor, ward, range(1000, 1004)))
        bulk.insert_rows(connection, table, _rows(actor, ward, range(2000, 2004)))
        db.commit()
        query = select(*columns).where(table.c.entity_id >= 1000).order_by(table.c.entity_id)
        stored = [tuple(row) for row in db.connection().execute(query)]
        # Byte for byte as the driver hands them back (text on SQLite), not only once parsed.
        raw = db.connection().exec_driver_sql(
            "SELECT at, changes, actor_id FROM audit_log WHERE entity_id IN (1001, 2001)"
            " ORDER BY entity_id"
        )
        first, second = (tuple(map(str, row)) for row in raw)
        assert first == second
    by_core, by_bulk = stored[:4], stored[4:]
    assert len(by_bulk) == 4
    for core_row, bulk_row in zip(by_core, by_bulk, strict=True):
        differing = [c.name for c, a, b in zip(columns, core_row, bulk_row, strict=True) if a != b]
        assert differing == ["entity_id"]
    assert by_bulk[1][columns.index(table.c.changes)] == {
        "eid_level": [0, 1],
        "tên": "Nguyễn Văn Hùng",
    }


def test_insert_rows_with_nothing_to_insert(app):
    with app.app_context():
        bulk.insert_rows(get_session().connection(), audit.AuditLog.__table__, [])


def _new_ids_check(app, world, *, highest_id_taken: bool) -> None:
    table = audit.AuditLog.__table__
    with app.app_context():
        db = get_session()
        connection = db.connection()
        if highest_id_taken:
            # SQLite then picks rowids at random: the ids come from RETURNING, matched by key.
            top = {**_rows(world.users["tnv01"], world.ward_a, range(1))[0], "id": 2**63 - 1}
            connection.execute(insert(table), [top])
        rows = _rows(world.users["tnv01"], world.ward_a, range(700_000, 700_040))
        ids = bulk.insert_rows_with_ids(connection, table, rows, "entity_id")
        stored = dict(
            connection.execute(
                select(table.c.entity_id, table.c.id).where(table.c.entity_id >= 700_000)
            ).all()
        )
        db.rollback()
    assert len(stored) == 40
    assert ids == stored


def test_insert_rows_with_ids_answers_each_new_id(app, world):
    _new_ids_check(app, world, highest_id_taken=False)


# SQLite only: PostgreSQL's ids are 32-bit and come from a sequence, never picked at random.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_insert_rows_with_ids_when_ids_are_not_consecutive(app, world):
    _new_ids_check(app, world, highest_id_taken=True)


def test_insert_rows_with_ids_with_nothing_to_insert(app):
    with app.app_context():
        connection = get_session().connection()
        assert bulk.insert_rows_with_ids(connection, audit.AuditLog.__table__, [], "id") == {}


def test_execute_rows_updates_as_sqlalchemy_does(app, world):
    """The e-ID level update: a parameter used twice (SET and WHERE), a date and a datetime
    converted by the dialect. Half the residents through SQLAlchemy, half through execute_rows:
    the same stored values; a resident already higher is left alone."""
    raise_level = records._RAISE_LEVEL
    table = Resident.__table__
    now = datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC)
    with app.app_context():
        db = get_session()
        connection = db.connection()
        ids = sorted(world.residents.values())[:6]
        none = {"eid_level": 0, "eid_confirmed_on": None}
        connection.execute(update(table).where(table.c.id.in_(ids)).values(**none))
        connection.execute(update(table).where(table.c.id == ids[2]).values(eid_level=2))
        connection.execute(update(table).where(table.c.id == ids[5]).values(eid_level=2))
        rows = [
            {"rid": rid, "lvl": 1, "on": date(2026, 3, 1 + i % 3), "now": now}
            for i, rid in enumerate(ids)
        ]
        connection.execute(raise_level.executemany, rows[:3])
        bulk.execute_rows(connection, raise_level, rows[3:])
        stored = connection.execute(
            select(table.c.id, table.c.eid_level, table.c.eid_confirmed_on, table.c.updated_at)
            .where(table.c.id.in_(ids))
            .order_by(table.c.id)
        ).all()
        db.rollback()
    # (level, confirmed on, raised now): the same for both halves, the third of each untouched
    seen = [(row.eid_level, row.eid_confirmed_on, as_utc(row.updated_at) == now) for row in stored]
    assert seen[3:] == seen[:3]
    assert seen[:3] == [(1, date(2026, 3, 1), True), (1, date(2026, 3, 2), True), (2, None, False)]


def test_select_in_finds_what_sqlalchemy_finds(app, world):
    """Lists of several lengths, a parameter besides the list, the
    list used twice, unknown keys; on the session's transaction (rows not yet committed)."""
    table = audit.AuditLog.__table__

    def build(among):
        return union_all(
            select(table.c.entity_id, literal("first").label("part")).where(
                among(table.c.entity_id), table.c.entity == "resident"
            ),
            select(table.c.entity_id, literal("second").label("part")).where(
                among(table.c.entity_id), table.c.action == "update"
            ),
        )

    statement = bulk.keyed(build)
    plain = build(lambda column: column.in_(bindparam("keys", expanding=True)))
    with app.app_context():
        db = get_session()
        connection = db.connection()
        ids = range(900_000, 900_005)  # no other audit row has these
        bulk.insert_rows(connection, table, _rows(world.users["tnv01"], world.ward_a, ids))
        for picks in ([3], [0, 4, 99], [1, 2, 3, 4, 0], [98, 99], list(range(40, -1, -1))):
            wanted = [900_000 + pick for pick in picks]
            expected = connection.execute(plain, {"keys": wanted}).all()
            assert sorted(bulk.select_in(connection, statement, wanted)) == sorted(
                tuple(row) for row in expected
            )
            assert len(expected) == 2 * len([key for key in wanted if key in ids])
        assert bulk.select_in(connection, statement, []) == []
        db.rollback()


def test_keyed_statements_suit_the_backend(app):
    """PostgreSQL gets one array parameter, SQLite an IN list: psycopg re-parses long statements."""
    table = audit.AuditLog.__table__
    statement = bulk.keyed(lambda among: select(table.c.id).where(among(table.c.entity_id)))
    with app.app_context():
        connection = get_session().connection()
        sql = str(statement.for_(connection).compile(dialect=connection.dialect))
    if connection.dialect.name == "postgresql":
        assert "= ANY (" in sql and " IN " not in sql
    else:
        assert " IN (" in sql and "ANY" not in sql


def test_many_rows_go_to_postgresql_in_one_statement(app, world):
    """On PostgreSQL an INSERT or UPDATE of many rows is one statement over arrays (each run of
    an executemany fires its own foreign-key checks); SQLite keeps SQLAlchemy's executemany."""
    sent = []

    def count(_conn, _cursor, statement, _params, _context, executemany):
        sent.append((statement.split()[0], executemany))

    rows = _rows(world.users["tnv01"], world.ward_a, range(800_000, 800_030))
    raise_rows = [
        {"rid": rid, "lvl": 2, "on": date(2026, 3, 1), "now": datetime.now(UTC)}
        for rid in sorted(world.residents.values())[:5]
    ]
    with app.app_context():
        db = get_session()
        connection = db.connection()
        event.listen(connection, "before_cursor_execute", count)
        bulk.insert_rows(connection, audit.AuditLog.__table__, rows[:10])
        ids = bulk.insert_rows_with_ids(
            connection, audit.AuditLog.__table__, rows[10:], "entity_id"
        )
        bulk.execute_rows(connection, records._RAISE_LEVEL, raise_rows)
        event.remove(connection, "before_cursor_execute", count)
        levels = (
            connection.execute(
                select(Resident.eid_level).where(Resident.id.in_([r["rid"] for r in raise_rows]))
            )
            .scalars()
            .all()
        )
        db.rollback()
    assert sorted(ids) == list(range(800_010, 800_030)) and levels == [2] * 5
    if connection.dialect.name == "postgresql":
        assert sent == [("INSERT", False), ("INSERT", False), ("UPDATE", False)]
    else:
        assert [verb for verb, _many in sent] == ["INSERT", "INSERT", "UPDATE"]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_postgresql_plans_each_statement_with_its_values(app):
    """A plan cached for "some array of keys" read whole tables that had grown since ANALYZE."""
    statement = bulk.keyed(lambda among: select(Resident.__table__.c.id).where(among(Resident.id)))
    with app.app_context():
        connection = get_session().connection()
        for _ in range(10):  # psycopg would prepare it on the server after 5 runs
            bulk.select_in(connection, statement, [1, 2, 3])
        prepared = connection.exec_driver_sql("SELECT count(*) FROM pg_prepared_statements")
        assert prepared.scalar() == 0
        # Foreign-key checks keep their cached plans: the session does not force re-planning.
        assert connection.exec_driver_sql("SHOW plan_cache_mode").scalar() == "auto"
