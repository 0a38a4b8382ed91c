"""The log screen (an offline app shell), follow-ups, a record list and 24-hour corrections."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select
from wtforms.fields.choices import SelectChoice

from assistance import bp, catalogue, queries, records
from assistance.forms import RecordForm
from assistance.models import AssistanceRecord, Kind
from core import page_parts
from core.access import EVERY_ROLE, Role, allow, require_ward, ward_in_view_or_pick
from core.db import get_session
from core.params import query_int, query_page
from households.models import Resident
from households.queries import live_groups

EDITORS = frozenset({Role.VOLUNTEER, Role.SECRETARY, Role.ADMIN})


@bp.route("/log")
@allow(EDITORS)
def log():
    # Everything on this page is drawn from the phone's offline copy by static/js/log.js.
    return render_template("assistance/log.html")


@bp.route("/follow-ups")
@allow(EVERY_ROLE)
def followups():
    db = get_session()
    ward_id = ward_in_view_or_pick()
    groups = live_groups(db, ward_id=ward_id)
    group_id = query_int("group")
    if group_id not in {g.id for g in groups}:
        group_id = None
    kind = request.args.get("kind")
    if kind not in set(Kind):
        kind = None
    page = query_page()
    rows, total = queries.followup_rows(
        db,
        ward_id=ward_id,
        mine_first=current_user.id,
        group_id=group_id,
        kind=kind,
        page=page,
    )
    return render_template(
        "assistance/followups.html",
        rows=rows,
        total=total,
        page=page,
        page_size=queries.PAGE_SIZE,
        groups=groups,
        group_id=group_id,
        kind=kind,
        results=page_parts.ask("dossier_results", rows=rows),
    )


def household_visits(household_id: int) -> dict:
    """For the household page (households/ may not import assistance): its latest visits and
    their dossiers' results. The page has checked the ward already; corrections follow the usual
    rule, record by record."""
    rows, total = queries.household_rows(get_session(), household_id=household_id)
    return {
        "rows": rows,
        "total": total,
        "results": page_parts.ask("dossier_results", rows=rows),
        "may_correct": lambda record: records.may_correct(record, current_user),
        "may_log": current_user.role in EDITORS,
    }


@bp.record_once
def _lend_visits(state) -> None:
    page_parts.lend(state.app, "household_visits", household_visits)


@bp.route("/records")
@allow(EVERY_ROLE)
def record_list():
    db = get_session()
    ward_id = ward_in_view_or_pick()
    only_mine = current_user.role == Role.VOLUNTEER
    page = query_page()
    rows, total = queries.record_rows(
        db,
        ward_id=ward_id,
        volunteer_id=current_user.id if only_mine else None,
        page=page,
    )
    return render_template(
        "assistance/records.html",
        rows=rows,
        total=total,
        page=page,
        page_size=queries.PAGE_SIZE,
        only_mine=only_mine,
        may_correct=lambda record: records.may_correct(record, current_user),
        results=page_parts.ask("dossier_results", rows=rows),
    )


def _record_or_404(record_id: int) -> AssistanceRecord:
    record = get_session().get(AssistanceRecord, record_id)
    if record is None or record.deleted_at is not None:
        abort(404)
    require_ward(record.ward_id)
    return record


@bp.route("/records/<id:record_id>/edit", methods=["GET", "POST"])
@allow(EDITORS)
def record_edit(record_id: int):
    db = get_session()
    record = _record_or_404(record_id)
    if not records.may_correct(record, current_user):
        abort(403)
    residents = list(
        db.exec(
            select(Resident).where(
                Resident.household_id == record.household_id, Resident.deleted_at.is_(None)
            )
        ).all()
    )
    form = RecordForm(obj=record)
    form.procedure_id.choices = [SelectChoice(0, "—")] + [
        SelectChoice(p.id, p.name) for p in catalogue.procedures(db, ward_id=record.ward_id)
    ]
    form.resident_ids.choices = [
        SelectChoice(r.id, r.full_name or _("Sinh năm %(year)s", year=r.birth_year))
        for r in residents
    ]
    if request.method == "GET":
        form.resident_ids.data = records.resident_ids_of(db, record.id)
        form.procedure_id.data = record.procedure_id or 0
    if form.validate_on_submit():
        records.correct_record(
            db, record, form.values(), form.resident_ids.data, actor_id=current_user.id
        )
        db.commit()
        flash(_("Đã sửa bản ghi."), "success")
        return redirect(url_for("assistance.record_list"))
    return render_template("assistance/record_form.html", form=form, record=record)


@bp.route("/records/<id:record_id>/delete", methods=["POST"])
@allow(EDITORS)
def record_delete(record_id: int):
    db = get_session()
    record = _record_or_404(record_id)
    if not records.may_correct(record, current_user):
        abort(403)
    records.delete_record(db, record, actor_id=current_user.id)
    db.commit()
    flash(_("Đã xóa bản ghi."), "success")
    return redirect(url_for("assistance.record_list"))
