"""dossier results: the result of a filed online dossier, apart from the record that filed it

Revision ID: 0011_dossier_results
Revises: 0010_volunteer_groups
Create Date: 2026-12-03 08:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011_dossier_results"
down_revision: str | None = "0010_volunteer_groups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dossier_result",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("ward_id", sa.Integer(), nullable=False),
        sa.Column("result", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("result_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["assistance_record.id"],
            name=op.f("fk_dossier_result_record_id_assistance_record"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["user.id"], name=op.f("fk_dossier_result_recorded_by_user")
        ),
        sa.ForeignKeyConstraint(
            ["ward_id"], ["ward.id"], name=op.f("fk_dossier_result_ward_id_ward")
        ),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_dossier_result")),
    )
    with op.batch_alter_table("dossier_result", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dossier_result_ward_id"), ["ward_id"], unique=False)
    # A dossier record that resolves another is its result, not a new filing (dossiers/models.py).
    resolved = sa.text("resolved_by_record_id IS NOT NULL")
    with op.batch_alter_table("assistance_record", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assistance_record_resolved_by",
            ["resolved_by_record_id"],
            unique=False,
            sqlite_where=resolved,
            postgresql_where=resolved,
        )


def downgrade() -> None:
    with op.batch_alter_table("assistance_record", schema=None) as batch_op:
        batch_op.drop_index("ix_assistance_record_resolved_by")
    with op.batch_alter_table("dossier_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossier_result_ward_id"))
    op.drop_table("dossier_result")
