"""session version: a counter per user that ends every session and remember-me cookie when raised

Sessions and remember-me cookies carry "id:version" (volunteer.models.User.get_id); a password
reset or change, a deactivation and a role change raise the version, so every cookie issued
before no longer loads the user.

Revision ID: 0008_session_version
Revises: 0007_write_indexes
Create Date: 2026-12-03 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_session_version"
down_revision: str | None = "0007_write_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE, not a batch: SQLite (3.35+) adds and drops a column in place, whereas a
# batch would copy "user" and fail to drop the old table that every other table references.
def upgrade() -> None:
    op.add_column(
        "user", sa.Column("session_version", sa.Integer(), nullable=False, server_default="0")
    )


def downgrade() -> None:
    op.drop_column("user", "session_version")
