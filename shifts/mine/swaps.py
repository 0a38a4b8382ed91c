"""Swaps: a volunteer offers a shift to a named colleague or to anyone; another takes it over.

Accepting moves the offerer's place on the shift to the new volunteer in one step, under the same
shift lock as assignment, so two people accepting the same offer cannot both get it.
"""

from collections.abc import Callable
from datetime import datetime

from flask_babel import gettext as _
from sqlmodel import Session, select

from core.clock import as_utc
from shifts.models import Shift, SwapOffer, SwapStatus
from shifts.notices import log_change, notify, offered_to_anyone
from shifts.rota.assigning import SWAP, assignment_of, lock_shift, lock_volunteer
from shifts.rules import ShiftError, check_can_join, ward_volunteer


def offer(
    db: Session, *, shift_id: int, from_user_id: int, to_user_id: int | None, now: datetime
) -> SwapOffer:
    shift = lock_shift(db, shift_id)
    if assignment_of(db, shift_id=shift.id, user_id=from_user_id) is None:
        raise ShiftError(_("Bạn không có trong ca này."))
    if as_utc(shift.starts_at) <= now:
        raise ShiftError(_("Ca đã bắt đầu, không thể đổi nữa."))
    pending = db.exec(
        select(SwapOffer).where(
            SwapOffer.shift_id == shift.id,
            SwapOffer.from_user_id == from_user_id,
            SwapOffer.status == SwapStatus.OPEN,
        )
    ).first()
    if pending is not None:
        raise ShiftError(_("Bạn đã đề nghị đổi ca này rồi; hãy rút đề nghị cũ trước."), "user_id")
    if to_user_id:
        if to_user_id == from_user_id:
            raise ShiftError(_("Hãy chọn một người khác."), "user_id")
        # Said now rather than when they accept: the offerer can pick someone else at once.
        check_can_join(
            db,
            shift,
            ward_volunteer(db, user_id=to_user_id, ward_id=shift.ward_id),
            count_places=False,
        )
    swap = SwapOffer(
        shift_id=shift.id, from_user_id=from_user_id, to_user_id=to_user_id or None, created_at=now
    )
    db.add(swap)
    db.flush()
    log_change(
        db,
        shift,
        actor_id=from_user_id,
        action="swap_offer",
        changes={"offer_to": [None, to_user_id or None]},
        now=now,
    )
    if to_user_id:
        notify(
            db,
            user_id=to_user_id,
            kind="swap_offered",
            shift_id=shift.id,
            actor_id=from_user_id,
            now=now,
        )
    else:
        # Offered to anyone: the ward's other volunteers hear of it (inbox and push).
        offered_to_anyone(db, swap, shift, now=now)
    return swap


def accept(db: Session, *, swap_id: int, user_id: int, now: datetime) -> SwapOffer:
    swap = _swap(db, swap_id)
    shift = lock_shift(db, swap.shift_id)
    db.refresh(swap)  # read again under the lock: someone may have taken it meanwhile
    if swap.status != SwapStatus.OPEN:
        raise ShiftError(_("Lời đề nghị đổi ca này không còn hiệu lực."))
    if swap.to_user_id not in (None, user_id) or swap.from_user_id == user_id:
        raise ShiftError(_("Lời đề nghị đổi ca này không dành cho bạn."))
    if as_utc(shift.starts_at) <= now:
        raise ShiftError(_("Ca đã bắt đầu, không thể đổi nữa."))
    taker = lock_volunteer(db, user_id=user_id, ward_id=shift.ward_id)
    check_can_join(db, shift, taker, count_places=False)
    place = assignment_of(db, shift_id=shift.id, user_id=swap.from_user_id)
    if place is None:
        raise ShiftError(_("Lời đề nghị đổi ca này không còn hiệu lực."))
    place.user_id, place.source, place.created_by_id = taker.id, SWAP, taker.id
    place.check_in_at = place.check_out_at = place.attendance = place.marked_by_id = None
    swap.status, swap.accepted_by_id, swap.decided_at = SwapStatus.ACCEPTED, taker.id, now
    shift.updated_at = now
    db.flush()
    log_change(
        db,
        shift,
        actor_id=taker.id,
        action="swap_accept",
        changes={"volunteer": [swap.from_user_id, taker.id]},
        now=now,
    )
    notify(
        db,
        user_id=swap.from_user_id,
        kind="swap_accepted",
        shift_id=shift.id,
        actor_id=taker.id,
        now=now,
    )
    return swap


def withdraw(db: Session, *, swap_id: int, user_id: int, now: datetime) -> SwapOffer:
    swap, _shift = _close(
        db,
        swap_id,
        mine=lambda swap: swap.from_user_id == user_id,
        not_mine=_("Lời đề nghị đổi ca này không phải của bạn."),
        status=SwapStatus.WITHDRAWN,
        action="swap_withdraw",
        actor_id=user_id,
        now=now,
    )
    return swap


def decline(db: Session, *, swap_id: int, user_id: int, now: datetime) -> SwapOffer:
    swap, shift = _close(
        db,
        swap_id,
        mine=lambda swap: swap.to_user_id == user_id,
        not_mine=_("Lời đề nghị đổi ca này không dành cho bạn."),
        status=SwapStatus.DECLINED,
        action="swap_decline",
        actor_id=user_id,
        now=now,
    )
    notify(
        db,
        user_id=swap.from_user_id,
        kind="swap_declined",
        shift_id=shift.id,
        actor_id=user_id,
        now=now,
    )
    return swap


def _close(
    db: Session,
    swap_id: int,
    *,
    mine: Callable[[SwapOffer], bool],
    not_mine: str,
    status: str,
    action: str,
    actor_id: int,
    now: datetime,
) -> tuple[SwapOffer, Shift]:
    """An open offer ended without a taker, by the one it concerns, under the shift's lock."""
    swap = _swap(db, swap_id)
    shift = lock_shift(db, swap.shift_id)
    db.refresh(swap)  # read again under the lock: it may have been taken meanwhile
    if not mine(swap):
        raise ShiftError(not_mine)
    _still_open(swap)
    swap.status, swap.decided_at = status, now
    log_change(db, shift, actor_id=actor_id, action=action, now=now)
    return swap, shift


def _swap(db: Session, swap_id: int) -> SwapOffer:
    swap = db.get(SwapOffer, swap_id)
    if swap is None:
        raise ShiftError(_("Không tìm thấy lời đề nghị đổi ca này."))
    return swap


def _still_open(swap: SwapOffer) -> None:
    if swap.status != SwapStatus.OPEN:
        raise ShiftError(_("Lời đề nghị đổi ca này không còn hiệu lực."))
