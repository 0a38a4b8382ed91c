"""GET /api/v1/households/search: the online search of the whole ward (sync/lookup.py)."""

from flask import request
from flask_login import current_user

from core.access import EVERY_ROLE, Role, allow, require_ward
from core.db import get_session
from core.params import query_int
from core.text import normalize
from sync import bp
from sync.api import _json, error
from sync.lookup import ward_lookup


@bp.route("/api/v1/households/search")
@allow(EVERY_ROLE)
def household_lookup():
    ward_id = current_user.ward_id
    if current_user.role == Role.ADMIN:
        ward_id = query_int("ward")
        if ward_id is None:
            return error(400, "ward_required", "Hãy chọn phường (tham số ward).")
    require_ward(ward_id)
    text = request.args.get("q", "").strip()[:100]
    if len(normalize(text)) < 2:
        return error(400, "query_too_short", "Hãy gõ ít nhất 2 ký tự.")
    return _json(ward_lookup(get_session(), ward_id=ward_id, text=text))
