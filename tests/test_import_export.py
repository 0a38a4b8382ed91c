"""Import (upload, preview, confirm) and export of the registry, in CSV and XLSX."""

import csv
import io
import re
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from openpyxl import Workbook, load_workbook
from sqlmodel import func, select

from core.audit import AuditLog
from core.db import get_session
from households import registry
from households.models import Household, ImportPreview, Resident
from households.tabular import HEADERS
from tests.helpers import page_text

# Group | Address | Head | Phone | Consent | Note | Full name | Birth year | VNeID
GOOD_ROWS = [
    [1, "45 Hàm Nghi", "Phạm Văn Tài", "0905 777 888", "có", "", "Phạm Văn Tài", 1970, "mức 2"],
    [1, "45 Hàm Nghi", "Phạm Văn Tài", "0905 777 888", "có", "", "Lê Thị Dung", 1972, "chưa có"],
    [2, "Nhà số 30", "", "", "không", "", "", 1948, "mức 1"],
]


def xlsx_bytes(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    workbook.active.append(headers)
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows, headers=HEADERS, delimiter=",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerows([headers, *rows])
    return out.getvalue().encode("utf-8")


def upload(client, content: bytes, filename: str):
    return client.post(
        "/import",
        data={"file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def row_errors(response) -> dict[int, str]:
    found = re.findall(
        r'<li class="card" data-row="(\d+)">(.*?)</li>\s*</ul></li>', page_text(response), re.S
    )
    return {int(row): re.sub(r"<[^>]+>", " ", body) for row, body in found}


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        db = get_session()
        return tuple(
            db.exec(select(func.count()).select_from(model)).one()
            for model in (Household, Resident, AuditLog)
        )


def parse(content: bytes, kind: str) -> list[list[str]]:
    if kind == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    ("filename", "content"),
    [("ho-dan.xlsx", xlsx_bytes(GOOD_ROWS)), ("ho-dan.csv", csv_bytes(GOOD_ROWS, delimiter=";"))],
    ids=["xlsx", "csv-semicolons"],
)
def test_good_file_is_previewed_then_imported_on_confirm(
    app, client, world, auth, filename, content
):
    auth.login("bithu")
    before = counts(app)
    preview = upload(client, content, filename)
    assert preview.status_code == 200
    assert "Xác nhận nhập 2 hộ" in page_text(preview)
    assert row_errors(preview) == {}
    assert counts(app) == before  # nothing written before confirmation

    response = client.post("/import/confirm", follow_redirects=True)
    assert "Đã nhập 2 hộ mới." in page_text(response)
    # Two households and three residents, each with its audit entry.
    assert counts(app) == (before[0] + 2, before[1] + 3, before[2] + 5)
    with app.app_context():
        db = get_session()
        tai = db.exec(select(Household).where(Household.head_name == "Phạm Văn Tài")).one()
        assert (tai.phone, tai.consent, tai.created_by_id) == (
            "0905777888",
            True,
            world.users["bithu"],
        )
        anonymous = db.exec(select(Household).where(Household.address == "Nhà số 30")).one()
        [elder] = registry.live_residents(db, anonymous.id)
    assert (anonymous.head_name, elder.full_name, elder.birth_year, elder.eid_level) == (
        None,
        None,
        1948,
        1,
    )
    assert "45 Hàm Nghi" in page_text(client.get("/search?q=le thi dung"))


def test_each_kind_of_bad_row_is_listed_with_its_reason(app, client, world, auth):
    rows = [
        [99, "1 Nguyễn Tri Phương", "Hồ Văn Bảy", "", "có", "", "Hồ Văn Bảy", 1960, "mức 1"],
        [1, "2 Nguyễn Tri Phương", "Hồ Văn Tám", "", "có", "", "", 1961, "chưa có"],
        [1, "3 Nguyễn Tri Phương", "Hồ Văn Chín", "", "có", "", "Hồ Văn Chín", 1850, "mức 1"],
        [1, "4 Nguyễn Tri Phương", "Hồ Văn Mười", "12345", "có", "", "Hồ Văn Mười", 1962, "mức 1"],
        [1, "12 kiet 45 ha huy tap", "NGUYEN VAN HUNG", "", "có", "", "Nguyễn Văn Hùng", 1958, ""],
        [1, "5 Nguyễn Tri Phương", "Hồ Thị Hoa", "", "có", "", "Hồ Thị Hoa", 1990, "mức 2"],
        [1, "5 Nguyễn Tri Phương", "Hồ Thị Hoa", "", "có", "", "Hồ Thị Hoa", 1990, "mức 2"],
    ]
    auth.login("bithu")
    before = counts(app)
    preview = upload(client, xlsx_bytes(rows), "loi.xlsx")
    errors = row_errors(preview)
    assert sorted(errors) == [2, 3, 4, 5, 6, 8]  # the header is row 1
    assert "Không có tổ dân phố “99” trong phường." in errors[2]
    assert "Thiếu họ tên người dân." in errors[3]
    assert "Năm sinh không hợp lệ: “1850”." in errors[4]
    assert "Số điện thoại không hợp lệ: 12345." in errors[5]
    assert "Trùng với hộ đã có trong danh sách" in errors[6]
    assert "Trùng với dòng 7 của tệp." in errors[8]
    assert counts(app) == before

    client.post("/import/confirm")
    with app.app_context():
        added = (
            get_session().exec(select(Household).where(Household.address.like("%Tri Phương"))).all()
        )
    assert [household.head_name for household in added] == ["Hồ Thị Hoa"]


def test_reimporting_the_same_file_creates_no_duplicates(app, client, world, auth):
    auth.login("bithu")
    upload(client, xlsx_bytes(GOOD_ROWS), "ho-dan.xlsx")
    client.post("/import/confirm")
    after_first = counts(app)[:2]
    again = upload(client, xlsx_bytes(GOOD_ROWS), "ho-dan.xlsx")
    assert len(row_errors(again)) == 3
    assert "Không có hộ mới nào để nhập." in page_text(again)
    client.post("/import/confirm")
    assert counts(app)[:2] == after_first


def test_confirming_twice_imports_once(app, client, world, auth):
    auth.login("bithu")
    upload(client, xlsx_bytes(GOOD_ROWS), "ho-dan.xlsx")
    client.post("/import/confirm")
    after_first = counts(app)
    second = client.post("/import/confirm", follow_redirects=True)
    assert "Bản xem trước đã hết hạn" in page_text(second)
    assert counts(app) == after_first


def test_confirm_is_one_transaction(app, client, world, auth, monkeypatch):
    auth.login("bithu")
    upload(client, xlsx_bytes(GOOD_ROWS), "ho-dan.xlsx")
    before = counts(app)
    real_create = registry.create_resident
    calls = []

    def failing_on_the_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real_create(*args, **kwargs)

    monkeypatch.setattr(registry, "create_resident", failing_on_the_third)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.post("/import/confirm")
    assert response.status_code == 500
    assert "Dữ liệu chưa được lưu." in page_text(response)
    assert counts(app) == before  # the first household, written before the failure, is gone too


def test_headers_are_matched_without_diacritics(app, client, world, auth):
    plain = [
        "to dan pho",
        "DIA CHI",
        "chu ho",
        "dien thoai",
        "Dong Y",
        "ghi chu",
        "ho ten",
        "nam sinh",
        "vneid",
    ]
    auth.login("bithu")
    preview = upload(client, csv_bytes(GOOD_ROWS, headers=plain), "khong-dau.csv")
    assert "Xác nhận nhập 2 hộ" in page_text(preview)
    assert row_errors(preview) == {}


def _damaged_sheet() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(GOOD_ROWS)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            target.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("anh-chup.xlsx", b"\x89PNG\r\n\x1a\n not a spreadsheet"),
        ("hong.xlsx", _damaged_sheet()),
        ("cat-ngan.xlsx", xlsx_bytes(GOOD_ROWS)[:1500]),
        ("khong-tieu-de.csv", csv_bytes(GOOD_ROWS, headers=["a", "b", "c"])),
        ("trong.csv", b""),
        ("o-qua-dai.csv", csv_bytes([[1, "x" * 200_000]])),
    ],
    ids=["not-a-zip", "damaged-sheet", "truncated", "no-header", "empty", "huge-cell"],
)
def test_unreadable_file_gives_a_clear_error(app, client, world, auth, filename, content):
    auth.login("bithu")
    before = counts(app)
    response = upload(client, content, filename)
    assert response.status_code == 200
    assert "Không đọc được tệp." in page_text(response)
    assert counts(app) == before


