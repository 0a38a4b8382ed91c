"""Issue 15 figures: many volunteers at once against gunicorn as the README serves it, on 127.0.0.1.

    .venv/bin/python bench/load_bench.py              # VOLUNTEERS=200 DURATION=60 RAMP=10

A fresh SQLite database migrated with Alembic holds the demo ward as `flask demo-data` loads it
(bench/scope_bench.py's `prepared_app`), plus VOLUNTEERS volunteer accounts of the bench's own
(load001, ...), each given 1-4 of the ward's groups at random (as the demo's volunteers are).
gunicorn serves it with gunicorn.conf.py (gthread workers, one per core) on 127.0.0.1
(bench/sync_bench.py's `Server`), CSRF on as in production. One asyncio client process (aiohttp)
plays every phone; phones start evenly over RAMP seconds, and until DURATION seconds after the
first start each one:
  - logs in through the form (GET /login for the token, POST /login),
  - pulls its copy once (GET /api/v1/pull, gzip),
  - then, every 2-5 s: fetches a CSRF token, pushes 1-5 records for households of its copy
    (POST /api/v1/push, UUIDv7 as the app makes them), and opens a page (GET /log).
Timed: each request from send to body read (the client runs on the same two cores, so its
own CPU is in the figures). An error is an exception, a time-out (60 s), an unexpected status,
or a push receipt other than "accepted". At the end every pushed UUID is looked up in the
SQLite file: each must be stored exactly once.
"""

import asyncio
import json
import os
import platform
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp  # noqa: E402
from scope_bench import prepared_app  # noqa: E402
from sqlmodel import select  # noqa: E402
from sync_bench import KINDS, Server, uuid7  # noqa: E402

from core.access import Role  # noqa: E402
from core.db import session_scope  # noqa: E402
from demo.ward import DEMO_PASSWORD  # noqa: E402
from households.models import GroupAssignment, ResidentialGroup  # noqa: E402
from sync.pull import copied_residents  # noqa: E402
from volunteer.models import User  # noqa: E402

VOLUNTEERS = int(os.environ.get("VOLUNTEERS", "200"))
DURATION = float(os.environ.get("DURATION", "60"))
RAMP = float(os.environ.get("RAMP", "10"))
PAUSE = (2.0, 5.0)  # seconds between one push-and-page and the next
TIMEOUT = aiohttp.ClientTimeout(total=60)
TARGETS = {"push_p95_ms": 250, "pull_p95_ms": 1000}


def add_volunteers(app, count: int, rng: random.Random) -> list[str]:
    """`count` volunteers of the demo ward with 1-4 groups each; one password hash for all."""
    with app.app_context(), session_scope() as db:
        model = db.exec(select(User).where(User.role == Role.VOLUNTEER)).first()
        groups = db.exec(select(ResidentialGroup.id)).all()
        names = []
        for index in range(1, count + 1):
            user = User(
                username=f"load{index:03d}",
                full_name=f"Tình nguyện viên tải {index}",
                role=Role.VOLUNTEER,
                ward_id=model.ward_id,
                password_hash=model.password_hash,
            )
            db.add(user)
            db.flush()
            for group_id in rng.sample(groups, rng.randint(1, 4)):
                db.add(GroupAssignment(user_id=user.id, group_id=group_id))
            names.append(user.username)
        db.commit()
    return names


class Figures:
    def __init__(self):
        self.times: dict[str, list[float]] = {"login": [], "pull": [], "push": [], "page": []}
        self.errors: Counter = Counter()
        self.pushed: list[str] = []
        self.pull_households: list[int] = []


async def timed(figures: Figures, kind: str, call, expect: int, read=True):
    started = time.perf_counter()
    try:
        async with call() as response:
            body = await response.read()
            elapsed = time.perf_counter() - started
            if response.status != expect:
                figures.errors[f"{kind} {response.status}"] += 1
                return None
    except (aiohttp.ClientError, TimeoutError, OSError) as error:
        figures.errors[f"{kind} {type(error).__name__}"] += 1
        return None
    figures.times[kind].append(elapsed)
    return body


def records(copy: dict, rng: random.Random) -> list[dict]:
    residents: dict[str, list[str]] = {}
    for resident in copied_residents(copy):
        residents.setdefault(resident["household_uuid"], []).append(resident["uuid"])
    households = [h["uuid"] for h in copy["households"] if residents.get(h["uuid"])]
    items = []
    for _ in range(rng.randint(1, 5)):
        household = rng.choice(households)
        people = residents[household]
        items.append(
            {
                "type": "record",
                "uuid": uuid7(rng),
                "household_uuid": household,
                "resident_uuids": rng.sample(people, min(len(people), rng.randint(1, 2))),
                "kind": rng.choice(KINDS),
                "outcome": "done",
                "place": "home",
                "minutes": rng.randint(5, 40),
                "client_time": datetime.now(UTC).isoformat(),
            }
        )
    return items


