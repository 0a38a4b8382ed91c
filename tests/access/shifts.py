"""Expected access for the rota (issue 3)."""

from core.access import PUBLIC

ANY = {"volunteer", "secretary", "ward_officer", "admin"}
STAFF = {"secretary", "ward_officer", "admin"}
MANAGERS = {"secretary", "admin"}
VOLUNTEER = {"volunteer"}

EXPECTED = {
    # the rota: everyone reads it, the secretary (and admin) change it
    "shifts.week": ANY,
    "shifts.shift_detail": ANY,
    "shifts.assign": MANAGERS,
    "shifts.unassign": MANAGERS,
    "shifts.changes": STAFF,
    # planning
    "shifts.pattern": MANAGERS,
    "shifts.settings": MANAGERS,
    "shifts.slot_new": MANAGERS,
    "shifts.slot_edit": MANAGERS,
    "shifts.slot_delete": MANAGERS,
    "shifts.generate": MANAGERS,
    "shifts.closed_days": MANAGERS,
    "shifts.closed_day_delete": MANAGERS,
    "shifts.shift_new": MANAGERS,
    "shifts.fill": MANAGERS,
    # the volunteer's own side
    "shifts.mine": VOLUNTEER,
    "shifts.open_shifts": VOLUNTEER,
    "shifts.signup": VOLUNTEER,
    "shifts.release": VOLUNTEER,
    "shifts.swap_offer": VOLUNTEER,
    "shifts.swap_accept": VOLUNTEER,
    "shifts.swap_decline": VOLUNTEER,
    "shifts.swap_withdraw": VOLUNTEER,
    "shifts.availability_page": VOLUNTEER,
    "shifts.availability_delete": VOLUNTEER,
    # attendance and hours
    "shifts.check_in": VOLUNTEER,
    "shifts.check_out": VOLUNTEER,
    "shifts.mark": MANAGERS,
    "shifts.ward_hours": STAFF,
    "shifts.hours_export": STAFF,
    "shifts.volunteer_hours": STAFF,
    "shifts.my_hours": VOLUNTEER,
    # calendar: the feed is reached by calendar apps, which cannot sign in; its token is the key
    "shifts.calendar_page": VOLUNTEER,
    "shifts.calendar_regenerate": VOLUNTEER,
    "shifts.ical_feed": PUBLIC,
}


def sample_args(world) -> dict:
    # No shifts exist in the sample world: routes on a shift answer 404 to those allowed,
    # which the matrix accepts; what it checks is that everyone else gets 403.
    return {
        "shift_id": 1,
        "volunteer_id": world.users["tnv02"],
        "slot_id": 1,
        "closed_id": 1,
        "swap_id": 1,
        "item_id": 1,
        "token": "not-a-real-token",
    }
