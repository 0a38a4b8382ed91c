"""Two secretaries at the same moment, in two database sessions on two threads (both backends).

The first session does its change and holds its transaction open. The second, started on another
thread, must wait for it: it is still running a second later. Once the first commits, the second
goes on, re-reads under the lock and is refused. Without the row lock the second would read the
place as free, finish at once, and the shift would end up above its maximum.
"""

import threading
from collections.abc import Callable
from datetime import timedelta

from sqlmodel import Session

from core.access import Role
from core.db import get_session
from shifts.mine import swaps
from shifts.rota import assigning
from shifts.rules import ShiftError
from tests.factories import add_user
from tests.shifts_support import MONDAY, NOW, make_shift, people_on, put_on

WAIT_FOR_BLOCKED = 1.0  # seconds the second session is given to (wrongly) get through


class Racer(threading.Thread):
    """Runs `action(session)` and commits, in its own session and request context."""

    def __init__(self, app, action: Callable[[Session], object]):
        super().__init__(daemon=True)
        self.app, self.action = app, action
        self.started_work = threading.Event()
        self.outcome: str | None = None

    def run(self) -> None:
        with self.app.test_request_context(), Session(self.app.extensions["db_engine"]) as db:
            self.started_work.set()
            try:
                self.action(db)
                db.commit()
                self.outcome = "done"
            except ShiftError as error:
                db.rollback()
                self.outcome = error.message


def _race(app, first: Callable[[Session], object], second: Callable[[Session], object]) -> str:
    with Session(app.extensions["db_engine"]) as db_first:
        first(db_first)  # done, not yet committed: holds the lock
        racer = Racer(app, second)
        racer.start()
        assert racer.started_work.wait(5)
        racer.join(WAIT_FOR_BLOCKED)
        assert racer.is_alive(), "the second session did not wait for the first one's lock"
        db_first.commit()
    racer.join(60)
    assert not racer.is_alive()
    return racer.outcome


def test_two_secretaries_filling_the_last_place(app, world):
    with app.test_request_context():
        db = get_session()
        tnv03 = add_user(db, "tnv03", Role.VOLUNTEER, world.ward_a).id
        shift = make_shift(db, world.ward_a, maximum=2)
        put_on(db, shift, world.users["tnv01"])  # one place left
        bithu = world.users["bithu"]

        def assign(user_id):
            return lambda session: assigning.assign(
                session, shift_id=shift.id, user_id=user_id, actor_id=bithu, now=NOW
            )

        outcome = _race(app, assign(world.users["tnv02"]), assign(tnv03))
        assert outcome == "Ca đã đủ 2 người, không thể xếp thêm."
        assert people_on(db, shift.id) == {world.users["tnv01"], world.users["tnv02"]}
        db.refresh(shift)
        assert shift.assigned_count == 2


def test_one_volunteer_on_two_overlapping_shifts_at_once(app, world):
    with app.test_request_context():
        db = get_session()
        desk = make_shift(db, world.ward_a, MONDAY + timedelta(days=2))
        visit = make_shift(
            db,
            world.ward_a,
            MONDAY + timedelta(days=2),
            "09:00",
            "10:30",
            place="field",
            group_id=world.groups["a1"],
        )
        tnv02, bithu = world.users["tnv02"], world.users["bithu"]

        def assign(shift):
            return lambda session: assigning.assign(
                session, shift_id=shift.id, user_id=tnv02, actor_id=bithu, now=NOW
            )

        outcome = _race(app, assign(desk), assign(visit))
        assert outcome.startswith("Người dùng tnv02 đã có ca trùng giờ")
        assert people_on(db, desk.id) == {tnv02} and people_on(db, visit.id) == set()


def test_two_volunteers_accepting_the_same_offer(app, world):
    with app.test_request_context():
        db = get_session()
        tnv03 = add_user(db, "tnv03", Role.VOLUNTEER, world.ward_a).id
        shift = make_shift(db, world.ward_a, MONDAY + timedelta(days=2))
        put_on(db, shift, world.users["tnv01"])
        offer = swaps.offer(
            db, shift_id=shift.id, from_user_id=world.users["tnv01"], to_user_id=None, now=NOW
        )
        db.commit()

        def accept(user_id):
            return lambda session: swaps.accept(session, swap_id=offer.id, user_id=user_id, now=NOW)

        outcome = _race(app, accept(world.users["tnv02"]), accept(tnv03))
        assert outcome == "Lời đề nghị đổi ca này không còn hiệu lực."
        assert people_on(db, shift.id) == {world.users["tnv02"]}
