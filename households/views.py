"""Registry screens: groups with counts, a group's households, search, households and residents."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import Session
from wtforms.fields.choices import SelectChoice

from core import page_parts
from core.access import EVERY_ROLE, MANAGERS, Role, allow, require_ward, ward_in_view
from core.db import get_session
from core.params import query_page
from households import assignments, bp, queries, registry
from households.forms import HouseholdForm, ResidentForm
from households.lookup import group_or_404, household_or_404, resident_or_404
from households.models import ADULT_AGE, Ward

EDITORS = frozenset({Role.VOLUNTEER, Role.SECRETARY, Role.ADMIN})


def _page() -> int:
    return query_page()


def _page_size() -> int:
    return current_app.config["PAGE_SIZE"]


@bp.route("/groups")
@allow(EVERY_ROLE)
def groups():
    db = get_session()
    ward_id = ward_in_view()
    ward = db.get(Ward, ward_id) if ward_id else None
    if ward is None:
        if current_user.role == Role.ADMIN:
            return redirect(url_for("households.wards"))
        abort(404)
    counts = queries.group_counts(db, ward_id=ward.id)
    mine = assignments.group_ids_of(db, user_id=current_user.id)
    groups = queries.live_groups(db, ward_id=ward.id)
    return render_template(
        "households/groups.html",
        ward=ward,
        groups=sorted(groups, key=lambda group: group.id not in mine),  # my groups first
        mine=mine,
        counts=counts,
        totals=queries.ward_totals(counts),
    )


@bp.route("/groups/<id:group_id>")
@allow(EVERY_ROLE)
def group_detail(group_id: int):
    db = get_session()
    group = group_or_404(db, group_id)
    text = request.args.get("q", "").strip()
    rows, total = queries.search_households(
        db,
        ward_id=group.ward_id,
        group_id=group.id,
        text=text,
        page=_page(),
        page_size=_page_size(),
    )
    households = [household for household, _group in rows]
    return render_template(
        "households/group.html",
        group=group,
        households=households,
        residents=queries.residents_of(db, [h.id for h in households]),
        total=total,
        page=_page(),
        page_size=_page_size(),
        q=text,
        counts=queries.group_counts(db, ward_id=group.ward_id).get(group.id),
    )


@bp.route("/search")
@allow(EVERY_ROLE)
def search():
    db = get_session()
    ward_id = ward_in_view()
    if ward_id is None:
        return redirect(url_for("households.wards"))
    require_ward(ward_id)
    text = request.args.get("q", "").strip()
    rows, total = (
        queries.search_households(
            db, ward_id=ward_id, text=text, page=_page(), page_size=_page_size()
        )
        if text
        else ([], 0)
    )
    households = [household for household, _group in rows]
    return render_template(
        "households/search.html",
        rows=rows,
        residents=queries.residents_of(db, [h.id for h in households]),
        total=total,
        page=_page(),
        page_size=_page_size(),
        q=text,
    )


def _household_data(form: HouseholdForm) -> registry.HouseholdData:
    return registry.HouseholdData(
        group_id=form.group_id.data,
        address=form.address.data,
        head_name=form.head_name.data,
        phone=form.phone.data,
        note=form.note.data,
        consent=form.consent.data,
    )


def _group_choices(db: Session, ward_id: int) -> list[tuple[int, str]]:
    return [
        SelectChoice(g.id, f"{_('Tổ')} {g.number} – {g.name}")
        for g in queries.live_groups(db, ward_id=ward_id)
    ]


@bp.route("/groups/<id:group_id>/households/new", methods=["GET", "POST"])
@allow(EDITORS)
def household_new(group_id: int):
    db = get_session()
    group = group_or_404(db, group_id)
    form = HouseholdForm(group_id=group.id, consent=True)
    form.group_id.choices = _group_choices(db, group.ward_id)
    if form.validate_on_submit():
        household = registry.create_household(db, _household_data(form), actor_id=current_user.id)
        db.commit()
        flash(_("Đã thêm hộ %(address)s.", address=household.address), "success")
        return redirect(url_for("households.household_detail", household_id=household.id))
    return render_template("households/household_form.html", form=form, group=group, household=None)


@bp.route("/households/<id:household_id>")
@allow(EVERY_ROLE)
def household_detail(household_id: int):
    db = get_session()
    household, group = household_or_404(db, household_id)
    return render_template(
        "households/household.html",
        household=household,
        group=group,
        residents=queries.residents_of(db, [household.id])[household.id],
        adult_limit=queries.adult_birth_year_limit(),
        adult_age=ADULT_AGE,
        can_edit=current_user.role in EDITORS,
        can_delete=current_user.role in MANAGERS,
        visits=page_parts.ask("household_visits", household_id=household.id),
    )


@bp.route("/households/<id:household_id>/edit", methods=["GET", "POST"])
@allow(EDITORS)
def household_edit(household_id: int):
    db = get_session()
    household, group = household_or_404(db, household_id)
    form = HouseholdForm(obj=household)
    form.group_id.choices = _group_choices(db, group.ward_id)
    if form.validate_on_submit():
        registry.update_household(db, household, _household_data(form), actor_id=current_user.id)
        db.commit()
        flash(_("Đã lưu hộ %(address)s.", address=household.address), "success")
        return redirect(url_for("households.household_detail", household_id=household.id))
    return render_template(
        "households/household_form.html", form=form, group=group, household=household
    )


@bp.route("/households/<id:household_id>/delete", methods=["POST"])
@allow(MANAGERS)
def household_delete(household_id: int):
    db = get_session()
    household, group = household_or_404(db, household_id)
    registry.delete_household(db, household, actor_id=current_user.id)
    db.commit()
    flash(_("Đã xóa hộ %(address)s.", address=household.address), "success")
    return redirect(url_for("households.group_detail", group_id=group.id))


def _resident_data(form: ResidentForm) -> registry.ResidentData:
    return registry.ResidentData(
        full_name=form.full_name.data,
        birth_year=form.birth_year.data,
        eid_level=form.eid_level.data,
        eid_confirmed_on=form.eid_confirmed_on.data,
    )


@bp.route("/households/<id:household_id>/residents/new", methods=["GET", "POST"])
@allow(EDITORS)
def resident_new(household_id: int):
    db = get_session()
    household, group = household_or_404(db, household_id)
    form = ResidentForm(consent=household.consent)
    if form.validate_on_submit():
        registry.create_resident(db, household, _resident_data(form), actor_id=current_user.id)
        db.commit()
        flash(_("Đã thêm người vào hộ."), "success")
        return redirect(url_for("households.household_detail", household_id=household.id))
    return render_template(
        "households/resident_form.html", form=form, household=household, group=group, resident=None
    )


@bp.route("/residents/<id:resident_id>/edit", methods=["GET", "POST"])
@allow(EDITORS)
def resident_edit(resident_id: int):
    db = get_session()
    resident, household, group = resident_or_404(db, resident_id)
    form = ResidentForm(obj=resident, consent=household.consent)
    if form.validate_on_submit():
        registry.update_resident(
            db, household, resident, _resident_data(form), actor_id=current_user.id
        )
        db.commit()
        flash(_("Đã lưu thông tin người dân."), "success")
        return redirect(url_for("households.household_detail", household_id=household.id))
    return render_template(
        "households/resident_form.html",
        form=form,
        household=household,
        group=group,
        resident=resident,
    )


@bp.route("/residents/<id:resident_id>/delete", methods=["POST"])
@allow(MANAGERS)
def resident_delete(resident_id: int):
    db = get_session()
    resident, household, _group = resident_or_404(db, resident_id)
    registry.delete_resident(db, household, resident, actor_id=current_user.id)
    db.commit()
    flash(_("Đã xóa người dân khỏi hộ."), "success")
    return redirect(url_for("households.household_detail", household_id=household.id))
