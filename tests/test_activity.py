"""The audit trail page: the ward's changes, newest first, never another ward's."""

from tests.helpers import page_text


def test_secretary_sees_household_changes_of_own_ward_only(app, world, auth, client):
    auth.login("bithu")
    client.post(
        f"/households/{world.households['lan']}/edit",
        data={
            "group_id": world.groups["a1"],
            "address": "10 Trần Cao Vân",
            "consent": "y",
            "head_name": "Dương Thị Lan",
        },
    )
    page = page_text(client.get("/activity?entity=household"))
    assert "8 Trần Cao Vân → 10 Trần Cao Vân" in page
    assert f"#{world.households['hung_b']} " not in page  # ward B's household


def test_admin_sees_every_ward(app, world, auth, client):
    auth.login("admin")
    page = page_text(client.get("/activity?entity=household"))
    assert f"#{world.households['hung_b']} " in page
    assert f"#{world.households['hung']} " in page
