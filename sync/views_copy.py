"""The /copy screen: a secretary, ward officer or admin keeps the whole ward on their phone, or
only the groups they choose (issue 15). The pull follows the choice (sync/scope.py): the next
sync round brings the chosen groups and drops the others' households from the phone."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import delete

from core import audit
from core.access import STAFF, allow, may_open
from core.db import get_session
from households import queries
from sync import bp
from sync.models import CopyGroup
from sync.scope import chosen_groups
from volunteer.forms import GroupsForm


@bp.route("/copy", methods=["GET", "POST"])
@allow(STAFF)
def copy_groups():
    ward_id = current_user.ward_id
    if ward_id is None:  # an admin of no ward pulls whichever ward they name: the whole of it
        abort(404)
    db = get_session()
    groups = queries.live_groups(db, ward_id=ward_id)
    numbers = {group.id: group.number for group in groups}
    before = chosen_groups(db, user_id=current_user.id) & set(numbers)
    form = GroupsForm()
    form.groups.choices = [(group.id, str(group.number)) for group in groups]
    if not form.is_submitted():
        form.groups.data = sorted(before)
    if form.validate_on_submit():
        after = set(form.groups.data or ())
        if after != before:
            db.exec(delete(CopyGroup).where(CopyGroup.user_id == current_user.id))
            db.add_all(CopyGroup(user_id=current_user.id, group_id=g) for g in after)
            audit.record(
                db,
                actor_id=current_user.id,
                ward_id=ward_id,
                entity="user",
                entity_id=current_user.id,
                action="copy_groups",
                changes={"groups": [_numbers(numbers, before), _numbers(numbers, after)]},
            )
            db.commit()
        if after:
            flash(_("Đã lưu. Lần đồng bộ tới, máy chỉ giữ các tổ đã chọn."), "success")
        else:
            flash(_("Đã lưu. Lần đồng bộ tới, máy giữ cả phường."), "success")
        return redirect(
            url_for("assistance.log" if may_open("assistance.log") else "households.home")
        )
    return render_template(
        "sync/copy_groups.html", form=form, groups=groups, chosen=set(form.groups.data or ())
    )


def _numbers(numbers: dict[int, int], group_ids: set[int]) -> str:
    return ", ".join(str(n) for n in sorted(numbers[g] for g in group_ids)) or "—"
