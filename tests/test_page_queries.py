"""What templates cost: nothing but the bell. Every page of every role renders with no SQL
statement of its own (issue 18): the view passes what the template shows. The one exception is
base.html's unread count, computed at most once per request (core/per_request) and only on the
pages that show it; the menu has no second badge of its own (one inbox); visitors cost none."""

from contextlib import contextmanager
from datetime import time, timedelta

import pytest
from flask import before_render_template, template_rendered, url_for
from sqlalchemy import event

from assistance.models import AssistanceRecord, Kind, Outcome, Procedure
from core.access import PUBLIC, Role, rule_for
from core.db import get_session
from shifts.models import PatternSlot, Place
from tests.coverage_support import add_record
from tests.helpers import page_text
from tests.notifications_support import due_notification
from tests.shifts_support import MONDAY, NOW, freeze, make_shift, put_on

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


@contextmanager
def statements_in_templates(app):
    """(template, statement) for every statement run while a template renders: between Flask's
    before_render_template and template_rendered signals, after the view and the context
    processors are done."""
    seen: list[tuple[str, str]] = []
    rendering: list[str] = []

    def started(_app, template, **_extra):
        rendering.append(template.name)

    def finished(_app, template, **_extra):
        rendering.pop()

    def record(_conn, _cursor, statement, _parameters, _context, _executemany):
        if rendering:
            seen.append((rendering[-1], statement))

    engine = app.extensions["db_engine"]
    before_render_template.connect(started, app)
    template_rendered.connect(finished, app)
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
        template_rendered.disconnect(finished, app)
        before_render_template.disconnect(started, app)


LOGINS = {
    Role.VOLUNTEER: "tnv01",
    Role.SECRETARY: "bithu",
    Role.WARD_OFFICER: "phuong",
    Role.ADMIN: "admin",
}
# GET routes that render no template: a redirect through a notification, the private iCal feed
# (its secret token is no sample), the service worker, JSON for the app's own scripts.
NOT_PAGES = {
    "static",
    "notifications.open_one",
    "shifts.ical_feed",
    "sync.service_worker",
    "sync.household_lookup",
    "sync.pull_changes",
}
# An admin belongs to no ward: the page for choosing the groups to copy answers 404 by design.
NOT_FOR_ROLE = {(Role.ADMIN, "sync.copy_groups")}
# Pages that need a query argument: which sample it takes.
QUERY_FOR = {"feedback.rate": {"record": "record_uuid"}}


def _a_week_of_work(world) -> dict:
    """Something on every page: a shift of tnv01's today, a visit to a group this week, a
    pattern slot, a filed dossier and a visit logged today, news under the bell. Returns a
    value for every <id:...> argument of the url_map."""
    db = get_session()
    shift = make_shift(db, world.ward_a)
    put_on(db, shift, world.users["tnv01"])
    make_shift(
        db, world.ward_a, MONDAY + timedelta(days=2), place=Place.FIELD, group_id=world.groups["a1"]
    )
    slot = PatternSlot(ward_id=world.ward_a, starts=time(7, 30), ends=time(11, 30))
    procedure = Procedure(ward_id=world.ward_a, code="1.001", name="Đăng ký thường trú")
    db.add_all([slot, procedure])
    db.commit()
    dossier = add_record(
        world,
        "hung",
        at=NOW - timedelta(days=3),
        kind=Kind.DOSSIER,
        outcome=Outcome.PENDING,
        residents=("hung",),
        reason="Chờ kết quả",
    )
    visit = add_record(world, "hung", at=NOW - timedelta(hours=1), residents=("duong",))
    due_notification(db, world.users["tnv01"], NOW - timedelta(minutes=5))
    return {
        "ward_id": world.ward_a,
        "group_id": world.groups["a1"],
        "household_id": world.households["hung"],
        "resident_id": world.residents["hung"],
        "user_id": world.users["tnv02"],
        "volunteer_id": world.users["tnv01"],
        "record_id": dossier,
        "record_uuid": db.get(AssistanceRecord, visit).uuid,
        "procedure_id": procedure.id,
        "shift_id": shift.id,
        "slot_id": slot.id,
        "kind": "csv",
    }


def _opens(role: Role | None, allowed) -> bool:
    if role is None:
        return allowed == PUBLIC
    return allowed not in (None, PUBLIC) and role in allowed


def _pages(app, role: Role | None, samples: dict) -> list[str]:
    """Every GET page `role` may open (None: the public ones), from the url_map itself, so a
    page added later is walked too."""
    pages = []
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
            if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
                continue
            if not _opens(role, rule_for(rule.endpoint)) or (role, rule.endpoint) in NOT_FOR_ROLE:
                continue
            missing = rule.arguments - samples.keys()
            assert not missing, f"{rule.endpoint}: add a sample for {missing}"
            arguments = {name: samples[name] for name in rule.arguments}
            query = {name: samples[key] for name, key in QUERY_FOR.get(rule.endpoint, {}).items()}
            pages.append(url_for(rule.endpoint, **arguments, **query))
    return pages


# What a template runs does not depend on the database: one backend walks it (the walk is long).
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_no_template_queries_the_database(app, world, auth, client, time_machine):
    """Every page of every role, and the public ones: the view passes what its template shows."""
    freeze(time_machine)
    with app.app_context():
        samples = _a_week_of_work(world)
    queried, answered = {}, {}
    for role in [None, *LOGINS]:
        if role is not None:
            auth.login(LOGINS[role])
        if role == Role.ADMIN:
            client.get(f"/groups?ward={world.ward_a}")  # the admin's pages show the ward picked
        for path in _pages(app, role, samples):
            page = f"{role or 'visitor'} {path}"
            with statements_in_templates(app) as seen:
                answered[page] = client.get(path).status_code
            bell = [statement for _template, statement in seen if BELL in statement]
            others = [f"{name}: {statement}" for name, statement in seen if BELL not in statement]
            if others or len(bell) > 1:
                queried[page] = others + bell[1:]
        auth.logout()
    assert queried == {}
    # The walk saw the pages, not their refusals.
    assert {page: status for page, status in answered.items() if status != 200} == {}
    assert len(answered) > 150
