"""A password replaced, by its owner or by a manager: the one way it happens."""

from datetime import datetime

from sqlmodel import Session

from core import audit
from volunteer.models import User


def replace(
    db: Session, user: User, password: str, *, actor_id: int, action: str, now: datetime
) -> None:
    """New hash, every session issued so far ended (whoever knew the old password is signed
    out everywhere), and an audit entry saying who did it. The caller commits."""
    user.set_password(password)
    user.end_sessions()
    user.updated_at = now
    audit.record(
        db,
        actor_id=actor_id,
        ward_id=user.ward_id,
        entity="user",
        entity_id=user.id,
        action=action,
        at=now,
    )
