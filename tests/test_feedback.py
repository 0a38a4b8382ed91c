"""Residents' feedback: the hand-over screen after helping, the desk's public page (no login,
CSRF, a limit per address, numbers screened), the A4 sign with its QR code, the ward's view."""

import re
import uuid
from datetime import timedelta

import pytest
from sqlmodel import select

from assistance.models import AssistanceRecord, Kind
from core import clock
from core.db import get_session
from feedback import queries
from feedback.models import Feedback
from feedback.screening import screen
from tests.coverage_support import add_record, figures, rows
from tests.helpers import page_text


def _csrf(response) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page_text(response))[1]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Gọi em 0905 123 456 nhé", "Gọi em […] nhé"),
        ("CCCD 048090001234 của bác", "CCCD […] của bác"),
        ("số +84 905.123.456", "số […]"),
        ("hỏi a.b@gmail.com", "hỏi […]"),
        ("Các em nhiệt tình, 10 điểm, năm 2026", "Các em nhiệt tình, 10 điểm, năm 2026"),
    ],
)
def test_comments_are_screened_for_numbers(text, kept):
    assert screen(text)[0] == kept
    assert screen(text)[1] == (text != kept)


def test_desk_page_needs_no_login_and_keeps_no_personal_data(app, world, client):
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get(f"/feedback/desk/{world.ward_a}")
    assert page.status_code == 200
    token = _csrf(page)
    response = client.post(
        f"/feedback/desk/{world.ward_a}",
        data={"csrf_token": token, "rating": "5", "comment": "Tốt, gọi 0905123456"},
    )
    assert response.status_code == 200 and "data-thanks" in page_text(response)
    with app.app_context():
        row = get_session().exec(select(Feedback)).one()
        assert (row.source, row.place, row.rating, row.kind) == ("desk", "desk", 5, None)
        assert row.comment == "Tốt, gọi […]" and row.screened and row.record_uuid is None


def test_desk_page_refuses_without_csrf_and_bad_input(app, world, client):
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/feedback/desk/{world.ward_a}", data={"rating": "5"}).status_code == 400
    token = _csrf(client.get(f"/feedback/desk/{world.ward_a}"))
    for data in ({"rating": "9"}, {"rating": "x"}, {}, {"rating": "3", "comment": "a" * 501}):
        response = client.post(f"/feedback/desk/{world.ward_a}", data={"csrf_token": token, **data})
        assert response.status_code == 200 and "data-thanks" not in page_text(response), data
    assert client.get("/feedback/desk/999999").status_code == 404
    with app.app_context():
        assert get_session().exec(select(Feedback)).all() == []


def test_desk_page_is_rate_limited_per_address(app, world, client):
    app.config["FEEDBACK_LIMIT_PER_ADDRESS"] = "2 per hour"
    app.config["WTF_CSRF_ENABLED"] = True
    token = _csrf(client.get(f"/feedback/desk/{world.ward_a}"))
    codes = [
        client.post(
            f"/feedback/desk/{world.ward_a}", data={"csrf_token": token, "rating": "4"}
        ).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]
    other = client.post(
        f"/feedback/desk/{world.ward_a}",
        data={"csrf_token": token, "rating": "4"},
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
    )
    assert other.status_code == 200
    with app.app_context():
        assert len(get_session().exec(select(Feedback)).all()) == 3


def test_rating_after_helping_is_linked_to_the_record_not_a_person(app, world, auth, client):
    with app.app_context():
        record_id = add_record(world, "hung", at=clock.now(), kind=Kind.EID_LEVEL2)
        record_uuid = get_session().get(AssistanceRecord, record_id).uuid
        other_ward = add_record(world, "hung_b", at=clock.now(), volunteer="tnv_b")
        other_uuid = get_session().get(AssistanceRecord, other_ward).uuid
    auth.login("tnv01")
    page = client.get("/feedback/rate", query_string={"record": record_uuid})
    assert page.status_code == 200
    response = client.post(
        f"/feedback/rate?record={record_uuid}",
        data={"rating": "4", "comment": "Cảm ơn các em"},
    )
    assert response.status_code == 200 and "data-thanks" in page_text(response)
    with app.app_context():
        row = get_session().exec(select(Feedback)).one()
        assert (row.record_uuid, row.place, row.kind, row.source) == (
            record_uuid,
            "home",
            "eid_level2",
            "visit",
        )
    assert client.get("/feedback/rate", query_string={"record": other_uuid}).status_code == 404
    assert client.get("/feedback/rate", query_string={"record": "x" * 400}).status_code == 404
    assert client.get("/feedback/rate").status_code == 404
    listed = page_text(client.get("/records"))
    assert f"/feedback/rate?record={record_uuid}" in listed