def test_only_csv_and_xlsx_are_accepted(client, world, auth):
    auth.login("bithu")
    response = upload(client, csv_bytes(GOOD_ROWS), "ho-dan.pdf")
    assert "Chỉ nhận tệp .csv hoặc .xlsx." in page_text(response)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_templates_parse_back_and_import(app, client, world, auth, kind):
    auth.login("bithu")
    response = client.get(f"/import/template.{kind}")
    assert f'filename="mau-nhap-ho-dan.{kind}"' in response.headers["Content-Disposition"]
    rows = parse(response.data, kind)
    assert rows[0] == HEADERS and len(rows) == 4
    # The template's first household is the world's "hung"; its last one is new.
    preview = upload(client, response.data, f"mau.{kind}")
    assert sorted(row_errors(preview)) == [2, 3]
    assert "Xác nhận nhập 1 hộ" in page_text(preview)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_export_holds_the_wards_registry_only(app, client, world, auth, kind):
    auth.login("phuong")
    response = client.get(f"/export.{kind}")
    assert response.status_code == 200
    assert "ho-dan-thanh-khe-dong-" in response.headers["Content-Disposition"]
    header, *rows = parse(response.data, kind)
    assert header == HEADERS
    assert len(rows) == 7  # hung 3 + lan 2 + no_consent 2 residents
    names = {row[6] for row in rows}
    assert {"Nguyễn Văn Hùng", "Trần Thị Dương", "Lê Đức Anh"} <= names
    assert not any("Lê Duẩn" in cell for row in rows for cell in row)  # ward B
    anonymous = [row for row in rows if row[1] == "Nhà số 5"]
    assert [row[2] + row[6] for row in anonymous] == ["", ""]
    assert {row[4] for row in anonymous} == {"không"}


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_reimporting_an_export_creates_nothing(app, client, world, auth, kind):
    auth.login("bithu")
    exported = client.get(f"/export.{kind}").data
    before = counts(app)
    preview = upload(client, exported, f"xuat.{kind}")
    assert "Không có hộ mới nào để nhập." in page_text(preview)
    client.post("/import/confirm")
    assert counts(app) == before


