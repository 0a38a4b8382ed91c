"""One cleaning rule for text (core/text.py): forms, push and import refuse control characters
with the same message; exports never fail on what older versions stored (issue 14)."""

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import update
from sqlmodel import select

from core import text
from core.db import get_session
from households.models import Household, Resident, ResidentialGroup, Ward
from tests.helpers import page_text
from tests.sync_items import household as household_item
from tests.sync_items import push
from tests.test_import_export import csv_bytes, upload
from volunteer.models import User

REFUSED = "Không được chứa ký tự điều khiển hay ký tự không in được."
# Every kind of character a spreadsheet, a database or a terminal chokes on; NUL separately,
# since PostgreSQL cannot store it at all.
HOSTILE = [
    "\x01\x02\x08",
    "\x0b\x0c\x0e\x1b\x1f",
    "\x7f\x80\x85\x9f",
    "a\r\nb\tc\u2028d\u2029",
    '=HYPERLINK("http://x")\x1b[31m',
    "\u202eRTL\ufeff\u200b",
    "Nguyễn\x00Văn",
    "🙂" * 30,
]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(" Trần \t Thị\r\nDương ", "Trần Thị Dương"), ("a\u2028b\x1cc", "a b c"), ("", "")],
)
def test_one_line_folds_whitespace(raw, expected):
    assert text.one_line(raw) == expected


def test_several_lines_keeps_line_breaks_and_normalises_them():
    assert text.several_lines("  Gọi lại\r\nsau\t3 giờ  \r\n\r\n") == "Gọi lại\nsau 3 giờ"
    assert text.several_lines("a\rb\u2028c") == "a\nb\nc"


@pytest.mark.parametrize("raw", ["a\x00b", "\x01", "x\x1b[2J", "\x7f", "\x9b", "\ud800", "\uffff"])
def test_control_characters_are_refused_everywhere(raw):
    for rule in (text.one_line, text.several_lines, text.refuse_unprintable):
        with pytest.raises(text.UnprintableText):
            rule(raw)


def test_printable_drops_what_a_spreadsheet_refuses():
    assert text.printable("a\x00b\x1bc\nd\te") == "abc\nde"
    assert text.printable(12) == 12


def _household_form(world, **fields):
    data = {"group_id": world.groups["a1"], "address": "8 Trần Cao Vân", "consent": "y"}
    return {**data, "head_name": "Dương Thị Lan", **fields}


@pytest.mark.parametrize("field", ["address", "head_name", "note"])
def test_the_household_form_refuses_control_characters(app, world, auth, client, field):
    auth.login("tnv01")
    url = f"/households/{world.households['lan']}/edit"
    response = client.post(url, data=_household_form(world, **{field: "Lan\x00\x01"}))
    assert response.status_code == 200
    assert REFUSED in page_text(response)
    with app.app_context():
        stored = get_session().get(Household, world.households["lan"])
        assert "\x01" not in f"{stored.address}{stored.head_name}{stored.note}"


def test_the_form_folds_harmless_whitespace(app, world, auth, client):
    auth.login("tnv01")
    url = f"/households/{world.households['lan']}/edit"
    data = _household_form(world, address="  8\tTrần\r\nCao Vân ", note="Gọi\r\nlại")
    assert client.post(url, data=data).status_code == 302
    with app.app_context():
        stored = get_session().get(Household, world.households["lan"])
        assert stored.address == "8 Trần Cao Vân"


@pytest.mark.parametrize(
    "url",
    ["/groups/new", "/procedures/new", "/users/new", "/account"],
)
def test_every_form_uses_the_rule(app, world, auth, client, url):
    auth.login("admin" if url != "/account" else "tnv01")
    client.get(f"/groups?ward={world.ward_a}")
    # Every text field a form might have: the form renders its refusal, never a 500.
    data = {
        name: "x\x1by"
        for name in ("name", "full_name", "username", "leader_name", "new", "confirm")
    }
    response = client.post(url, data={**data, "number": "7", "role": "volunteer"})
    assert response.status_code == 200
    assert REFUSED in page_text(response)


