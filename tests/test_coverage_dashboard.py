"""The ward dashboard on the fixture ward: every card, the group table, sorting, the period
filter, volunteers' contribution and who may see it.

Ward A: group a1 has 4 adults (Hùng level 1, Lan and Anh level 2, Dương none), group a2 one
adult without e-ID (no consent), a_empty nobody: 3 of 5 adults, 60%, 2 short of 90%.
"""

from datetime import date, timedelta

from assistance.models import Kind, Outcome
from core import clock
from core.db import get_session
from households.models import Household, Resident
from tests.coverage_support import (
    MARCH,
    add_record,
    add_shift,
    figures,
    local,
    row_order,
    rows,
    total_row,
)


def _march(app, world):
    """Two records in March for household hung (one a dossier, naming Hùng twice), one in
    February for lan, a deleted one, one in ward B, and three shifts."""
    with app.app_context():
        add_record(
            world, "hung", at=local(date(2026, 3, 5)), kind=Kind.DOSSIER, residents=("hung",)
        )
        add_record(
            world,
            "hung",
            at=local(date(2026, 3, 5), 15),
            volunteer="tnv02",
            residents=("hung", "duong"),
        )
        add_record(world, "lan", at=local(date(2026, 2, 20)), residents=("lan",))
        add_record(world, "lan", at=local(date(2026, 3, 9)), deleted=True)
        add_record(world, "hung_b", at=local(date(2026, 3, 9)), volunteer="tnv_b")
        users = world.users
        check_in = local(date(2026, 3, 2), 8)
        add_shift(
            world.ward_a,
            local(date(2026, 3, 2), 7),
            people={
                users["tnv01"]: {
                    "check_in_at": check_in,
                    "check_out_at": check_in + timedelta(hours=3),
                },
                users["tnv02"]: {"attendance": "absent"},
            },
        )
        add_shift(world.ward_a, local(date(2026, 3, 4), 7), people={users["tnv01"]: {}})
        add_shift(
            world.ward_b,
            local(date(2026, 3, 4), 7),
            people={users["tnv_b"]: {"attendance": "present"}},
        )


def test_every_card_on_the_fixture_ward(app, world, auth, client):
    _march(app, world)
    auth.login("phuong")
    response = client.get("/coverage/", query_string=MARCH)
    assert response.status_code == 200
    assert figures(response) == {
        "coverage": "60%",
        "online": "20%",  # Hùng, named on the dossier
        "level2": "40%",
        "reached": "2/3",
        "dossiers": "1",
        "records": "2",
        "volunteers": "2",
        "shifts": "1/2",
        "gap": "2",
    }
    assert "2 người được giúp" in response.get_data(as_text=True)


def test_group_table_is_sorted_by_gap_with_colour_bands(app, world, auth, client):
    _march(app, world)
    auth.login("bithu")
    response = client.get("/coverage/", query_string=MARCH)
    assert row_order(response) == ["2", "1", "3"]  # gap 1 at 0%, gap 1 at 75%, nobody
    table = rows(response)
    assert table["1"] == {
        "coverage": "75%",
        "gap": "1",
        "adults": "4",
        "level1": "1",
        "level2": "2",
        "never_reached": "0",
        "dossiers": "1",
        "online": "25%",
        "last_activity": "05/03",
    }
    assert table["2"]["coverage"] == "0%" and table["2"]["never_reached"] == "1"
    assert table["3"]["coverage"] == "–" and table["3"]["gap"] == "0"
    assert total_row(response)["adults"] == "5" and total_row(response)["gap"] == "2"
    html = response.get_data(as_text=True)
    assert 'data-col="coverage" class="band-mid"' in html and 'class="band-low"' in html
    by_number = client.get("/coverage/", query_string={**MARCH, "sort": "number"})
    assert row_order(by_number) == ["1", "2", "3"]


def test_a_new_e_id_moves_the_figures(app, world, auth, client):
    auth.login("bithu")
    assert figures(client.get("/coverage/"))["coverage"] == "60%"
    with app.app_context():
        db = get_session()
        db.get(Resident, world.residents["elder"]).eid_level = 2
        db.commit()
    after = client.get("/coverage/")
    assert figures(after)["coverage"] == "80%" and figures(after)["level2"] == "60%"
    assert rows(after)["2"]["coverage"] == "100%"


def test_volunteer_contribution_records_households_hours(app, world, auth, client):
    _march(app, world)
    auth.login("bithu")
    table = rows(client.get("/coverage/", query_string=MARCH), "data-volunteer")
    assert table[str(world.users["tnv01"])] == {
        "records": "1",
        "households": "1",
        "shifts": "1",
        "hours": "3,3",  # the shift's 3 h and one home visit of 20 minutes
    }
    assert table[str(world.users["tnv02"])] == {
        "records": "1",
        "households": "1",
        "shifts": "0",
        "hours": "0,3",  # absent from the shift, one home visit
    }
    assert str(world.users["tnv_b"]) not in table


