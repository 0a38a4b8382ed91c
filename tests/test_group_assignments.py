"""Issue 15: the secretary's screen of volunteers against groups, and "my groups" first."""

from sqlmodel import select

from core.audit import AuditLog
from core.db import get_session
from households import assignments


def test_secretary_lists_and_changes_a_volunteers_groups(app, world, auth, client):
    auth.login("bithu")
    page = client.get("/users/groups").get_data(as_text=True)
    assert "Người dùng tnv01" in page and "Tổ 1, 2" in page
    assert "Chưa phụ trách tổ nào" in page  # tnv02
    assert "Tổ chưa có ai phụ trách: 3" in page
    tnv02 = world.users["tnv02"]
    form = client.get(f"/users/{tnv02}/groups").get_data(as_text=True)
    assert f'value="{world.groups["a_empty"]}"' in form
    assert f'value="{world.groups["b1"]}"' not in form  # another ward's group is not offered
    response = client.post(
        f"/users/{tnv02}/groups", data={"groups": [world.groups["a1"], world.groups["a_empty"]]}
    )
    assert response.status_code == 302
    with app.app_context():
        db = get_session()
        assert assignments.group_ids_of(db, user_id=tnv02) == {
            world.groups["a1"],
            world.groups["a_empty"],
        }
        entry = db.exec(select(AuditLog).where(AuditLog.action == "groups")).one()
        assert entry.entity_id == tnv02 and entry.changes == {"groups": ["", "1, 3"]}
    assert "Tổ chưa có ai phụ trách" not in client.get("/users/groups").get_data(as_text=True)


def test_bad_group_choices_are_refused_without_harm(app, world, auth, client):
    auth.login("bithu")
    tnv02 = world.users["tnv02"]
    for groups in ([world.groups["b1"]], ["abc"], ["99999999999999999999999"]):
        response = client.post(f"/users/{tnv02}/groups", data={"groups": groups})
        assert response.status_code == 200
        assert "Lựa chọn không hợp lệ." in response.get_data(as_text=True)
    with app.app_context():
        assert assignments.group_ids_of(get_session(), user_id=tnv02) == set()


def test_other_wards_and_other_roles_are_not_assignable(world, auth, client):
    auth.login("bithu")
    assert client.get(f"/users/{world.users['tnv_b']}/groups").status_code == 404
    assert client.get(f"/users/{world.users['phuong']}/groups").status_code == 403


def test_my_groups_come_first(world, auth, client):
    auth.login("tnv02")
    with client.application.app_context():
        db = get_session()
        assignments.set_groups(
            db,
            user_id=world.users["tnv02"],
            ward_id=world.ward_a,
            group_ids={world.groups["a_empty"]},
            actor_id=world.users["bithu"],
        )
        db.commit()
    page = client.get("/groups").get_data(as_text=True)
    assert page.index('data-group="3"') < page.index('data-group="1"')
    assert "Tổ của tôi" in page
