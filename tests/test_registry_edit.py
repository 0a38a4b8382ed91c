"""Changing the registry: households and residents, validation, consent, soft delete, audit."""

from sqlmodel import select

from core import clock
from core.audit import AuditLog
from core.db import get_session
from households.models import Household, Resident, ResidentialGroup
from tests.helpers import group_row, household_ids, page_text


def load(app, model, record_id):
    with app.app_context():
        return get_session().get(model, record_id)


def audit_entries(app, entity: str, entity_id: int) -> list[AuditLog]:
    with app.app_context():
        query = select(AuditLog).where(AuditLog.entity == entity, AuditLog.entity_id == entity_id)
        return list(get_session().exec(query.order_by(AuditLog.id)).all())


def household_ids_found(client, text):
    return household_ids(client.get("/search", query_string={"q": text}))


def household_form(group_id, **fields):
    return {
        "group_id": group_id,
        "address": "27 Hà Huy Tập",
        "consent": "y",
        "head_name": "Đặng Thị Hoa",
        "phone": "0935 222 333",
        "note": "Cần hỗ trợ mức 2",
        **fields,
    }


def test_volunteer_adds_a_household_and_a_resident(app, client, world, auth):
    auth.login("tnv01")
    response = client.post(
        f"/groups/{world.groups['a1']}/households/new", data=household_form(world.groups["a1"])
    )
    assert response.status_code == 302
    household_id = int(response.headers["Location"].rsplit("/", 1)[1])
    household = load(app, Household, household_id)
    assert (household.head_name, household.head_name_norm, household.phone) == (
        "Đặng Thị Hoa",
        "dang thi hoa",
        "0935222333",
    )
    assert household.consent and household.consent_by_id == world.users["tnv01"]
    response = client.post(
        f"/households/{household_id}/residents/new",
        data={"full_name": "Đặng  Thị Hoa", "birth_year": "1985", "eid_level": "1"},
    )
    assert response.status_code == 302
    page = page_text(client.get(f"/households/{household_id}"))
    assert "Đặng Thị Hoa" in page and "Sinh năm 1985" in page and "VNeID mức 1" in page
    found = page_text(client.get("/search?q=dang thi hoa"))
    assert f'href="/households/{household_id}"' in found


def test_household_validation_messages(app, client, world, auth):
    auth.login("tnv01")
    url = f"/groups/{world.groups['a1']}/households/new"
    bad_phone = client.post(url, data=household_form(world.groups["a1"], phone="12345"))
    assert "Số điện thoại không hợp lệ (10 chữ số, bắt đầu bằng 0)." in page_text(bad_phone)
    no_name = client.post(url, data=household_form(world.groups["a1"], head_name=" "))
    assert "Hộ đã đồng ý: hãy nhập tên chủ hộ." in page_text(no_name)
    no_address = client.post(url, data=household_form(world.groups["a1"], address=""))
    assert "Hãy nhập địa chỉ hoặc tên nhà." in page_text(no_address)
    other_ward = client.post(url, data=household_form(world.groups["b1"]))
    assert other_ward.status_code == 200
    with app.app_context():
        assert len(get_session().exec(select(Household)).all()) == len(world.households)


def test_resident_validation_messages(app, client, world, auth):
    auth.login("tnv01")
    url = f"/households/{world.households['hung']}/residents/new"
    this_year = clock.this_year()
    expected = f"Năm sinh phải từ 1900 đến {this_year}."
    for year in ("1850", str(this_year + 1)):
        response = client.post(url, data={"full_name": "Nguyễn Thị Bé", "birth_year": year})
        assert expected in page_text(response), year
    response = client.post(url, data={"full_name": "", "birth_year": "1990", "eid_level": "0"})
    assert "Hãy nhập họ và tên." in page_text(response)
    with app.app_context():
        residents = get_session().exec(select(Resident)).all()
    assert len(residents) == len(world.residents)


def test_household_without_consent_keeps_no_names(app, client, world, auth):
    auth.login("tnv01")
    form = household_form(world.groups["a1"], consent="")
    response = client.post(f"/groups/{world.groups['a1']}/households/new", data=form)
    household_id = int(response.headers["Location"].rsplit("/", 1)[1])
    household = load(app, Household, household_id)
    assert household.address == "27 Hà Huy Tập"
    assert (household.head_name, household.head_name_norm, household.phone, household.note) == (
        None,
        None,
        None,
        None,
    )
    assert household.consent_at is None
    client.post(
        f"/households/{household_id}/residents/new",
        data={"full_name": "Đặng Thị Hoa", "birth_year": "1985", "eid_level": "0"},
    )
    with app.app_context():
        [resident] = get_session().exec(
            select(Resident).where(Resident.household_id == household_id)
        )
    assert (resident.full_name, resident.name_norm, resident.birth_year) == (None, None, 1985)
    assert f'href="/households/{household_id}"' not in page_text(client.get("/search?q=hoa"))


