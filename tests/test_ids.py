"""The server's UUIDs are version 7 (core/ids.py): stamped by the one clock, so rows made
together share a prefix (the ward's copy compresses better) and sort by when they were made."""

import uuid
from datetime import UTC, datetime

import time_machine

from core.ids import uuid7
from households.models import Household, Resident


def stamp(value: str) -> datetime:
    return datetime.fromtimestamp((uuid.UUID(value).int >> 80) / 1000, UTC)


def test_a_server_uuid_is_version_7_stamped_by_the_clock():
    moment = datetime(2027, 3, 1, 0, 30, 0, 250_000, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        made = [uuid7() for _ in range(200)]
    parsed = [uuid.UUID(value) for value in made]
    assert {p.version for p in parsed} == {7}
    assert {p.variant for p in parsed} == {uuid.RFC_4122}
    assert {stamp(value) for value in made} == {moment}
    assert len(set(made)) == 200  # the random bits differ within one millisecond


def test_uuids_sort_by_when_they_were_made():
    earlier, later = datetime(2026, 12, 31, 23, 59, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    with time_machine.travel(earlier, tick=False):
        first = uuid7()
    with time_machine.travel(later, tick=False):
        second = uuid7()
    assert first < second


def test_households_and_residents_get_version_7_uuids():
    assert (
        uuid.UUID(Household(group_id=1, address="1 Lê Lợi", address_norm="1 le loi").uuid).version
        == 7
    )
    assert uuid.UUID(Resident(household_id=1).uuid).version == 7
