"""The audit trail page: the ward's changes, newest first, never another ward's."""

from core import audit
from core.db import get_session
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


def test_long_change_logs_page_back_and_forth(app, world, auth, client):
    with app.app_context():
        db = get_session()
        for number in range(60):
            audit.record(
                db,
                actor_id=world.users["bithu"],
                ward_id=world.ward_a,
                entity="household",
                entity_id=1000 + number,
                action="update",
            )
        db.commit()
    auth.login("bithu")
    first = page_text(client.get("/activity?entity=household"))
    assert (
        "/activity?entity=household&amp;page=2" in first
        or "/activity?page=2&amp;entity=household" in first
    )
    second = page_text(client.get("/activity?entity=household&page=2"))
    assert "page=1" in second and "page=3" not in second