def test_period_filter_week_month_and_custom(app, world, auth, client):
    now = clock.now()
    with app.app_context():
        add_record(world, "lan", at=now - timedelta(minutes=5), kind=Kind.DOSSIER)
        add_record(world, "hung", at=now - timedelta(days=60), kind=Kind.DOSSIER)
    auth.login("bithu")
    for period in ("week", "month"):
        shown = figures(client.get("/coverage/", query_string={"period": period}))
        assert shown["dossiers"] == "1" and shown["records"] == "1", period
        assert shown["reached"] == "2/3"  # reached at least once, whenever
    wide = {
        "period": "custom",
        "start": (now - timedelta(days=90)).date().isoformat(),
        "end": (now + timedelta(days=1)).date().isoformat(),
    }
    assert figures(client.get("/coverage/", query_string=wide))["dossiers"] == "2"
    reversed_range = {**wide, "start": wide["end"], "end": wide["start"]}
    assert figures(client.get("/coverage/", query_string=reversed_range))["dossiers"] == "2"
    nonsense = client.get("/coverage/", query_string={"period": "custom", "start": "x"})
    assert nonsense.status_code == 200  # falls back to this month
    assert figures(nonsense)["dossiers"] == "1"


def test_a_dossier_waiting_for_its_result_is_filed_a_failed_one_is_not(app, world, auth, client):
    # Issue 17: "Đang chờ – chờ kết quả" means filed; "Không làm được" means it could not be.
    with app.app_context():
        day = local(date(2026, 3, 10))
        add_record(world, "hung", at=day, kind=Kind.DOSSIER, outcome=Outcome.PENDING, reason="x")
        add_record(world, "hung", at=day, kind=Kind.DOSSIER, outcome=Outcome.FAILED, reason="y")
    auth.login("bithu")
    shown = figures(client.get("/coverage/", query_string=MARCH))
    assert shown["dossiers"] == "1" and shown["records"] == "2"


def test_weekly_trend_follows_confirmation_dates(app, world, auth, client):
    with app.app_context():
        db = get_session()
        elder = db.get(Resident, world.residents["elder"])
        elder.eid_level, elder.eid_confirmed_on = 1, date(2026, 3, 18)
        db.commit()
        add_record(world, "no_consent", at=local(date(2026, 3, 18)), kind=Kind.EID_LEVEL1)
    auth.login("bithu")
    weeks = rows(client.get("/coverage/", query_string=MARCH), "data-week")
    assert list(weeks)[-1] == "2026-03-30" and len(weeks) == 8  # Mondays up to the period's end
    assert weeks["2026-03-09"] == {
        "records": "0",
        "with_eid": "3/5",
        "coverage": "60%",
        "online": "0%",
    }
    assert weeks["2026-03-16"] == {
        "records": "1",
        "with_eid": "4/5",
        "coverage": "80%",
        "online": "0%",
    }
    assert weeks["2026-03-30"]["with_eid"] == "4/5"


def test_admin_picks_a_ward_or_sees_the_city(app, world, auth, client):
    auth.login("admin")
    first = client.get("/coverage/")
    assert first.status_code == 302 and first.headers["Location"].endswith("/coverage/city")
    picked = client.get(f"/coverage/?ward={world.ward_b}")
    assert "An Khê" in picked.get_data(as_text=True)
    assert figures(picked)["coverage"] == "100%"
    assert client.get(f"/coverage/?ward={world.ward_b + 100}").status_code == 404


def test_secretary_of_another_ward_sees_only_their_own(app, world, auth, client):
    auth.login("bithu_b")
    response = client.get("/coverage/", query_string={"ward": world.ward_a})
    assert "An Khê" in response.get_data(as_text=True)
    assert figures(response)["reached"] == "0/1"


def test_volunteers_may_not_open_the_dashboard(app, world, auth, client):
    auth.login("tnv01")
    assert client.get("/coverage/").status_code == 403
    assert client.get("/coverage/city").status_code == 403
    assert 'href="/coverage/"' not in client.get("/groups").get_data(as_text=True)


def test_work_for_a_removed_household_still_counts(app, world, auth, client):
    with app.app_context():
        add_record(world, "lan", at=local(date(2026, 3, 5)), kind=Kind.DOSSIER)
        db = get_session()
        db.get(Household, world.households["lan"]).deleted_at = clock.now()
        db.commit()
    auth.login("bithu")
    response = client.get("/coverage/", query_string=MARCH)
    shown = figures(response)
    assert shown["dossiers"] == "1" and shown["records"] == "1"  # the dossier was filed
    assert shown["reached"] == "0/2"  # but the household is no longer in the registry
    assert rows(response)["1"]["dossiers"] == "1"
    assert shown["coverage"] == "33,3%"  # Hùng of Hùng, Dương, the elder
