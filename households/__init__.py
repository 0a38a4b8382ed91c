"""Wards, residential groups, households and residents: the ward's registry."""

from flask import Blueprint

bp = Blueprint("households", __name__)

from households import groups, transfer, views  # noqa: E402,F401  (views register on bp)
