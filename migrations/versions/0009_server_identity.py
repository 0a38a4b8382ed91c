"""server identity: which copy of the database this is, for phones to notice a restore

Revision ID: 0009_server_identity
Revises: 0008_session_version
Create Date: 2026-12-03 08:00:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from core import clock

revision: str = "0009_server_identity"
down_revision: str | None = "0008_session_version"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "server_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("identity", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("origin", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_server_identity")),
    )
    op.bulk_insert(
        table,
        [
            {
                "id": 1,
                "identity": str(uuid.uuid4()),
                "origin": "created",
                "created_at": clock.now(),
            }
        ],
    )


def downgrade() -> None:
    op.drop_table("server_identity")
