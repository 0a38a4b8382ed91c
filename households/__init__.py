"""Wards, residential groups, households and residents: the ward's registry."""

from flask import Blueprint

bp = Blueprint("households", __name__)

from households import queries, views, views_groups, views_transfer, views_wards  # noqa: E402,F401  (views register on bp)

# The coverage pages and the groups page state who counts towards the target.
bp.add_app_template_global(queries.adult_birth_year_limit)
