"""Who may open which route. Every view declares its roles; a route without a rule is refused."""

from collections.abc import Callable, Iterable
from enum import StrEnum

from flask import Flask, abort, current_app, jsonify, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import column, select, table

from core.db import get_session
from core.params import DB_INT_MAX, query_int


class Role(StrEnum):
    VOLUNTEER = "volunteer"
    SECRETARY = "secretary"
    WARD_OFFICER = "ward_officer"
    ADMIN = "admin"


EVERY_ROLE = frozenset(Role)
STAFF = frozenset({Role.SECRETARY, Role.WARD_OFFICER, Role.ADMIN})
MANAGERS = frozenset({Role.SECRETARY, Role.ADMIN})
PUBLIC = "public"

_RULE_ATTRIBUTE = "_allowed_roles"


def allow(*roles: Role | Iterable[Role]) -> Callable:
    """Mark a view as open to the given roles (each argument a role or a set of roles)."""
    allowed: set[Role] = set()
    for role in roles:
        allowed.update([role] if isinstance(role, Role) else role)

    def mark(view: Callable) -> Callable:
        setattr(view, _RULE_ATTRIBUTE, frozenset(allowed))
        return view

    return mark


def public(view: Callable) -> Callable:
    setattr(view, _RULE_ATTRIBUTE, PUBLIC)
    return view


def rule_for(endpoint: str):
    view = current_app.view_functions.get(endpoint)
    return getattr(view, _RULE_ATTRIBUTE, None)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.is_json


def _enforce_rules():
    endpoint = request.endpoint
    if endpoint is None or endpoint == "static":
        return None
    rule = rule_for(endpoint)
    if rule is None:
        # Deny by default: a new route without a rule must never be silently open.
        current_app.logger.error("route %s has no access rule", endpoint)
        abort(403)
    if rule == PUBLIC:
        return None
    if not current_user.is_authenticated:
        if wants_json():
            return jsonify(error="unauthorized", message="Phiên đăng nhập đã hết hạn."), 401
        return current_app.login_manager.unauthorized()
    if current_user.role not in rule:
        abort(403)
    return None


def may_open(endpoint: str) -> bool:
    """Whether the current user's role opens `endpoint`: templates show only the links that work."""
    rule = rule_for(endpoint)
    if rule == PUBLIC:
        return True
    return rule is not None and current_user.is_authenticated and current_user.role in rule


def scoped_ward_id() -> int | None:
    """The ward the current user may see; None means every ward (admin)."""
    if current_user.role == Role.ADMIN:
        return None
    return current_user.ward_id


def may_see_ward(ward_id: int) -> bool:
    scope = scoped_ward_id()
    return scope is None or scope == ward_id


def ward_in_view() -> int | None:
    """The ward a page shows: one's own; for the admin the one picked with ?ward=, remembered
    in the session so every feature's pages stay on it. None: the admin has not picked yet."""
    if current_user.role != Role.ADMIN:
        return current_user.ward_id
    picked = query_int("ward")
    if picked is not None:
        if not _ward_exists(picked):
            abort(404)
        session["admin_ward"] = picked
        return picked
    kept = session.get("admin_ward")
    if kept is not None and not (
        isinstance(kept, int) and 1 <= kept <= DB_INT_MAX and _ward_exists(kept)
    ):
        # Kept by an older version, or the ward is gone: pick again rather than fail every page.
        session.pop("admin_ward")
        return None
    return kept


def _ward_exists(ward_id: int) -> bool:
    # core sits below households, so the ward table is named here rather than imported.
    ward = table("ward", column("id"))
    query = select(ward.c.id).where(ward.c.id == ward_id)
    return get_session().execute(query).first() is not None


def ward_in_view_or_pick(pick_endpoint: str = "households.wards") -> int:
    """As ward_in_view(), sending an admin who has not picked a ward to pick_endpoint."""
    ward_id = ward_in_view()
    if ward_id is None:
        abort(redirect(url_for(pick_endpoint)))
    return ward_id


def require_ward(ward_id: int) -> None:
    # 404 rather than 403, so another ward's ids do not even confirm that a record exists.
    if not may_see_ward(ward_id):
        abort(404)


def init_app(app: Flask) -> None:
    app.before_request(_enforce_rules)
    app.jinja_env.globals["may_open"] = may_open
