"""Issue 15: a volunteer's phone carries only the households of their groups (sync/scope.py)."""

from datetime import timedelta

from core import clock
from core.db import get_session
from households import assignments, registry
from households.models import Household
from shifts.models import Assignment, Place, Shift
from tests.sync_items import household_uuid, push, record, residents_of

WARD_A = ("hung", "lan", "no_consent")


def _set_groups(world, username: str, *keys: str) -> None:
    db = get_session()
    assignments.set_groups(
        db,
        user_id=world.users[username],
        ward_id=world.ward_a,
        group_ids={world.groups[k] for k in keys},
        actor_id=world.users["bithu"],
    )
    db.commit()


def _uuids(world, *keys: str) -> set[str]:
    return {household_uuid(world, k) for k in keys}


def _pull(client, previous: dict | None = None) -> dict:
    query = {}
    if previous is not None:
        query["cursor"] = previous["cursor"]
        if previous["scope"] is not None:
            query["scope"] = ",".join(str(g) for g in previous["scope"])
    response = client.get("/api/v1/pull", query_string=query)
    assert response.status_code == 200
    return response.get_json()


def test_pull_holds_only_the_volunteers_groups(app, world, auth, client):
    auth.login("tnv02")
    with app.app_context():
        first = _pull(client)
        assert first["households"] == [] and residents_of(first) == [] and first["scope"] == []
        # Every group is still listed (no personal data), for households made on the spot.
        assert len(first["groups"]) == 3
        _set_groups(world, "tnv02", "a2")
        second = _pull(client)
        assert {h["uuid"] for h in second["households"]} == _uuids(world, "no_consent")
        assert {r["household_uuid"] for r in residents_of(second)} == _uuids(world, "no_consent")
        assert second["scope"] == [world.groups["a2"]]


def test_assignment_adds_and_unassignment_removes_on_the_next_pull(app, world, auth, client):
    auth.login("tnv02")
    with app.app_context():
        _set_groups(world, "tnv02", "a1")
        first = _pull(client)
        assert {h["uuid"] for h in first["households"]} == _uuids(world, "hung", "lan")
        _set_groups(world, "tnv02", "a2")
        delta = _pull(client, first)
        assert delta["full"] is False
        assert {h["uuid"] for h in delta["households"]} == _uuids(world, "no_consent")
        assert len(residents_of(delta)) == 2
        assert set(delta["deleted"]["households"]) == _uuids(world, "hung", "lan")
        assert set(delta["deleted"]["outside"]) == _uuids(world, "hung", "lan")  # not deleted
        # Nothing of them comes back (the cursor's overlap may name them again, harmlessly).
        later = _pull(client, delta)
        assert {h["uuid"] for h in later["households"]} <= _uuids(world, "no_consent")
        assert {r["household_uuid"] for r in residents_of(later)} <= _uuids(world, "no_consent")
        assert set(later["deleted"]["households"]) <= _uuids(world, "hung", "lan")
        _set_groups(world, "tnv02")
        emptied = _pull(client, later)
        assert _uuids(world, "no_consent") <= set(emptied["deleted"]["households"])
        assert emptied["households"] == []
        assert emptied["scope"] == []


def test_followups_and_recent_records_follow_the_scope(app, world, auth, client):
    auth.login("tnv02")
    with app.app_context():
        # A record for a household outside the copy is accepted as before...
        hung = household_uuid(world, "hung")
        waiting = record(hung, outcome="pending", reason="Thiếu giấy tờ")
        assert push(client, [waiting]).get_json()["results"][0]["status"] == "accepted"
        copy = _pull(client)
        # ...but neither it nor its household travels with the copy.
        assert copy["followups"] == [] and copy["recent"] == []
        _set_groups(world, "tnv02", "a1")
        copy = _pull(client)
        assert [r["uuid"] for r in copy["followups"]] == [waiting["uuid"]]
        assert [r["uuid"] for r in copy["recent"]] == [waiting["uuid"]]


def test_a_field_shift_in_the_coming_days_brings_its_group(app, world, auth, client):
    auth.login("tnv02")
    with app.app_context():
        db = get_session()
        now = clock.now()
        shifts = []
        for key, starts in (("a1", now + timedelta(days=1)), ("a2", now + timedelta(days=10))):
            shift = Shift(
                ward_id=world.ward_a,
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                place=Place.FIELD,
                group_id=world.groups[key],
                place_key=f"group-{world.groups[key]}",
                min_volunteers=1,
                max_volunteers=3,
                assigned_count=1,
            )
            db.add(shift)
            db.flush()
            db.add(Assignment(shift_id=shift.id, user_id=world.users["tnv02"], source="self"))
            shifts.append(shift)
        db.commit()
        copy = _pull(client)
        # The shift ten days ahead does not bring its group yet.
        assert {h["uuid"] for h in copy["households"]} == _uuids(world, "hung", "lan")
        assert copy["scope"] == [world.groups["a1"]]


