"""The home screen at "/": each role's daily work (issue 16), and who sees what."""

import re
from datetime import date, timedelta

from assistance.models import Outcome
from core.db import get_session
from shifts.mine import swaps
from tests.coverage_support import add_record, local
from tests.helpers import page_text
from tests.shifts_support import MONDAY, NOW, freeze, make_shift, put_on


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return page_text(response)


def test_sign_in_lands_on_home(client, world):
    response = client.post("/login", data={"username": "tnv01", "password": "thanhnien247"})
    assert response.headers["Location"] == "/"


def test_volunteer_home_has_next_shift_log_follow_ups_and_group_gaps(
    app, world, auth, client, time_machine
):
    freeze(time_machine)
    with app.app_context():
        db = get_session()
        tnv01 = world.users["tnv01"]
        later = make_shift(db, world.ward_a, MONDAY + timedelta(days=2), "13:30", "16:30")
        first = make_shift(db, world.ward_a, MONDAY, "07:30", "11:30")
        put_on(db, later, tnv01)
        put_on(db, first, tnv01)
        add_record(world, "hung", at=local(date(2026, 11, 20)), outcome=Outcome.PENDING, reason="x")
        add_record(world, "hung", at=local(date(2026, 11, 20)), volunteer="tnv02", reason="y")
    auth.login("tnv01")
    html = _home(client)
    next_shift = re.search(r"data-next-shift>(.*?)</section>", html, re.S).group(1)
    assert f'data-shift="{first.id}"' in next_shift and f'data-shift="{later.id}"' not in next_shift
    assert re.search(r'href="/log"[^>]*data-home-log', html)
    assert 'data-my-followups="1"' in html and "Việc chờ của tôi (1)" in html
    groups = re.search(r"data-my-groups>(.*?)</section>", html, re.S).group(1)
    # Tổ 1: 3 of 4 adults have an e-ID (75%); one more reaches 90% (eid_coverage's own figures).
    assert "Thanh Khê 1" in groups and "còn thiếu 1" in groups and "75%" in groups
    assert "Thanh Khê 2" in groups and "Tổ trống" not in groups  # only my groups (a1, a2)
    assert "Xếp đủ người" not in html  # planning is the secretary's


def test_secretary_home_puts_understaffed_first_with_swaps_and_where_next(
    app, world, auth, client, time_machine
):
    freeze(time_machine)
    with app.app_context():
        db = get_session()
        staffed = make_shift(db, world.ward_a, MONDAY, "07:30", "11:30", minimum=1, maximum=2)
        short = make_shift(db, world.ward_a, MONDAY + timedelta(days=2), minimum=2, maximum=3)
        put_on(db, staffed, world.users["tnv01"])
        swaps.offer(
            db, shift_id=staffed.id, from_user_id=world.users["tnv01"], to_user_id=None, now=NOW
        )
        db.commit()
        other_ward = make_shift(db, world.ward_b, MONDAY + timedelta(days=1), minimum=3, maximum=3)
    auth.login("bithu")
    html = _home(client)
    week = re.search(r"data-home-week>(.*?)</section>", html, re.S).group(1)
    assert week.index(f'data-shift="{short.id}"') < week.index(f'data-shift="{staffed.id}"')
    assert f'data-shift="{other_ward.id}"' not in html
    assert "1 ca thiếu người" in week and 'href="/shifts/fill" data-fill' in week
    swaps_part = re.search(r"data-home-swaps>(.*?)</section>", html, re.S).group(1)
    assert "Người dùng tnv01 nhường cho bất kỳ ai" in swaps_part
    assert "Nên đến tổ nào tiếp?" in html


def test_ward_officer_home_has_the_chart_and_three_groups_furthest(app, world, auth, client):
    auth.login("phuong")
    html = _home(client)
    furthest = re.search(r"data-furthest>(.*?)</section>", html, re.S).group(1)
    assert re.findall(r'data-group="(\d+)"', furthest) == [
        str(world.groups["a2"]),
        str(world.groups["a1"]),
    ]  # both one adult short, the lower coverage first (0% < 75%); the empty group has no gap
    assert "<svg" in re.search(r"data-home-chart>(.*?)</figure>", html, re.S).group(1)
    assert "Xếp đủ người" not in html and "Nên đến tổ nào tiếp?" not in html


def test_admin_home_asks_for_a_ward_then_shows_its_plan(world, auth, client):
    auth.login("admin")
    html = _home(client)
    assert 'href="/wards"' in html and "Chọn phường" in html
    client.get(f"/groups?ward={world.ward_b}")  # picks ward B, as every feature does
    html = _home(client)
    assert "An Khê" in html and "data-home-week" in html and "Toàn thành phố" in html


def test_home_requires_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_change_log_says_a_swap_offered_to_anyone(app, world, auth, client, time_machine):
    freeze(time_machine)
    with app.app_context():
        db = get_session()
        shift = make_shift(db, world.ward_a, MONDAY + timedelta(days=2))
        put_on(db, shift, world.users["tnv01"])
        swaps.offer(
            db, shift_id=shift.id, from_user_id=world.users["tnv01"], to_user_id=None, now=NOW
        )
        db.commit()
    auth.login("bithu")
    html = page_text(client.get("/shifts/changes"))
    assert "cho bất kỳ ai" in html and "cho –" not in html
