"""Issue 15 figures: a volunteer's offline copy (gzip bytes) and its pull's server time, on the
demo ward (about 3,000 households) and on the same ward grown tenfold (about 30,000).

    .venv/bin/python bench/scope_bench.py        # SQLite; BENCH_POSTGRES_URL=... for PostgreSQL

A fresh database migrated with Alembic holds the demo ward as `flask demo-data` loads it (groups
of the volunteers, rota, 8 weeks of records and follow-ups); the ward then grows by copies of its 49 groups (new groups, households, residents with new UUIDs).
Server time is the time of GET /api/v1/pull inside the app (Flask's test client: routing, the
queries, JSON and gzip, no network), median of 30 full pulls after 3 unmeasured ones.
"""

import gzip
import json
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alembic import command  # noqa: E402
from sqlalchemy import func, insert, text  # noqa: E402
from sqlmodel import select  # noqa: E402

from app import create_app  # noqa: E402
from core.db import session_scope  # noqa: E402
from core.migrate import alembic_config  # noqa: E402
from demo.assistance import build_demo_assistance  # noqa: E402
from demo.groups import build_demo_group_assignments  # noqa: E402
from demo.shifts import build_demo_shifts  # noqa: E402
from demo.ward import DEMO_PASSWORD, build_demo_ward  # noqa: E402
from households.models import GroupAssignment, Household, Resident, ResidentialGroup  # noqa: E402
from sync.pull import copied_residents  # noqa: E402
from volunteer.models import User  # noqa: E402

RUNS = 30


def prepared_app(url: str):
    command.upgrade(alembic_config(url), "head")
    app = create_app(
        {"SECRET_KEY": secrets.token_hex(16), "DATABASE_URL": url, "WTF_CSRF_ENABLED": False}
    )
    app.instance_path = tempfile.mkdtemp()
    with app.app_context(), session_scope() as db:
        summary = build_demo_ward(db, seed=247)
        build_demo_group_assignments(db, ward_id=summary["ward_id"], seed=247)
        build_demo_shifts(db, seed=247)
        build_demo_assistance(db, seed=247)
    return app


def volunteer_with_four_groups(app) -> str:
    with app.app_context(), session_scope() as db:
        counts = db.exec(
            select(User.username, func.count(GroupAssignment.group_id))
            .join(GroupAssignment, GroupAssignment.user_id == User.id)
            .group_by(User.username)
            .order_by(User.username)
        ).all()
    return next(username for username, n in counts if n == 4)


def grow_ward(app, copies: int) -> int:
    """Adds `copies` copies of the ward's 49 groups; returns the ward's household count."""
    with app.app_context(), session_scope() as db:
        groups = db.exec(select(ResidentialGroup).order_by(ResidentialGroup.number)).all()
        top = max(g.number for g in groups)
        for copy in range(1, copies + 1):
            for group in groups:
                clone = ResidentialGroup(
                    ward_id=group.ward_id, number=top * copy + group.number, name=group.name
                )
                db.add(clone)
                db.flush()
                households = db.exec(select(Household).where(Household.group_id == group.id)).all()
                for household in households:
                    row = household.model_dump(exclude={"id"})
                    row.update(group_id=clone.id, uuid=str(uuid.uuid4()))
                    new_id = db.execute(insert(Household).returning(Household.id), [row]).scalar()
                    people = db.exec(
                        select(Resident).where(Resident.household_id == household.id)
                    ).all()
                    if people:
                        db.execute(
                            insert(Resident),
                            [
                                p.model_dump(exclude={"id"})
                                | {"household_id": new_id, "uuid": str(uuid.uuid4())}
                                for p in people
                            ],
                        )
        db.commit()
        # Fresh statistics, as autovacuum (PostgreSQL) or a routine ANALYZE would leave them.
        db.execute(text("ANALYZE"))
        return db.exec(select(func.count()).select_from(Household)).one()


def measure(app, username: str) -> dict:
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.status_code
    times, body = [], b""
    for run in range(RUNS + 3):
        started = time.perf_counter()
        response = client.get("/api/v1/pull", headers={"Accept-Encoding": "gzip"})
        elapsed = time.perf_counter() - started
        assert response.status_code == 200
        body = response.data
        if run >= 3:
            times.append(elapsed)
    copy = gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body
    data = json.loads(copy)
    return {
        "households": len(data["households"]),
        "residents": len(copied_residents(data)),
        "gzip_kb": len(body) / 1024,
        "json_kb": len(copy) / 1024,
        "median_ms": statistics.median(times) * 1000,
        "p90_ms": sorted(times)[int(len(times) * 0.9) - 1] * 1000,
    }


def report(label: str, ward_households: int, who: str, figures: dict) -> None:
    print(
        f"{label:<10} ward {ward_households:>6} households | {who:<16} "
        f"{figures['households']:>6} households {figures['residents']:>6} residents | "
        f"gzip {figures['gzip_kb']:7.1f} KB (JSON {figures['json_kb']:7.1f} KB) | "
        f"pull median {figures['median_ms']:7.1f} ms, p90 {figures['p90_ms']:7.1f} ms"
    )


def main() -> None:
    url = os.environ.get("BENCH_POSTGRES_URL")
    label = "postgresql" if url else "sqlite"
    if not url:
        url = f"sqlite:///{tempfile.mkdtemp()}/scope.db"
    print(
        f"{platform.node()} · {platform.processor() or platform.machine()} · "
        f"{os.cpu_count()} cores · Python {platform.python_version()} · load {os.getloadavg()[0]:.1f}"
    )
    app = prepared_app(url)
    volunteer = volunteer_with_four_groups(app)
    with app.app_context(), session_scope() as db:
        size = db.exec(select(func.count()).select_from(Household)).one()
    report(label, size, f"{volunteer} (4 groups)", measure(app, volunteer))
    report(label, size, "bithu (ward)", measure(app, "bithu"))
    size = grow_ward(app, 9)
    report(label, size, f"{volunteer} (4 groups)", measure(app, volunteer))
    app.extensions["db_engine"].dispose()


if __name__ == "__main__":
    main()
