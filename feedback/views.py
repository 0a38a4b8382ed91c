"""The volunteer's hand-over screen, the desk's printable sign and the ward's satisfaction."""

import segno
from flask import abort, render_template, request, url_for
from markupsafe import Markup
from sqlmodel import select

from assistance.models import AssistanceRecord
from core.access import STAFF, Role, allow, require_ward, ward_in_view_or_pick
from core.db import get_session
from eid_coverage import period
from feedback import bp, queries
from feedback.forms import FACES, RatingForm
from households.models import Ward

EDITORS = frozenset({Role.VOLUNTEER, Role.SECRETARY, Role.ADMIN})


def _record(record_uuid: str | None) -> AssistanceRecord:
    if not record_uuid or len(record_uuid) > 36:
        abort(404)
    db = get_session()
    query = select(AssistanceRecord).where(
        AssistanceRecord.uuid == record_uuid, AssistanceRecord.deleted_at.is_(None)
    )
    record = db.exec(query).first()
    if record is None:
        abort(404)
    require_ward(record.ward_id)
    return record


@bp.route("/rate", methods=["GET", "POST"])
@allow(EDITORS)
def rate():
    """After helping, the volunteer hands the phone over: faces and a comment, no name."""
    record = _record(request.args.get("record"))
    form = RatingForm()
    if form.validate_on_submit():
        db = get_session()
        queries.add_feedback(
            db,
            ward_id=record.ward_id,
            source="visit",
            place=record.place,
            kind=record.kind,
            record_uuid=record.uuid,
            rating=form.rating.data,
            comment=form.comment.data,
        )
        db.commit()
        return render_template("feedback/thanks.html", again=False)
    return render_template("feedback/rate.html", form=form, faces=FACES, record=record)


@bp.route("/desk/<id:ward_id>/sign")
@allow(STAFF)
def sign(ward_id: int):
    """An A4 sign for the desk with the QR code of the public page (SVG made here)."""
    ward = get_session().get(Ward, ward_id)
    if ward is None:
        abort(404)
    require_ward(ward.id)
    address = url_for("feedback.desk", ward_id=ward.id, _external=True)
    qr = segno.make(address, error="m")
    svg = qr.svg_inline(scale=10, title=address)
    return render_template("feedback/sign.html", ward=ward, qr=Markup(svg), address=address)


@bp.route("/")
@allow(STAFF)
def summary():
    ward_id = ward_in_view_or_pick()
    month = period.parse_month(request.args.get("month"))
    db = get_session()
    chosen = queries.satisfaction(
        db, ward_id=ward_id, starts_at=month.starts_at, ends_at=month.ends_at
    )
    year_start = period.for_month(month.first.replace(day=1).replace(year=month.first.year - 1))
    year = queries.satisfaction(
        db, ward_id=ward_id, starts_at=year_start.ends_at, ends_at=month.ends_at
    )
    return render_template(
        "feedback/summary.html",
        data=chosen,
        by_month=year.by_month,
        month=month,
        ward=db.get(Ward, ward_id),
        faces=FACES,
    )
