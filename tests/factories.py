"""A small, known world for request tests: two wards, every role, a few households."""

from dataclasses import dataclass, field

from core import clock
from core.access import Role
from core.db import get_session
from households import registry
from households.models import EidLevel, GroupAssignment, ResidentialGroup, Ward
from volunteer.models import User

PASSWORD = "thanhnien247"
_HASHES: dict[str, str] = {}


def password_hash(password: str = PASSWORD) -> str:
    # Hashing is slow on purpose; tests hash each password once per process.
    if password not in _HASHES:
        probe = User(username="", full_name="", role=Role.ADMIN, password_hash="")
        probe.set_password(password)
        _HASHES[password] = probe.password_hash
    return _HASHES[password]


@dataclass
class World:
    ward_a: int = 0
    ward_b: int = 0
    groups: dict[str, int] = field(default_factory=dict)
    households: dict[str, int] = field(default_factory=dict)
    residents: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)


def add_user(db, username: str, role: Role, ward_id: int | None, *, active: bool = True) -> User:
    user = User(
        username=username,
        full_name=f"Người dùng {username}",
        role=role,
        ward_id=ward_id,
        active=active,
        password_hash=password_hash(),
    )
    db.add(user)
    db.flush()
    return user


def build_world() -> World:
    db = get_session()
    world = World()
    ward_a = Ward(name="Thanh Khê Đông", province="Đà Nẵng")
    ward_b = Ward(name="An Khê", province="Đà Nẵng")
    db.add_all([ward_a, ward_b])
    db.flush()
    world.ward_a, world.ward_b = ward_a.id, ward_b.id

    for username, role, ward in [
        ("admin", Role.ADMIN, None),
        ("bithu", Role.SECRETARY, ward_a.id),
        ("phuong", Role.WARD_OFFICER, ward_a.id),
        ("tnv01", Role.VOLUNTEER, ward_a.id),
        ("tnv02", Role.VOLUNTEER, ward_a.id),
        ("bithu_b", Role.SECRETARY, ward_b.id),
        ("tnv_b", Role.VOLUNTEER, ward_b.id),
    ]:
        world.users[username] = add_user(db, username, role, ward).id

    for key, ward, number, name in [
        ("a1", ward_a.id, 1, "Thanh Khê 1"),
        ("a2", ward_a.id, 2, "Thanh Khê 2"),
        ("a_empty", ward_a.id, 3, "Tổ trống"),
        ("b1", ward_b.id, 1, "An Khê 1"),
    ]:
        group = ResidentialGroup(ward_id=ward, number=number, name=name)
        db.add(group)
        db.flush()
        world.groups[key] = group.id

    actor = world.users["bithu"]
    year = clock.this_year()
    households = [
        (
            "hung",
            "a1",
            "12 Kiệt 45 Hà Huy Tập",
            "Nguyễn Văn Hùng",
            "0905123456",
            True,
            [
                ("hung", "Nguyễn Văn Hùng", 1958, EidLevel.LEVEL_1),
                ("duong", "Trần Thị Dương", 1962, EidLevel.NONE),
                ("khang", "Nguyễn Minh Khang", year - 10, EidLevel.NONE),
            ],
        ),
        (
            "lan",
            "a1",
            "8 Trần Cao Vân",
            "Dương Thị Lan",
            None,
            True,
            [
                ("lan", "Dương Thị Lan", 1980, EidLevel.LEVEL_2),
                ("anh", "Lê Đức Anh", 1978, EidLevel.LEVEL_2),
            ],
        ),
        (
            "no_consent",
            "a2",
            "Nhà số 5",
            None,
            None,
            False,
            [
                ("elder", None, 1950, EidLevel.NONE),
                ("child", None, year - 15, EidLevel.NONE),
            ],
        ),
        (
            "hung_b",
            "b1",
            "3 Lê Duẩn",
            "Nguyễn Văn Hùng",
            None,
            True,
            [
                ("hung_b", "Nguyễn Văn Hùng", 1970, EidLevel.LEVEL_2),
            ],
        ),
    ]
    for key, group_key, address, head, phone, consent, members in households:
        household = registry.create_household(
            db,
            registry.HouseholdData(
                group_id=world.groups[group_key],
                address=address,
                head_name=head,
                phone=phone,
                consent=consent,
            ),
            actor_id=actor,
        )
        world.households[key] = household.id
        for resident_key, name, birth_year, level in members:
            resident = registry.create_resident(
                db,
                household,
                registry.ResidentData(full_name=name, birth_year=birth_year, eid_level=level),
                actor_id=actor,
            )
            world.residents[resident_key] = resident.id
    # tnv01 works in both of ward A's peopled groups, so its phone carries what the ward's
    # does; tnv02 has no group yet (tests/test_sync_scope.py).
    db.add_all(
        GroupAssignment(user_id=world.users["tnv01"], group_id=world.groups[key])
        for key in ("a1", "a2")
    )
    db.commit()
    return world
