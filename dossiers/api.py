"""Results recorded on the log screen without signal: static/js/dossier-result.js keeps them on
the phone and sends them here in a batch; each is stored like the result form's, in order."""

import uuid as uuid_module
from datetime import date, datetime, timedelta

from flask import jsonify, request
from flask_login import current_user
from sqlmodel import select

from assistance.models import AssistanceRecord
from core import clock
from core.access import Role, allow, may_see_ward
from core.clock import as_utc
from core.db import get_session
from dossiers import bp, results
from dossiers.models import Result, is_filed

EDITORS = frozenset({Role.VOLUNTEER, Role.SECRETARY, Role.ADMIN})
MAX_ITEMS = 100
# The phone's time of the result, if believable (not ahead, not older than this): a result kept
# on a phone does not overwrite one recorded on the server after it.
MAX_AGE = timedelta(days=30)


def _uuid(value) -> str | None:
    try:
        return str(uuid_module.UUID(value)) if isinstance(value, str) and len(value) <= 36 else None
    except ValueError:
        return None


def _day(value) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def _noted_at(value) -> datetime | None:
    try:
        at = datetime.fromisoformat(value) if isinstance(value, str) and len(value) <= 40 else None
    except ValueError:
        return None
    if at is None or at.tzinfo is None:
        return None
    now = clock.now()
    return at if now - MAX_AGE <= at <= now else None


def _problem(item) -> str | None:
    if not isinstance(item, dict) or _uuid(item.get("uuid")) is None:
        return "uuid"
    if _uuid(item.get("record_uuid")) is None:
        return "record_uuid"
    if item.get("result") not in set(Result):
        return "result"
    if _day(item.get("result_on")) is None:
        return "result_on"
    return None


def _store(db, item, record: AssistanceRecord | None) -> dict:
    answer = {"uuid": item["uuid"]}
    if record is None:  # its filing may still be on the phone: sent again later
        return answer | {"status": "waiting"}
    if not may_see_ward(record.ward_id) or not is_filed(record):
        return answer | {"status": "rejected", "field": "record_uuid"}
    on = _day(item["result_on"])
    if not clock.local_date(as_utc(record.client_time)) <= on <= clock.today():
        return answer | {"status": "rejected", "field": "result_on"}
    existing = results.result_of(db, record.id)
    noted_at = _noted_at(item.get("noted_at"))
    if existing is not None and (
        (existing.result, existing.result_on) == (item["result"], on)
        or (noted_at is not None and as_utc(existing.recorded_at) > noted_at)
    ):
        return answer | {"status": "stored"}  # sent twice, or a later result is already here
    results.record_result(db, record, result=item["result"], on=on, actor_id=current_user.id)
    return answer | {"status": "stored"}


@bp.route("/dossiers/api/results", methods=["POST"])
@allow(EDITORS)
def api_results():
    body = request.get_json(silent=True)
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list) or len(items) > MAX_ITEMS:
        return jsonify(error="items", message="Expected {items: [...]}, at most 100."), 400
    db = get_session()
    wanted = {_uuid(i.get("record_uuid")) for i in items if isinstance(i, dict)} - {None}
    records = {
        record.uuid: record
        for record in db.exec(
            select(AssistanceRecord).where(
                AssistanceRecord.uuid.in_(wanted), AssistanceRecord.deleted_at.is_(None)
            )
        ).all()
    }
    answers = []
    for item in items:
        problem = _problem(item)
        if problem:
            uuid = item.get("uuid") if isinstance(item, dict) else None
            answers.append({"uuid": uuid, "status": "rejected", "field": problem})
            continue
        answers.append(_store(db, item, records.get(_uuid(item["record_uuid"]))))
    db.commit()
    return jsonify(results=answers)
