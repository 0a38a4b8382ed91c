"""Accounts, roles, sign-in and profiles."""

from flask import Blueprint

bp = Blueprint("volunteer", __name__)

from volunteer import views_accounts, views_activity, views_auth, views_groups  # noqa: E402,F401
