"""One rating: 1 to 5 faces and an optional comment, about a visit (linked to the record by its
UUID, never to a person) or about the desk (the public page). No name, no address, no phone."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, Index
from sqlmodel import Field, SQLModel

from core import clock


class Source(StrEnum):
    VISIT = "visit"  # the volunteer handed the phone over after helping
    DESK = "desk"  # the public page behind the desk's QR code


class Feedback(SQLModel, table=True):
    __table_args__ = (Index("ix_feedback_ward_given", "ward_id", "given_at"),)

    id: int | None = Field(default=None, primary_key=True)
    # Made on the phone, so sending the same rating twice stores it once.
    uuid: str = Field(max_length=36, unique=True)
    ward_id: int = Field(foreign_key="ward.id")
    source: str = Field(max_length=10)
    # The record the rating follows (its UUID: the record may reach the server after it).
    record_uuid: str | None = Field(default=None, max_length=36, index=True)
    place: str = Field(max_length=10)  # assistance.models.Place
    kind: str | None = Field(default=None, max_length=20)  # assistance.models.Kind
    rating: int
    comment: str | None = Field(default=None, max_length=500)
    screened: bool = Field(default=False)  # a phone or ID number was masked in the comment
    given_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))
