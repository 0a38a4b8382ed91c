"""The registry as a phone user meets it: find a household typed without diacritics, import a
spreadsheet with one bad row, and every main screen fitting a 360 px phone."""

import io

import pytest
from openpyxl import Workbook
from sqlmodel import func, select

from core.text import normalize
from households.models import Household, ResidentialGroup
from households.tabular import HEADERS
from tests.e2e.conftest import assert_fits_360, login, shot


@pytest.fixture(scope="module")
def demo(live_db):
    """Real rows of the demo ward: the first named household of group 1 and its group."""

    def look_up(db):
        group = db.exec(select(ResidentialGroup).where(ResidentialGroup.number == 1)).one()
        household = db.exec(
            select(Household)
            .where(
                Household.group_id == group.id,
                Household.consent.is_(True),
                Household.head_name.is_not(None),
                Household.deleted_at.is_(None),
            )
            .order_by(Household.id)
        ).first()
        return {"group_id": group.id, "household_id": household.id, "head": household.head_name}

    return live_db(look_up)


def test_volunteer_finds_a_household_typed_without_diacritics(page, demo):
    page.goto("/login")
    shot(page, "login")
    login(page, "tnv01")

    page.goto("/groups")
    # The coverage column is on screen, not behind a sideways scroll inside the table.
    table = page.locator(".table-wrap")
    assert table.evaluate("t => t.scrollWidth <= t.clientWidth")
    visible = [
        box for box in (th.bounding_box() for th in page.locator("table.groups th").all()) if box
    ]
    assert len(visible) == 3  # Tổ, %, còn thiếu; the counts are on the group's page
    assert all(box["x"] + box["width"] <= 360 for box in visible)
    shot(page, "groups")
    page.click('tr[data-group="1"] a')
    page.wait_for_url(f"**/groups/{demo['group_id']}")

    typed = normalize(demo["head"])
    assert typed != demo["head"].lower(), "pick a name that has diacritics"
    page.fill("form.search input[name=q]", typed)
    page.click("form.search button[type=submit]")
    page.wait_for_url("**q=*")
    card = page.locator(f'a[href="/households/{demo["household_id"]}"]')
    assert demo["head"] in card.inner_text()
    shot(page, "group")

    card.click()
    page.wait_for_url(f"**/households/{demo['household_id']}")
    assert page.locator("h1").inner_text() == demo["head"]
    # Demo households have consent without a recorded time: no dangling " · " after "Có".
    facts = page.locator(".facts dd").all_inner_texts()
    assert not [fact for fact in facts if fact.strip().endswith("·")]
    assert_fits_360(page)
    shot(page, "household")


def _workbook(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_secretary_imports_a_spreadsheet_and_sees_the_bad_row(page, live_db, tmp_path):
    address = "27 Kiệt 112 Lê Độ (e2e)"
    spreadsheet = tmp_path / "ho-dan.xlsx"
    spreadsheet.write_bytes(
        _workbook(
            [
                # Tổ dân phố, Địa chỉ, Chủ hộ, Điện thoại, Đồng ý, Ghi chú, Họ tên, Năm sinh, VNeID
                [
                    3,
                    address,
                    "Phạm Thị Ngọc Ánh",
                    "0905 771 234",
                    "có",
                    "",
                    "Phạm Thị Ngọc Ánh",
                    1979,
                    "mức 2",
                ],
                [
                    3,
                    address,
                    "Phạm Thị Ngọc Ánh",
                    "0905 771 234",
                    "có",
                    "",
                    "Đỗ Văn Đức",
                    2008,
                    "chưa có",
                ],
                [99, "5 Trần Cao Vân", "Lê Văn Tám", "", "có", "", "Lê Văn Tám", 1960, "mức 1"],
            ]
        )
    )
    login(page, "bithu")
    page.goto("/import")
    shot(page, "import")
    page.set_input_files("input[type=file]", str(spreadsheet))
    page.click("form[enctype] button[type=submit]")

    bad = page.locator('li[data-row="4"]')
    assert "Dòng 4" in bad.inner_text()
    assert "Không có tổ dân phố “99” trong phường." in bad.inner_text()
    assert page.locator("ul.errors > li").count() == 1
    assert_fits_360(page)
    shot(page, "import-preview")

    page.click("text=Xác nhận nhập 1 hộ")
    assert "Đã nhập 1 hộ mới." in page.locator(".flash.success").inner_text()

    def stored(db):
        return db.exec(select(func.count()).where(Household.address == address)).one()

    assert live_db(stored) == 1


PAGES = [
    # (who, path or demo key, Vietnamese text the page must show, screenshot name or None)
    (None, "/login", "Đăng nhập", None),
    ("tnv01", "/groups", "Phường Thanh Khê Đông", None),
    ("tnv01", "group", "Tổ 1", None),
    ("tnv01", "/search?q=nguyen", "Tìm hộ", "search"),
    ("tnv01", "household", "Người trong hộ", None),
    ("tnv01", "household_form", "Sửa hộ", "household-form"),
    ("tnv01", "/account", "Đổi mật khẩu", "account"),
    ("bithu", "/users", "Tài khoản", "users"),
]


@pytest.mark.parametrize(("who", "where", "text", "name"), PAGES, ids=[p[1] for p in PAGES])
def test_main_pages_fit_a_phone_in_vietnamese(page, demo, who, where, text, name):
    paths = {
        "group": f"/groups/{demo['group_id']}",
        "household": f"/households/{demo['household_id']}",
        "household_form": f"/households/{demo['household_id']}/edit",
    }
    if who:
        login(page, who)
    response = page.goto(paths.get(where, where))
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "vi"
    assert text in page.inner_text("main")
    assert_fits_360(page)
    if name:
        shot(page, name)
