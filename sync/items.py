"""Checking one pushed item: plain Python, no database, so a batch of 500 is checked in milliseconds.

Every check that the database would otherwise make (lengths, ranges, NUL bytes, lone surrogates)
is made here first: a bad item must come back "rejected", never fail the batch.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from assistance import records
from assistance.models import (
    MAX_DOSSIER_CODE,
    MAX_MINUTES,
    MAX_REASON,
    MAX_RESIDENTS,
    Kind,
    Mode,
    Outcome,
    Place,
)
from assistance.records import Invalid  # one exception for every item's problem
from core import clock
from core.text import UnprintableText, normalize_phone, one_line

ITEM_TYPES = ("household", "resident", "record")
_VALUES = {choices: frozenset(c.value for c in choices) for choices in (Kind, Mode, Outcome, Place)}
MIN_BIRTH_YEAR = 1900
MAX_RESIDENTS_PER_RECORD = MAX_RESIDENTS
MAX_ID = 2**31 - 1


@dataclass
class HouseholdItem:
    uuid: str
    group_id: int
    address: str
    head_name: str | None
    phone: str | None
    note: str | None
    consent: bool


@dataclass
class ResidentItem:
    uuid: str
    household_uuid: str
    full_name: str | None
    birth_year: int
    eid_level: int


@dataclass
class RecordItem:
    uuid: str
    household_uuid: str
    kind: str
    outcome: str
    place: str
    client_time: datetime
    resident_uuids: list[str] = field(default_factory=list)
    procedure_id: int | None = None
    mode: str | None = None
    dossier_code: str | None = None
    reason: str | None = None
    shift_id: int | None = None
    minutes: int | None = None
    resolves: str | None = None


# Built once: json.dumps with these options builds an encoder per call, half the cost per item.
# The output must never change: stored hashes are compared with those of replayed pushes.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def content_hash(item: dict) -> str:
    return hashlib.sha256(_CANONICAL.encode(item).encode()).hexdigest()


def item_uuid(item: Any) -> str | None:
    """The item's UUID in canonical form, or None when it has none worth answering to."""
    if not isinstance(item, dict):
        return None
    return _uuid_or_none(item.get("uuid"))


def parse(item: dict) -> HouseholdItem | ResidentItem | RecordItem:
    kind = item.get("type")
    if kind == "household":
        return _household(item)
    if kind == "resident":
        return _resident(item)
    if kind == "record":
        return _record(item)
    raise Invalid("invalid_type", "type")


def _household(item: dict) -> HouseholdItem:
    consent = _bool(item, "consent")
    phone_text = _text(item, "phone", 20)
    phone = normalize_phone(phone_text)
    if phone_text and phone is None:
        raise Invalid("invalid_field", "phone")
    head_name = _text(item, "head_name", 120)
    if consent and not head_name:
        raise Invalid("missing_field", "head_name")
    return HouseholdItem(
        uuid=_uuid(item, "uuid"),
        group_id=_int(item, "group_id", 1, MAX_ID),
        address=_text(item, "address", 200, required=True),
        head_name=head_name,
        phone=phone,
        note=_text(item, "note", 500),
        consent=consent,
    )


def _resident(item: dict) -> ResidentItem:
    level = _optional_int(item, "eid_level", 0, 2)
    return ResidentItem(
        uuid=_uuid(item, "uuid"),
        household_uuid=_uuid(item, "household_uuid"),
        full_name=_text(item, "full_name", 120),
        birth_year=_int(item, "birth_year", MIN_BIRTH_YEAR, clock.this_year()),
        eid_level=level or 0,
    )


