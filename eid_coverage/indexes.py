"""Indexes the coverage figures lean on, declared on the tables they read (owned by the
assistance and households packages, which do not need them themselves). Migration 0005_coverage
creates them; core/schema.py imports this module so that Alembic's comparison sees them.

All are partial (live rows only) and covering: the dashboard's aggregates read the index alone.
"Was this household ever reached?" reads ix_assistance_record_household (household_id,
deleted_at), declared with the records since merges use it too.
"""

from sqlalchemy import Index, text

from assistance.models import AssistanceRecord
from households.models import Resident

LIVE = text("deleted_at IS NULL")

# A ward's records in a period (ward_id, then time), and every column its aggregates read.
records_by_ward_and_time = Index(
    "ix_assistance_record_coverage",
    AssistanceRecord.ward_id,
    AssistanceRecord.client_time,
    AssistanceRecord.household_id,
    AssistanceRecord.volunteer_id,
    AssistanceRecord.kind,
    AssistanceRecord.outcome,
    sqlite_where=LIVE,
    postgresql_where=LIVE,
)

# A household's residents with what coverage needs: adults by birth year, level, when confirmed.
residents_by_household = Index(
    "ix_resident_coverage",
    Resident.household_id,
    Resident.birth_year,
    Resident.eid_level,
    Resident.eid_confirmed_on,
    sqlite_where=LIVE,
    postgresql_where=LIVE,
)

# The few residents whose e-ID was confirmed lately (the weekly trend), without reading the rest.
residents_by_confirmation = Index(
    "ix_resident_confirmed",
    Resident.eid_confirmed_on,
    Resident.household_id,
    sqlite_where=text("deleted_at IS NULL AND eid_confirmed_on IS NOT NULL"),
    postgresql_where=text("deleted_at IS NULL AND eid_confirmed_on IS NOT NULL"),
)
