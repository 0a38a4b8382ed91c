"""0015_one_inbox: the rota's notices move into the notifications inbox, data kept."""

from alembic import command
from sqlalchemy import text

from core.db import make_engine
from core.migrate import alembic_config

BEFORE, AFTER = "0014_import_previews", "0015_one_inbox"
T0, T1, T2 = (
    "2026-11-20 01:00:00.000000",
    "2026-11-21 02:00:00.000000",
    "2026-11-21 03:00:00.000000",
)


def test_shift_notices_move_into_the_inbox_and_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'inbox.db'}"
    command.upgrade(alembic_config(url), BEFORE)
    engine = make_engine(url)
    rows = [
        "INSERT INTO ward VALUES (1, 'Phường A', 'Đà Nẵng', :t0)",
        *(
            "INSERT INTO user (id, username, full_name, role, ward_id, active, password_hash,"
            f" language, created_at, updated_at) VALUES ({n}, 'tnv{n}', 'TNV', 'volunteer', 1,"
            f" 1, 'x', '{language}', :t0, :t0)"
            for n, language in ((1, "vi"), (2, "en"))
        ),
        # Monday 23/11/2026, 08:00-11:00 in Asia/Ho_Chi_Minh.
        "INSERT INTO shift (id, ward_id, starts_at, ends_at, place, place_key, min_volunteers,"
        " max_volunteers, assigned_count, status, created_at, updated_at) VALUES (1, 1,"
        " '2026-11-23 01:00:00.000000', '2026-11-23 04:00:00.000000', 'desk', 'desk', 1, 3, 1,"
        " 'open', :t0, :t0)",
        # Since issue 6 a notice has a twin in the inbox; this one was read in "my shifts".
        "INSERT INTO shift_notice (id, user_id, shift_id, kind, created_at, read_at)"
        " VALUES (1, 1, 1, 'assigned', :t1, :t2)",
        "INSERT INTO notification (id, user_id, kind, title, body, url, topic, urgency,"
        " dedupe_key, created_at, due_at, sent_at) VALUES (1, 1, 'shift_assigned',"
        " 'Bạn được xếp vào ca', 'Thứ Hai', '/shifts/mine', 'shift-1', 'normal', 'event:1',"
        " :t1, :t1, :t1)",
        # Older than the inbox: no twin, unread.
        "INSERT INTO shift_notice (id, user_id, shift_id, kind, detail, created_at)"
        " VALUES (2, 2, 1, 'cancelled', 'Tết', :t0)",
    ]
    with engine.begin() as connection:
        for statement in rows:
            connection.execute(text(statement), {"t0": T0, "t1": T1, "t2": T2})

    command.upgrade(alembic_config(url), AFTER)
    with engine.connect() as connection:
        tables = connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
        assert "shift_notice" not in set(tables.scalars())
        inbox = connection.execute(
            text(
                "SELECT id, user_id, kind, title, body, topic, dedupe_key, opened_at, sent_at,"
                " failed_at IS NOT NULL FROM notification ORDER BY id"
            )
        ).all()
    assert [tuple(row) for row in inbox] == [
        # The twin stays the one copy and is now read, when it was read in "my shifts".
        (1, 1, "shift_assigned", "Bạn được xếp vào ca", "Thứ Hai", "shift-1", "event:1", T2, T1, 0),
        # The older notice, in its reader's language; settled, so it is never pushed late.
        (
            2,
            2,
            "shift_cancelled",
            "Your shift was cancelled",
            "23/11 08:00–11:00 · Tết",
            "shift-1",
            "notice:2",
            None,
            None,
            1,
        ),
    ]

    command.downgrade(alembic_config(url), BEFORE)
    with engine.connect() as connection:
        notices = connection.execute(
            text("SELECT user_id, shift_id, kind, read_at FROM shift_notice ORDER BY user_id")
        ).all()
        keys = connection.execute(text("SELECT dedupe_key FROM notification")).scalars()
        assert list(keys) == ["event:1"]
    assert [tuple(row) for row in notices] == [(1, 1, "assigned", T2), (2, 1, "cancelled", None)]
    engine.dispose()