def test_push_refuses_with_the_same_rule(app, world, auth, client):
    auth.login("tnv01")
    refused = household_item(world.groups["a1"], address="12\x00 Lê Lợi")
    folded = household_item(world.groups["a1"], address=" 12\r\nLê\tLợi ")
    results = push(client, [refused, folded]).json["results"]
    assert [result["status"] for result in results] == ["rejected", "accepted"]
    assert results[0]["reason"] == "invalid_field"
    with app.app_context():
        assert get_session().exec(select(Household).where(Household.address == "12 Lê Lợi")).one()


def test_import_lists_rows_with_control_characters(app, world, auth, client):
    auth.login("bithu")
    row = [1, "9 Lê\x07 Lợi", "", "", "không", "", "", 1960, "mức 1"]
    response = upload(client, csv_bytes([row]), "a.csv")
    assert REFUSED in page_text(response)


def test_a_resident_confirmed_in_year_one_is_refused(app, world, auth, client):
    auth.login("tnv01")
    url = f"/residents/{world.residents['anh']}/edit"
    data = {"full_name": "Lê Đức Anh", "birth_year": "1978", "eid_level": "2"}
    response = client.post(url, data={**data, "eid_confirmed_on": "0001-01-01"})
    assert response.status_code == 200
    assert "từ năm 1900 đến năm 2100" in page_text(response)


def _store_hostile(app, world, database_url) -> None:
    """Written straight to the tables, as an older version (or another tool) could have."""
    hostile = [
        value.replace("\x00", "") if database_url.startswith("postgresql") else value
        for value in HOSTILE
    ]
    joined = " ".join(hostile)
    with app.app_context():
        db = get_session()
        db.execute(update(Ward).where(Ward.id == world.ward_a).values(name=hostile[0]))
        db.execute(update(ResidentialGroup).values(name=joined[:120]))
        db.execute(update(User).values(full_name=joined[:120]))
        for index, household_id in enumerate(world.households.values()):
            value = hostile[index % len(hostile)]
            db.execute(
                update(Household)
                .where(Household.id == household_id)
                .values(address=value, head_name=value, note=joined[:500])
            )
        for index, resident_id in enumerate(world.residents.values()):
            value = hostile[-1 - index % len(hostile)]
            db.execute(update(Resident).where(Resident.id == resident_id).values(full_name=value))
        db.commit()


EXPORTS = [
    "/export.xlsx",
    "/export.csv",
    "/coverage/export.xlsx",
    "/coverage/export.csv",
    "/coverage/city/export.xlsx",
    "/coverage/city/export.csv",
    "/coverage/report.xlsx",
    "/shifts/hours/export.xlsx",
]


def test_every_export_survives_hostile_stored_text(app, world, auth, client, database_url):
    _store_hostile(app, world, database_url)
    auth.login("admin")
    client.get(f"/groups?ward={world.ward_a}")
    for url in EXPORTS:
        response = client.get(url)
        assert response.status_code == 200, url
        if url.endswith(".xlsx"):
            book = load_workbook(io.BytesIO(response.data))
            cells = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
        else:
            cells = [c for row in csv.reader(io.StringIO(response.data.decode())) for c in row]
        assert not any(isinstance(c, str) and "\x1b" in c for c in cells), url
    assert "Nguyễn" in " ".join(str(c) for c in cells if c)


@pytest.mark.parametrize(
    "path", ["/notifications/subscription", "/notifications/subscription/delete"]
)
def test_subscription_endpoints_follow_the_rule(app, world, auth, client, path):
    auth.login("tnv01")
    keys = {"p256dh": "B" + "A" * 86, "auth": "A" * 22}
    body = {"endpoint": "https://fcm.googleapis.com/fcm/send/a\u0000b", "keys": keys}
    response = client.post(path, json=body)
    assert response.status_code in (200, 400)
    assert response.json.get("removed") in (None, False)
