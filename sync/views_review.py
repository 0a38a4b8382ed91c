"""The secretary's review of households made on phones: possible duplicates and merging."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.access import MANAGERS, allow, require_ward, ward_in_view_or_pick
from core.db import get_session
from core.params import form_int
from households.models import ResidentialGroup
from households.queries import residents_of
from sync import bp, duplicates


@bp.route("/duplicates")
@allow(MANAGERS)
def possible_duplicates():
    db = get_session()
    candidates = duplicates.possible_duplicates(db, ward_id=ward_in_view_or_pick())
    ids = {c.new.id for c in candidates} | {c.existing.id for c in candidates}
    return render_template(
        "sync/duplicates.html", candidates=candidates, residents=residents_of(db, list(ids))
    )


def _household_in_ward(db, household_id: int | None):
    household = duplicates.live_household(db, household_id) if household_id else None
    if household is None:
        abort(404)
    group = db.get(ResidentialGroup, household.group_id)
    require_ward(group.ward_id)
    return household, group.ward_id


@bp.route("/duplicates/merge", methods=["POST"])
@allow(MANAGERS)
def merge_households():
    db = get_session()
    keep, keep_ward = _household_in_ward(db, form_int("keep"))
    drop, drop_ward = _household_in_ward(db, form_int("drop"))
    if keep.id == drop.id or keep_ward != drop_ward:
        abort(400)
    duplicates.merge(db, keep=keep, drop=drop, actor_id=current_user.id, ward_id=keep_ward)
    db.commit()
    flash(_("Đã gộp hộ %(drop)s vào hộ %(keep)s.", drop=drop.address, keep=keep.address), "success")
    return redirect(url_for("sync.possible_duplicates"))


@bp.route("/duplicates/<id:household_id>/dismiss", methods=["POST"])
@allow(MANAGERS)
def dismiss_duplicate(household_id: int):
    db = get_session()
    household, _ward = _household_in_ward(db, household_id)
    duplicates.mark_reviewed(db, household.id)
    db.commit()
    flash(_("Đã ghi nhận: hộ %(address)s không trùng.", address=household.address), "success")
    return redirect(url_for("sync.possible_duplicates"))
