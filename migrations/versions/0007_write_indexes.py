"""write indexes: drop indexes that no query reads, one household index for records

Every index is written on every push. Seven were read by no statement of the test suite
(each one's EXPLAIN QUERY PLAN) or repeated another:
- ix_resident_updated_at and ix_household_updated_at: the delta pull finds changes through the
  ward's groups and households, never by time alone;
- ix_assistance_resident_resident_id: nothing looks links up by resident, and residents are
  never deleted (only marked), so no foreign-key check needs it;
- ix_assistance_record_client_time, _volunteer_id and _shift_id: lists and figures go by ward
  first (ix_assistance_record_coverage holds ward, time and volunteer), and users and shifts
  are never deleted (deactivated, cancelled), so no foreign-key check needs them either;
- ix_assistance_record_household_id beside the partial ix_assistance_record_live_household:
  one index on (household_id, deleted_at) serves merges (every record) and coverage (live
  records, from the index alone).

Revision ID: 0007_write_indexes
Revises: 0006_record_hash
Create Date: 2026-11-21 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_write_indexes"
down_revision: str | None = "0006_record_hash"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("deleted_at IS NULL")
UNREAD_RECORD_COLUMNS = ("client_time", "volunteer_id", "shift_id")


def upgrade() -> None:
    op.create_index(
        "ix_assistance_record_household", "assistance_record", ["household_id", "deleted_at"]
    )
    op.drop_index("ix_assistance_record_live_household", table_name="assistance_record")
    op.drop_index("ix_assistance_record_household_id", table_name="assistance_record")
    for column in UNREAD_RECORD_COLUMNS:
        op.drop_index(f"ix_assistance_record_{column}", table_name="assistance_record")
    op.drop_index("ix_assistance_resident_resident_id", table_name="assistance_resident")
    op.drop_index("ix_resident_updated_at", table_name="resident")
    op.drop_index("ix_household_updated_at", table_name="household")


def downgrade() -> None:
    op.create_index("ix_household_updated_at", "household", ["updated_at"])
    op.create_index("ix_resident_updated_at", "resident", ["updated_at"])
    op.create_index("ix_assistance_resident_resident_id", "assistance_resident", ["resident_id"])
    op.create_index("ix_assistance_record_household_id", "assistance_record", ["household_id"])
    for column in UNREAD_RECORD_COLUMNS:
        op.create_index(f"ix_assistance_record_{column}", "assistance_record", [column])
    op.create_index(
        "ix_assistance_record_live_household",
        "assistance_record",
        ["household_id"],
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )
    op.drop_index("ix_assistance_record_household", table_name="assistance_record")
