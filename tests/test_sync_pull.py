"""GET /api/v1/pull: the whole ward at first, then only what changed since the cursor."""

import gzip
import json
from datetime import timedelta

from sqlmodel import select

from assistance.models import Procedure
from core import clock
from core.db import get_session
from households import registry
from households.models import Household, Resident
from shifts.models import Assignment, Shift
from tests.sync_items import household_uuid, push, record, resident_uuid, residents_of
from volunteer.models import User


def test_full_copy_holds_the_ward_and_nothing_else(app, world, auth, client):
    auth.login("tnv01")
    copy = client.get("/api/v1/pull").get_json()
    assert copy["full"] is True
    assert copy["ward"]["id"] == world.ward_a
    assert {g["id"] for g in copy["groups"]} == {world.groups[k] for k in ("a1", "a2", "a_empty")}
    with app.app_context():
        ours = {household_uuid(world, k) for k in ("hung", "lan", "no_consent")}
        assert {h["uuid"] for h in copy["households"]} == ours
        assert resident_uuid(world, "hung_b") not in {r["uuid"] for r in residents_of(copy)}
        assert len(residents_of(copy)) == 7
        # The catalogue is seeded on first use.
        names = {p["name"] for p in copy["procedures"]}
        assert "Đăng ký khai sinh" in names and "Đăng ký tạm trú" in names
        assert (
            get_session().exec(select(Procedure).where(Procedure.ward_id == world.ward_b)).all()
            == []
        )
    no_consent = next(h for h in copy["households"] if h["head_name"] is None)
    assert no_consent["consent"] is False
    # Only what the phone reads: households are known by UUID there, never by database id.
    assert {key for h in copy["households"] for key in h} == {
        "uuid",
        "group_id",
        "address",
        "head_name",
        "phone",
        "consent",
        "residents",
    }


def test_delta_holds_changes_and_deletions(app, world, auth, client):
    auth.login("bithu")
    first = client.get("/api/v1/pull").get_json()
    with app.app_context():
        db = get_session()
        # Pretend the first pull was long ago, so the overlap window does not resend everything.
        for household in db.exec(select(Household)).all():
            household.updated_at = clock.now() - timedelta(hours=2)
        db.commit()
        cursor = (clock.now() - timedelta(hours=1)).isoformat()
        lan = db.get(Household, world.households["lan"])
        registry.update_household(
            db,
            lan,
            registry.HouseholdData(group_id=lan.group_id, address=lan.address, consent=False),
            actor_id=world.users["bithu"],
        )
        registry.delete_household(
            db, db.get(Household, world.households["hung"]), actor_id=world.users["bithu"]
        )
        db.commit()
        delta = client.get("/api/v1/pull", query_string={"cursor": cursor}).get_json()
        assert delta["full"] is False
        assert [h["uuid"] for h in delta["households"]] == [household_uuid(world, "lan")]
        assert delta["deleted"]["households"] == [household_uuid(world, "hung")]
        # Withdrawn consent wiped the residents' names: they come again without names.
        lan_people = [
            r for r in residents_of(delta) if r["household_uuid"] == household_uuid(world, "lan")
        ]
        assert len(lan_people) == 2 and all(r["full_name"] is None for r in lan_people)
        assert resident_uuid(world, "duong") in delta["deleted"]["residents"]
    assert first["cursor"] < delta["cursor"]


def test_bad_cursor_and_admin_without_ward(app, world, auth, client):
    auth.login("tnv01")
    response = client.get("/api/v1/pull?cursor=yesterday")
    assert response.status_code == 400 and response.get_json()["error"] == "bad_cursor"
    auth.logout()
    auth.login("admin")
    assert client.get("/api/v1/pull").get_json()["error"] == "ward_required"
    copy = client.get(f"/api/v1/pull?ward={world.ward_b}").get_json()
    assert copy["ward"]["name"] == "An Khê"


def test_pull_is_gzipped_for_clients_that_accept_it(world, auth, client):
    auth.login("tnv01")
    response = client.get("/api/v1/pull", headers={"Accept-Encoding": "gzip, deflate"})
    assert response.headers["Content-Encoding"] == "gzip"
    copy = json.loads(gzip.decompress(response.data))
    assert len(copy["households"]) == 3


