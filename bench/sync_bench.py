"""Sync API figures: push ingest (records/s) and the ward's offline copy (time, gzip bytes).

    .venv/bin/python bench/sync_bench.py            # SQLite, and PostgreSQL when reachable

Each backend gets a fresh database migrated with Alembic and filled with the demo ward, then a
real HTTP server on 127.0.0.1 (werkzeug, threaded) and a logged-in keep-alive client. Push is
measured through the endpoint, with CSRF on as in production. Beside it, raw `sqlite3`
`executemany` of the same rows into a bare table of the same shape, in the same run.
"""

import gzip
import http.client
import json
import os
import platform
import random
import re
import secrets
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alembic import command  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlmodel import select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from app import create_app  # noqa: E402
from core.db import make_engine, session_scope  # noqa: E402
from core.migrate import alembic_config  # noqa: E402
from demo.ward import DEMO_PASSWORD, build_demo_ward  # noqa: E402
from households.models import Household, Resident  # noqa: E402

POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BATCHES = {100: 60, 500: 20}  # batch size -> batches sent (enough that a GC pause is averaged in)
KINDS = ["guidance", "eid_level1", "eid_level2", "eid_signin_help"]


class Client:
    """Keep-alive HTTP client with a cookie jar of one session cookie."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response, data

    def login(self, username: str) -> None:
        _response, page = self.request("GET", "/login")
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
        body = urlencode({"username": username, "password": DEMO_PASSWORD, "csrf_token": token})
        response, _ = self.request(
            "POST", "/login", body.encode(), {"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert response.status == 302, response.status


def prepared_app(url: str):
    command.upgrade(alembic_config(url), "head")
    app = create_app({"SECRET_KEY": secrets.token_hex(16), "DATABASE_URL": url})
    app.instance_path = tempfile.mkdtemp()
    with app.app_context(), session_scope() as db:
        build_demo_ward(db, seed=247)
    return app


def ward_people(app) -> list[tuple[str, list[str]]]:
    with app.app_context(), session_scope() as db:
        rows = db.exec(select(Household.uuid, Resident.uuid).join(Resident)).all()
    people: dict[str, list[str]] = {}
    for household, resident in rows:
        people.setdefault(household, []).append(resident)
    return list(people.items())


def records(people, count: int, rng: random.Random) -> list[dict]:
    items = []
    for _ in range(count):
        household, residents = rng.choice(people)
        items.append(
            {
                "type": "record",
                "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "household_uuid": household,
                "resident_uuids": rng.sample(residents, min(len(residents), rng.randint(1, 2))),
                "kind": rng.choice(KINDS),
                "outcome": "done",
                "place": "home",
                "minutes": rng.randint(5, 40),
                "client_time": datetime.now(UTC).isoformat(),
            }
        )
    return items


def bench_backend(name: str, url: str) -> dict:
    app = prepared_app(url)
    people = ward_people(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    figures = {"backend": name}
    try:
        client = Client(server.server_port)
        client.login("tnv01")
        rng = random.Random(4)
        for size, rounds in BATCHES.items():
            batches = [records(people, size, rng) for _ in range(rounds)]
            elapsed = cpu = 0.0
            for batch in batches:
                _r, token = client.request("GET", "/api/v1/csrf")
                body = json.dumps({"items": batch}).encode()
                headers = {
                    "Content-Type": "application/json",
                    "X-CSRFToken": json.loads(token)["csrf_token"],
                }
                started, started_cpu = time.perf_counter(), time.process_time()
                response, data = client.request("POST", "/api/v1/push", body, headers)
                elapsed += time.perf_counter() - started
                cpu += time.process_time() - started_cpu
                statuses = {r["status"] for r in json.loads(data)["results"]}
                assert response.status == 200 and statuses == {"accepted"}, (
                    response.status,
                    statuses,
                )
            figures[f"push_{size}"] = size * rounds / elapsed
            # The server runs in this process: CPU seconds are what the push costs, whatever
            # else the machine is doing (wall-clock figures swing with the load).
            figures[f"cpu_{size}"] = size * rounds / cpu
            figures[f"raw_{size}"] = raw_sqlite(batches)
        figures.update(pull_figures(app, client))
    finally:
        server.shutdown()
        app.extensions["db_engine"].dispose()
    return figures


def pull_figures(app, client: Client) -> dict:
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        response, data = client.request("GET", "/api/v1/pull", headers={"Accept-Encoding": "gzip"})
        timings.append(time.perf_counter() - started)
        assert response.status == 200 and response.getheader("Content-Encoding") == "gzip"
    copy = json.loads(gzip.decompress(data))
    return {
        "pull_seconds": sorted(timings)[len(timings) // 2],
        "pull_gzip_bytes": len(data),
        "pull_raw_bytes": len(gzip.decompress(data)),
        "households": len(copy["households"]),
        "residents": len(copy["residents"]),
    }


def raw_sqlite(batches: list[list[dict]]) -> float:
    """The same rows through plain sqlite3 executemany: the floor under any web framework."""
    folder = tempfile.mkdtemp()
    connection = sqlite3.connect(Path(folder) / "raw.db")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(
        "CREATE TABLE record (id INTEGER PRIMARY KEY, uuid TEXT UNIQUE, household TEXT, kind TEXT,"
        " outcome TEXT, place TEXT, minutes INTEGER, client_time TEXT, received_at TEXT)"
    )
    connection.execute("CREATE TABLE link (record_uuid TEXT, resident TEXT)")
    elapsed = 0.0
    for batch in batches:
        now = datetime.now(UTC).isoformat()
        rows = [
            (
                r["uuid"],
                r["household_uuid"],
                r["kind"],
                r["outcome"],
                r["place"],
                r["minutes"],
                r["client_time"],
                now,
            )
            for r in batch
        ]
        links = [(r["uuid"], resident) for r in batch for resident in r["resident_uuids"]]
        started = time.perf_counter()
        with connection:
            connection.executemany(
                "INSERT INTO record (uuid, household, kind, outcome, place, minutes, client_time,"
                " received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            connection.executemany("INSERT INTO link VALUES (?, ?)", links)
        elapsed += time.perf_counter() - started
    connection.close()
    return sum(len(b) for b in batches) / elapsed


def postgres_url() -> str | None:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    try:
        engine = make_engine(POSTGRES_URL)
        with engine.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - no server means no PostgreSQL figures
        print(f"PostgreSQL not reachable ({type(error).__name__}); SQLite only.")
        return None
    return f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"


def drop_schema(url: str) -> None:
    schema = url.rsplit("%3D", 1)[1]
    engine = make_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


def main() -> None:
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()},"
        f" SQLite {sqlite3.sqlite_version}, load average {os.getloadavg()[0]:.2f}"
    )
    results = []
    folder = tempfile.mkdtemp()
    results.append(bench_backend("SQLite", f"sqlite:///{folder}/bench.db"))
    url = postgres_url()
    if url:
        try:
            results.append(bench_backend("PostgreSQL", url))
        finally:
            drop_schema(url)
    for r in results:
        print(f"\n{r['backend']}")
        for size in BATCHES:
            print(
                f"  push, batches of {size}: {r[f'push_{size}']:>9,.0f} records/s through HTTP"
                f" ({r[f'cpu_{size}']:,.0f} per CPU second)"
                f"   (raw sqlite3 executemany, same rows: {r[f'raw_{size}']:>9,.0f} records/s)"
            )
        print(
            f"  ward copy ({r['households']} households, {r['residents']} residents): "
            f"{r['pull_seconds'] * 1000:.0f} ms, {r['pull_gzip_bytes'] / 1024:.0f} KiB gzip "
            f"({r['pull_raw_bytes'] / 1024:.0f} KiB raw)"
        )


if __name__ == "__main__":
    main()
