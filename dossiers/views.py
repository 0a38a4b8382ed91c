"""Recording a filed dossier's result, from the follow-ups or the record list."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assistance.models import AssistanceRecord, Procedure
from core import clock, page_parts
from core.access import Role, allow, require_ward
from core.clock import as_utc
from core.db import get_session
from dossiers import bp, results
from dossiers.forms import RESULT_LABELS, ResultForm
from dossiers.models import is_filed

EDITORS = frozenset({Role.VOLUNTEER, Role.SECRETARY, Role.ADMIN})


@bp.route("/records/<id:record_id>/dossier-result", methods=["GET", "POST"])
@allow(EDITORS)
def result(record_id: int):
    db = get_session()
    record = db.get(AssistanceRecord, record_id)
    if record is None or record.deleted_at is not None:
        abort(404)
    require_ward(record.ward_id)
    if not is_filed(record):
        abort(404)
    filed_on = clock.local_date(as_utc(record.client_time))
    existing = results.result_of(db, record.id)
    form = ResultForm(obj=existing, filed_on=filed_on)
    if existing is None and not form.is_submitted():
        form.result_on.data = clock.today()
    if form.validate_on_submit():
        results.record_result(
            db, record, result=form.result.data, on=form.result_on.data, actor_id=current_user.id
        )
        db.commit()
        flash(_("Đã ghi kết quả hồ sơ."), "success")
        return redirect(url_for("assistance.followups"))
    procedure = db.get(Procedure, record.procedure_id) if record.procedure_id else None
    return render_template(
        "dossiers/result_form.html",
        form=form,
        record=record,
        procedure=procedure,
        filed_on=filed_on,
    )


def dossier_results(rows) -> dict:
    """The recorded results of the dossiers among a list's records (one statement)."""
    ids = [row[0].id for row in rows if row[0].kind == "dossier"]
    return results.results_for(get_session(), ids)


@bp.record_once
def _lend_results(state) -> None:
    # The record lists (assistance) and the household page (households) sit below dossiers.
    page_parts.lend(state.app, "dossier_results", dossier_results)


@bp.app_template_global("dossier_result_choices")
def dossier_result_choices() -> list[tuple[str, str]]:
    """The result form's choices, for the log screen's offline form."""
    return [(key.value, str(label)) for key, label in RESULT_LABELS.items()]
