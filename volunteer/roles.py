"""What the account pages call each role, and which account a manager may change."""

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlmodel import Session

from core.access import Role, require_ward
from volunteer.models import User

ROLE_LABELS = {
    Role.VOLUNTEER: _l("Tình nguyện viên"),
    Role.SECRETARY: _l("Bí thư Đoàn"),
    Role.WARD_OFFICER: _l("Cán bộ phường"),
    Role.ADMIN: _l("Quản trị"),
}


def manageable_user(db: Session, user_id: int) -> User:
    """The account, if the signed-in manager may change it: the admin any, a secretary only the
    volunteers of their own ward (another ward's answers 404, a fellow manager's 403)."""
    user = db.get(User, user_id)
    if user is None:
        abort(404)
    if current_user.role != Role.ADMIN:
        require_ward(user.ward_id or -1)
        if user.role != Role.VOLUNTEER:
            abort(403)
    return user
