"""Privacy and robustness details: consent withdrawal, spreadsheet quirks, form messages, proxies."""

import io

from openpyxl import load_workbook
from sqlmodel import select

from app import create_app
from core.audit import REDACTED, AuditLog
from core.db import get_session
from households.models import Household
from tests.helpers import page_text
from tests.test_import_export import counts, upload, xlsx_bytes
from volunteer.models import User


def test_withdrawing_consent_removes_names_from_the_audit_trail(app, world, auth, client):
    auth.login("bithu")
    household_id = world.households["hung"]
    response = client.post(
        f"/households/{household_id}/edit",
        data={"group_id": world.groups["a1"], "address": "12 Kiệt 45 Hà Huy Tập"},
    )
    assert response.status_code == 302
    resident_ids = {world.residents[key] for key in ("hung", "duong", "khang")}
    with app.app_context():
        entries = [
            entry
            for entry in get_session().exec(select(AuditLog)).all()
            if (entry.entity, entry.entity_id) == ("household", household_id)
            or (entry.entity == "resident" and entry.entity_id in resident_ids)
        ]
    trail = repr([entry.changes for entry in entries])
    wiped = [e for e in entries if e.entity == "resident" and e.action == "update"]
    for personal in ("Nguyễn Văn Hùng", "Trần Thị Dương", "Nguyễn Minh Khang", "0905123456"):
        assert personal not in trail
    assert REDACTED in trail
    assert len(wiped) == 3


def test_form_library_messages_are_in_the_users_language(app, world, auth, client):
    auth.login("tnv01")
    url = f"/households/{world.households['lan']}/residents/new"
    vietnamese = page_text(client.post(url, data={"full_name": "Lê Văn Tám", "birth_year": "abc"}))
    assert "Hãy nhập một số nguyên." in vietnamese
    client.post("/language", data={"language": "en"})
    english = page_text(client.post(url, data={"full_name": "Lê Văn Tám", "birth_year": "abc"}))
    assert "Please enter a whole number." in english


def test_excel_phone_numbers_and_group_labels_are_understood(app, world, auth, client):
    auth.login("bithu")
    row = ["Tổ 1", "77 Hải Phòng", "Võ Văn Kiệt", 905123777, "có", "", "Võ Văn Kiệt", 1975, "mức 1"]
    preview = upload(client, xlsx_bytes([row]), "ho.xlsx")
    assert 'data-row="2"' not in page_text(preview)
    client.post("/import/confirm")
    with app.app_context():
        household = (
            get_session().exec(select(Household).where(Household.address == "77 Hải Phòng")).one()
        )
    assert household.phone == "0905123777"
    assert household.group_id == world.groups["a1"]


def test_exported_text_never_runs_as_a_formula_and_reimports_unchanged(app, world, auth, client):
    auth.login("bithu")
    client.post(
        f"/households/{world.households['lan']}/edit",
        data={
            "group_id": world.groups["a1"],
            "address": '=HYPERLINK("http://x")',
            "consent": "y",
            "head_name": "Dương Thị Lan",
        },
    )
    exported = client.get("/export.xlsx").data
    sheet = load_workbook(io.BytesIO(exported)).active
    addresses = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://x")' in addresses
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    before = counts(app)
    upload(client, exported, "export.xlsx")
    client.post("/import/confirm")
    assert counts(app) == before


def test_admin_cannot_change_own_role(app, world, auth, client):
    auth.login("admin")
    response = client.post(
        f"/users/{world.users['admin']}/edit",
        data={
            "username": "admin",
            "full_name": "Quản trị",
            "role": "volunteer",
            "ward_id": world.ward_a,
        },
    )
    assert "Bạn không thể tự đổi vai trò của mình." in page_text(response)


def test_login_throttling_per_address_follows_trusted_proxy(database_url, world, monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    proxied = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": database_url,
            "WTF_CSRF_ENABLED": False,
            "LOGIN_LIMIT_PER_ADDRESS": "2 per 15 minutes",
        }
    )
    client = proxied.test_client()

    def fail_from(address: str, username: str) -> int:
        return client.post(
            "/login",
            data={"username": username, "password": "wrong"},
            headers={"X-Forwarded-For": address},
        ).status_code

    assert [fail_from("10.0.0.1", name) for name in ("a1", "a2", "a3")] == [200, 200, 429]
    assert fail_from("10.0.0.2", "b1") == 200
    proxied.extensions["db_engine"].dispose()


def test_notes_refuse_national_id_numbers(app, world, auth, client):
    auth.login("tnv01")
    data = {
        "group_id": world.groups["a1"],
        "address": "8 Trần Cao Vân",
        "consent": "y",
        "head_name": "Dương Thị Lan",
    }
    refused = client.post(
        f"/households/{world.households['lan']}/edit", data={**data, "note": "CCCD 048 123 456 789"}
    )
    assert "Không ghi số định danh cá nhân" in page_text(refused)
    accepted = client.post(
        f"/households/{world.households['lan']}/edit", data={**data, "note": "Gọi 0905 123 456"}
    )
    assert accepted.status_code == 302


def test_importing_a_note_with_an_id_number_is_refused(app, world, auth, client):
    auth.login("bithu")
    row = [1, "9 Lê Lợi", "Hồ Văn Nam", "", "có", "CMND 201234567", "Hồ Văn Nam", 1960, "mức 1"]
    assert "Không ghi số định danh cá nhân" in page_text(
        upload(client, xlsx_bytes([row]), "a.xlsx")
    )


def test_demo_households_record_who_took_consent(runner, app):
    runner.invoke(args=["demo-data"])
    with app.app_context():
        db = get_session()
        bithu = db.exec(select(User).where(User.username == "bithu")).one()
        consented = db.exec(select(Household).where(Household.consent)).all()
    assert consented and all(h.consent_by_id == bithu.id and h.consent_at for h in consented)
