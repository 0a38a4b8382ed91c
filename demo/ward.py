"""Builds the demo ward: 49 groups, about 3,000 households and 9,000 residents, seeded."""

import random

from sqlalchemy import insert
from sqlmodel import Session

from core import clock
from core.access import Role
from core.ids import uuid7
from core.text import normalize
from demo import names
from households.models import EidLevel, Household, Resident, ResidentialGroup, Ward
from volunteer.models import User

DEMO_PASSWORD = "thanhnien247"
GROUP_COUNT = 49
VOLUNTEER_COUNT = 30


def demo_logins() -> list[tuple[str, str]]:
    return [
        ("admin", "Quản trị (mọi phường)"),
        ("bithu", "Bí thư Đoàn phường"),
        ("phuong", "Cán bộ UBND phường"),
        ("tnv01", f"Tình nguyện viên (tnv01 … tnv{VOLUNTEER_COUNT:02d})"),
    ]


class _People:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.families = [name for name, _ in names.FAMILY_NAMES]
        self.weights = [weight for _, weight in names.FAMILY_NAMES]

    def family(self) -> str:
        return self.rng.choices(self.families, self.weights)[0]

    def name(self, family: str, male: bool) -> str:
        middle = self.rng.choice(names.MALE_MIDDLE if male else names.FEMALE_MIDDLE)
        given = self.rng.choice(names.MALE_GIVEN if male else names.FEMALE_GIVEN)
        return f"{family} {middle} {given}"


def _users(db: Session, ward_id: int, people: _People) -> dict[str, User]:
    # One hash for every demo account: hashing 33 times would only slow the demo load down.
    probe = User(username="", full_name="", role=Role.ADMIN, password_hash="")
    probe.set_password(DEMO_PASSWORD)
    accounts = [
        ("admin", "Quản trị hệ thống", Role.ADMIN, None),
        ("bithu", "Trần Thị Thu Hà", Role.SECRETARY, ward_id),
        ("phuong", "Lê Văn Phước", Role.WARD_OFFICER, ward_id),
    ]
    for number in range(1, VOLUNTEER_COUNT + 1):
        male = people.rng.random() < 0.5
        accounts.append(
            (f"tnv{number:02d}", people.name(people.family(), male), Role.VOLUNTEER, ward_id)
        )
    users = {
        username: User(
            username=username,
            full_name=full_name,
            role=role,
            ward_id=ward,
            password_hash=probe.password_hash,
            phone=f"09{people.rng.randrange(10**8):08d}",
        )
        for username, full_name, role, ward in accounts
    }
    db.add_all(users.values())
    db.flush()
    return users


def _household_members(people: _People, year: int) -> list[tuple[str, int, bool]]:
    """(name, birth year, male) for a plausible family, head first."""
    rng = people.rng
    family = people.family()
    head_male = rng.random() < 0.7
    head_year = rng.randint(year - 85, year - 25)
    members = [(people.name(family, head_male), head_year, head_male)]
    size = rng.choices([1, 2, 3, 4, 5, 6], [10, 25, 32, 20, 9, 4])[0]
    if size >= 2:
        spouse_family = people.family()
        members.append(
            (
                people.name(spouse_family, not head_male),
                head_year + rng.randint(-4, 6),
                not head_male,
            )
        )
    for _ in range(size - len(members)):
        male = rng.random() < 0.5
        child_year = min(year - 1, head_year + rng.randint(22, 38))
        members.append((people.name(family, male), child_year, male))
    return members


def build_demo_ward(db: Session, *, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    people = _People(rng)
    year = clock.this_year()
    now = clock.now()
    ward = Ward(name="Thanh Khê Đông", province="Đà Nẵng")
    db.add(ward)
    db.flush()
    # Consent is recorded as the secretary's, who collected the registry.
    recorder = _users(db, ward.id, people)["bithu"].id

    # Coverage differs by group: some near 90 %, some under 50 %.
    coverage_targets = [0.35 + 0.6 * i / (GROUP_COUNT - 1) for i in range(GROUP_COUNT)]
    rng.shuffle(coverage_targets)

    totals = {"ward_id": ward.id, "groups": GROUP_COUNT, "households": 0, "residents": 0}
    for number in range(1, GROUP_COUNT + 1):
        group = ResidentialGroup(
            ward_id=ward.id,
            number=number,
            name=f"{rng.choice(names.GROUP_NAMES)} {number}",
            leader_name=people.name(people.family(), rng.random() < 0.6),
            leader_phone=f"09{rng.randrange(10**8):08d}",
        )
        db.add(group)
        db.flush()
        street = names.STREETS[number % len(names.STREETS)]
        household_rows, members_by_household = [], []
        for index in range(rng.randint(48, 74)):
            consent = rng.random() < 0.93
            members = _household_members(people, year)
            head = members[0][0]
            address = (
                f"K{rng.randint(1, 180)}/{index + 1} {street}"
                if rng.random() < 0.6
                else f"{rng.randint(1, 400)} {street}"
            )
            phone = (
                f"0{rng.choice('3579')}{rng.randrange(10**8):08d}"
                if consent and rng.random() < 0.6
                else None
            )
            household_rows.append(
                {
                    "group_id": group.id,
                    "address": address,
                    "address_norm": normalize(address),
                    "head_name": head if consent else None,
                    "head_name_norm": normalize(head) if consent else None,
                    "phone": phone,
                    "consent": consent,
                    "consent_at": now if consent else None,
                    "consent_by_id": recorder if consent else None,
                    "created_by_id": recorder,
                    "uuid": uuid7(at=now, rng=rng),
                    "created_at": now,
                    "updated_at": now,
                }
            )
            members_by_household.append((consent, members))
        ids = db.execute(insert(Household).returning(Household.id), household_rows).scalars().all()
        resident_rows = []
        for household_id, (consent, members) in zip(ids, members_by_household, strict=True):
            for full_name, birth_year, _male in members:
                level = EidLevel.NONE
                adult = year - birth_year >= 18
                chance = coverage_targets[number - 1] * (0.7 if year - birth_year > 75 else 1.0)
                if adult and rng.random() < chance:
                    level = EidLevel.LEVEL_2 if rng.random() < 0.7 else EidLevel.LEVEL_1
                resident_rows.append(
                    {
                        "household_id": household_id,
                        "full_name": full_name if consent else None,
                        "name_norm": normalize(full_name) if consent else None,
                        "birth_year": birth_year,
                        "eid_level": int(level),
                        "uuid": uuid7(at=now, rng=rng),
                        "created_at": now,
                        "updated_at": now,
                    }
                )
        db.execute(insert(Resident), resident_rows)
        totals["households"] += len(ids)
        totals["residents"] += len(resident_rows)
    return totals
