"""The admin's wards: the list, adding one, renaming one."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlmodel import Session, select

from core.access import Role, allow
from core.db import get_session
from households import bp, queries
from households.forms import WardForm
from households.models import Ward


@bp.route("/wards")
@allow(Role.ADMIN)
def wards():
    return render_template("households/wards.html", wards=queries.wards(get_session()))


def _save_ward(db: Session, form: WardForm, ward: Ward) -> bool:
    if not form.validate_on_submit():
        return False
    clash = db.exec(
        select(Ward).where(Ward.name == form.name.data, Ward.province == form.province.data)
    ).first()
    if clash is not None and clash.id != ward.id:
        form.name.errors.append(_("Phường này đã có."))
        return False
    form.populate_obj(ward)
    db.add(ward)
    db.commit()
    return True


@bp.route("/wards/new", methods=["GET", "POST"])
@allow(Role.ADMIN)
def ward_new():
    db = get_session()
    form = WardForm()
    ward = Ward(name="", province="")
    if _save_ward(db, form, ward):
        flash(_("Đã thêm phường %(name)s.", name=ward.name), "success")
        return redirect(url_for("households.wards"))
    return render_template("households/ward_form.html", form=form, ward=None)


@bp.route("/wards/<id:ward_id>/edit", methods=["GET", "POST"])
@allow(Role.ADMIN)
def ward_edit(ward_id: int):
    db = get_session()
    ward = db.get(Ward, ward_id)
    if ward is None:
        abort(404)
    form = WardForm(obj=ward)
    if _save_ward(db, form, ward):
        flash(_("Đã lưu phường %(name)s.", name=ward.name), "success")
        return redirect(url_for("households.wards"))
    return render_template("households/ward_form.html", form=form, ward=ward)
