"""Account management: the secretary runs the ward's volunteers, the admin everyone."""

from sqlmodel import select

from core.audit import AuditLog
from core.db import get_session
from households.models import Ward
from tests.helpers import page_text
from volunteer.models import User


def user_named(app, username: str) -> User | None:
    with app.app_context():
        return get_session().exec(select(User).where(User.username == username)).first()


def audit_of(app, user_id: int) -> list[AuditLog]:
    with app.app_context():
        query = select(AuditLog).where(AuditLog.entity == "user", AuditLog.entity_id == user_id)
        return list(get_session().exec(query.order_by(AuditLog.id)).all())


def can_log_in(app, username: str, password: str) -> bool:
    response = app.test_client().post("/login", data={"username": username, "password": password})
    return response.status_code == 302


def new_user(client, **fields):
    data = {
        "username": "tnv03",
        "full_name": "Lê Thị Mai",
        "phone": "0905 111 222",
        "role": "volunteer",
        "password": "matkhau123",
        **fields,
    }
    return client.post("/users/new", data=data)


def test_secretary_creates_a_volunteer_of_own_ward(app, client, world, auth):
    auth.login("bithu")
    response = new_user(client, ward_id=world.ward_a)
    assert response.status_code == 302
    user = user_named(app, "tnv03")
    assert (user.role, user.ward_id, user.phone, user.active) == (
        "volunteer",
        world.ward_a,
        "0905111222",
        True,
    )
    assert "tnv03" in page_text(client.get("/users"))
    assert can_log_in(app, "tnv03", "matkhau123")
    [entry] = audit_of(app, user.id)
    assert (entry.action, entry.actor_id, entry.ward_id) == (
        "create",
        world.users["bithu"],
        world.ward_a,
    )
    assert entry.changes["username"] == [None, "tnv03"]
    assert "password_hash" not in entry.changes


def test_secretary_cannot_create_other_roles_or_wards(app, client, world, auth):
    auth.login("bithu")
    assert new_user(client, ward_id=world.ward_a, role="secretary").status_code == 200
    assert new_user(client, ward_id=world.ward_b).status_code == 200
    assert user_named(app, "tnv03") is None


def test_duplicate_username_is_refused(app, client, world, auth):
    auth.login("bithu")
    response = new_user(client, username="TNV02", ward_id=world.ward_a)
    assert response.status_code == 200
    assert "Tên đăng nhập này đã có người dùng." in page_text(response)
    with app.app_context():
        assert len(get_session().exec(select(User)).all()) == len(world.users)


def test_secretary_deactivates_and_reactivates_a_volunteer(app, client, world, auth):
    auth.login("bithu")
    tnv02 = world.users["tnv02"]
    client.post(f"/users/{tnv02}/active")
    assert not user_named(app, "tnv02").active
    assert not can_log_in(app, "tnv02", "thanhnien247")
    client.post(f"/users/{tnv02}/active")
    assert user_named(app, "tnv02").active
    assert can_log_in(app, "tnv02", "thanhnien247")
    assert [(e.action, e.changes) for e in audit_of(app, tnv02)] == [
        ("deactivate", {"active": [True, False]}),
        ("activate", {"active": [False, True]}),
    ]


def test_secretary_resets_a_volunteer_password(app, client, world, auth):
    auth.login("bithu")
    tnv02 = world.users["tnv02"]
    response = client.post(f"/users/{tnv02}/reset", data={"password": "batdau2025"})
    assert response.status_code == 302
    assert can_log_in(app, "tnv02", "batdau2025")
    assert not can_log_in(app, "tnv02", "thanhnien247")
    assert [e.action for e in audit_of(app, tnv02)] == ["password_reset"]


def test_secretary_edits_a_volunteer_and_the_change_is_audited(app, client, world, auth):
    auth.login("bithu")
    tnv02 = world.users["tnv02"]
    data = {"username": "tnv02", "full_name": "Phan Thị Hoa", "phone": "", "role": "volunteer"}
    response = client.post(f"/users/{tnv02}/edit", data={**data, "ward_id": world.ward_a})
    assert response.status_code == 302
    assert user_named(app, "tnv02").full_name == "Phan Thị Hoa"
    [entry] = audit_of(app, tnv02)
    assert entry.action == "update"
    assert entry.changes == {"full_name": ["Người dùng tnv02", "Phan Thị Hoa"]}


