"""one inbox: the rota's notices (shift_notice) move into the notifications inbox

Since 0004 every shift notice was written twice, once in shift_notice and once in notification
(same user, kind "shift_<kind>", same created_at). Upgrading keeps one of each: a notice read in
"my shifts" marks its inbox twin opened; a notice older than the inbox (no twin) is copied in,
already settled so the dispatcher never pushes it late. Then shift_notice is dropped.

Revision ID: 0015_one_inbox
Revises: 0014_import_previews
Create Date: 2026-12-03 10:40:00
"""

from collections.abc import Sequence
from datetime import UTC
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0015_one_inbox"
down_revision: str | None = "0014_import_previews"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
MOVED = "notice:"  # dedupe_key prefix of the rows copied in here (downgrade takes them back)
# Frozen copies of shifts/notices.py NOTICE_TEXT and its English catalogue, as of this revision.
TITLES = {
    "cancelled": ("Ca của bạn đã bị hủy", "Your shift was cancelled"),
    "assigned": ("Bạn được xếp vào ca", "You were assigned to a shift"),
    "unassigned": ("Bạn được rút khỏi ca", "You were taken off a shift"),
    "swap_offered": (
        "Có người muốn nhường ca cho bạn",
        "Someone wants to hand a shift over to you",
    ),
    "swap_accepted": ("Đã có người nhận ca bạn nhường", "Someone took the shift you handed over"),
    "swap_declined": ("Lời đề nghị đổi ca bị từ chối", "Your swap request was declined"),
    "changed": ("Giờ ca của bạn đã thay đổi", "Your shift times changed"),
}

notice = sa.table(
    "shift_notice",
    sa.column("id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("shift_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("detail", sa.String),
    sa.column("actor_id", sa.Integer),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("read_at", sa.DateTime(timezone=True)),
)
notification = sa.table(
    "notification",
    sa.column("id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("title", sa.String),
    sa.column("body", sa.String),
    sa.column("url", sa.String),
    sa.column("topic", sa.String),
    sa.column("urgency", sa.String),
    sa.column("dedupe_key", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("due_at", sa.DateTime(timezone=True)),
    sa.column("expires_at", sa.DateTime(timezone=True)),
    sa.column("failed_at", sa.DateTime(timezone=True)),
    sa.column("failure_reason", sa.String),
    sa.column("opened_at", sa.DateTime(timezone=True)),
)
shift = sa.table(
    "shift",
    sa.column("id", sa.Integer),
    sa.column("starts_at", sa.DateTime(timezone=True)),
    sa.column("ends_at", sa.DateTime(timezone=True)),
)
user = sa.table("user", sa.column("id", sa.Integer), sa.column("language", sa.String))


def _aware(moment):
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


def _body(starts, ends, detail) -> str:
    line = ""
    if starts is not None:
        start, end = _aware(starts).astimezone(LOCAL), _aware(ends).astimezone(LOCAL)
        line = f"{start:%d/%m} {start:%H:%M}–{end:%H:%M}"
    return " · ".join(part for part in (line, detail) if part)[:400]


def upgrade() -> None:
    connection = op.get_bind()
    # Matched column to column, so both sides compare as stored (same writer, same format).
    twins = dict(
        connection.execute(
            sa.select(notice.c.id, notification.c.id).join(
                notification,
                sa.and_(
                    notification.c.user_id == notice.c.user_id,
                    notification.c.kind == sa.literal("shift_") + notice.c.kind,
                    notification.c.created_at == notice.c.created_at,
                ),
            )
        ).all()
    )
    rows = connection.execute(
        sa.select(notice, shift.c.starts_at, shift.c.ends_at, user.c.language)
        .select_from(notice)
        .outerjoin(shift, shift.c.id == notice.c.shift_id)
        .join(user, user.c.id == notice.c.user_id)
        .order_by(notice.c.id)
    ).all()
    for row in rows:
        if row.id in twins:
            if row.read_at is not None:  # read in "my shifts": read in the inbox too
                connection.execute(
                    sa.update(notification)
                    .where(notification.c.id == twins[row.id], notification.c.opened_at.is_(None))
                    .values(opened_at=row.read_at)
                )
            continue
        vietnamese, english = TITLES.get(row.kind, (row.kind, row.kind))
        connection.execute(
            sa.insert(notification).values(
                user_id=row.user_id,
                kind=f"shift_{row.kind}"[:30],
                title=english if row.language == "en" else vietnamese,
                body=_body(row.starts_at, row.ends_at, row.detail),
                url="/shifts/mine",
                topic=f"shift-{row.shift_id}" if row.shift_id else None,
                urgency="normal",
                dedupe_key=f"{MOVED}{row.id}",
                created_at=row.created_at,
                due_at=row.created_at,
                expires_at=row.ends_at,
                # Settled: shown in the inbox, never pushed (it is news from before the inbox).
                failed_at=row.created_at,
                failure_reason="moved_from_shift_notice",
                opened_at=row.read_at,
            )
        )
    with op.batch_alter_table("shift_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shift_notice_user_id"))
    op.drop_table("shift_notice")


def downgrade() -> None:
    op.create_table(
        "shift_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user.id"], name=op.f("fk_shift_notice_actor_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"], ["shift.id"], name=op.f("fk_shift_notice_shift_id_shift")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_shift_notice_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift_notice")),
    )
    with op.batch_alter_table("shift_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shift_notice_user_id"), ["user_id"], unique=False)
    # Every shift notice of the inbox goes back (the details are in the body now, so lost);
    # the rows this revision copied in leave the inbox again.
    connection = op.get_bind()
    shift_ids = set(connection.execute(sa.select(shift.c.id)).scalars())
    for row in connection.execute(
        sa.select(notification).where(notification.c.kind.like("shift\\_%", escape="\\"))
    ).all():
        topic_id = (row.topic or "").removeprefix("shift-")
        shift_id = int(topic_id) if topic_id.isdigit() else None
        connection.execute(
            sa.insert(notice).values(
                user_id=row.user_id,
                shift_id=shift_id if shift_id in shift_ids else None,
                kind=row.kind.removeprefix("shift_")[:20],
                created_at=row.created_at,
                read_at=row.opened_at,
            )
        )
    connection.execute(sa.delete(notification).where(notification.c.dedupe_key.like(f"{MOVED}%")))
