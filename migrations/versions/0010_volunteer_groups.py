"""volunteer groups: which residential groups each volunteer works in (issue 15)

A volunteer's phone carries only the households of their groups (sync/scope.py).

Revision ID: 0010_volunteer_groups
Revises: 0009_server_identity
Create Date: 2026-12-03 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_volunteer_groups"
down_revision: str | None = "0009_server_identity"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "volunteer_group",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["residential_group.id"],
            name=op.f("fk_volunteer_group_group_id_residential_group"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_volunteer_group_user_id_user")
        ),
        sa.PrimaryKeyConstraint("user_id", "group_id", name=op.f("pk_volunteer_group")),
    )
    with op.batch_alter_table("volunteer_group", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_volunteer_group_group_id"), ["group_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("volunteer_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_group_group_id"))
    op.drop_table("volunteer_group")
