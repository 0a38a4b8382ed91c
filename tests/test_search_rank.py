"""Issue 16: a household typed in full comes first, on the server as on the phone.

The cases in tests/search_rank_cases.json are shared with the phone's search
(static/js/store.js, checked in tests/e2e/test_log_feedback.py): one rule, tested twice."""

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from core.db import get_session
from households import registry
from households.ranking import rank
from sync.lookup import order_key

CASES = json.loads((Path(__file__).parent / "search_rank_cases.json").read_text("utf-8"))


def _household(row: dict):
    household = SimpleNamespace(**{k: row[k] for k in ("head_name", "address", "phone")})
    return household, [SimpleNamespace(full_name=name) for name in row["names"]]


@pytest.mark.parametrize("case", CASES, ids=[c["why"] for c in CASES])
def test_the_server_ranks_each_shared_case(case):
    for row in case["households"]:
        fields = {k: row[k] for k in ("head_name", "address", "phone", "names")}
        assert rank(case["query"], **fields) == case["ranks"][row["key"]], row["key"]
    ordered = sorted(case["households"], key=lambda r: order_key(case["query"], *_household(r)))
    assert [row["key"] for row in ordered] == case["order"]


def test_the_online_search_puts_the_exact_head_first(app, world, auth, client):
    with app.app_context():
        db = get_session()
        # Alphabetically "nguyen minh nghia anh …" and "le …" would come before the exact one.
        for head, address in [
            ("Nguyễn Minh Nghĩa Anh", "1 Lê Lợi"),
            ("Nguyễn Minh Nghĩa", "99 Trần Phú"),
            ("Lê Văn Cường", "5 Nguyễn Minh Nghĩa"),
        ]:
            data = registry.HouseholdData(
                group_id=world.groups["a1"], address=address, head_name=head, consent=True
            )
            registry.create_household(db, data, actor_id=world.users["bithu"])
        db.commit()
    auth.login("tnv02")
    answer = client.get("/api/v1/households/search?q=nguyen minh nghia").get_json()
    heads = [h["head_name"] for h in answer["households"]]
    assert heads == ["Nguyễn Minh Nghĩa", "Nguyễn Minh Nghĩa Anh", "Lê Văn Cường"]


def test_the_registry_search_ranks_each_shared_case(app, world):
    """The SQL form of the rule (households search page, group page): the same ranks."""
    from households.models import ResidentialGroup
    from households.queries import search_households

    with app.app_context():
        db = get_session()
        for number, case in enumerate(CASES, start=100):
            group = ResidentialGroup(ward_id=world.ward_a, number=number, name=f"Tổ {number}")
            db.add(group)
            db.flush()
            keys = {}
            for row in case["households"]:
                data = registry.HouseholdData(
                    group_id=group.id,
                    address=row["address"],
                    head_name=row["head_name"],
                    phone=row["phone"],
                    consent=True,
                )
                household = registry.create_household(db, data, actor_id=world.users["bithu"])
                keys[household.id] = row["key"]
                for name in row["names"]:
                    person = registry.ResidentData(birth_year=1980, full_name=name)
                    registry.create_resident(db, household, person, actor_id=world.users["bithu"])
            db.flush()
            rows, total = search_households(
                db, ward_id=world.ward_a, group_id=group.id, text=case["query"]
            )
            ranks = [case["ranks"][keys[household.id]] for household, _group in rows]
            # The match itself may differ (a whole phone number matches the phone only), the
            # order of what matched may not.
            assert ranks == sorted(ranks), case["why"]
            assert total >= 2 or case["ranks"][keys[rows[0][0].id]] <= 1, case["why"]
        db.rollback()
