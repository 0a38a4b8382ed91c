"""The secretary's screen of volunteers against residential groups: who works where, which
groups nobody covers, and a one-tap grid to change a volunteer's groups (audited)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from core.access import MANAGERS, Role, allow, ward_in_view_or_pick
from core.db import get_session
from core.text import given_name_key
from households import assignments, queries
from volunteer import bp
from volunteer.forms import GroupsForm
from volunteer.models import User
from volunteer.roles import manageable_user


@bp.route("/users/groups")
@allow(MANAGERS)
def group_assignments():
    db = get_session()
    ward_id = ward_in_view_or_pick()
    volunteers = db.exec(
        select(User).where(
            User.ward_id == ward_id, User.role == Role.VOLUNTEER, User.active.is_(True)
        )
    ).all()
    volunteers = sorted(volunteers, key=lambda user: given_name_key(user.full_name))
    groups = queries.live_groups(db, ward_id=ward_id)
    numbers = {group.id: group.number for group in groups}
    mine = assignments.ward_assignments(db, ward_id=ward_id)
    covered = set().union(*mine.values()) if mine else set()
    return render_template(
        "volunteer/group_assignments.html",
        volunteers=volunteers,
        numbers_of={
            user.id: sorted(numbers[g] for g in mine.get(user.id, ()) if g in numbers)
            for user in volunteers
        },
        uncovered=[group.number for group in groups if group.id not in covered],
    )


@bp.route("/users/<id:user_id>/groups", methods=["GET", "POST"])
@allow(MANAGERS)
def user_groups(user_id: int):
    db = get_session()
    user = manageable_user(db, user_id)
    if user.role != Role.VOLUNTEER or user.ward_id is None:
        abort(404)
    groups = queries.live_groups(db, ward_id=user.ward_id)
    form = GroupsForm()
    form.groups.choices = [(group.id, str(group.number)) for group in groups]
    if not form.is_submitted():
        form.groups.data = sorted(assignments.group_ids_of(db, user_id=user.id))
    if form.validate_on_submit():
        changed = assignments.set_groups(
            db,
            user_id=user.id,
            ward_id=user.ward_id,
            group_ids=set(form.groups.data or ()),
            actor_id=current_user.id,
        )
        db.commit()
        if changed:
            flash(_("Đã lưu tổ phụ trách của %(name)s.", name=user.full_name), "success")
        return redirect(url_for("volunteer.group_assignments"))
    return render_template(
        "volunteer/user_groups.html",
        user=user,
        form=form,
        groups=groups,
        chosen=set(form.groups.data or ()),
    )
