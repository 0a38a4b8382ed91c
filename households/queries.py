"""Read-side queries for the registry: counts per group and diacritic-insensitive search."""

from dataclasses import dataclass

from sqlalchemy import and_, case, exists, func, literal, or_
from sqlmodel import Session, select

from core import clock, figures
from core.text import normalize, normalize_phone
from households.addresses import natural_key
from households.models import ADULT_AGE, EidLevel, Household, Resident, ResidentialGroup, Ward
from households.ranking import rank_order


@dataclass
class GroupCounts:
    households: int = 0
    residents: int = 0
    adults: int = 0
    adults_level1: int = 0
    adults_level2: int = 0

    @property
    def adults_with_eid(self) -> int:
        return self.adults_level1 + self.adults_level2

    @property
    def coverage(self) -> float | None:
        """Share of adults holding an e-ID account, in percent; None when there are no adults."""
        return figures.percent(self.adults_with_eid, self.adults)

    @property
    def gap(self) -> int:
        return figures.gap(self.adults_with_eid, self.adults)


def adult_birth_year_limit() -> int:
    """Adults are 18 or older by birth year."""
    return clock.this_year() - ADULT_AGE


def live_groups(db: Session, *, ward_id: int) -> list[ResidentialGroup]:
    query = (
        select(ResidentialGroup)
        .where(ResidentialGroup.ward_id == ward_id, ResidentialGroup.deleted_at.is_(None))
        .order_by(ResidentialGroup.number)
    )
    return list(db.exec(query).all())


def group_counts(db: Session, *, ward_id: int) -> dict[int, GroupCounts]:
    """One aggregate query for every group of the ward."""
    adult = Resident.birth_year <= adult_birth_year_limit()

    def adults_at(level: EidLevel):
        return func.coalesce(
            func.sum(case((and_(adult, Resident.eid_level == level), 1), else_=0)), 0
        )

    query = (
        select(
            ResidentialGroup.id,
            func.count(func.distinct(Household.id)),
            func.count(Resident.id),
            func.coalesce(func.sum(case((adult, 1), else_=0)), 0),
            adults_at(EidLevel.LEVEL_1),
            adults_at(EidLevel.LEVEL_2),
        )
        .select_from(ResidentialGroup)
        .outerjoin(
            Household,
            and_(Household.group_id == ResidentialGroup.id, Household.deleted_at.is_(None)),
        )
        .outerjoin(
            Resident,
            and_(Resident.household_id == Household.id, Resident.deleted_at.is_(None)),
        )
        .where(ResidentialGroup.ward_id == ward_id, ResidentialGroup.deleted_at.is_(None))
        .group_by(ResidentialGroup.id)
    )
    return {row[0]: GroupCounts(*map(int, row[1:])) for row in db.exec(query).all()}


def ward_totals(counts: dict[int, GroupCounts]) -> GroupCounts:
    total = GroupCounts()
    for item in counts.values():
        total.households += item.households
        total.residents += item.residents
        total.adults += item.adults
        total.adults_level1 += item.adults_level1
        total.adults_level2 += item.adults_level2
    return total


def search_households(
    db: Session,
    *,
    ward_id: int,
    text: str = "",
    group_id: int | None = None,
    page: int = 1,
    page_size: int = 20,
) -> tuple[list[tuple[Household, ResidentialGroup]], int]:
    """Every word must match the head's name, a resident's name, the address or the phone."""
    conditions = [
        Household.deleted_at.is_(None),
        ResidentialGroup.ward_id == ward_id,
        ResidentialGroup.deleted_at.is_(None),
    ]
    if group_id is not None:
        conditions.append(Household.group_id == group_id)
    phone = normalize_phone(text)
    if phone:
        # A whole phone number however it is written: "090.512.3456", "+84 905 123 456".
        conditions.append(Household.phone == phone)
    for word in [] if phone else normalize(text).split():
        pattern = f"%{_escape_like(word)}%"
        resident_named = exists().where(
            Resident.household_id == Household.id,
            Resident.deleted_at.is_(None),
            Resident.name_norm.like(pattern, escape="\\"),
        )
        matches = [
            Household.head_name_norm.like(pattern, escape="\\"),
            Household.address_norm.like(pattern, escape="\\"),
            resident_named,
        ]
        if word.isdigit():
            matches.append(Household.phone.like(pattern, escape="\\"))
        conditions.append(or_(*matches))

    ranked = rank_order(text, _escape_like)
    # Ordered here, not in SQL: addresses go in natural order (households/addresses.py), which
    # SQL can't express portably; a ward's keys are a few thousand short rows.
    keys = (
        select(
            Household.id,
            ResidentialGroup.number,
            Household.address_norm,
            ranked if ranked is not None else literal(0),
        )
        .join(ResidentialGroup, ResidentialGroup.id == Household.group_id)
        .where(*conditions)
    )
    found = sorted(
        db.exec(keys).all(),
        key=lambda row: (row[3], row[1], natural_key(row[2]), row[0]),  # exact, prefix first
    )
    ids = [row[0] for row in found[(page - 1) * page_size : page * page_size]]
    rows = db.exec(
        select(Household, ResidentialGroup)
        .join(ResidentialGroup, ResidentialGroup.id == Household.group_id)
        .where(Household.id.in_(ids))
    ).all()
    place = {household_id: index for index, household_id in enumerate(ids)}
    rows = sorted(rows, key=lambda row: place[row[0].id])
    total = len(found)
    return list(rows), int(total)


def residents_of(db: Session, household_ids: list[int]) -> dict[int, list[Resident]]:
    if not household_ids:
        return {}
    query = (
        select(Resident)
        .where(Resident.household_id.in_(household_ids), Resident.deleted_at.is_(None))
        .order_by(Resident.birth_year, Resident.id)
    )
    grouped: dict[int, list[Resident]] = {hid: [] for hid in household_ids}
    for resident in db.exec(query).all():
        grouped[resident.household_id].append(resident)
    return grouped


def wards(db: Session) -> list[Ward]:
    return list(db.exec(select(Ward).order_by(Ward.province, Ward.name)).all())


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def registry_rows(db: Session, *, ward_id: int) -> list[list]:
    """The ward's registry in the spreadsheet layout (households/tabular.py): a row per resident."""
    query = (
        select(ResidentialGroup, Household, Resident)
        .join(Household, Household.group_id == ResidentialGroup.id)
        .outerjoin(
            Resident,
            (Resident.household_id == Household.id) & Resident.deleted_at.is_(None),
        )
        .where(
            ResidentialGroup.ward_id == ward_id,
            ResidentialGroup.deleted_at.is_(None),
            Household.deleted_at.is_(None),
        )
        .order_by(ResidentialGroup.number, Household.address_norm, Household.id, Resident.id)
    )
    eid_labels = {0: "chưa có", 1: "mức 1", 2: "mức 2"}
    rows = []
    for group, household, resident in db.exec(query).all():
        rows.append(
            [
                group.number,
                household.address,
                household.head_name or "",
                household.phone or "",
                "có" if household.consent else "không",
                household.note or "",
                (resident.full_name or "") if resident else "",
                resident.birth_year if resident else "",
                eid_labels[resident.eid_level] if resident else "",
            ]
        )
    return rows
