"""Issue 15: the secretary, the ward officer and the admin keep the whole ward on their phone by
default, or only the groups they choose on /copy; the pull follows the choice."""

from sqlmodel import select

from core.audit import AuditLog
from core.db import get_session
from tests.helpers import csrf_from
from tests.sync_items import household_uuid, residents_of

WARD_A = ("hung", "lan", "no_consent")


def _choose(client, world, *keys: str):
    token = csrf_from(client.get("/copy").data)
    data = {"csrf_token": token, "groups": [str(world.groups[k]) for k in keys]}
    return client.post("/copy", data=data)


def _pull(client, previous: dict | None = None) -> dict:
    query = {}
    if previous is not None:
        query["cursor"] = previous["cursor"]
        if previous["scope"] is not None:
            query["scope"] = ",".join(str(g) for g in previous["scope"])
    response = client.get("/api/v1/pull", query_string=query)
    assert response.status_code == 200
    return response.get_json()


def _held(copy: dict) -> set[str]:
    return {h["uuid"] for h in copy["households"]}


def test_staff_narrow_their_own_copy_to_chosen_groups_and_back(app, world, auth, client):
    auth.login("bithu")
    with app.app_context():
        whole = _pull(client)
        assert whole["scope"] is None
        assert _held(whole) == {household_uuid(world, k) for k in WARD_A}

        response = _choose(client, world, "a2")
        assert response.status_code == 302 and response.headers["Location"] == "/log"
        narrow = _pull(client, whole)  # from the whole ward to part of it: a full copy again
        assert narrow["full"] is True and narrow["scope"] == [world.groups["a2"]]
        assert _held(narrow) == {household_uuid(world, "no_consent")}
        assert {r["household_uuid"] for r in residents_of(narrow)} <= _held(narrow)

        _choose(client, world)  # nothing chosen: the whole ward
        again = _pull(client, narrow)
        assert again["full"] is True and again["scope"] is None
        assert _held(again) == {household_uuid(world, k) for k in WARD_A}

        actions = (
            get_session()
            .exec(select(AuditLog.changes).where(AuditLog.action == "copy_groups"))
            .all()
        )
        assert [c["groups"] for c in actions] == [["—", "2"], ["2", "—"]]


def test_the_choice_is_personal(app, world, auth, client):
    auth.login("bithu")
    _choose(client, world, "a1")
    auth.logout()
    auth.login("phuong")  # the ward officer: still the whole ward
    with app.app_context():
        assert _pull(client)["scope"] is None
        assert "Đang giữ cả phường." in client.get("/copy").get_data(as_text=True)


def test_groups_of_another_ward_cannot_be_chosen(app, world, auth, client):
    auth.login("bithu")
    response = _choose(client, world, "b1")
    assert response.status_code == 200  # the form again, nothing stored
    with app.app_context():
        assert _pull(client)["scope"] is None


def test_volunteers_follow_their_assignments_not_this_screen(client, world, auth):
    auth.login("tnv02")
    assert client.get("/copy").status_code == 403
