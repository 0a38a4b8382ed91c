"""Property tests: whatever a phone (or anyone) sends, push never answers 500 and never stores
half a batch: exactly the items answered "accepted" are new rows, nothing else."""

import hashlib
import json
import uuid as uuid_module

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlmodel import select

from assistance.models import AssistanceRecord
from core.db import get_session
from households.models import Household, Resident
from sync.items import content_hash
from tests.sync_items import household_uuid, record, resident_uuid

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["\x00", "\ud800", "a" * 400, "2026-03-02T09:30:00+07:00", "2026-03-02"])
)
JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
FIELDS = [
    "type",
    "uuid",
    "household_uuid",
    "resident_uuids",
    "kind",
    "outcome",
    "reason",
    "place",
    "minutes",
    "client_time",
    "procedure_id",
    "mode",
    "dossier_code",
    "shift_id",
    "resolves",
    "group_id",
    "address",
    "head_name",
    "phone",
    "consent",
    "birth_year",
    "full_name",
    "eid_level",
]

RELAXED = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def items(draw, known):
    """A valid item for a known household, then maybe broken in a few fields; or pure noise."""
    choice = draw(st.integers(0, 4))
    if choice == 0:
        return draw(JSON)
    base_type = draw(st.sampled_from(["record", "household", "resident"]))
    if base_type == "record":
        item = record(known["household"], resident_uuids=[known["resident"]])
        item["kind"] = draw(st.sampled_from(["eid_level1", "eid_level2", "guidance", "dossier"]))
    elif base_type == "household":
        item = {
            "type": "household",
            "uuid": str(uuid_module.uuid4()),
            "group_id": known["group"],
            "address": draw(st.text(min_size=1, max_size=40)),
            "head_name": draw(st.text(max_size=40)),
            "consent": draw(st.booleans()),
        }
    else:
        item = {
            "type": "resident",
            "uuid": str(uuid_module.uuid4()),
            "household_uuid": known["household"],
            "full_name": draw(st.text(max_size=40)),
            "birth_year": draw(st.integers(1800, 2100)),
        }
    for _ in range(draw(st.integers(0, 2))):
        item[draw(st.sampled_from(FIELDS))] = draw(JSON)
    return item


def _counts():
    db = get_session()
    return tuple(
        db.exec(select(func.count()).select_from(model)).one()
        for model in (AssistanceRecord, Household, Resident)
    )


def test_push_never_fails_and_never_half_writes(app, world, auth, client):
    auth.login("tnv01")
    with app.app_context():
        known = {
            "household": household_uuid(world, "hung"),
            "resident": resident_uuid(world, "duong"),
            "group": world.groups["a1"],
        }

    @RELAXED
    @given(batch=st.lists(items(known), max_size=8), replay=st.booleans())
    def check(batch, replay):
        with app.app_context():
            before = _counts()
        body = json.dumps({"items": batch})
        response = client.post("/api/v1/push", data=body, content_type="application/json")
        assert response.status_code == 200, response.data[:300]
        results = response.get_json()["results"]
        assert len(results) == len(batch)
        accepted = {"record": 0, "household": 0, "resident": 0}
        for result in results:
            assert result["status"] in {"accepted", "duplicate", "conflict", "rejected"}
            if result["status"] == "accepted":
                accepted[result["type"]] += 1
        with app.app_context():
            after = _counts()
            expected = (accepted["record"], accepted["household"], accepted["resident"])
            assert tuple(a - b for a, b in zip(after, before, strict=True)) == expected
            stored = set(get_session().exec(select(AssistanceRecord.uuid)).all())
        for item, result in zip(batch, results, strict=True):
            if result["type"] == "record" and result["status"] == "accepted":
                assert item["uuid"] in stored
        if replay:
            again = client.post("/api/v1/push", data=body, content_type="application/json")
            assert again.status_code == 200
            with app.app_context():
                assert _counts() == after  # a replay never adds a row

    check()


def test_any_body_gets_a_json_answer(app, world, auth, client):
    auth.login("tnv01")

    @RELAXED
    @given(
        body=st.binary(max_size=200)
        | JSON.map(lambda v: json.dumps(v).encode())
        | st.lists(JSON, max_size=4).map(lambda v: json.dumps({"items": v}).encode())
    )
    def check(body):
        response = client.post("/api/v1/push", data=body, content_type="application/json")
        assert response.status_code in (200, 400) and response.is_json

    check()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(st.dictionaries(st.text(), json_values, max_size=8))
def test_the_content_hash_is_that_of_the_canonical_json(item):
    """Hashes stored since the first push are compared with those of replays, so the canonical
    form (sorted keys, no spaces, ASCII escapes) must never drift, whatever builds it."""
    canonical = json.dumps(item, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    assert content_hash(item) == hashlib.sha256(canonical.encode()).hexdigest()