def test_withdrawing_consent_wipes_names(app, client, world, auth):
    auth.login("tnv01")
    hung = world.households["hung"]
    form = household_form(world.groups["a1"], address="12 Kiệt 45 Hà Huy Tập", consent="")
    assert client.post(f"/households/{hung}/edit", data=form).status_code == 302
    household = load(app, Household, hung)
    assert (household.head_name, household.phone, household.note) == (None, None, None)
    with app.app_context():
        residents = get_session().exec(select(Resident).where(Resident.household_id == hung))
        assert {(r.full_name, r.name_norm) for r in residents} == {(None, None)}
    assert household_ids_found(client, "nguyen van hung") == []
    page = page_text(client.get(f"/households/{hung}"))
    assert "Hộ chưa đồng ý ghi tên" in page and "Nguyễn" not in page


def test_editing_a_household_is_audited_with_before_and_after(app, client, world, auth):
    auth.login("tnv01")
    lan = world.households["lan"]
    form = household_form(
        world.groups["a1"], address="8 Trần Cao Vân", head_name="Dương Thị Lan", note=""
    )
    client.post(f"/households/{lan}/edit", data=form)
    create, update = audit_entries(app, "household", lan)
    assert create.action == "create" and create.changes["head_name"] == [None, "Dương Thị Lan"]
    assert update.action == "update" and update.actor_id == world.users["tnv01"]
    assert update.ward_id == world.ward_a
    assert update.changes == {"phone": [None, "0935222333"]}


def test_editing_a_resident_is_audited_with_before_and_after(app, client, world, auth):
    auth.login("tnv01")
    resident = world.residents["duong"]
    data = {"full_name": "Trần Thị Dương", "birth_year": "1962", "eid_level": "2"}
    assert client.post(f"/residents/{resident}/edit", data=data).status_code == 302
    assert load(app, Resident, resident).eid_level == 2
    update = audit_entries(app, "resident", resident)[-1]
    assert (update.action, update.actor_id, update.ward_id) == (
        "update",
        world.users["tnv01"],
        world.ward_a,
    )
    assert update.changes == {"eid_level": [0, 2]}


def test_soft_delete_hides_the_household_and_its_residents(app, client, world, auth):
    auth.login("bithu")
    lan = world.households["lan"]
    response = client.post(f"/households/{lan}/delete")
    assert response.headers["Location"] == f"/groups/{world.groups['a1']}"
    assert client.get(f"/households/{lan}").status_code == 404
    assert client.get(f"/residents/{world.residents['anh']}/edit").status_code == 404
    assert lan not in household_ids_found(client, "tran cao van")
    # Kept in the database for the record, marked deleted.
    assert load(app, Household, lan).deleted_at is not None
    assert load(app, Resident, world.residents["anh"]).deleted_at is not None
    [entry] = [e for e in audit_entries(app, "household", lan) if e.action == "delete"]
    assert entry.actor_id == world.users["bithu"]
    assert group_row(client.get("/groups"), 1)[3:6] == ["1", "3", "2"]  # counts drop it too


def test_deleting_a_resident_is_audited(app, client, world, auth):
    auth.login("bithu")
    anh = world.residents["anh"]
    client.post(f"/residents/{anh}/delete")
    assert "Lê Đức Anh" not in page_text(client.get(f"/households/{world.households['lan']}"))
    assert [e.action for e in audit_entries(app, "resident", anh)] == ["create", "delete"]


def test_a_group_with_households_cannot_be_deleted(app, client, world, auth):
    auth.login("bithu")
    a1 = world.groups["a1"]
    response = client.post(f"/groups/{a1}/delete", follow_redirects=True)
    assert "Không thể xóa tổ 1: tổ còn 2 hộ." in page_text(response)
    assert load(app, ResidentialGroup, a1).deleted_at is None


def test_an_empty_group_can_be_deleted(app, client, world, auth):
    auth.login("bithu")
    empty = world.groups["a_empty"]
    response = client.post(f"/groups/{empty}/delete", follow_redirects=True)
    assert "Đã xóa tổ 3." in page_text(response)
    assert client.get(f"/groups/{empty}").status_code == 404
    assert 'data-group="3"' not in page_text(client.get("/groups"))
