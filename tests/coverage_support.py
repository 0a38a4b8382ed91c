"""Helpers for the coverage tests: records and shifts written straight into the tables, and
readers for the figures a coverage page shows (cards carry data-figure, cells data-col)."""

import re
import uuid
from datetime import date, datetime, time, timedelta

from assistance.models import AssistanceRecord, AssistanceResident, Kind, Outcome, Place
from core import clock
from core.db import get_session
from shifts.models import Assignment, Shift, place_key
from tests.helpers import page_text

# A fixed month for custom-period tests: March 2026 (records at local noon).
MARCH = {"period": "custom", "start": "2026-03-01", "end": "2026-03-31"}


def local(day: date, hour: int = 12) -> datetime:
    return clock.to_utc(day, time(hour))


def add_record(
    world,
    household: str,
    *,
    at: datetime,
    volunteer: str = "tnv01",
    kind: str = Kind.GUIDANCE,
    outcome: str = Outcome.DONE,
    residents: tuple[str, ...] = (),
    deleted: bool = False,
    reason: str | None = None,
    minutes: int | None = None,
    shift_id: int | None = None,
) -> int:
    db = get_session()
    household_id = world.households[household]
    ward_id = world.ward_b if household.endswith("_b") else world.ward_a
    record = AssistanceRecord(
        uuid=str(uuid.uuid4()),
        ward_id=ward_id,
        household_id=household_id,
        volunteer_id=world.users[volunteer],
        kind=kind,
        outcome=outcome,
        reason=reason,
        place=Place.HOME,
        minutes=minutes,
        shift_id=shift_id,
        client_time=at,
        deleted_at=at if deleted else None,
    )
    db.add(record)
    db.flush()
    for key in residents:
        db.add(AssistanceResident(record_id=record.id, resident_id=world.residents[key]))
    db.commit()
    return record.id


def add_shift(
    ward_id: int,
    starts: datetime,
    hours: float = 4,
    *,
    minimum: int = 2,
    people: dict[int, dict] | None = None,
) -> int:
    """A desk shift with assignments: people maps user id to Assignment fields."""
    db = get_session()
    people = people or {}
    shift = Shift(
        ward_id=ward_id,
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        place="desk",
        place_key=place_key("desk", None),
        min_volunteers=minimum,
        max_volunteers=max(minimum, len(people), 1) + 2,
        assigned_count=len(people),
    )
    db.add(shift)
    db.flush()
    for user_id, fields in people.items():
        db.add(Assignment(shift_id=shift.id, user_id=user_id, source="secretary", **fields))
    db.commit()
    return shift.id


def figures(response) -> dict[str, str]:
    """The summary cards: {data-figure: the big number as shown}."""
    html = page_text(response)
    found = re.findall(r'data-figure="([a-z0-9_]+)"><strong>(.*?)</strong>', html, re.S)
    return {key: value.strip() for key, value in found}


def _cells(row_html: str) -> dict[str, str]:
    cells = re.findall(r'<td data-col="([a-z0-9_]+)"[^>]*>(.*?)</td>', row_html, re.S)
    return {key: re.sub(r"<[^>]+>", "", value).strip() for key, value in cells}


def rows(response, attribute: str = "data-group") -> dict[str, dict[str, str]]:
    """Table rows keyed by the row attribute's value (group number, ward id, volunteer id)."""
    html = page_text(response)
    found = re.findall(rf'<tr {attribute}="([^"]+)"[^>]*>(.*?)</tr>', html, re.S)
    return {key: _cells(body) for key, body in found}


def row_order(response, attribute: str = "data-group") -> list[str]:
    return re.findall(rf'<tr {attribute}="([^"]+)"', page_text(response))


def total_row(response) -> dict[str, str]:
    match = re.search(r"<tr data-total>(.*?)</tr>", page_text(response), re.S)
    assert match, "no total row"
    return _cells(match.group(1))
