"""The audit trail as a page: who changed what in the ward, newest first."""

from flask import render_template, request
from sqlmodel import select

from core.access import STAFF, allow, scoped_ward_id
from core.audit import AuditLog
from core.db import get_session
from core.params import query_page
from volunteer import bp
from volunteer.models import User

ENTITIES = ("household", "resident", "user")
PAGE_SIZE = 50


@bp.route("/activity")
@allow(STAFF)
def activity():
    db = get_session()
    page = query_page()
    entity = request.args.get("entity")
    query = select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc())
    ward_id = scoped_ward_id()
    if ward_id is not None:
        query = query.where(AuditLog.ward_id == ward_id)
    if entity in ENTITIES:
        query = query.where(AuditLog.entity == entity)
    entries = db.exec(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    actor_ids = {entry.actor_id for entry in entries if entry.actor_id}
    actors = {user.id: user for user in db.exec(select(User).where(User.id.in_(actor_ids))).all()}
    return render_template(
        "volunteer/activity.html",
        entries=entries[:PAGE_SIZE],
        has_more=len(entries) > PAGE_SIZE,
        actors=actors,
        entity=entity,
        entities=ENTITIES,
        page=page,
    )