def test_recent_records_followups_and_shifts(app, world, auth, client):
    auth.login("tnv01")
    with app.app_context():
        db = get_session()
        now = clock.now()
        shift = Shift(
            ward_id=world.ward_a,
            starts_at=now + timedelta(hours=1),
            ends_at=now + timedelta(hours=4),
            place_key="desk",
            min_volunteers=1,
            max_volunteers=3,
            assigned_count=1,
        )
        db.add(shift)
        db.flush()
        db.add(Assignment(shift_id=shift.id, user_id=world.users["tnv01"], source="self"))
        db.commit()
        hung = household_uuid(world, "hung")
        done = record(hung, place="desk", shift_id=shift.id)
        waiting = record(hung, outcome="pending", reason="Thiếu giấy tờ")
        assert [r["status"] for r in push(client, [done, waiting]).get_json()["results"]] == [
            "accepted",
            "accepted",
        ]
        copy = client.get("/api/v1/pull").get_json()
        assert [s["id"] for s in copy["shifts"]] == [shift.id]
        assert {r["uuid"] for r in copy["recent"]} == {done["uuid"], waiting["uuid"]}
        assert [r["uuid"] for r in copy["followups"]] == [waiting["uuid"]]
        assert copy["followups"][0]["volunteer"] == "Người dùng tnv01"
        assert copy["followups"][0]["mine"] is True
        # A shift of another ward, or none at all, cannot be linked.
        other = record(hung, place="desk", shift_id=shift.id + 1000)
        assert push(client, [other]).get_json()["results"][0]["field"] == "shift_id"


def test_residents_travel_inside_their_household_when_it_is_in_the_answer(app, world, auth, client):
    """Issue 15: a whole ward's copy no longer repeats each household's UUID per resident."""
    auth.login("bithu")
    first = client.get("/api/v1/pull").get_json()
    with app.app_context():
        db = get_session()
        duong = db.get(Resident, world.residents["duong"])
        home_uuid, duong_uuid = db.get(Household, duong.household_id).uuid, duong.uuid
        for row in [*db.exec(select(Household)).all(), *db.exec(select(Resident)).all()]:
            row.updated_at = clock.now() - timedelta(hours=2)
        db.commit()
        cursor = (clock.now() - timedelta(hours=1)).isoformat()
        registry.update_resident(
            db,
            db.get(Household, duong.household_id),
            duong,
            registry.ResidentData(birth_year=1962, full_name="Trần Thị Dương", eid_level=1),
            actor_id=world.users["bithu"],
        )
        db.commit()
    assert first["residents"] == []
    home = next(h for h in first["households"] if h["uuid"] == home_uuid)
    assert duong_uuid in {r["uuid"] for r in home["residents"]}
    assert all("household_uuid" not in r for r in home["residents"])
    # Only the resident changed: it comes on its own, naming its household.
    delta = client.get("/api/v1/pull", query_string={"cursor": cursor}).get_json()
    assert delta["households"] == []
    assert [(r["uuid"], r["household_uuid"], r["eid_level"]) for r in delta["residents"]] == [
        (duong_uuid, home_uuid, 1)
    ]


def test_follow_ups_say_which_are_mine_even_between_namesakes(app, world, auth, client):
    """The phone lists my follow-ups first: told by the server, not by comparing full names."""
    with app.app_context():
        db = get_session()
        namesake = db.get(User, world.users["tnv02"])
        namesake.full_name = db.get(User, world.users["tnv01"]).full_name
        db.commit()
        hung = household_uuid(world, "hung")
    theirs = record(hung, outcome="pending", reason="Thiếu giấy tờ")
    auth.login("tnv02")
    assert push(client, [theirs]).get_json()["results"][0]["status"] == "accepted"
    auth.logout()
    auth.login("tnv01")
    mine = record(hung, outcome="pending", reason="Hẹn lần sau")
    assert push(client, [mine]).get_json()["results"][0]["status"] == "accepted"
    followups = client.get("/api/v1/pull").get_json()["followups"]
    flags = {r["uuid"]: (r["volunteer"], r["mine"]) for r in followups}
    assert flags[mine["uuid"]] == ("Người dùng tnv01", True)
    assert flags[theirs["uuid"]] == ("Người dùng tnv01", False)
