from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

from core import clock
from volunteer import hashing

LANGUAGES = ("vi", "en")


class User(UserMixin, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=40, unique=True, index=True)
    full_name: str = Field(max_length=120)
    phone: str | None = Field(default=None, max_length=15)
    role: str = Field(max_length=20)  # a core.access.Role value
    # Admins belong to no ward: they see all of them.
    ward_id: int | None = Field(default=None, foreign_key="ward.id", index=True)
    active: bool = Field(default=True)
    password_hash: str = Field(max_length=255)
    language: str = Field(default="vi", max_length=5)
    # Part of the id in every session and remember-me cookie: raising it signs the user out
    # everywhere (end_sessions).
    session_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))
    updated_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def end_sessions(self) -> None:
        """Every session and remember-me cookie issued so far stops loading this user (the
        change is committed by the caller)."""
        self.session_version += 1

    def set_password(self, password: str) -> None:
        self.password_hash = hashing.hash_password(password)

    def check_password(self, password: str) -> bool:
        return hashing.verify(self.password_hash, password)
