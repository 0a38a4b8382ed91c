"""Issue 14: a password reset or change, a deactivation and a role change end every session and
remember-me cookie of the user; the user who changes their own password stays on this device."""

import pytest

from core.db import get_session
from volunteer.models import User

PASSWORD = "thanhnien247"


def signed_in(app, username: str, *, remembered_only: bool = False):
    """A device of username. remembered_only: the browser was closed, only the 30-day
    remember-me cookie is left (the session cookie is gone)."""
    device = app.test_client()
    data = {"username": username, "password": PASSWORD, "remember": "y" if remembered_only else ""}
    assert device.post("/login", data=data).status_code == 302
    if remembered_only:
        device.delete_cookie("session")
    assert is_in(device)
    return device


def is_in(device) -> bool:
    response = device.get("/groups")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def api_status(device) -> int:
    return device.get("/api/v1/pull").status_code


@pytest.fixture
def devices(app, world):
    """tnv01 on a phone with an open session and on a tablet with only the remember-me cookie."""
    return signed_in(app, "tnv01"), signed_in(app, "tnv01", remembered_only=True)


def test_a_password_reset_by_the_secretary_signs_the_user_out_everywhere(
    app, world, auth, client, devices
):
    phone, tablet = devices
    auth.login("bithu")
    reset = client.post(f"/users/{world.users['tnv01']}/reset", data={"password": "matkhaumoi1"})
    assert reset.status_code == 302
    assert not is_in(phone) and not is_in(tablet)
    assert api_status(phone) == api_status(tablet) == 401
    assert is_in(client)  # the secretary's own session is not touched
    again = app.test_client()
    again.post("/login", data={"username": "tnv01", "password": "matkhaumoi1"})
    assert is_in(again)


def test_changing_ones_password_signs_out_the_other_devices_but_not_this_one(app, world, devices):
    phone, tablet = devices
    laptop = signed_in(app, "tnv01", remembered_only=True)  # changes the password from here
    data = {"current": PASSWORD, "new": "matkhaumoi1", "confirm": "matkhaumoi1"}
    assert laptop.post("/account", data=data).status_code == 302
    assert is_in(laptop)
    assert not is_in(phone) and not is_in(tablet)
    # This device was remembered: it stays remembered, with a cookie of the new version.
    laptop.delete_cookie("session")
    assert is_in(laptop)


def test_changing_ones_password_keeps_a_device_that_was_not_remembered_signed_in(app, world):
    phone = signed_in(app, "tnv01")
    data = {"current": PASSWORD, "new": "matkhaumoi1", "confirm": "matkhaumoi1"}
    response = phone.post("/account", data=data)
    assert response.status_code == 302
    assert phone.get_cookie("remember_token") is None
    assert is_in(phone)


def test_deactivation_ends_sessions_for_good_even_after_reactivation(
    app, world, auth, client, devices
):
    phone, tablet = devices
    auth.login("bithu")
    toggle = f"/users/{world.users['tnv01']}/active"
    assert client.post(toggle).status_code == 302
    assert not is_in(phone) and not is_in(tablet)
    assert client.post(toggle).status_code == 302  # unlocked again
    assert not is_in(phone) and not is_in(tablet)
    assert is_in(signed_in(app, "tnv01"))


def _edit(client, world, username: str, **changes):
    with client.application.app_context():
        user = get_session().get(User, world.users[username])
        data = {
            "username": user.username,
            "full_name": user.full_name,
            "phone": user.phone or "",
            "role": user.role,
            "ward_id": user.ward_id or 0,
        }
    return client.post(f"/users/{world.users[username]}/edit", data=data | changes)


def test_a_role_change_ends_the_users_sessions(app, world, auth, client, devices):
    phone, tablet = devices
    auth.login("admin")
    assert _edit(client, world, "tnv01", full_name="Tên Mới").status_code == 302
    assert is_in(phone) and is_in(tablet)  # other edits leave the sessions alone
    assert _edit(client, world, "tnv01", role="ward_officer").status_code == 302
    assert not is_in(phone) and not is_in(tablet)
    assert api_status(phone) == 401


@pytest.mark.parametrize(
    "stored",
    ["abc", "1:x", ":", "", "99999:0", "1:-1", "1:99", "²:0", "1:²", "9" * 20 + ":0", "-1"],
)
def test_an_unknown_or_stale_session_id_is_simply_signed_out(app, world, client, stored):
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = stored, True
    assert not is_in(client)


def test_a_session_from_before_versions_still_loads(app, world, client):
    """Sessions issued before the upgrade carry the bare id: version 0, nothing has ended them."""
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = str(world.users["tnv01"]), True
    assert is_in(client)
