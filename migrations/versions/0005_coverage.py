"""coverage: covering partial indexes for the dashboard's aggregates

Revision ID: 0005_coverage
Revises: 0004_notifications
Create Date: 2026-11-21 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_coverage"
down_revision: str | None = "0004_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("deleted_at IS NULL")
DATED = sa.text("deleted_at IS NULL AND eid_confirmed_on IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table("assistance_record", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assistance_record_coverage",
            ["ward_id", "client_time", "household_id", "volunteer_id", "kind", "outcome"],
            unique=False,
            sqlite_where=LIVE,
            postgresql_where=LIVE,
        )
        batch_op.create_index(
            "ix_assistance_record_live_household",
            ["household_id"],
            unique=False,
            sqlite_where=LIVE,
            postgresql_where=LIVE,
        )
    with op.batch_alter_table("resident", schema=None) as batch_op:
        batch_op.create_index(
            "ix_resident_coverage",
            ["household_id", "birth_year", "eid_level", "eid_confirmed_on"],
            unique=False,
            sqlite_where=LIVE,
            postgresql_where=LIVE,
        )
        batch_op.create_index(
            "ix_resident_confirmed",
            ["eid_confirmed_on", "household_id"],
            unique=False,
            sqlite_where=DATED,
            postgresql_where=DATED,
        )


def downgrade() -> None:
    with op.batch_alter_table("resident", schema=None) as batch_op:
        batch_op.drop_index("ix_resident_confirmed")
        batch_op.drop_index("ix_resident_coverage")
    with op.batch_alter_table("assistance_record", schema=None) as batch_op:
        batch_op.drop_index("ix_assistance_record_live_household")
        batch_op.drop_index("ix_assistance_record_coverage")