async def phone(base: str, username: str, delay: float, end: float, figures: Figures, seed: int):
    rng = random.Random(seed)
    await asyncio.sleep(delay)
    jar = aiohttp.CookieJar(unsafe=True)  # cookies for 127.0.0.1
    async with aiohttp.ClientSession(base, cookie_jar=jar, timeout=TIMEOUT) as http:
        page = await timed(figures, "page", lambda: http.get("/login"), 200)
        if page is None:
            return
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
        form = {"username": username, "password": DEMO_PASSWORD, "csrf_token": token}
        if (
            await timed(
                figures,
                "login",
                lambda: http.post("/login", data=form, allow_redirects=False),
                302,
            )
            is None
        ):
            return
        body = await timed(
            figures,
            "pull",
            lambda: http.get("/api/v1/pull", headers={"Accept-Encoding": "gzip"}),
            200,
        )
        if body is None:
            return
        copy = json.loads(body)
        figures.pull_households.append(len(copy["households"]))
        while time.monotonic() < end:
            await asyncio.sleep(rng.uniform(*PAUSE))
            if time.monotonic() >= end:
                break
            answer = await timed(figures, "csrf", lambda: http.get("/api/v1/csrf"), 200)
            if answer is None:
                continue
            headers = {"X-CSRFToken": json.loads(answer)["csrf_token"]}
            items = records(copy, rng)
            figures.pushed.extend(item["uuid"] for item in items)
            answer = await timed(
                figures,
                "push",
                lambda items=items, headers=headers: http.post(
                    "/api/v1/push", json={"items": items}, headers=headers
                ),
                200,
            )
            if answer is not None:
                for result in json.loads(answer)["results"]:
                    if result.get("status") != "accepted":
                        figures.errors[f"push item {result.get('status')}"] += 1
            await timed(figures, "page", lambda: http.get("/log"), 200)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))] * 1000


async def run(base: str, names: list[str]) -> tuple[Figures, list[float]]:
    figures = Figures()
    figures.times["csrf"] = []
    loads: list[float] = []
    start = time.monotonic()
    end = start + DURATION

    async def watch_load():
        while time.monotonic() < end:
            loads.append(os.getloadavg()[0])
            await asyncio.sleep(5)

    watcher = asyncio.create_task(watch_load())
    await asyncio.gather(
        *(
            phone(base, name, RAMP * i / len(names), end, figures, seed=i)
            for i, name in enumerate(names)
        )
    )
    watcher.cancel()
    print(f"wall time {time.monotonic() - start:.1f} s", flush=True)
    return figures, loads


def stored_once(path: str, pushed: list[str]) -> tuple[int, int, int]:
    """(missing, stored more than once, pushed twice by the client) among the pushed UUIDs."""
    with sqlite3.connect(path) as db:
        counts = Counter(
            uuid
            for (uuid,) in db.execute(
                "SELECT uuid FROM assistance_record WHERE uuid IN (SELECT value FROM json_each(?))",
                (json.dumps(pushed),),
            )
        )
    unique = set(pushed)
    missing = sum(1 for u in unique if counts[u] == 0)
    doubled = sum(1 for u in unique if counts[u] > 1)
    return missing, doubled, len(pushed) - len(unique)


def main() -> None:
    print(
        f"{platform.node()} · {platform.machine()} · {os.cpu_count()} cores · "
        f"Python {platform.python_version()} · load {os.getloadavg()[0]:.1f} · "
        f"{VOLUNTEERS} volunteers, {DURATION:.0f} s, ramp {RAMP:.0f} s",
        flush=True,
    )
    path = f"{tempfile.mkdtemp()}/load.db"
    url = f"sqlite:///{path}"
    app = prepared_app(url)
    names = add_volunteers(app, VOLUNTEERS, random.Random(15))
    app.extensions["db_engine"].dispose()
    server = Server("gunicorn", url)
    try:
        figures, loads = asyncio.run(run(f"http://127.0.0.1:{server.port}", names))
    finally:
        server.process.terminate()
        server.process.wait(timeout=30)
    missing, doubled, resent = stored_once(path, figures.pushed)
    errors = sum(figures.errors.values())
    print(f"load average during the run: {min(loads):.1f}–{max(loads):.1f} (1-minute, every 5 s)")
    print(
        f"households per copy: median {statistics.median(figures.pull_households):.0f}, "
        f"{min(figures.pull_households)}–{max(figures.pull_households)}"
    )
    for kind, values in figures.times.items():
        if values:
            print(
                f"{kind:<6} {len(values):>5} requests  p50 {percentile(values, 50):7.0f} ms  "
                f"p95 {percentile(values, 95):7.0f} ms  p99 {percentile(values, 99):7.0f} ms  "
                f"max {max(values) * 1000:7.0f} ms"
            )
    print(f"errors: {errors} {dict(figures.errors) if errors else ''}")
    print(
        f"pushed {len(figures.pushed)} records ({len(set(figures.pushed))} UUIDs): "
        f"{missing} missing, {doubled} stored more than once"
    )
    push95 = percentile(figures.times["push"], 95)
    pull95 = percentile(figures.times["pull"], 95)
    print(
        f"targets: 0 errors {'met' if errors == 0 else 'NOT met'}; "
        f"push p95 ≤ 250 ms {'met' if push95 <= 250 else 'NOT met'}; "
        f"pull p95 ≤ 1 s {'met' if pull95 <= 1000 else 'NOT met'}; "
        f"every UUID once {'met' if missing == doubled == 0 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
