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