def _previews(app) -> list[str]:
    with app.app_context():
        return list(get_session().exec(select(ImportPreview.token).order_by(ImportPreview.id)))


def test_an_unconfirmed_preview_is_forgotten_after_a_day_of_the_clock(app, client, world, auth):
    """Previews hold residents' names; their age is read on the one clock. They live in the
    database (issue 18), so any app server can confirm them."""
    with time_machine.travel(datetime(2027, 6, 1, 3, 0, tzinfo=UTC)) as traveller:
        auth.login("bithu")
        upload(client, xlsx_bytes(GOOD_ROWS), "ho-dan.xlsx")
        [first] = _previews(app)
        traveller.shift(timedelta(hours=23))
        upload(client, xlsx_bytes(GOOD_ROWS), "ho-dan.xlsx")
        assert _previews(app)[0] == first and len(_previews(app)) == 2
        traveller.shift(timedelta(hours=2))
        upload(client, xlsx_bytes(GOOD_ROWS), "ho-dan.xlsx")
        assert first not in _previews(app) and len(_previews(app)) == 2
        # The last one, confirmed more than a day after it was made, is refused too.
        traveller.shift(timedelta(hours=25))
        before = counts(app)
        client.post("/import/confirm")
        assert counts(app) == before
    assert not (Path(app.instance_path) / "imports").exists()


def test_a_preview_is_confirmed_only_by_its_uploader(app, client, world, auth):
    auth.login("bithu")
    upload(client, xlsx_bytes(GOOD_ROWS), "ho-dan.xlsx")
    [token] = _previews(app)
    before = counts(app)
    auth.logout()
    auth.login("admin")
    with client.session_transaction() as session:
        session["import_token"] = token
    response = client.post("/import/confirm")
    assert response.status_code == 302 and "/import" in response.headers["Location"]
    assert counts(app) == before
    assert _previews(app) == []  # used once, whoever tried
