"""Builders for items pushed to /api/v1/push, shared by the sync tests."""

import uuid as uuid_module
from datetime import UTC, datetime

from sqlmodel import select

from core.db import get_session
from households.models import Household, Resident
from sync.pull import copied_residents as residents_of  # noqa: F401 - the tests' name


def new_uuid() -> str:
    return str(uuid_module.uuid4())


def uuid_of(model, row_id: int) -> str:
    return get_session().exec(select(model.uuid).where(model.id == row_id)).one()


def household_uuid(world, key: str) -> str:
    return uuid_of(Household, world.households[key])


def resident_uuid(world, key: str) -> str:
    return uuid_of(Resident, world.residents[key])


def record(household: str, **fields) -> dict:
    item = {
        "type": "record",
        "uuid": new_uuid(),
        "household_uuid": household,
        "resident_uuids": [],
        "kind": "guidance",
        "outcome": "done",
        "place": "home",
        "minutes": 10,
        "client_time": datetime(2026, 3, 2, 9, 30, tzinfo=UTC).isoformat(),
    }
    item.update(fields)
    return item


def household(group_id: int, **fields) -> dict:
    item = {
        "type": "household",
        "uuid": new_uuid(),
        "group_id": group_id,
        "address": "K99/1 Hà Huy Tập",
        "head_name": "Phan Văn Tài",
        "phone": "0905111222",
        "consent": True,
    }
    item.update(fields)
    return item


def resident(household_uuid_: str, **fields) -> dict:
    item = {
        "type": "resident",
        "uuid": new_uuid(),
        "household_uuid": household_uuid_,
        "full_name": "Phan Thị Mai",
        "birth_year": 1990,
    }
    item.update(fields)
    return item


def push(client, items: list):
    return client.post("/api/v1/push", json={"items": items})


def statuses(response) -> list[str]:
    return [result["status"] for result in response.get_json()["results"]]
