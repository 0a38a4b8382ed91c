"""record hash: a pushed record keeps its content hash on its own row, not in sync_receipt

Records are the bulk of every push. Their receipt repeated the record's unique UUID index (a
random key: one more page written per record) and cost an extra insert per record.

Revision ID: 0006_record_hash
Revises: 0005_coverage
Create Date: 2026-11-21 08:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006_record_hash"
down_revision: str | None = "0005_coverage"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("assistance_record", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("content_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
    op.execute(
        "UPDATE assistance_record SET content_hash = (SELECT r.content_hash FROM sync_receipt r"
        " WHERE r.uuid = assistance_record.uuid AND r.item_type = 'record')"
    )
    op.execute("DELETE FROM sync_receipt WHERE item_type = 'record'")


def downgrade() -> None:
    op.execute(
        "INSERT INTO sync_receipt (uuid, item_type, entity_id, content_hash, user_id, ward_id,"
        " received_at) SELECT uuid, 'record', id, content_hash, volunteer_id, ward_id,"
        " received_at FROM assistance_record WHERE content_hash IS NOT NULL"
    )
    with op.batch_alter_table("assistance_record", schema=None) as batch_op:
        batch_op.drop_column("content_hash")