def test_staff_keep_the_whole_ward(app, world, auth, client):
    with app.app_context():
        for username in ("bithu", "phuong"):
            auth.login(username)
            copy = _pull(client)
            assert copy["scope"] is None
            assert {h["uuid"] for h in copy["households"]} == _uuids(world, *WARD_A)
            auth.logout()


def test_a_phone_that_does_not_say_its_scope_gets_a_full_copy(app, world, auth, client):
    auth.login("tnv01")
    with app.app_context():
        first = _pull(client)
        for scope in (None, "abc", "1,x", "99999999999999999999", ",".join(["1"] * 600)):
            query = {"cursor": first["cursor"]}
            if scope is not None:
                query["scope"] = scope
            response = client.get("/api/v1/pull", query_string=query)
            assert response.status_code == 200
            copy = response.get_json()
            if scope in (None, "abc", "1,x", ",".join(["1"] * 600)):
                assert copy["full"] is True
            assert {h["uuid"] for h in copy["households"]} <= _uuids(world, *WARD_A)


def test_online_search_finds_any_household_of_the_ward_only(app, world, auth, client):
    auth.login("tnv02")  # no group: nothing on the phone, everything findable online
    with app.app_context():
        answer = client.get("/api/v1/households/search?q=duong thi lan").get_json()
        assert [h["uuid"] for h in answer["households"]] == [household_uuid(world, "lan")]
        assert {r["household_uuid"] for r in residents_of(answer)} == _uuids(world, "lan")
        # "Nguyễn Văn Hùng" heads a household in each ward: only ours is found.
        answer = client.get("/api/v1/households/search?q=NGUYEN VAN HUNG").get_json()
        assert [h["uuid"] for h in answer["households"]] == [household_uuid(world, "hung")]
        # Ranked as on the phone: by the household's search text.
        answer = client.get("/api/v1/households/search?q=thi").get_json()
        assert [h["uuid"] for h in answer["households"]] == [
            household_uuid(world, "lan"),  # "duong thi lan 8 tran cao van ..."
            household_uuid(world, "hung"),  # "nguyen van hung 12 kiet ... tran thi duong"
        ]
        assert client.get("/api/v1/households/search?q=x").status_code == 400
        # Another ward's volunteer, even with an explicit ward, stays in their own.
        auth.logout()
        auth.login("tnv_b")
        answer = client.get(f"/api/v1/households/search?q=hung&ward={world.ward_a}").get_json()
        assert [h["uuid"] for h in answer["households"]] == [household_uuid(world, "hung_b")]


def test_a_household_moved_out_of_the_scope_leaves_the_phone(app, world, auth, client):
    auth.login("tnv02")
    with app.app_context():
        _set_groups(world, "tnv02", "a1")
        first = _pull(client)
        db = get_session()
        lan = db.get(Household, world.households["lan"])
        registry.update_household(
            db,
            lan,
            registry.HouseholdData(
                group_id=world.groups["a2"], address=lan.address, head_name=lan.head_name
            ),
            actor_id=world.users["bithu"],
        )
        db.commit()
        delta = _pull(client, first)
        assert household_uuid(world, "lan") in delta["deleted"]["households"]
        assert household_uuid(world, "lan") not in {h["uuid"] for h in delta["households"]}
        assert household_uuid(world, "lan") not in {
            r["household_uuid"] for r in residents_of(delta)
        }


def test_a_deleted_household_is_not_called_outside(app, world, auth, client):
    """`outside` lets a phone keep today's online finds; a deleted household must still go."""
    auth.login("tnv02")
    with app.app_context():
        _set_groups(world, "tnv02", "a1")
        first = _pull(client)
        _set_groups(world, "tnv02", "a2")
        db = get_session()
        registry.delete_household(
            db, db.get(Household, world.households["hung"]), actor_id=world.users["bithu"]
        )
        db.commit()
        delta = _pull(client, first)
        assert _uuids(world, "hung", "lan") <= set(delta["deleted"]["households"])
        assert delta["deleted"]["outside"] == [household_uuid(world, "lan")]
