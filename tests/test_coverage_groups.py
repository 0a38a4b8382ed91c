"""Drill-down from a group to its households, the printable worklist, planning a field visit
from it, and the "where next" list the secretary sees while planning shifts."""

import re
from datetime import date

from assistance.models import AssistanceRecord, Kind, Outcome
from core import clock
from core.db import get_session
from households.models import Resident, ResidentialGroup
from tests.coverage_support import add_record, local
from tests.helpers import page_text


def _households(response) -> list[int]:
    return [int(h) for h in re.findall(r'data-household="(\d+)"', page_text(response))]


def test_group_drill_down_shows_who_has_no_e_id(app, world, auth, client):
    with app.app_context():
        add_record(world, "hung", at=local(date(2026, 3, 5)))
    auth.login("phuong")
    a1 = world.groups["a1"]
    response = client.get(f"/coverage/groups/{a1}")
    assert response.status_code == 200
    html = page_text(response)
    assert sorted(_households(response)) == sorted(
        [world.households["hung"], world.households["lan"]]
    )
    assert "Trần Thị Dương (1962)" in html
    assert "Nguyễn Minh Khang" not in html  # a child is not counted as missing
    assert "3/4 người lớn có VNeID" in html
    missing = client.get(f"/coverage/groups/{a1}?show=missing")
    assert _households(missing) == [world.households["hung"]]
    unreached = client.get(f"/coverage/groups/{a1}?show=unreached")
    assert _households(unreached) == [world.households["lan"]]


def test_no_consent_household_shows_no_names(app, world, auth, client):
    auth.login("bithu")
    html = page_text(client.get(f"/coverage/groups/{world.groups['a2']}"))
    assert "người lớn (1950)" in html and "Hộ chưa đồng ý ghi tên" in html


def test_worklist_lists_unreached_and_open_follow_ups(app, world, auth, client):
    with app.app_context():
        add_record(
            world,
            "hung",
            at=local(date(2026, 3, 5)),
            kind=Kind.EID_LEVEL2,
            outcome=Outcome.PENDING,
            reason="Hẹn công an xác thực",
        )
        resolved = add_record(
            world, "lan", at=local(date(2026, 3, 6)), outcome=Outcome.PENDING, reason="x"
        )
        db = get_session()
        db.get(AssistanceRecord, resolved).resolved_at = clock.now()
        db.commit()
    auth.login("bithu")
    response = client.get(f"/coverage/groups/{world.groups['a1']}/worklist")
    assert response.status_code == 200
    assert _households(response) == [world.households["hung"]]
    html = page_text(response)
    assert "Hẹn công an xác thực" in html and "05/03" in html
    plan = re.search(r'href="([^"]+)" data-plan', html).group(1)
    assert plan == f"/shifts/new?place=field&amp;group={world.groups['a1']}"
    everyone = client.get(f"/coverage/groups/{world.groups['a2']}/worklist")
    assert _households(everyone) == [world.households["no_consent"]]  # never reached


def test_ward_officer_reads_the_worklist_but_plans_no_shift(app, world, auth, client):
    auth.login("phuong")
    response = client.get(f"/coverage/groups/{world.groups['a1']}/worklist")
    assert response.status_code == 200 and "data-plan" not in page_text(response)


def test_groups_of_another_ward_or_deleted_are_not_found(app, world, auth, client):
    auth.login("bithu")
    assert client.get(f"/coverage/groups/{world.groups['b1']}").status_code == 404
    assert client.get(f"/coverage/groups/{world.groups['b1']}/worklist").status_code == 404
    with app.app_context():
        db = get_session()
        db.get(ResidentialGroup, world.groups["a2"]).deleted_at = clock.now()
        db.commit()
    assert client.get(f"/coverage/groups/{world.groups['a2']}").status_code == 404


def _where_next(client, auth, username: str) -> str:
    """The "where next" section of the week's rota, as `username` sees it ("" if none)."""
    auth.login(username)
    html = page_text(client.get("/shifts/"))
    auth.logout()
    found = re.search(r"<section class=\"panel where-next\".*?</section>", html, re.S)
    return found.group(0) if found else ""


def test_where_next_ranks_groups_by_the_dashboards_gap(app, world, auth, client):
    html = _where_next(client, auth, "bithu")
    listed = [int(g) for g in re.findall(r'<li data-group="(\d+)"', html)]
    assert listed == [world.groups["a2"], world.groups["a1"]]  # one each; lowest share first
    assert "Còn thiếu 1 người lớn để đạt 90% · đạt 75%" in html
    assert f"/shifts/new?place=field&amp;group={world.groups['a1']}" in html
    assert _where_next(client, auth, "phuong").strip() == ""  # planning is the secretary's


def test_where_next_skips_groups_without_a_gap(app, world, auth, client):
    with app.app_context():
        db = get_session()
        db.get(Resident, world.residents["duong"]).eid_level = 1
        db.commit()
    html = _where_next(client, auth, "bithu")
    assert [int(g) for g in re.findall(r'<li data-group="(\d+)"', html)] == [world.groups["a2"]]


def test_planning_a_field_visit_from_the_worklist(app, world, auth, client):
    auth.login("bithu")
    a1 = world.groups["a1"]
    html = page_text(client.get(f"/shifts/new?place=field&group={a1}"))
    assert re.search(
        r'<input[^>]*checked[^>]*value="field"|<input[^>]*value="field"[^>]*checked', html
    )
    assert re.search(
        rf'<option[^>]*selected[^>]*value="{a1}"|<option[^>]*value="{a1}"[^>]*selected', html
    )
    assert "data-where-next" in html  # the groups to aim at, beside the form
    plain = page_text(client.get("/shifts/new"))
    assert not re.search(
        r'<input[^>]*checked[^>]*value="field"|<input[^>]*value="field"[^>]*checked', plain
    )
