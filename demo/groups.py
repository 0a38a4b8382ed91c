"""Demo volunteers' groups: every group has at least one volunteer, every volunteer 1 to 4."""

import random

from sqlmodel import Session, select

from core.access import Role
from households.models import GroupAssignment, ResidentialGroup
from volunteer.models import User

MAX_GROUPS = 4


def build_demo_group_assignments(db: Session, *, ward_id: int, seed: int) -> int:
    # A generator of its own, so the rest of the demo ward stays what it was before issue 15.
    rng = random.Random(seed * 15)
    groups = db.exec(
        select(ResidentialGroup.id)
        .where(ResidentialGroup.ward_id == ward_id)
        .order_by(ResidentialGroup.number)
    ).all()
    volunteers = db.exec(
        select(User.id)
        .where(User.ward_id == ward_id, User.role == Role.VOLUNTEER)
        .order_by(User.username)
    ).all()
    if not groups or not volunteers:
        return 0
    mine: dict[int, set[int]] = {user_id: set() for user_id in volunteers}
    for index, group_id in enumerate(groups):  # round robin: nobody's group is left out
        mine[volunteers[index % len(volunteers)]].add(group_id)
    for chosen in mine.values():
        wanted = min(MAX_GROUPS, len(chosen) + rng.randint(0, 2))
        while len(chosen) < min(wanted, len(groups)):
            chosen.add(rng.choice(groups))
    db.add_all(GroupAssignment(user_id=u, group_id=g) for u, chosen in mine.items() for g in chosen)
    db.flush()
    return sum(len(chosen) for chosen in mine.values())
