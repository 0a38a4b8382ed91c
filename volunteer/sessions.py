"""Which account a session or remember-me cookie belongs to (Flask-Login's user loader)."""

from core.db import get_session
from volunteer.models import User


def load_user(session_id: str) -> User | None:
    """The user of a session or remember-me cookie ("id:version", see User.get_id), unless the
    version has moved on since it was issued or the account is locked. A bare "id" is a session
    from before versions existed: version 0."""
    user_id, _, version = session_id.partition(":")
    try:
        user_id, version = int(user_id), int(version or 0)
    except ValueError:
        return None
    if not 0 < user_id < 2**63:  # beyond any database's integer
        return None
    user = get_session().get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    return user
