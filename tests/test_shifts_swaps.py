"""Swaps: offer to a named volunteer or to anyone, accept, decline, withdraw; the secretary sees it."""

from datetime import timedelta

from sqlmodel import select

from core.access import Role
from core.db import get_session
from shifts.mine import swaps
from shifts.models import SwapOffer, SwapStatus
from shifts.rules import ShiftError
from tests.factories import add_user
from tests.helpers import page_text
from tests.shifts_support import MONDAY, NOW, freeze, make_shift, notices_of, people_on, put_on

WEDNESDAY = MONDAY + timedelta(days=2)


def _offer_id(app) -> int:
    with app.test_request_context():
        return get_session().exec(select(SwapOffer.id)).one()


def test_named_swap_flow_updates_both_rotas_and_the_secretary_sees_it(
    app, world, auth, time_machine
):
    freeze(time_machine)
    with app.test_request_context():
        db = get_session()
        shift = make_shift(db, world.ward_a, WEDNESDAY)
        put_on(db, shift, world.users["tnv01"])
    auth.login("tnv01")
    assert "07:30–11:30" in page_text(auth.client.get("/shifts/mine"))
    response = auth.client.post(f"/shifts/{shift.id}/swap", data={"user_id": world.users["tnv02"]})
    assert response.status_code == 302
    assert "Đang chờ Người dùng tnv02 nhận ca" in page_text(auth.client.get("/shifts/mine"))
    auth.logout()

    auth.login("tnv02")
    mine = page_text(auth.client.get("/shifts/mine"))
    assert "Người dùng tnv01 muốn nhường ca này cho bạn" in mine
    accepted = auth.client.post(f"/shifts/swaps/{_offer_id(app)}/accept", follow_redirects=True)
    assert "Bạn đã nhận ca" in page_text(accepted)
    assert "Bạn chưa có ca nào sắp tới" not in page_text(accepted)
    auth.logout()

    with app.test_request_context():
        db = get_session()
        assert people_on(db, shift.id) == {world.users["tnv02"]}
        assert [n.kind for n in notices_of(db, world.users["tnv01"])] == ["swap_accepted"]
    auth.login("tnv01")
    assert "Bạn chưa có ca nào sắp tới" in page_text(auth.client.get("/shifts/mine"))
    auth.logout()

    auth.login("bithu")
    log = page_text(auth.client.get("/shifts/changes"))
    assert "nhận đổi ca" in log and "Người dùng tnv01 → Người dùng tnv02" in log
    assert "đề nghị đổi ca" in log and "cho Người dùng tnv02" in log


def test_offer_to_anyone_is_taken_by_the_first_who_accepts(app, world):
    with app.test_request_context():
        db = get_session()
        tnv03 = add_user(db, "tnv03", Role.VOLUNTEER, world.ward_a).id
        shift = make_shift(db, world.ward_a, WEDNESDAY)
        put_on(db, shift, world.users["tnv01"])
        offer = swaps.offer(
            db, shift_id=shift.id, from_user_id=world.users["tnv01"], to_user_id=None, now=NOW
        )
        db.commit()
        swaps.accept(db, swap_id=offer.id, user_id=tnv03, now=NOW)
        db.commit()
        try:
            swaps.accept(db, swap_id=offer.id, user_id=world.users["tnv02"], now=NOW)
        except ShiftError as error:
            db.rollback()
            assert error.message == "Lời đề nghị đổi ca này không còn hiệu lực."
        else:
            raise AssertionError("a taken offer was accepted twice")
        assert people_on(db, shift.id) == {tnv03}


def test_swap_rules(app, world):
    with app.test_request_context():
        db = get_session()
        tnv01, tnv02 = world.users["tnv01"], world.users["tnv02"]
        tnv03 = add_user(db, "tnv03", Role.VOLUNTEER, world.ward_a).id
        shift = make_shift(db, world.ward_a, WEDNESDAY)
        clash = make_shift(
            db,
            world.ward_a,
            WEDNESDAY,
            "11:00",
            "12:00",
            place="field",
            group_id=world.groups["a1"],
        )
        put_on(db, shift, tnv01)
        put_on(db, clash, tnv02)

        def refused(action) -> str:
            try:
                action()
            except ShiftError as error:
                db.rollback()
                return error.message
            raise AssertionError("should have been refused")

        # Not mine to offer; a named taker with a clashing shift; someone from another ward.
        assert "không có trong ca" in refused(
            lambda: swaps.offer(db, shift_id=shift.id, from_user_id=tnv03, to_user_id=None, now=NOW)
        )
        assert "đã có ca trùng giờ" in refused(
            lambda: swaps.offer(
                db, shift_id=shift.id, from_user_id=tnv01, to_user_id=tnv02, now=NOW
            )
        )
        assert "Không có tình nguyện viên này" in refused(
            lambda: swaps.offer(
                db, shift_id=shift.id, from_user_id=tnv01, to_user_id=world.users["tnv_b"], now=NOW
            )
        )
        named = swaps.offer(db, shift_id=shift.id, from_user_id=tnv01, to_user_id=tnv03, now=NOW)
        db.commit()
        assert "đã đề nghị đổi ca này rồi" in refused(
            lambda: swaps.offer(db, shift_id=shift.id, from_user_id=tnv01, to_user_id=None, now=NOW)
        )
        # Only the named volunteer may accept; they may decline instead.
        assert "không dành cho bạn" in refused(
            lambda: swaps.accept(db, swap_id=named.id, user_id=tnv02, now=NOW)
        )
        swaps.decline(db, swap_id=named.id, user_id=tnv03, now=NOW)
        db.commit()
        assert [n.kind for n in notices_of(db, tnv01)] == ["swap_declined"]
        # Withdrawn offers cannot be accepted; nor can anything once the shift has started.
        anyone = swaps.offer(db, shift_id=shift.id, from_user_id=tnv01, to_user_id=None, now=NOW)
        swaps.withdraw(db, swap_id=anyone.id, user_id=tnv01, now=NOW)
        db.commit()
        assert "không còn hiệu lực" in refused(
            lambda: swaps.accept(db, swap_id=anyone.id, user_id=tnv03, now=NOW)
        )
        late = swaps.offer(db, shift_id=shift.id, from_user_id=tnv01, to_user_id=None, now=NOW)
        db.commit()
        started = NOW + timedelta(days=2, hours=1)
        assert "Ca đã bắt đầu" in refused(
            lambda: swaps.accept(db, swap_id=late.id, user_id=tnv03, now=started)
        )
        assert people_on(db, shift.id) == {tnv01}
        statuses = {o.status for o in db.exec(select(SwapOffer)).all()}
        assert statuses == {SwapStatus.DECLINED, SwapStatus.WITHDRAWN, SwapStatus.OPEN}


def test_releasing_a_shift_voids_its_open_offer(app, world, auth, time_machine):
    freeze(time_machine)
    with app.test_request_context():
        db = get_session()
        shift = make_shift(db, world.ward_a, WEDNESDAY)
        put_on(db, shift, world.users["tnv01"])
    auth.login("tnv01")
    auth.client.post(f"/shifts/{shift.id}/swap", data={"user_id": "0"})
    auth.client.post(f"/shifts/{shift.id}/release")
    with app.test_request_context():
        assert get_session().exec(select(SwapOffer.status)).one() == SwapStatus.VOID
    auth.logout()
    auth.login("tnv02")
    assert "cần người nhận ca này" not in page_text(auth.client.get("/shifts/mine"))
