"""What every pull, push and token answer tells a phone about the database it reached.

`identity` changes when the database is restored from a backup (sync.models.ServerIdentity);
`high_water` is the largest record id plus the number of households and residents received
from phones. On a live database neither ever goes down; a restored copy shows a smaller mark
as soon as anything was stored after its backup. A phone that sees either sends again what it
kept (static/js/sync.js), and the server answers duplicates for what it still has.
"""

import uuid

from sqlalchemy import func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from assistance.models import AssistanceRecord
from core import clock
from sync.models import ServerIdentity, SyncReceipt

_identity = ServerIdentity.__table__
_records = AssistanceRecord.__table__
_receipts = SyncReceipt.__table__
_STATE = select(
    _identity.c.identity,
    select(func.coalesce(func.max(_records.c.id), 0)).scalar_subquery(),
    select(func.count()).select_from(_receipts).scalar_subquery(),
).where(_identity.c.id == 1)


def server_state(db: Session) -> dict:
    """Read in the caller's transaction, before its commit: a push's own records count, and
    the answer costs no second transaction."""
    connection = db.connection()
    row = connection.execute(_STATE).first()
    if row is None:  # a database made without the migrations (tests): stamped on first use
        dialect = {"sqlite": sqlite, "postgresql": postgresql}[connection.dialect.name]
        stamp = dialect.insert(_identity).values(new_identity_row("created"))
        connection.execute(stamp.on_conflict_do_nothing(index_elements=["id"]))
        row = connection.execute(_STATE).one()
    identity, last_record, receipts = row
    return {"identity": identity, "high_water": last_record + receipts}


def new_identity_row(origin: str) -> dict:
    return {"id": 1, "identity": str(uuid.uuid4()), "origin": origin, "created_at": clock.now()}


def restamp(connection, origin: str) -> str:
    """A new identity on `connection`'s database (a backup copy, a restored database)."""
    row = new_identity_row(origin)
    connection.execute(_identity.delete())
    connection.execute(insert(_identity).values(row))
    return row["identity"]
