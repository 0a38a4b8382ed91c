"""Reading the registry: group counts, paging, diacritic-free search and ward isolation."""

import re

import pytest

from core import clock
from core.db import get_session
from households import registry
from households.models import EidLevel, Household
from tests.helpers import group_row, household_ids, page_text


def add_household(app, group_id: int, address: str, members=(), actor=None, **fields):
    with app.app_context():
        db = get_session()
        data = registry.HouseholdData(group_id=group_id, address=address, **fields)
        household = registry.create_household(db, data, actor_id=actor)
        for name, year, level in members:
            resident = registry.ResidentData(full_name=name, birth_year=year, eid_level=level)
            registry.create_resident(db, household, resident, actor_id=actor)
        db.commit()
        return household.id


def test_groups_page_counts_households_residents_adults_and_coverage(app, client, world, auth):
    # Adults are 18 or older by birth year: born this year minus 18 counts, minus 17 does not.
    year = clock.this_year()
    add_household(
        app,
        world.groups["a2"],
        "Nhà số 9",
        [("Hồ Thị Tư", year - 18, EidLevel.LEVEL_2), ("Hồ Văn Năm", year - 17, EidLevel.LEVEL_1)],
        consent=True,
        head_name="Hồ Thị Tư",
    )
    auth.login("phuong")  # no groups of their own, so no "Tổ của tôi" in the cells
    page = client.get("/groups")
    # number. name | % | gap to 90% | households | residents | adults | level 1 | level 2
    assert group_row(page, 1) == ["1. Thanh Khê 1", "75%", "1", "2", "5", "4", "1", "2"]
    assert group_row(page, 2) == ["2. Thanh Khê 2", "50%", "1", "2", "4", "2", "0", "1"]
    assert group_row(page, 3) == ["3. Tổ trống", "–", "0", "0", "0", "0", "0", "0"]
    assert f"sinh năm {year - 18} trở về trước" in page_text(page)  # who counts, stated
    # Ward totals: 4 households, 9 residents, 4 of 6 adults with an e-ID.
    summary = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page_text(page)))
    assert "4 hộ 9 người 4/6 người lớn có VNeID 66,6%" in summary
    assert "An Khê" not in page_text(page)


def test_a_groups_households_are_paginated(app, client, world, auth):
    app.config["PAGE_SIZE"] = 2
    for number in range(3):
        add_household(app, world.groups["a1"], f"{number} Lý Thường Kiệt")
    auth.login("tnv01")
    pages = [client.get(f"/groups/{world.groups['a1']}?page={n}") for n in (1, 2, 3)]
    assert [len(household_ids(page)) for page in pages] == [2, 2, 1]
    assert "Trang 1/3" in page_text(pages[0])
    seen = [hid for page in pages for hid in household_ids(page)]
    assert len(set(seen)) == 5
    assert world.households["hung"] in seen and world.households["lan"] in seen


def test_a_groups_households_are_in_natural_address_order(app, client, world, auth):
    # As a volunteer walks the street: house 33 before 298, alley 298/5 before 298/12.
    made = {
        address: add_household(app, world.groups["a2"], address)
        for address in ("298/12 Lê Duẩn", "33 Lê Duẩn", "298/5 Lê Duẩn", "298 Lê Duẩn")
    }
    auth.login("tnv01")
    listed = household_ids(client.get(f"/groups/{world.groups['a2']}?q=Lê Duẩn"))
    assert listed == [
        made[a] for a in ("33 Lê Duẩn", "298 Lê Duẩn", "298/5 Lê Duẩn", "298/12 Lê Duẩn")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nguyen van hung", {"hung"}),
        ("NGUYỄN văn HÙNG", {"hung"}),
        ("duong", {"lan", "hung"}),  # Dương Thị Lan heads one; Trần Thị Dương lives in the other
        ("Dương", {"lan", "hung"}),
        ("khang", {"hung"}),  # a resident who is not the head
        ("le duc anh", {"lan"}),
        ("tran cao van", {"lan"}),  # address
        ("kiet 45", {"hung"}),
        ("0905123456", {"hung"}),  # phone
        ("123456", {"hung"}),
        ("0905 123 456", {"hung"}),
        ("090.512.3456", {"hung"}),  # phones are written in many ways
        ("0905-123-456", {"hung"}),
        ("+84 905 123 456", {"hung"}),
        ("nguyen van khong", set()),
    ],
)
def test_search_ignores_case_and_diacritics(client, world, auth, text, expected):
    auth.login("tnv01")
    found = set(household_ids(client.get("/search", query_string={"q": text})))
    assert found == {world.households[key] for key in expected}


