"""Storing a rating and reading the ward's satisfaction."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from core import clock
from core.clock import as_utc
from core.ids import uuid7
from eid_coverage.figures import percent
from feedback.models import Feedback
from feedback.screening import screen


def add_feedback(
    db: Session,
    *,
    ward_id: int,
    source: str,
    place: str,
    rating: int,
    comment: str | None,
    kind: str | None = None,
    record_uuid: str | None = None,
    uuid: str | None = None,
    given_at: datetime | None = None,
) -> Feedback:
    """A new rating, its comment screened; the same UUID again returns the stored one."""
    if uuid:
        found = db.exec(select(Feedback).where(Feedback.uuid == uuid)).first()
        if found is not None:
            return found
    text, screened = screen(comment)
    row = Feedback(
        uuid=uuid or uuid7(),
        ward_id=ward_id,
        source=source,
        place=place,
        kind=kind,
        record_uuid=record_uuid,
        rating=rating,
        comment=text,
        screened=screened,
        given_at=given_at or clock.now(),
    )
    try:
        with db.begin_nested():  # two sends of one rating at once: the second finds the first
            db.add(row)
    except IntegrityError:
        return db.exec(select(Feedback).where(Feedback.uuid == row.uuid)).one()
    return row


@dataclass
class Tally:
    """Ratings of one slice (a month, a place, a kind of help)."""

    key: str
    count: int = 0
    total: int = 0
    satisfied: int = 0  # 4 or 5 faces
    faces: dict[int, int] = field(default_factory=lambda: dict.fromkeys(range(1, 6), 0))

    def add(self, rating: int) -> None:
        self.count += 1
        self.total += rating
        self.satisfied += rating >= 4
        self.faces[rating] += 1

    @property
    def average(self) -> float | None:
        return round(self.total / self.count, 1) if self.count else None

    @property
    def satisfied_share(self) -> float | None:
        return percent(self.satisfied, self.count)


@dataclass
class Satisfaction:
    total: Tally
    by_month: list[Tally]
    by_place: list[Tally]
    by_kind: list[Tally]
    comments: list[Feedback]


def satisfaction(db: Session, *, ward_id: int, starts_at: datetime, ends_at: datetime):
    """Every rating of the ward in [starts_at, ends_at): tallies and the comments, newest first."""
    rows = db.exec(
        select(Feedback)
        .where(
            Feedback.ward_id == ward_id,
            Feedback.given_at >= starts_at,
            Feedback.given_at < ends_at,
        )
        .order_by(Feedback.given_at.desc(), Feedback.id.desc())
    ).all()
    total = Tally(key="")
    slices: dict[str, dict[str, Tally]] = defaultdict(dict)
    for row in rows:
        total.add(row.rating)
        month = f"{clock.local(as_utc(row.given_at)):%Y-%m}"
        for name, key in (("month", month), ("place", row.place), ("kind", row.kind or "")):
            slices[name].setdefault(key, Tally(key=key)).add(row.rating)
    return Satisfaction(
        total=total,
        by_month=sorted(slices["month"].values(), key=lambda t: t.key),
        by_place=sorted(slices["place"].values(), key=lambda t: t.key),
        by_kind=sorted(slices["kind"].values(), key=lambda t: (-t.count, t.key)),
        comments=[row for row in rows if row.comment],
    )
