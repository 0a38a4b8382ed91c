"""The sync API's wire format as pydantic models: sync/openapi.py publishes their JSON Schemas.

Only the document is made from these: the push reads items by hand (sync/items.py), which is
faster per item and answers each problem with its own stable code. The limits are the same
constants both read, so the document and the checks cannot drift apart.
"""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema, models_json_schema

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
from sync.items import MAX_ID, MIN_BIRTH_YEAR

MAX_PUSH_ITEMS = 500  # sync/api.py's PUSH_MAX_ITEMS, which reads it from here

UUID = Annotated[str, Field(pattern="^[0-9a-f-]{36}$", json_schema_extra={"format": "uuid"})]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class _Wire(BaseModel):
    model_config = ConfigDict(use_enum_values=True)


class HouseholdItem(_Wire):
    """A household created on the phone. Without consent no name, phone or note is kept."""

    type: Literal["household"]
    uuid: UUID
    group_id: Id
    address: str = Field(max_length=200)
    head_name: str | None = Field(default=None, max_length=120)
    phone: str | None = Field(default=None, max_length=20)
    note: str | None = Field(default=None, max_length=500)
    consent: bool = False


class ResidentItem(_Wire):
    type: Literal["resident"]
    uuid: UUID
    household_uuid: UUID
    full_name: str | None = Field(default=None, max_length=120)
    birth_year: int = Field(ge=MIN_BIRTH_YEAR)
    eid_level: int | None = Field(default=None, ge=0, le=2)


class RecordItem(_Wire):
    """An assistance record. reason is required unless outcome is done; procedure_id only (and
    always) for kind dossier (assistance.records.check_rules). resolves names a pending record
    it closes."""

    type: Literal["record"]
    uuid: UUID
    household_uuid: UUID
    resident_uuids: list[UUID] = Field(default_factory=list, max_length=MAX_RESIDENTS)
    kind: Kind
    procedure_id: Id | None = None
    mode: Mode | None = None
    dossier_code: str | None = Field(default=None, max_length=MAX_DOSSIER_CODE)
    outcome: Outcome
    reason: str | None = Field(default=None, max_length=MAX_REASON)
    place: Place
    shift_id: Id | None = None
    minutes: int | None = Field(default=None, ge=0, le=MAX_MINUTES)
    client_time: datetime
    resolves: UUID | None = None


class PushRequest(_Wire):
    items: list[dict] = Field(
        max_length=MAX_PUSH_ITEMS,
        description="Items of any shape are answered one by one; see PushResult.",
    )


class PushResult(_Wire):
    uuid: UUID | None
    type: Literal["household", "resident", "record"] | None
    status: Literal["accepted", "duplicate", "conflict", "rejected"]
    id: int | SkipJsonSchema[None] = Field(
        default=None, description="The stored row (accepted, duplicate)."
    )
    reason: (
        Literal[
            "invalid_field",
            "missing_field",
            "invalid_type",
            "unknown",
            "uuid_reused",
            "storage_error",
        ]
        | SkipJsonSchema[None]
    ) = None
    field: str | SkipJsonSchema[None] = None


class ServerState(_Wire):
    """Which copy of the database answered. 'identity' changes when it is restored from a
    backup; 'high_water' never goes down on a live database. A phone that sees a new identity
    or a lower mark sends again what it kept and pulls afresh."""

    identity: str
    high_water: int = Field(ge=0)


class PushResponse(_Wire):
    server: ServerState
    results: list[PushResult]
    server_time: datetime


class Error(_Wire):
    error: str | int
    message: str


class TooLarge(_Wire):
    error: Literal["too_large"]
    message: str
    max_bytes: int
    max_items: int


class RecordSummary(_Wire):
    uuid: UUID
    id: int
    household_uuid: UUID
    resident_uuids: list[UUID]
    kind: Kind
    procedure_id: int | None = None
    mode: str | None = None
    outcome: Outcome
    reason: str | None = None
    place: Place | SkipJsonSchema[None] = None
    client_time: datetime | SkipJsonSchema[None] = None
    volunteer: str | SkipJsonSchema[None] = None
    mine: bool | SkipJsonSchema[None] = Field(
        default=None, description="Logged by the user who pulls this copy."
    )


class WardRef(_Wire):
    id: int
    name: str


class MemberCopy(_Wire):
    """A resident inside its household's entry: the household's UUID is the entry's own."""

    uuid: UUID
    birth_year: int
    eid_level: int


class HouseholdCopy(_Wire):
    uuid: UUID
    group_id: int
    address: str
    consent: bool
    residents: list[MemberCopy] | SkipJsonSchema[None] = Field(
        default=None,
        description="Its residents that are new or changed since the cursor (all of them in a "
        "full copy). Residents not listed are unchanged, not gone: see `deleted`.",
    )


class ResidentCopy(_Wire):
    """A changed resident whose household is not in the same answer."""

    uuid: UUID
    household_uuid: UUID
    birth_year: int
    eid_level: int


class Deleted(_Wire):
    households: list[UUID]
    residents: list[UUID]
    outside: list[UUID] = Field(
        default_factory=list,
        description="Those of `households` that are not deleted but outside the copy's groups "
        "(now, or since they moved): a phone may keep one it fetched by the online search "
        "today.",
    )


class PullResponse(_Wire):
    server: ServerState
    cursor: str = Field(description="Opaque; send it back as ?cursor=")
    full: bool
    scope: list[int] | None = Field(
        default=None,
        description="Group ids the copy covers (a volunteer's); null: the whole ward. Send it "
        "back as ?scope=1,2,3 with the cursor.",
    )
    server_time: datetime | SkipJsonSchema[None] = None
    ward: WardRef
    groups: list[dict]
    procedures: list[dict]
    shifts: list[dict] | SkipJsonSchema[None] = None
    households: list[HouseholdCopy]
    residents: list[ResidentCopy]
    deleted: Deleted
    followups: list[RecordSummary]
    recent: list[RecordSummary]


MODELS = [
    HouseholdItem,
    ResidentItem,
    RecordItem,
    PushRequest,
    PushResult,
    ServerState,
    PushResponse,
    Error,
    TooLarge,
    RecordSummary,
    PullResponse,
]


def component_schemas() -> dict:
    """Every model's JSON Schema (and the enums and parts they name), keyed as OpenAPI's
    components/schemas, references pointing there."""
    _keys, top = models_json_schema(
        [(model, "validation") for model in MODELS],
        ref_template="#/components/schemas/{model}",
    )
    definitions = top["$defs"]
    for schema in definitions.values():
        for prop in schema.get("properties", {}).values():
            if prop.get("default", 0) is None:
                del prop[
                    "default"
                ]  # "absent" in this API; a null default beside "integer" misleads
    return definitions
