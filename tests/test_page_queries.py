"""What base.html costs: the bell's unread count is one query per page, whatever the template
asks; the menu has no second badge of its own (one inbox); visitors cost none."""

from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event

from core.db import get_session
from tests.helpers import page_text
from tests.notifications_support import due_notification
from tests.shifts_support import NOW, freeze, make_shift

BELL = "count(notification.id)"  # inbox.unread_count's SELECT


@contextmanager
def statements(app):
    seen: list[str] = []

    def record(_conn, _cursor, statement, _parameters, _context, _executemany):
        seen.append(statement)

    engine = app.extensions["db_engine"]
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_the_badge_costs_at_most_one_query(app, world, auth, client, time_machine):
    freeze(time_machine)
    with app.app_context():
        db = get_session()
        due_notification(db, world.users["tnv01"], NOW - timedelta(minutes=5))
        due_notification(db, world.users["tnv01"], NOW - timedelta(minutes=1))
        make_shift(db, world.ward_a)
    auth.login("tnv01")
    # The inbox page asks for the count twice (the bell and its "mark all read" button).
    for path in ("/shifts/mine", "/notifications/", "/households/groups"):
        with statements(app) as seen:
            text = page_text(client.get(path))
        assert '<span class="bell-count" data-unread>2</span>' in text, path
        assert sum(BELL in statement for statement in seen) == 1, path
        assert not any("shift_notice" in statement for statement in seen), path
    auth.logout()
    with statements(app) as seen:
        client.get("/login")
    assert not any(BELL in statement for statement in seen)


def test_news_of_the_rota_counts_once_under_the_one_bell(app, world, auth, client, time_machine):
    """A shift cancelled used to show twice: under the bell and as a badge on "my shifts"."""
    from shifts.rota import assigning

    freeze(time_machine)
    with app.test_request_context():
        db = get_session()
        shift = make_shift(db, world.ward_a)
        assigning.assign(
            db, shift_id=shift.id, user_id=world.users["tnv01"], actor_id=None, now=NOW
        )
        db.commit()
    auth.login("tnv01")
    with statements(app) as seen:
        text = page_text(client.get("/shifts/mine"))
    assert '<span class="bell-count" data-unread>1</span>' in text
    assert text.count('class="badge none"') == 0  # the menu's second unread badge is gone
    assert sum(BELL in statement for statement in seen) == 1