def _record(item: dict) -> RecordItem:
    """The item's fields read and typed; the rules between them are assistance.records'."""
    kind = _choice(item, "kind", Kind)
    outcome = _choice(item, "outcome", Outcome)
    reason = _text(item, "reason", MAX_REASON)
    procedure_id = _optional_int(item, "procedure_id", 1, MAX_ID)
    mode = _choice(item, "mode", Mode) if item.get("mode") is not None else None
    records.check_rules(
        kind=kind, outcome=outcome, reason=reason, procedure_id=procedure_id, mode=mode
    )
    residents = item.get("resident_uuids", [])
    if residents is None:
        residents = []
    if not isinstance(residents, list) or len(residents) > MAX_RESIDENTS_PER_RECORD:
        raise Invalid("invalid_field", "resident_uuids")
    resident_uuids = list(
        dict.fromkeys(_uuid_value(value, "resident_uuids") for value in residents)
    )
    resolves = item.get("resolves")
    return RecordItem(
        uuid=_uuid(item, "uuid"),
        household_uuid=_uuid(item, "household_uuid"),
        kind=kind,
        outcome=outcome,
        place=_choice(item, "place", Place),
        client_time=_time(item, "client_time"),
        resident_uuids=resident_uuids,
        procedure_id=procedure_id,
        mode=mode,
        dossier_code=_text(item, "dossier_code", MAX_DOSSIER_CODE)
        if kind == Kind.DOSSIER
        else None,
        reason=reason,
        shift_id=_optional_int(item, "shift_id", 1, MAX_ID),
        minutes=_optional_int(item, "minutes", 0, MAX_MINUTES),
        resolves=None if resolves is None else _uuid_value(resolves, "resolves"),
    )


_UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _uuid_or_none(value: Any) -> str | None:
    """The canonical lower-case form (a regex: uuid.UUID() is ten times slower per item)."""
    if not isinstance(value, str) or len(value) != 36:
        return None
    lowered = value.lower()
    return lowered if _UUID_PATTERN.fullmatch(lowered) else None


def _uuid_value(value: Any, name: str) -> str:
    canonical = _uuid_or_none(value)
    if canonical is None:
        raise Invalid("invalid_field", name)
    return canonical


def _uuid(item: dict, name: str) -> str:
    if item.get(name) is None:
        raise Invalid("missing_field", name)
    return _uuid_value(item[name], name)


def _text(item: dict, name: str, max_length: int, *, required: bool = False) -> str | None:
    value = item.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Invalid("missing_field", name)
        return None
    if not isinstance(value, str):
        raise Invalid("invalid_field", name)
    try:
        text = one_line(value)  # the forms' rule: PostgreSQL refuses NUL bytes and surrogates
    except UnprintableText:
        raise Invalid("invalid_field", name) from None
    if len(text) > max_length:
        raise Invalid("invalid_field", name)
    return text


def _int(item: dict, name: str, low: int, high: int) -> int:
    value = item.get(name)
    if value is None:
        raise Invalid("missing_field", name)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Invalid("invalid_field", name)
    return value


def _optional_int(item: dict, name: str, low: int, high: int) -> int | None:
    return None if item.get(name) is None else _int(item, name, low, high)


def _bool(item: dict, name: str) -> bool:
    value = item.get(name, False)
    if not isinstance(value, bool):
        raise Invalid("invalid_field", name)
    return value


def _choice(item: dict, name: str, choices) -> str:
    value = item.get(name)
    if value is None:
        raise Invalid("missing_field", name)
    if not isinstance(value, str) or value not in _VALUES[choices]:
        raise Invalid("invalid_field", name)
    return value


_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
_LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def _time(item: dict, name: str) -> datetime:
    value = item.get(name)
    if value is None:
        raise Invalid("missing_field", name)
    if not isinstance(value, str) or len(value) > 40:
        raise Invalid("invalid_field", name)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid("invalid_field", name) from None
    # A phone's clock can be wrong, so any plausible time is kept; received_at is the server's.
    if parsed.tzinfo is None or not _EARLIEST <= parsed <= _LATEST:
        raise Invalid("invalid_field", name)
    return parsed.astimezone(UTC)
