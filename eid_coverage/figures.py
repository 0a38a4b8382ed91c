"""The dashboard's figures as plain objects: what a group, a ward and a volunteer add up to.

Definitions (docs/COVERAGE.md says the same for people):
- adult: born in or before `adult_birth_year_limit()` (18 or older by birth year);
- coverage: adults with an e-ID account (level 1 or 2) / adults, in percent;
- gap: adults still needed to reach the 90% target, ceil(0.9 × adults) − adults with e-ID;
- online services (the second target, 30%): adults named on at least one online dossier the team
  helped file (done or waiting for its result), ever / adults. Counted on adults, not households,
  because the city's target counts citizens and a dossier record names the residents it was for;
- a record counts when it is not deleted and its household and group are live; households and
  residents are counted once however many records name them.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from core.figures import TARGET, gap, hours, percent

__all__ = ["TARGET", "percent"]

LOW = 60
ONLINE_TARGET = 30


def band(value: float | None) -> str:
    """Colour band of a coverage figure: under 60%, 60–90%, 90% and over."""
    if value is None:
        return "none"
    if value >= TARGET:
        return "good"
    return "mid" if value >= LOW else "low"


def online_band(value: float | None) -> str:
    """Colour band of the online-services share: the 30% target reached, half-way, or below."""
    if value is None:
        return "none"
    if value >= ONLINE_TARGET:
        return "good"
    return "mid" if value >= ONLINE_TARGET / 2 else "low"


# An area's counted figures: what adding two areas sums.
COUNTS = (
    "households",
    "reached",
    "adults",
    "level1",
    "level2",
    "records",
    "dossiers",
    "households_helped",
    "residents_helped",
    "online",
)


@dataclass
class Area:
    """One row of the group table (a group) or of the city table (a ward)."""

    id: int
    number: int = 0
    name: str = ""
    households: int = 0
    reached: int = 0  # households with at least one record, ever
    adults: int = 0
    level1: int = 0
    level2: int = 0
    records: int = 0  # in the period
    dossiers: int = 0  # online dossiers filed (done or waiting for the result) in the period
    households_helped: int = 0  # in the period
    residents_helped: int = 0  # in the period
    online: int = 0  # adults named on a filed online dossier, ever
    last_activity: datetime | None = None

    @property
    def with_eid(self) -> int:
        return self.level1 + self.level2

    @property
    def without_eid(self) -> int:
        return self.adults - self.with_eid

    @property
    def coverage(self) -> float | None:
        return percent(self.with_eid, self.adults)

    @property
    def level2_share(self) -> float | None:
        return percent(self.level2, self.adults)

    @property
    def band(self) -> str:
        return band(self.coverage)

    @property
    def online_share(self) -> float | None:
        return percent(self.online, self.adults)

    @property
    def online_band(self) -> str:
        return online_band(self.online_share)

    @property
    def online_gap(self) -> int:
        return gap(self.online, self.adults, ONLINE_TARGET)

    @property
    def gap(self) -> int:
        return gap(self.with_eid, self.adults)

    @property
    def never_reached(self) -> int:
        return self.households - self.reached

    def add(self, other: "Area") -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.last_activity and (
            self.last_activity is None or other.last_activity > self.last_activity
        ):
            self.last_activity = other.last_activity


def by_gap(rows: list[Area]) -> list[Area]:
    """Largest gap first; then lowest coverage, then number."""
    return sorted(rows, key=lambda r: (-r.gap, r.coverage if r.adults else 101.0, r.number, r.id))


@dataclass
class Volunteer:
    id: int
    name: str
    role: str
    records: int = 0
    households: int = 0
    shifts_present: int = 0
    visits: int = 0  # home visits outside a shift (eid_coverage/visits.py)
    hours: float = 0.0  # present on shifts plus home visits

    @property
    def active(self) -> bool:
        return self.records > 0 or self.shifts_present > 0


@dataclass
class Week:
    monday: date
    records: int = 0
    with_eid: int = 0  # adults holding an e-ID at the end of the week
    adults: int = 0
    online: int = 0  # adults who had filed an online dossier by the end of the week

    @property
    def coverage(self) -> float | None:
        return percent(self.with_eid, self.adults)

    @property
    def online_share(self) -> float | None:
        return percent(self.online, self.adults)


@dataclass
class Shifts:
    total: int = 0
    staffed: int = 0  # at least the minimum number of volunteers assigned


@dataclass
class Dashboard:
    ward_id: int
    ward_name: str
    groups: list[Area]
    total: Area
    volunteers: list[Volunteer] = field(default_factory=list)
    weeks: list[Week] = field(default_factory=list)
    shifts: Shifts = field(default_factory=Shifts)

    @property
    def active_volunteers(self) -> int:
        return sum(1 for v in self.volunteers if v.active)

    @property
    def hours(self) -> float:
        return hours(sum(v.hours for v in self.volunteers))


@dataclass
class WardRow(Area):
    """A ward in the city view: the group figures plus the team's."""

    active_volunteers: int = 0
    shifts: Shifts = field(default_factory=Shifts)


@dataclass
class City:
    wards: list[WardRow]
    total: Area
    weeks: list[Week] = field(default_factory=list)
    active_volunteers: int = 0
    shifts: Shifts = field(default_factory=Shifts)
