"""Every table module, imported so that SQLModel.metadata is complete (Alembic, tests)."""

from sqlmodel import SQLModel

import volunteer.models  # noqa: F401

metadata = SQLModel.metadata
