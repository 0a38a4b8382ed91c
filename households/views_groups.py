"""Adding, editing and deleting residential groups (tổ dân phố); their lists are in views.py."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import Session, select

from core import clock
from core.access import STAFF, allow, ward_in_view
from core.db import get_session
from households import bp
from households.forms import GroupForm
from households.lookup import group_or_404
from households.models import Household, ResidentialGroup

GROUP_MANAGERS = STAFF


def _number_taken(db: Session, ward_id: int, number: int, group_id: int | None) -> bool:
    query = select(ResidentialGroup.id).where(
        ResidentialGroup.ward_id == ward_id,
        ResidentialGroup.number == number,
        ResidentialGroup.deleted_at.is_(None),
    )
    return any(found != group_id for found in db.exec(query).all())


def _save_group(db: Session, form: GroupForm, group: ResidentialGroup) -> bool:
    if not form.validate_on_submit():
        return False
    if _number_taken(db, group.ward_id, form.number.data, group.id):
        form.number.errors.append(_("Phường đã có tổ số %(number)s.", number=form.number.data))
        return False
    form.populate_obj(group)
    db.add(group)
    db.commit()
    return True


@bp.route("/groups/new", methods=["GET", "POST"])
@allow(GROUP_MANAGERS)
def group_new():
    db = get_session()
    ward_id = ward_in_view()
    if ward_id is None:
        return redirect(url_for("households.wards"))
    form = GroupForm()
    group = ResidentialGroup(ward_id=ward_id, number=0, name="")
    if _save_group(db, form, group):
        flash(_("Đã thêm tổ %(number)s.", number=group.number), "success")
        return redirect(url_for("households.groups"))
    return render_template("households/group_form.html", form=form, group=None)


@bp.route("/groups/<id:group_id>/edit", methods=["GET", "POST"])
@allow(GROUP_MANAGERS)
def group_edit(group_id: int):
    db = get_session()
    group = group_or_404(db, group_id)
    form = GroupForm(obj=group)
    if _save_group(db, form, group):
        flash(_("Đã lưu tổ %(number)s.", number=group.number), "success")
        return redirect(url_for("households.group_detail", group_id=group.id))
    return render_template("households/group_form.html", form=form, group=group)


@bp.route("/groups/<id:group_id>/delete", methods=["POST"])
@allow(GROUP_MANAGERS)
def group_delete(group_id: int):
    db = get_session()
    group = group_or_404(db, group_id)
    households = db.exec(
        select(func.count(Household.id)).where(
            Household.group_id == group.id, Household.deleted_at.is_(None)
        )
    ).one()
    if households:
        flash(
            _(
                "Không thể xóa tổ %(number)s: tổ còn %(count)s hộ. "
                "Hãy chuyển hoặc xóa các hộ trước.",
                number=group.number,
                count=households,
            ),
            "error",
        )
        return redirect(url_for("households.group_detail", group_id=group.id))
    group.deleted_at = clock.now()
    db.commit()
    flash(_("Đã xóa tổ %(number)s.", number=group.number), "success")
    return redirect(url_for("households.groups"))
