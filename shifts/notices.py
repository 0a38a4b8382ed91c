"""What volunteers are told (notices shown on their next visit) and what the secretary sees
(every rota change, kept in the shared audit trail under the entity "shift")."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from core import audit, clock
from notifications.events import shift_news
from shifts.models import Assignment, Notice, Shift

SHIFT_ENTITY = "shift"

NOTICE_TEXT = {
    "cancelled": _l("Ca của bạn đã bị hủy"),
    "assigned": _l("Bạn được xếp vào ca"),
    "unassigned": _l("Bạn được rút khỏi ca"),
    "swap_offered": _l("Có người muốn nhường ca cho bạn"),
    "swap_accepted": _l("Đã có người nhận ca bạn nhường"),
    "swap_declined": _l("Lời đề nghị đổi ca bị từ chối"),
    "changed": _l("Giờ ca của bạn đã thay đổi"),
}

CHANGE_TEXT = {
    "create": _l("tạo ca"),
    "assign": _l("xếp người"),
    "unassign": _l("rút người"),
    "signup": _l("tự đăng ký"),
    "release": _l("trả ca"),
    "swap_offer": _l("đề nghị đổi ca"),
    "swap_accept": _l("nhận đổi ca"),
    "swap_withdraw": _l("rút đề nghị đổi ca"),
    "swap_decline": _l("từ chối đổi ca"),
    "cancel": _l("hủy ca"),
    "revive": _l("mở lại ca"),
    "update": _l("sửa ca theo lịch mới"),
    "attendance": _l("điểm danh"),
}


def notify(
    db: Session,
    *,
    user_id: int,
    kind: str,
    shift_id: int | None = None,
    detail: str | None = None,
    actor_id: int | None = None,
    now: datetime | None = None,
) -> None:
    now = now or clock.now()
    db.add(
        Notice(
            created_at=now,
            user_id=user_id,
            kind=kind,
            shift_id=shift_id,
            detail=(detail or None) and detail[:200],
            actor_id=actor_id,
        )
    )
    # The same news goes to the notifications inbox and, where the phone allows, as a push.
    shift_news(
        db,
        user_id=user_id,
        kind=kind,
        title=NOTICE_TEXT.get(kind, kind),
        shift_id=shift_id,
        detail=detail,
        now=now,
    )


def tell_assigned(
    db: Session,
    shift: Shift,
    *,
    kind: str,
    actor_id: int | None,
    detail: str | None = None,
    now: datetime | None = None,
) -> int:
    """The same notice to everyone on the shift; returns how many were told."""
    user_ids = db.exec(select(Assignment.user_id).where(Assignment.shift_id == shift.id)).all()
    for user_id in user_ids:
        notify(
            db,
            user_id=user_id,
            kind=kind,
            shift_id=shift.id,
            detail=detail,
            actor_id=actor_id,
            now=now,
        )
    return len(user_ids)


def log_change(
    db: Session,
    shift: Shift,
    *,
    actor_id: int | None,
    action: str,
    changes: dict | None = None,
    now: datetime | None = None,
) -> None:
    audit.record(
        db,
        actor_id=actor_id,
        ward_id=shift.ward_id,
        entity=SHIFT_ENTITY,
        entity_id=shift.id,
        action=action,
        changes=changes,
        at=now,
    )


def unread(db: Session, *, user_id: int) -> list[Notice]:
    query = (
        select(Notice)
        .where(Notice.user_id == user_id, Notice.read_at.is_(None))
        .order_by(Notice.created_at.desc(), Notice.id.desc())
    )
    return list(db.exec(query).all())


def mark_read(db: Session, *, user_id: int, now: datetime) -> None:
    for notice in unread(db, user_id=user_id):
        notice.read_at = now
