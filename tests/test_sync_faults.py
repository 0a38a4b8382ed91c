"""The failures a phone meets: a server error, an expired CSRF token, an expired session."""

import itsdangerous.timed
import pytest
from sqlalchemy import func
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from assistance.models import AssistanceRecord
from core.db import get_session
from sync import push as push_module
from tests.helpers import csrf_from
from tests.sync_items import household_uuid, record


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def _login_with_csrf(client, username="tnv01"):
    token = csrf_from(client.get("/login").data)
    response = client.post(
        "/login", data={"username": username, "password": "thanhnien247", "csrf_token": token}
    )
    assert response.status_code == 302


def _push(client, items, token):
    return client.post("/api/v1/push", json={"items": items}, headers={"X-CSRFToken": token})


def _stored(app) -> int:
    with app.app_context():
        return get_session().exec(select(func.count()).select_from(AssistanceRecord)).one()


def test_push_without_token_answers_json_the_client_recognises(csrf_app, world, client):
    _login_with_csrf(client)
    response = client.post("/api/v1/push", json={"items": []})
    assert response.status_code == 400
    assert response.get_json()["error"] == "csrf"


def test_without_a_session_push_answers_401_not_a_csrf_error(csrf_app, world, client):
    # A phone whose session ended must be asked to log in, whatever token it still holds.
    for headers in ({}, {"X-CSRFToken": "stale"}):
        response = client.post("/api/v1/push", json={"items": []}, headers=headers)
        assert response.status_code == 401
        assert response.get_json()["error"] == "unauthorized"


def test_token_past_its_limit_is_refreshed_and_the_push_goes_through(
    csrf_app, world, client, monkeypatch
):
    _login_with_csrf(client)
    token = client.get("/api/v1/csrf").get_json()["csrf_token"]
    with csrf_app.app_context():
        item = record(household_uuid(world, "lan"))
    # Two hours later: Flask-WTF tokens live one hour.
    real_time = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real_time() + 7200)
    stale = _push(client, [item], token)
    assert stale.status_code == 400 and stale.get_json()["error"] == "csrf"
    assert _stored(csrf_app) == 0
    fresh = client.get("/api/v1/csrf").get_json()["csrf_token"]
    response = _push(client, [item], fresh)
    assert response.status_code == 200
    assert response.get_json()["results"][0]["status"] == "accepted"
    assert _stored(csrf_app) == 1


def test_server_error_then_success_loses_nothing_and_stores_once(
    app, world, auth, client, monkeypatch
):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    auth.login("tnv01")
    with app.app_context():
        lan = household_uuid(world, "lan")
    items = [record(lan), record(lan), record(lan)]
    real = push_module._fill_batch_duplicates
    calls = []

    def failing_once(batch):
        calls.append(1)
        if len(calls) == 1:
            # After the rows were inserted, before the commit: the database itself failing (not
            # one item) is the one error a push still answers with a 500.
            raise OperationalError("COMMIT", {}, Exception("database or disk is full"))
        return real(batch)

    monkeypatch.setattr(push_module, "_fill_batch_duplicates", failing_once)
    first = client.post("/api/v1/push", json={"items": items})
    assert first.status_code == 500 and first.is_json
    assert _stored(app) == 0  # rolled back whole: never a half-written batch
    second = client.post("/api/v1/push", json={"items": items})
    assert [r["status"] for r in second.get_json()["results"]] == ["accepted"] * 3
    third = client.post("/api/v1/push", json={"items": items})
    assert [r["status"] for r in third.get_json()["results"]] == ["duplicate"] * 3
    assert _stored(app) == 3


def test_expired_session_answers_401_and_the_records_go_after_login(app, world, auth, client):
    with app.app_context():
        item = record(household_uuid(world, "lan"))
    response = client.post("/api/v1/push", json={"items": [item]})
    assert response.status_code == 401 and response.get_json()["error"] == "unauthorized"
    auth.login("tnv01")
    response = client.post("/api/v1/push", json={"items": [item]})
    assert response.get_json()["results"][0]["status"] == "accepted"
    assert _stored(app) == 1
