"""The ward's procedure catalogue, edited by the secretary."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assistance import bp, catalogue
from assistance.forms import ProcedureForm
from assistance.labels import MODE_LABELS
from assistance.models import Procedure
from core.access import MANAGERS, allow, require_ward, ward_in_view_or_pick
from core.db import get_session


@bp.route("/procedures")
@allow(MANAGERS)
def procedures():
    db = get_session()
    ward_id = ward_in_view_or_pick()
    catalogue.ensure_seeded(db, ward_id)
    db.commit()
    return render_template(
        "assistance/procedures.html",
        procedures=catalogue.procedures(db, ward_id=ward_id),
        modes=MODE_LABELS,
    )


@bp.route("/procedures/new", methods=["GET", "POST"])
@allow(MANAGERS)
def procedure_new():
    return _edit(Procedure(ward_id=ward_in_view_or_pick(), code="", name=""))


@bp.route("/procedures/<id:procedure_id>/edit", methods=["GET", "POST"])
@allow(MANAGERS)
def procedure_edit(procedure_id: int):
    procedure = get_session().get(Procedure, procedure_id)
    if procedure is None:
        abort(404)
    require_ward(procedure.ward_id)
    return _edit(procedure)


def _edit(procedure: Procedure):
    db = get_session()
    form = ProcedureForm(obj=procedure)
    if form.validate_on_submit():
        values = {
            "name": form.name.data,
            "mode": form.mode.data,
            "active": form.active.data,
            "position": form.position.data or 0,
        }
        if procedure.id is None:
            values["code"] = catalogue.new_code(db, procedure.ward_id, form.name.data)
        catalogue.save_procedure(db, procedure, values, actor_id=current_user.id)
        db.commit()
        flash(_("Đã lưu thủ tục %(name)s.", name=procedure.name), "success")
        return redirect(url_for("assistance.procedures"))
    return render_template("assistance/procedure_form.html", form=form, procedure=procedure)
