""" "Xếp đủ người": the week's understaffed shifts filled in one step, shown first, then applied."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from core import clock
from core.access import MANAGERS, allow, ward_in_view_or_pick
from core.db import get_session
from core.params import DB_INT_MAX, query_date
from shifts import bp
from shifts.rota import filling

MAX_PAIRS = 500  # far above a ward's week; a bigger form is not one we drew


def _start():
    return clock.week_start(query_date("start") or clock.today(clock.now()))


def _pairs() -> list[tuple[int, int]]:
    """The posted "shift:volunteer" pairs; anything else is ignored, not an error."""
    pairs = []
    for value in request.form.getlist("pick")[:MAX_PAIRS]:
        shift_id, _sep, user_id = value.partition(":")
        if shift_id.isascii() and shift_id.isdigit() and user_id.isascii() and user_id.isdigit():
            pair = int(shift_id), int(user_id)
            if all(1 <= number <= DB_INT_MAX for number in pair) and pair not in pairs:
                pairs.append(pair)
    return pairs


@bp.route("/fill", methods=["GET", "POST"])
@allow(MANAGERS)
def fill():
    db = get_session()
    ward_id = ward_in_view_or_pick()
    start = _start()
    week_url = url_for("shifts.week", start=start.isoformat())
    if request.method == "POST":
        assigned, skipped = filling.apply(
            db, pairs=_pairs(), ward_id=ward_id, actor_id=current_user.id, now=clock.now()
        )
        db.commit()
        if assigned:
            flash(
                ngettext(
                    "Đã xếp %(num)s lượt người vào ca.",
                    "Đã xếp %(num)s lượt người vào ca.",
                    assigned,
                ),
                "success",
            )
        if skipped:
            flash(
                _(
                    "%(count)s lượt không xếp được (ca đã đủ người hoặc người đó không còn rảnh).",
                    count=skipped,
                ),
                "info",
            )
        return redirect(week_url)
    picks = filling.propose(db, ward_id=ward_id, start=start, now=clock.now())
    return render_template(
        "shifts/fill.html",
        picks=picks,
        start=start,
        week_url=week_url,
        proposed=sum(len(pick.users) for pick in picks),
        short=sum(pick.still_missing for pick in picks),
    )