def test_search_inside_a_group(client, world, auth):
    auth.login("tnv01")
    url = f"/groups/{world.groups['a1']}"
    assert household_ids(client.get(url, query_string={"q": "duong thi lan"})) == [
        world.households["lan"]
    ]
    assert household_ids(client.get(url, query_string={"q": "nha so 5"})) == []  # group a2


def test_search_skips_deleted_households_and_residents(app, client, world, auth):
    with app.app_context():
        db = get_session()
        household = db.get(Household, world.households["lan"])
        registry.delete_household(db, household, actor_id=world.users["bithu"])
        db.commit()
    auth.login("tnv01")
    assert household_ids(client.get("/search?q=duong")) == [world.households["hung"]]


def test_ward_b_records_never_show_in_ward_a(client, world, auth):
    auth.login("tnv01")
    found = household_ids(client.get("/search?q=nguyen van hung"))
    assert found == [world.households["hung"]]
    assert "Lê Duẩn" not in page_text(client.get("/search?q=le duan"))
    assert client.get(f"/households/{world.households['hung_b']}").status_code == 404
    assert client.get(f"/groups/{world.groups['b1']}").status_code == 404


@pytest.mark.parametrize("username", ["tnv_b", "bithu_b"])
def test_ward_a_ids_give_404_to_ward_b(client, world, auth, username):
    auth.login(username)
    household, resident, group = (
        world.households["hung"],
        world.residents["hung"],
        world.groups["a1"],
    )
    for url in [
        f"/groups/{group}",
        f"/groups/{group}/households/new",
        f"/households/{household}",
        f"/households/{household}/edit",
        f"/households/{household}/residents/new",
        f"/residents/{resident}/edit",
    ]:
        assert client.get(url).status_code == 404, url
    found = household_ids(client.get("/search?q=nguyen van hung"))
    assert found == [world.households["hung_b"]]


def test_ward_b_secretary_cannot_change_ward_a_records(app, client, world, auth):
    auth.login("bithu_b")
    data = {"group_id": world.groups["a1"], "address": "Bị sửa", "consent": ""}
    assert client.post(f"/households/{world.households['lan']}/edit", data=data).status_code == 404
    assert client.post(f"/households/{world.households['lan']}/delete").status_code == 404
    assert client.post(f"/residents/{world.residents['anh']}/delete").status_code == 404
    assert client.post(f"/groups/{world.groups['a_empty']}/delete").status_code == 404
    auth.logout()
    auth.login("tnv01")
    assert "8 Trần Cao Vân" in page_text(client.get(f"/households/{world.households['lan']}"))
    assert "Lê Đức Anh" in page_text(client.get(f"/households/{world.households['lan']}"))
    assert client.get(f"/groups/{world.groups['a_empty']}").status_code == 200


def test_admin_sees_both_wards(client, world, auth):
    auth.login("admin")
    assert "Phường An Khê" in page_text(client.get(f"/groups?ward={world.ward_b}"))
    in_b = household_ids(client.get(f"/search?q=nguyen van hung&ward={world.ward_b}"))
    assert in_b == [world.households["hung_b"]]
    in_a = household_ids(client.get(f"/search?q=nguyen van hung&ward={world.ward_a}"))
    assert in_a == [world.households["hung"]]
    assert client.get(f"/households/{world.households['hung_b']}").status_code == 200
    assert client.get(f"/households/{world.households['hung']}").status_code == 200
