"""What volunteers are told and what the secretary sees (every rota change, kept in the shared
audit trail under the entity "shift").

The rota only announces its news, as blinker signals (Flask's own signalling library); the
notifications package, above this one, subscribes and writes the inbox row and the push. So the
rota never imports the inbox, and a volunteer has one inbox and one unread count.
"""

from datetime import datetime

from blinker import Namespace
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from core import audit, clock
from shifts.models import Assignment, Shift, SwapOffer

_signals = Namespace()
# send(db, user_id=, kind=, title=, shift_id=, detail=, actor_id=, now=): one volunteer told.
shift_notice = _signals.signal("shift-notice")
# send(db, swap=, shift=, now=): a shift offered to anyone in the ward.
swap_opened = _signals.signal("swap-opened")

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
    """One volunteer told of a change to a shift; `kind` is a key of NOTICE_TEXT."""
    shift_notice.send(
        db,
        user_id=user_id,
        kind=kind,
        title=NOTICE_TEXT.get(kind, kind),
        shift_id=shift_id,
        detail=(detail or None) and detail[:200],
        actor_id=actor_id,
        now=now or clock.now(),
    )


def offered_to_anyone(db: Session, swap: SwapOffer, shift: Shift, *, now: datetime) -> None:
    swap_opened.send(db, swap=swap, shift=shift, now=now)


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
