"""import previews in the database (were files in instance/imports)

Revision ID: 0014_import_previews
Revises: 0013_copy_groups
Create Date: 2026-12-03 10:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014_import_previews"
down_revision: str | None = "0013_copy_groups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_preview",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sqlmodel.sql.sqltypes.AutoString(length=43), nullable=False),
        sa.Column("ward_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_import_preview_user_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["ward_id"], ["ward.id"], name=op.f("fk_import_preview_ward_id_ward")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_preview")),
        sa.UniqueConstraint("token", name=op.f("uq_import_preview_token")),
    )
    with op.batch_alter_table("import_preview", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_import_preview_created_at"), ["created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("import_preview", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_preview_created_at"))
    op.drop_table("import_preview")
