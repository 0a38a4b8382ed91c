"""Account management: the secretary runs the ward's volunteers; the admin runs everyone."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import Session, select
from wtforms.fields.choices import SelectChoice

from core import audit, clock
from core.access import MANAGERS, Role, allow
from core.db import get_session
from core.text import given_name_key, normalize_phone
from households.models import Ward
from volunteer import bp, passwords
from volunteer.forms import ResetPasswordForm, UserForm
from volunteer.models import User
from volunteer.roles import ROLE_LABELS, manageable_user

AUDITED_FIELDS = ["username", "full_name", "phone", "role", "ward_id", "active"]


def _prepare_form(form: UserForm, db: Session) -> None:
    if current_user.role == Role.ADMIN:
        form.role.choices = [SelectChoice(role.value, ROLE_LABELS[role]) for role in Role]
        wards = db.exec(select(Ward).order_by(Ward.name)).all()
        form.ward_id.choices = [SelectChoice(0, _("— Không thuộc phường (quản trị) —"))] + [
            SelectChoice(ward.id, ward.name) for ward in wards
        ]
    else:
        form.role.choices = [SelectChoice(Role.VOLUNTEER.value, ROLE_LABELS[Role.VOLUNTEER])]
        ward = db.get(Ward, current_user.ward_id)
        form.ward_id.choices = [SelectChoice(ward.id, ward.name)]


def _validate_user_form(form: UserForm, db: Session, user: User | None) -> bool:
    if not form.validate_on_submit():
        return False
    taken = db.exec(select(User).where(User.username == form.username.data)).first()
    if taken is not None and (user is None or taken.id != user.id):
        form.username.errors.append(_("Tên đăng nhập này đã có người dùng."))
    if user is None and not form.password.data:
        form.password.errors.append(_("Hãy đặt mật khẩu ban đầu."))
    if user is not None and user.id == current_user.id and form.role.data != user.role:
        form.role.errors.append(_("Bạn không thể tự đổi vai trò của mình."))
    if form.role.data != Role.ADMIN and not form.ward_id.data:
        form.ward_id.errors.append(_("Tài khoản này cần thuộc một phường."))
    return not (
        form.username.errors or form.password.errors or form.ward_id.errors or form.role.errors
    )


def _apply(form: UserForm, user: User) -> None:
    user.username = form.username.data
    user.full_name = form.full_name.data
    user.phone = normalize_phone(form.phone.data)
    user.role = form.role.data
    user.ward_id = None if form.role.data == Role.ADMIN else form.ward_id.data
    user.updated_at = clock.now()


@bp.route("/users")
@allow(MANAGERS)
def users():
    db = get_session()
    query = select(User)
    if current_user.role != Role.ADMIN:
        query = query.where(User.ward_id == current_user.ward_id, User.role == Role.VOLUNTEER)
    # Active accounts first, each role in Vietnamese roster order (by given name).
    listed = sorted(
        db.exec(query).all(),
        key=lambda user: (not user.active, user.role, given_name_key(user.full_name)),
    )
    wards = {ward.id: ward.name for ward in db.exec(select(Ward)).all()}
    return render_template(
        "volunteer/users.html", users=listed, wards=wards, role_labels=ROLE_LABELS
    )


@bp.route("/users/new", methods=["GET", "POST"])
@allow(MANAGERS)
def user_new():
    db = get_session()
    form = UserForm(role=Role.VOLUNTEER.value, ward_id=current_user.ward_id or 0)
    _prepare_form(form, db)
    if _validate_user_form(form, db, None):
        user = User(password_hash="")
        _apply(form, user)
        user.set_password(form.password.data)
        db.add(user)
        db.flush()
        audit.record(
            db,
            actor_id=current_user.id,
            ward_id=user.ward_id,
            entity="user",
            entity_id=user.id,
            action="create",
            changes=audit.diff({}, audit.snapshot(user, AUDITED_FIELDS)),
        )
        db.commit()
        flash(_("Đã tạo tài khoản %(username)s.", username=user.username), "success")
        return redirect(url_for("volunteer.users"))
    return render_template("volunteer/user_form.html", form=form, user=None)


@bp.route("/users/<id:user_id>/edit", methods=["GET", "POST"])
@allow(MANAGERS)
def user_edit(user_id: int):
    db = get_session()
    user = manageable_user(db, user_id)
    form = UserForm(obj=user)
    if not form.is_submitted():
        form.ward_id.data = user.ward_id or 0
    _prepare_form(form, db)
    if _validate_user_form(form, db, user):
        before, old_role = audit.snapshot(user, AUDITED_FIELDS), user.role
        _apply(form, user)
        if user.role != old_role:
            user.end_sessions()  # signed in again, the menus and rights are the new role's
        audit.record(
            db,
            actor_id=current_user.id,
            ward_id=user.ward_id,
            entity="user",
            entity_id=user.id,
            action="update",
            changes=audit.diff(before, audit.snapshot(user, AUDITED_FIELDS)),
        )
        db.commit()
        flash(_("Đã lưu tài khoản %(username)s.", username=user.username), "success")
        return redirect(url_for("volunteer.users"))
    return render_template("volunteer/user_form.html", form=form, user=user)


@bp.route("/users/<id:user_id>/active", methods=["POST"])
@allow(MANAGERS)
def user_toggle_active(user_id: int):
    db = get_session()
    user = manageable_user(db, user_id)
    if user.id == current_user.id:
        flash(_("Bạn không thể tự khóa tài khoản của mình."), "error")
        return redirect(url_for("volunteer.users"))
    user.active = not user.active
    if not user.active:
        user.end_sessions()  # a later reactivation must not revive the old sessions
    user.updated_at = clock.now()
    audit.record(
        db,
        actor_id=current_user.id,
        ward_id=user.ward_id,
        entity="user",
        entity_id=user.id,
        action="activate" if user.active else "deactivate",
        changes={"active": [not user.active, user.active]},
    )
    db.commit()
    if user.active:
        flash(_("Đã mở lại tài khoản %(username)s.", username=user.username), "success")
    else:
        flash(_("Đã khóa tài khoản %(username)s.", username=user.username), "success")
    return redirect(url_for("volunteer.users"))


@bp.route("/users/<id:user_id>/reset", methods=["GET", "POST"])
@allow(MANAGERS)
def user_reset_password(user_id: int):
    db = get_session()
    user = manageable_user(db, user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        passwords.replace(
            db,
            user,
            form.password.data,
            actor_id=current_user.id,
            action="password_reset",
            now=clock.now(),
        )
        db.commit()
        flash(_("Đã đặt lại mật khẩu cho %(username)s.", username=user.username), "success")
        return redirect(url_for("volunteer.users"))
    return render_template("volunteer/reset_password.html", form=form, user=user)
