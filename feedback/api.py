"""Ratings sent from phones: the hand-over screen keeps them on the phone until they go through,
so this takes a batch and stores each once (by the UUID made on the phone)."""

import uuid as uuid_module
from datetime import datetime, timedelta

from flask import jsonify, render_template, request
from flask_login import current_user
from sqlmodel import select

from assistance.models import AssistanceRecord, Kind, Place
from core import clock
from core.access import Role, allow
from core.db import get_session
from feedback import bp, queries
from feedback.forms import FACES, RatingForm

EDITORS = frozenset({Role.VOLUNTEER, Role.SECRETARY, Role.ADMIN})
MAX_ITEMS = 100
# A rating kept on a phone counts in the month it was given, if the phone's clock is believable:
# not in the future, not more than this long ago (else it counts when it arrived).
MAX_AGE = timedelta(days=30)


def _given_at(value) -> datetime:
    now = clock.now()
    try:
        at = datetime.fromisoformat(value) if isinstance(value, str) and len(value) <= 40 else None
    except ValueError:
        at = None
    if at is None or at.tzinfo is None:
        return now
    return at if now - MAX_AGE <= at <= now else now


def _uuid(value) -> str | None:
    try:
        return str(uuid_module.UUID(value)) if isinstance(value, str) and len(value) <= 36 else None
    except ValueError:
        return None


def _problem(item) -> str | None:
    if not isinstance(item, dict) or _uuid(item.get("uuid")) is None:
        return "uuid"
    rating = item.get("rating")
    if type(rating) is not int or not 1 <= rating <= 5:
        return "rating"
    if item.get("place") not in set(Place):
        return "place"
    if item.get("kind") is not None and item.get("kind") not in set(Kind):
        return "kind"
    if item.get("record_uuid") is not None and _uuid(item.get("record_uuid")) is None:
        return "record_uuid"
    comment = item.get("comment")
    if comment is not None and (not isinstance(comment, str) or len(comment) > 500):
        return "comment"
    return None


@bp.route("/api/ratings", methods=["POST"])
@allow(EDITORS)
def api_ratings():
    body = request.get_json(silent=True)
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list) or len(items) > MAX_ITEMS:
        return jsonify(error="items", message="Expected {items: [...]}, at most 100."), 400
    db = get_session()
    record_uuids = {_uuid(i.get("record_uuid")) for i in items if isinstance(i, dict)} - {None}
    records = {
        uuid: ward
        for uuid, ward in db.exec(
            select(AssistanceRecord.uuid, AssistanceRecord.ward_id).where(
                AssistanceRecord.uuid.in_(record_uuids)
            )
        ).all()
    }
    results = []
    for item in items:
        problem = _problem(item)
        if problem:
            results.append(
                {
                    "uuid": item.get("uuid") if isinstance(item, dict) else None,
                    "status": "rejected",
                    "field": problem,
                }
            )
            continue
        record_uuid = _uuid(item.get("record_uuid"))
        # The volunteer's ward; a record already on the server must be of that ward.
        ward_id = current_user.ward_id or records.get(record_uuid)
        if ward_id is None or (record_uuid in records and records[record_uuid] != ward_id):
            results.append({"uuid": item["uuid"], "status": "rejected", "field": "record_uuid"})
            continue
        queries.add_feedback(
            db,
            ward_id=ward_id,
            source="visit",
            place=item["place"],
            kind=item.get("kind"),
            record_uuid=record_uuid,
            rating=item["rating"],
            comment=item.get("comment"),
            uuid=_uuid(item["uuid"]),
            given_at=_given_at(item.get("given_at")),
        )
        results.append({"uuid": item["uuid"], "status": "stored"})
    db.commit()
    return jsonify(results=results)


@bp.route("/hand-over")
@allow(EDITORS)
def hand_over():
    """The rating screen drawn offline from the link's #record=…&place=…&kind=… (static/js/
    feedback.js keeps ratings on the phone until they are sent)."""
    return render_template("feedback/hand_over.html", form=RatingForm(), faces=FACES)
