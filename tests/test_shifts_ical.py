"""The private iCal feed: parsed with icalendar, stable UIDs, secret and regenerable URL."""

import re
from datetime import timedelta

from icalendar import Calendar

from core.clock import as_utc
from core.db import get_session
from tests.helpers import page_text
from tests.shifts_support import MONDAY, freeze, make_shift, put_on
from volunteer.models import User


def _feed_path(auth) -> str:
    page = page_text(auth.client.get("/shifts/calendar"))
    match = re.search(r"http://localhost(/shifts/ical/[A-Za-z0-9_\-]+\.ics)", page)
    assert match, "the calendar page shows the feed URL"
    return match.group(1)


def _events(response) -> list:
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data).walk("VEVENT")


def test_feed_lists_my_shifts_with_stable_uids(app, world, auth, time_machine):
    freeze(time_machine)
    with app.test_request_context():
        db = get_session()
        mine = [
            make_shift(db, world.ward_a),
            make_shift(
                db,
                world.ward_a,
                MONDAY + timedelta(days=2),
                "08:00",
                "11:00",
                place="field",
                group_id=world.groups["a1"],
            ),
        ]
        not_mine = make_shift(db, world.ward_a, MONDAY + timedelta(days=4))
        for shift in mine:
            put_on(db, shift, world.users["tnv01"])
        put_on(db, not_mine, world.users["tnv02"])
    auth.login("tnv01")
    path = _feed_path(auth)
    auth.logout()  # calendar apps do not sign in

    first, second = _events(auth.client.get(path)), _events(auth.client.get(path))
    uids = [str(event["UID"]) for event in first]
    assert uids == [f"shift-{shift.id}@thanhnien247" for shift in mine]
    assert uids == [str(event["UID"]) for event in second]
    assert [e.to_ical() for e in first] == [e.to_ical() for e in second]
    assert first[0].decoded("DTSTART") == as_utc(mine[0].starts_at)
    assert first[0].decoded("DTEND") == as_utc(mine[0].ends_at)
    assert str(first[0]["SUMMARY"]) == "Trực bộ phận Một cửa"
    assert str(first[1]["SUMMARY"]) == "Đi tổ 1 – Thanh Khê 1"


def test_bad_token_regenerated_token_and_locked_account_get_404(app, world, auth, time_machine):
    freeze(time_machine)
    auth.login("tnv01")
    old = _feed_path(auth)
    assert auth.client.get(old).status_code == 200
    assert auth.client.get("/shifts/ical/nonsense.ics").status_code == 404
    auth.client.post("/shifts/calendar/regenerate")
    new = _feed_path(auth)
    assert new != old
    assert auth.client.get(old).status_code == 404
    assert auth.client.get(new).status_code == 200
    with app.test_request_context():
        db = get_session()
        db.get(User, world.users["tnv01"]).active = False
        db.commit()
    assert auth.client.get(new).status_code == 404