def test_secretary_cannot_touch_another_wards_volunteer(app, client, world, auth):
    auth.login("bithu")
    other = world.users["tnv_b"]
    assert client.get(f"/users/{other}/edit").status_code == 404
    assert client.post(f"/users/{other}/active").status_code == 404
    assert client.post(f"/users/{other}/reset", data={"password": "batdau2025"}).status_code == 404
    assert user_named(app, "tnv_b").active
    assert can_log_in(app, "tnv_b", "thanhnien247")
    assert "tnv_b" not in page_text(client.get("/users"))


def test_secretary_cannot_touch_a_ward_officer(app, client, world, auth):
    auth.login("bithu")
    officer = world.users["phuong"]
    assert client.get(f"/users/{officer}/edit").status_code == 403
    assert client.post(f"/users/{officer}/active").status_code == 403
    assert (
        client.post(f"/users/{officer}/reset", data={"password": "batdau2025"}).status_code == 403
    )
    assert user_named(app, "phuong").active
    assert "phuong" not in page_text(client.get("/users"))


def test_admin_manages_wards(app, client, world, auth):
    auth.login("admin")
    data = {"name": "An Hải Bắc", "province": "Đà Nẵng"}
    assert client.post("/wards/new", data=data).status_code == 302
    assert "An Hải Bắc" in page_text(client.get("/wards"))
    response = client.post("/wards/new", data=data)
    assert "Phường này đã có." in page_text(response)
    edited = {"name": "An Khê Mới", "province": "Đà Nẵng"}
    assert client.post(f"/wards/{world.ward_b}/edit", data=edited).status_code == 302
    with app.app_context():
        names = sorted(ward.name for ward in get_session().exec(select(Ward)).all())
    assert names == ["An Hải Bắc", "An Khê Mới", "Thanh Khê Đông"]


def test_admin_creates_every_role(app, client, world, auth):
    auth.login("admin")
    for username, role, ward in [
        ("bithu_c", "secretary", world.ward_b),
        ("canbo_b", "ward_officer", world.ward_b),
        ("quantri2", "admin", world.ward_a),  # an admin belongs to no ward
    ]:
        response = new_user(client, username=username, role=role, ward_id=ward)
        assert response.status_code == 302, username
    assert user_named(app, "bithu_c").ward_id == world.ward_b
    assert user_named(app, "canbo_b").role == "ward_officer"
    assert user_named(app, "quantri2").ward_id is None
    response = new_user(client, username="lac_loai", role="ward_officer", ward_id=0)
    assert "Tài khoản này cần thuộc một phường." in page_text(response)
    assert user_named(app, "lac_loai") is None


def test_admin_changes_and_locks_staff_of_any_ward(app, client, world, auth):
    auth.login("admin")
    secretary_b = world.users["bithu_b"]
    data = {"username": "bithu_b", "full_name": "Võ Văn Tâm", "phone": "0912345678"}
    response = client.post(
        f"/users/{secretary_b}/edit",
        data={**data, "role": "ward_officer", "ward_id": world.ward_b},
    )
    assert response.status_code == 302
    assert user_named(app, "bithu_b").role == "ward_officer"
    client.post(f"/users/{secretary_b}/active")
    assert not user_named(app, "bithu_b").active
    actions = [(e.action, e.actor_id) for e in audit_of(app, secretary_b)]
    assert actions == [("update", world.users["admin"]), ("deactivate", world.users["admin"])]
    assert audit_of(app, secretary_b)[0].changes["role"] == ["secretary", "ward_officer"]


def test_nobody_locks_themselves_out(app, client, world, auth):
    auth.login("admin")
    client.post(f"/users/{world.users['admin']}/active")
    assert user_named(app, "admin").active
    assert audit_of(app, world.users["admin"]) == []
