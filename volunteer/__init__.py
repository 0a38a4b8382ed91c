"""Accounts, roles, sign-in and profiles."""

from flask import Blueprint

bp = Blueprint("volunteer", __name__)

from volunteer import accounts, activity, auth, group_assignments  # noqa: E402,F401  (views register on bp)
