"""copy groups: the groups a secretary, ward officer or admin keeps on their phone (issue 15)

None chosen: the whole ward, as before (sync/scope.py).

Revision ID: 0013_copy_groups
Revises: 0012_feedback
Create Date: 2026-12-03 10:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_copy_groups"
down_revision: str | None = "0012_feedback"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "copy_group",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["residential_group.id"],
            name=op.f("fk_copy_group_group_id_residential_group"),
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_copy_group_user_id_user")),
        sa.PrimaryKeyConstraint("user_id", "group_id", name=op.f("pk_copy_group")),
    )


def downgrade() -> None:
    op.drop_table("copy_group")
