"""City-scale data for the coverage benchmark: 56 wards of about 3,000 households (about 170,000
households, 500,000 residents, 1,000,000 assistance records over the past year, and a year of
desk shifts), into a SQLite file and/or a PostgreSQL schema, both migrated to Alembic's head.

    .venv/bin/python bench/coverage_dataset.py                  # both databases
    .venv/bin/python bench/coverage_dataset.py --only sqlite --wards 4

Rows are generated with explicit ids, ward by ward, and written in bulk: executemany on a
SQLite connection with journaling off, COPY on PostgreSQL. Seeded, so every run is the same.
"""

import argparse
import random
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.coverage_writers import PostgresWriter, SqliteWriter  # noqa: E402

SQLITE_PATH = ROOT / "bench" / "data" / "coverage.db"
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SCHEMA = "bench"
PASSWORD_HASH = "scrypt:32768:8:1$bench$" + "0" * 64  # nobody logs in with the password
KINDS = ["eid_level1", "eid_level2", "eid_activated", "eid_signin_help", "dossier", "guidance"]
KIND_WEIGHTS = [18, 22, 5, 15, 25, 15]


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


class Ids:
    def __init__(self):
        self.next = {}

    def __call__(self, table: str) -> int:
        self.next[table] = self.next.get(table, 0) + 1
        return self.next[table]


