"""How fast the coverage pages are on the city-scale dataset (bench/coverage_dataset.py).

Prints, for SQLite and PostgreSQL, the median of 20 runs of:
- the ward dashboard and the city view as whole requests through the app (server time: routing,
  access check, queries, template, SVG), and their queries alone;
- one hand-written SQL aggregate (adults and adults with an e-ID per group of a ward, per ward of
  the city) as the floor: what any implementation of these figures has to pay.

    .venv/bin/python bench/coverage_bench.py [--only sqlite|postgresql] [--runs 20]

Targets (issue 5): ward dashboard <= 100 ms, city view <= 1 s.
"""

import argparse
import os
import platform
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from app import create_app  # noqa: E402
from core.db import session_scope  # noqa: E402

SQLITE_PATH = ROOT / "bench" / "data" / "coverage.db"
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench"
PASSWORD = "bench-only"

FLOOR_WARD = """
SELECT g.id, count(*), sum(CASE WHEN r.eid_level >= 1 THEN 1 ELSE 0 END)
FROM residential_group g
JOIN household h ON h.group_id = g.id AND h.deleted_at IS NULL
JOIN resident r ON r.household_id = h.id AND r.deleted_at IS NULL AND r.birth_year <= :limit
WHERE g.ward_id = :ward AND g.deleted_at IS NULL
GROUP BY g.id
"""
FLOOR_CITY = """
SELECT g.ward_id, count(*), sum(CASE WHEN r.eid_level >= 1 THEN 1 ELSE 0 END)
FROM residential_group g
JOIN household h ON h.group_id = g.id AND h.deleted_at IS NULL
JOIN resident r ON r.household_id = h.id AND r.deleted_at IS NULL AND r.birth_year <= :limit
WHERE g.deleted_at IS NULL
GROUP BY g.ward_id
"""


def timed(fn, runs: int) -> tuple[float, float, float]:
    """(median, min, max) in milliseconds, after one warm-up call."""
    fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), min(samples), max(samples)


def machine() -> list[str]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), "?")
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory = next(line.split()[1] for line in meminfo if line.startswith("MemTotal"))
    return [
        f"CPU: {cpu}, {os.cpu_count()} cores; RAM {int(memory) / 1024 / 1024:.1f} GiB",
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        "load average (1, 5, 15 min): " + " ".join(f"{x:.2f}" for x in os.getloadavg()),
    ]


def bench(name: str, url: str, runs: int, ward_number: int) -> None:
    app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": url, "WTF_CSRF_ENABLED": False})
    # After create_app: the blueprints' packages import each other in the app's order.
    from eid_coverage import period, queries
    from households.queries import adult_birth_year_limit

    with app.app_context(), session_scope() as db:
        if name == "postgresql":
            print("  " + db.execute(text("SELECT version()")).scalar().split(",")[0])
        wards = db.execute(text("SELECT id FROM ward ORDER BY id")).scalars().all()
        ward = wards[min(ward_number, len(wards)) - 1]
        counts = {
            table: db.execute(text(f'SELECT count(*) FROM "{table}"')).scalar()
            for table in ("ward", "household", "resident", "assistance_record")
        }
        # The dataset's hashes are placeholders; give the admin a real one to log in with.
        db.execute(
            text("UPDATE \"user\" SET password_hash = :h WHERE username = 'admin'"),
            {"h": generate_password_hash(PASSWORD)},
        )
    print("  " + ", ".join(f"{table} {count:,}" for table, count in counts.items()))
    client = app.test_client()
    assert (
        client.post("/login", data={"username": "admin", "password": PASSWORD}).status_code == 302
    )
    assert client.get(f"/coverage/?ward={ward}").status_code == 200  # picks the ward

    def page(path: str):
        def get():
            response = client.get(path)
            assert response.status_code == 200, response.status_code

        return get

    month = period.parse({})
    limit = adult_birth_year_limit()
    rows = []
    with app.app_context(), session_scope() as db:
        rows.append(("ward dashboard, request", timed(page("/coverage/"), runs), 100))
        rows.append(
            (
                "ward dashboard, queries only",
                timed(lambda: queries.ward_dashboard(db, ward_id=ward, period=month), runs),
                None,
            )
        )
        rows.append(
            (
                "ward floor (hand-written SQL)",
                timed(
                    lambda: db.execute(text(FLOOR_WARD), {"ward": ward, "limit": limit}).all(), runs
                ),
                None,
            )
        )
        rows.append(("city view, request", timed(page("/coverage/city"), runs), 1000))
        rows.append(
            (
                "city view, queries only",
                timed(lambda: queries.city_overview(db, period=month), runs),
                None,
            )
        )
        rows.append(
            (
                "city floor (hand-written SQL)",
                timed(lambda: db.execute(text(FLOOR_CITY), {"limit": limit}).all(), runs),
                None,
            )
        )
    print(f"  {'':32} {'median':>9} {'min':>9} {'max':>9}  target")
    for label, (median, low, high), target in rows:
        verdict = (
            "" if target is None else f"<= {target} ms {'ok' if median <= target else 'MISSED'}"
        )
        print(f"  {label:32} {median:8.1f}ms {low:8.1f}ms {high:8.1f}ms  {verdict}")
    app.extensions["db_engine"].dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--ward", type=int, default=28, help="which ward (by position) to show")
    parser.add_argument("--sqlite", default=str(SQLITE_PATH))
    parser.add_argument("--postgres", default=POSTGRES_URL)
    args = parser.parse_args()
    for line in machine():
        print(line)
    targets = [("sqlite", f"sqlite:///{args.sqlite}"), ("postgresql", args.postgres)]
    for name, url in targets:
        if args.only in (None, name):
            print(f"{name}:")
            bench(name, url, args.runs, args.ward)
    print("load average at the end: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