def test_sign_has_a_qr_code_of_the_public_page(app, world, auth, client):
    auth.login("bithu")
    sign = page_text(client.get(f"/feedback/desk/{world.ward_a}/sign"))
    assert "<svg" in sign and f"/feedback/desk/{world.ward_a}" in sign
    assert client.get(f"/feedback/desk/{world.ward_b}/sign").status_code == 404


def test_ward_sees_satisfaction_by_month_place_and_kind(app, world, auth, client):
    with app.app_context():
        db = get_session()
        for rating, place, kind, comment in [
            (5, "home", "eid_level2", "Rất tốt"),
            (4, "desk", None, None),
            (2, "desk", None, "Chờ lâu"),
        ]:
            queries.add_feedback(
                db,
                ward_id=world.ward_a,
                source="x",
                place=place,
                kind=kind,
                rating=rating,
                comment=comment,
            )
        queries.add_feedback(
            db, ward_id=world.ward_b, source="desk", place="desk", rating=1, comment="Phường khác"
        )
        db.commit()
    auth.login("phuong")
    page = client.get("/feedback/")
    assert figures(page) == {"ratings": "3", "satisfied": "66,6%", "average": "3.7"}
    places = rows(page, "data-place")
    assert places["desk"] == {"count": "2", "average": "3.0", "satisfied": "50%"}
    assert places["home"]["satisfied"] == "100%"
    assert rows(page, "data-kind")["eid_level2"]["count"] == "1"
    month = f"{clock.today():%Y-%m}"
    assert rows(page, "data-month")[month]["count"] == "3"
    text = page_text(page)
    assert "Rất tốt" in text and "Chờ lâu" in text and "Phường khác" not in text
    last_year = (clock.today().replace(day=1) - timedelta(days=400)).strftime("%Y-%m")
    assert figures(client.get("/feedback/", query_string={"month": last_year}))["ratings"] == "0"


def _rating(**fields) -> dict:
    item = {"uuid": str(uuid.uuid4()), "place": "home", "kind": "guidance", "rating": 5}
    item.update(fields)
    return item


def test_ratings_kept_on_the_phone_are_stored_once(app, world, auth, client):
    with app.app_context():
        record_id = add_record(world, "hung", at=clock.now())
        record_uuid = get_session().get(AssistanceRecord, record_id).uuid
        other = add_record(world, "hung_b", at=clock.now(), volunteer="tnv_b")
        other_uuid = get_session().get(AssistanceRecord, other).uuid
    auth.login("tnv01")
    assert client.get("/feedback/hand-over").status_code == 200
    two_days_ago = (clock.now() - timedelta(days=2)).isoformat()
    good = _rating(record_uuid=record_uuid, comment="SĐT 0905123456", given_at=two_days_ago)
    # Its record is still on the phone; a phone clock a year ahead is not believed.
    later = _rating(record_uuid=str(uuid.uuid4()), given_at="2099-01-01T00:00:00+00:00")
    items = [
        good,
        later,
        _rating(rating=6),
        _rating(rating="5"),
        _rating(place="moon"),
        _rating(uuid="nope"),
        _rating(record_uuid=other_uuid),
        _rating(comment=["x"]),
        "junk",
    ]
    answer = client.post("/feedback/api/ratings", json={"items": items}).get_json()["results"]
    assert [r["status"] for r in answer] == ["stored", "stored"] + ["rejected"] * 7
    again = client.post("/feedback/api/ratings", json={"items": [good, good]}).get_json()["results"]
    assert [r["status"] for r in again] == ["stored", "stored"]
    for body in (None, {"items": "x"}, {"items": [good] * 101}, [1]):
        assert client.post("/feedback/api/ratings", json=body).status_code == 400
    with app.app_context():
        stored = get_session().exec(select(Feedback).order_by(Feedback.id)).all()
        assert len(stored) == 2
        assert (stored[0].record_uuid, stored[0].comment) == (record_uuid, "SĐT […]")
        assert all(row.ward_id == world.ward_a and row.source == "visit" for row in stored)
        assert clock.as_utc(stored[0].given_at).isoformat() == two_days_ago
        assert clock.now() - clock.as_utc(stored[1].given_at) < timedelta(minutes=5)