def ward_rows(index: int, households: int, ids: Ids, now: datetime, year: int) -> dict:
    """Every row of one ward, table by table, as tuples in the writers' column order."""
    rng = random.Random(1000 + index)
    ward_id = ids("ward")
    rows = {
        name: []
        for name in (
            "ward",
            "user",
            "residential_group",
            "household",
            "resident",
            "assistance_record",
            "assistance_resident",
            "shift",
            "shift_assignment",
        )
    }
    rows["ward"].append((ward_id, f"Phường Bench {index + 1:02d}", "Đà Nẵng", now))
    secretary = ids("user")
    rows["user"].append(
        (
            secretary,
            f"bithu{index + 1:02d}",
            "Bí thư Bench",
            None,
            "secretary",
            ward_id,
            True,
            PASSWORD_HASH,
            "vi",
            now,
            now,
        )
    )
    volunteers = []
    for number in range(30):
        uid = ids("user")
        volunteers.append(uid)
        rows["user"].append(
            (
                uid,
                f"tnv{index + 1:02d}_{number:02d}",
                f"Tình nguyện viên {number}",
                None,
                "volunteer",
                ward_id,
                True,
                PASSWORD_HASH,
                "vi",
                now,
                now,
            )
        )
    left, number = households, 0
    residents_of: list[tuple[int, list[int]]] = []
    while left > 0:
        number += 1
        group_id = ids("residential_group")
        rows["residential_group"].append(
            (group_id, ward_id, number, f"Tổ {number}", None, None, now, None)
        )
        target = 0.35 + 0.6 * rng.random()
        for _ in range(min(left, rng.randint(48, 74))):
            left -= 1
            household_id = ids("household")
            rows["household"].append(
                (
                    household_id,
                    _uuid(rng),
                    group_id,
                    f"{rng.randint(1, 400)} Đường Bench",
                    f"{number} duong bench",
                    None,
                    None,
                    None,
                    None,
                    True,
                    None,
                    None,
                    None,
                    now,
                    now,
                    None,
                )
            )
            members = []
            for _ in range(rng.choices([1, 2, 3, 4, 5, 6], [10, 25, 32, 20, 9, 4])[0]):
                resident_id = ids("resident")
                birth = rng.randint(year - 85, year - 1)
                level, confirmed = 0, None
                if year - birth >= 18 and rng.random() < target:
                    level = 2 if rng.random() < 0.7 else 1
                    if rng.random() < 0.3:
                        confirmed = (now - timedelta(days=rng.randint(0, 364))).date()
                rows["resident"].append(
                    (
                        resident_id,
                        _uuid(rng),
                        household_id,
                        None,
                        None,
                        birth,
                        level,
                        confirmed,
                        None,
                        now,
                        now,
                        None,
                    )
                )
                members.append(resident_id)
            residents_of.append((household_id, members))
    # About 18,000 records per ward, on the 55% of households that were ever reached.
    reached = rng.sample(residents_of, int(len(residents_of) * 0.55))
    per_household = 18_000 / max(len(reached), 1)
    year_ago = now - timedelta(days=365)
    for household_id, members in reached:
        for _ in range(max(1, round(rng.expovariate(1 / per_household)))):
            record_id = ids("assistance_record")
            at = year_ago + timedelta(seconds=rng.randrange(365 * 86400))
            kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
            outcome = rng.choices(["done", "pending", "failed"], [80, 14, 6])[0]
            rows["assistance_record"].append(
                (
                    record_id,
                    _uuid(rng),
                    ward_id,
                    household_id,
                    rng.choice(volunteers),
                    kind,
                    None,
                    None,
                    None,
                    outcome,
                    None if outcome == "done" else "bench",
                    rng.choice(["desk", "home"]),
                    None,
                    rng.randint(5, 25),
                    at,
                    at,
                    at,
                    None,
                    None,
                    None,
                    None,  # content_hash: only pushed records have one
                )
            )
            if members:
                rows["assistance_resident"].append((record_id, rng.choice(members)))
    # A year of Mon/Wed/Fri desk shifts, morning and afternoon, three people each.
    day = (now - timedelta(days=365)).date()
    while day <= now.date():
        if day.weekday() in (0, 2, 4):
            for start_hour, hours in ((0, 4), (6, 3.5)):  # 07:30 and 13:30 local, in UTC
                starts = datetime(day.year, day.month, day.day, start_hour, 30, tzinfo=UTC)
                shift_id = ids("shift")
                people = rng.sample(volunteers, 3)
                rows["shift"].append(
                    (
                        shift_id,
                        ward_id,
                        starts,
                        starts + timedelta(hours=hours),
                        "desk",
                        None,
                        "desk",
                        2,
                        4,
                        len(people),
                        None,
                        "open",
                        None,
                        now,
                        now,
                    )
                )
                for uid in people:
                    came = (
                        starts + timedelta(minutes=rng.randint(-10, 20)) if starts < now else None
                    )
                    left_at = came + timedelta(hours=hours) if came else None
                    rows["shift_assignment"].append(
                        (
                            ids("shift_assignment"),
                            shift_id,
                            uid,
                            "secretary",
                            None,
                            now,
                            came,
                            left_at,
                            "present" if came else None,
                            None,
                        )
                    )
        day += timedelta(days=1)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wards", type=int, default=56)
    parser.add_argument("--households", type=int, default=3000, help="per ward")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--sqlite", default=str(SQLITE_PATH))
    parser.add_argument("--postgres", default=POSTGRES_URL)
    parser.add_argument("--schema", default=SCHEMA)
    args = parser.parse_args()
    writers = []
    if args.only in (None, "sqlite"):
        writers.append(SqliteWriter(Path(args.sqlite)))
    if args.only in (None, "postgresql"):
        writers.append(PostgresWriter(args.postgres, args.schema))
    now = datetime.now(UTC).replace(microsecond=0)
    started, ids, counts = time.perf_counter(), Ids(), {}
    admin = (
        ids("user"),
        "admin",
        "Quản trị",
        None,
        "admin",
        None,
        True,
        PASSWORD_HASH,
        "vi",
        now,
        now,
    )
    for writer in writers:
        writer.start()
        writer.write({"user": [admin]})
    for index in range(args.wards):
        rows = ward_rows(index, args.households, ids, now, date.today().year)
        for writer in writers:
            writer.write(rows)
        for table, table_rows in rows.items():
            counts[table] = counts.get(table, 0) + len(table_rows)
        print(
            f"\rward {index + 1}/{args.wards} ({time.perf_counter() - started:.0f} s)",
            end="",
            flush=True,
        )
    print()
    for writer in writers:
        writer.finish()
    print(", ".join(f"{table} {count:,}" for table, count in counts.items()))
    print(f"done in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
