"""Every table module, imported so that SQLModel.metadata is complete (Alembic, tests)."""

from sqlmodel import SQLModel

import assistance.models  # noqa: F401
import dossiers.models  # noqa: F401
import eid_coverage.indexes  # noqa: F401  (indexes on other packages' tables)
import feedback.models  # noqa: F401
import notifications.models  # noqa: F401
import shifts.models  # noqa: F401
import sync.models  # noqa: F401
import volunteer.models  # noqa: F401

metadata = SQLModel.metadata
