"""Numbers and dates from the URL outside what the database holds: 404 or 400, never 500 (issue 14)."""

import pytest

from tests.helpers import page_text

HUGE = "9" * 20


@pytest.mark.parametrize(
    "path",
    [
        f"/households/{HUGE}",
        f"/groups/{HUGE}",
        f"/residents/{HUGE}/edit",
        f"/records/{HUGE}/edit",
        f"/shifts/{HUGE}",
        f"/users/{HUGE}/edit",
        f"/notifications/{HUGE}/open",
        f"/households/{2**31}",
        f"/households/{2**63}",
        "/households/0",
    ],
)
def test_ids_beyond_the_database_answer_404(app, world, auth, client, path):
    auth.login("admin")
    assert client.get(path).status_code == 404


def test_a_huge_page_answers_400_with_a_message(app, world, auth, client):
    auth.login("tnv01")
    response = client.get("/search?q=a&page=1000000000000000000")
    assert response.status_code == 400
    assert "phải là một số nguyên dương" in page_text(response)
    assert client.get("/search?q=a&page=-1").status_code == 400
    assert client.get("/search?q=a&page=2").status_code == 200


def test_pull_with_a_huge_ward_answers_400(app, world, auth, client):
    auth.login("admin")
    response = client.get(f"/api/v1/pull?ward={HUGE}")
    assert response.status_code == 400
    assert response.json["message"]


def test_the_admins_huge_ward_does_not_stick_in_the_session(app, world, auth, client):
    auth.login("admin")
    client.get(f"/groups?ward={world.ward_a}")
    assert client.get(f"/groups?ward={HUGE}").status_code == 400
    assert client.get("/groups?ward=123456789").status_code == 404
    for path in ("/records", "/coverage/", "/shifts/"):
        assert client.get(path).status_code == 200, path


def test_a_bad_ward_kept_by_an_older_session_is_forgotten(app, world, auth, client):
    auth.login("admin")
    with client.session_transaction() as session:
        session["admin_ward"] = int(HUGE)
    for path in ("/records", "/coverage/", "/shifts/"):
        # Sent to pick a ward again (the coverage pages start from the city view).
        assert client.get(path).status_code == 302, path
    with client.session_transaction() as session:
        assert "admin_ward" not in session


@pytest.mark.parametrize(
    ("user", "path"),
    [
        ("tnv01", "/shifts/?start=0001-01-01"),
        ("tnv01", "/shifts/?start=9999-12-31"),
        ("bithu", "/coverage/report?month=0001-01"),
        ("bithu", "/coverage/?period=custom&start=0001-01-01&end=0001-01-07"),
    ],
)
def test_dates_outside_1900_to_2100_answer_400_with_a_message(app, world, auth, client, user, path):
    auth.login(user)
    response = client.get(path)
    assert response.status_code == 400
    assert "từ năm 1900 đến năm 2100" in page_text(response)


@pytest.mark.parametrize("path", ["/search?q=%00", "/groups/1?q=a%1Bb", "/shifts/ical/%00.ics"])
def test_control_characters_in_the_url_answer_400(app, world, auth, client, path):
    auth.login("tnv01")
    response = client.get(path)
    assert response.status_code == 400
    assert "ký tự điều khiển" in page_text(response)


def test_merging_with_a_huge_household_id_answers_400(app, world, auth, client):
    auth.login("bithu")
    data = {"keep": HUGE, "drop": str(world.households["lan"])}
    assert client.post("/duplicates/merge", data=data).status_code == 400
