"""Sync API figures: push ingest (records/s) and the ward's offline copy (time, gzip bytes).

    .venv/bin/python bench/sync_bench.py            # SQLite, and PostgreSQL when reachable

Each backend gets a fresh database migrated with Alembic and filled with the demo ward. The app
is then served on 127.0.0.1 in its own process, as it runs for real, by two servers in turn:
werkzeug (what `make run` starts) and gunicorn (the production server, see the README). A
logged-in client in this process pushes through the endpoint, with CSRF on as in production:
one client sending batch after batch, then several phones pushing at once. Beside it, raw
`sqlite3` `executemany` of the same rows into a bare table of the same shape, in the same run.
Record UUIDs are time-ordered (v7) as the app makes them; one series sends random (v4) UUIDs, as
the app made them before, since such records may still wait in a phone's outbox.
"""

import gzip
import http.client
import json
import multiprocessing
import os
import platform
import random
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alembic import command  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from app import create_app  # noqa: E402
from core.db import make_engine, session_scope  # noqa: E402
from core.migrate import alembic_config  # noqa: E402
from demo.ward import DEMO_PASSWORD, build_demo_ward  # noqa: E402
from households.models import Household, Resident  # noqa: E402
from sync.pull import copied_residents  # noqa: E402

POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BATCHES = {100: 60, 500: 20}  # batch size -> batches sent (enough that a GC pause is averaged in)
PHONES = 4  # volunteers pushing batches of 100 at the same time
KINDS = ["guidance", "eid_level1", "eid_level2", "eid_signin_help"]
ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECRET_KEY = secrets.token_hex(16)
# How each server is started; {port} is filled in. Both serve the same `create_app()`.
SERVERS = {
    "werkzeug": [str(BIN / "flask"), "--app", "app", "run", "--port", "{port}", "--no-reload"],
    "gunicorn": [
        str(BIN / "gunicorn"),
        "--config",
        "gunicorn.conf.py",
        "--bind",
        "127.0.0.1:{port}",
    ],
}


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
    app = create_app({"SECRET_KEY": SECRET_KEY, "DATABASE_URL": url})
    app.instance_path = tempfile.mkdtemp()
    with app.app_context(), session_scope() as db:
        build_demo_ward(db, seed=247)
    return app


def ward_people(url: str) -> list[tuple[str, list[str]]]:
    engine = make_engine(url)
    with Session(engine) as db:
        rows = db.exec(select(Household.uuid, Resident.uuid).join(Resident)).all()
    engine.dispose()
    people: dict[str, list[str]] = {}
    for household, resident in rows:
        people.setdefault(household, []).append(resident)
    return list(people.items())


def uuid7(rng: random.Random) -> str:
    """A UUID as the app makes them (static/js/log/screen.js, core/ids.py): milliseconds since 1970, then random."""
    value = (time.time_ns() // 1_000_000) << 80 | rng.getrandbits(80)
    value = value & ~(0xF << 76) | 7 << 76  # version 7 (Python 3.11's uuid knows only 1 to 5)
    value = value & ~(0x3 << 62) | 0b10 << 62  # RFC variant
    return str(uuid.UUID(int=value))


def uuid4(rng: random.Random) -> str:
    """As the app made them before UUIDv7: random (such records may still wait in an outbox)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def records(people, count: int, rng: random.Random, make_uuid=uuid7) -> list[dict]:
    items = []
    for _ in range(count):
        household, residents = rng.choice(people)
        items.append(
            {
                "type": "record",
                "uuid": make_uuid(rng),
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


class Server:
    """The app served by `kind` in a child process (its workers are its children)."""

    def __init__(self, kind: str, url: str):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        argv = [part.format(port=self.port) for part in SERVERS[kind]]
        env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=SECRET_KEY)
        self.process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 180  # a busy shared box takes long to import the app
        while True:  # up when a worker answers (gunicorn listens before it forks them)
            try:
                probe = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                probe.request("GET", "/login")
                if probe.getresponse().status == 200:
                    break
            except OSError:
                pass
            assert self.process.poll() is None, f"{kind} exited with {self.process.returncode}"
            assert time.monotonic() < deadline, f"{kind} did not start"
            time.sleep(0.1)
        time.sleep(0.5)  # the other workers finish starting

        self.pids = self._process_tree()

    def _process_tree(self) -> list[int]:
        """The server and its workers (gunicorn's are up once it accepts connections)."""
        pids = [self.process.pid]
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError):
                continue
            if parent == self.process.pid:
                pids.append(int(stat.parent.name))
        return pids

    def cpu_seconds(self) -> float:
        """User + system CPU of the server and its workers so far, from /proc (Linux)."""
        ticks = 0
        for pid in self.pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def push(client: Client, body: bytes, server: Server | None = None) -> tuple[float, float]:
    """Seconds and server CPU seconds for the POST of an encoded batch alone (the CSRF token is
    fetched first, as the app does)."""
    _r, token = client.request("GET", "/api/v1/csrf")
    headers = {"Content-Type": "application/json", "X-CSRFToken": json.loads(token)["csrf_token"]}
    cpu = server.cpu_seconds() if server else 0.0
    started = time.perf_counter()
    response, data = client.request("POST", "/api/v1/push", body, headers)
    elapsed = time.perf_counter() - started
    cpu = server.cpu_seconds() - cpu if server else 0.0
    statuses = {r["status"] for r in json.loads(data)["results"]}
    assert response.status == 200 and statuses == {"accepted"}, (response.status, statuses)
    return elapsed, cpu


def encoded(batch: list[dict]) -> bytes:
    return json.dumps({"items": batch}).encode()


def bench_server(kind: str, url: str, people, rng: random.Random) -> dict:
    server = Server(kind, url)
    figures = {}
    try:
        client = Client(server.port)
        client.login("tnv01")
        for size, rounds in BATCHES.items():
            batches = [records(people, size, rng) for _ in range(rounds)]
            for _ in range(len(server.pids)):  # warm-up of each worker: statement caches
                push(client, encoded(records(people, size, rng)))
            figures[f"push_{size}"], figures[f"cpu_{size}"] = timed_pushes(client, server, batches)
            figures.setdefault("raw", {})[size] = raw_sqlite(batches)
        old_uuids = [records(people, 100, rng, uuid4) for _ in range(BATCHES[100])]
        figures["push_100_v4"], _cpu = timed_pushes(client, server, old_uuids)
        figures["phones"] = phones_at_once(server.port, people, rng)
        client.connection.close()  # idle past the server's keep-alive meanwhile
        # The whole ward, as the secretary's phone holds it (a volunteer's own groups are
        # bench/scope_bench.py's).
        secretary = Client(server.port)
        secretary.login("bithu")
        figures.update(pull_figures(secretary))
    finally:
        server.stop()
    return figures


def timed_pushes(client: Client, server: Server, batches: list[list[dict]]) -> tuple[float, float]:
    """Records per second of wall clock and per second of the server's CPU."""
    timings = [push(client, encoded(batch), server) for batch in batches]
    count = sum(len(batch) for batch in batches)
    # CPU seconds move much less with the machine's load than the wall clock does.
    return count / sum(wall for wall, _cpu in timings), count / sum(cpu for _w, cpu in timings)


def phones_at_once(port: int, people, rng: random.Random) -> float:
    """PHONES volunteers, each a process of its own, pushing 15 batches of 100 at the same time
    (bodies encoded beforehand, so the clients take as little CPU as they can): records/s."""
    bodies = [[encoded(records(people, 100, rng)) for _ in range(15)] for _ in range(PHONES)]
    context = multiprocessing.get_context("fork")
    ready = context.Barrier(PHONES + 1)
    errors = context.Queue()

    def phone(number: int) -> None:
        try:
            client = Client(port)
            client.login(f"tnv{number + 2:02d}")
            ready.wait()
            for body in bodies[number]:
                push(client, body)
        except Exception as error:  # noqa: BLE001 - reported below, the figure is then void
            errors.put(repr(error))
            raise

    phones = [context.Process(target=phone, args=(number,)) for number in range(PHONES)]
    for process in phones:
        process.start()
    ready.wait()
    started = time.perf_counter()
    for process in phones:
        process.join()
    elapsed = time.perf_counter() - started
    assert errors.empty() and all(p.exitcode == 0 for p in phones), errors.get_nowait()
    return PHONES * 15 * 100 / elapsed


def bench_backend(name: str, url: str) -> dict:
    prepared_app(url).extensions["db_engine"].dispose()
    people = ward_people(url)
    rng = random.Random(4)
    return {"backend": name, **{kind: bench_server(kind, url, people, rng) for kind in SERVERS}}


def pull_figures(client: Client) -> dict:
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
        "residents": len(copied_residents(copy)),
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
        for kind in SERVERS:
            f = r[kind]
            print(f"\n{r['backend']}, served by {kind}")
            for size in BATCHES:
                print(
                    f"  push, batches of {size}: {f[f'push_{size}']:>9,.0f} records/s through HTTP"
                    f" ({f[f'cpu_{size}']:,.0f} per server CPU second)"
                    f"   (raw sqlite3 executemany, same rows: {f['raw'][size]:>9,.0f} records/s)"
                )
            print(
                f"  push, batches of 100 with random (v4) UUIDs: {f['push_100_v4']:>9,.0f} records/s"
            )
            print(
                f"  {PHONES} phones pushing batches of 100 at once: {f['phones']:>9,.0f} records/s"
            )
            print(
                f"  ward copy ({f['households']} households, {f['residents']} residents): "
                f"{f['pull_seconds'] * 1000:.0f} ms, {f['pull_gzip_bytes'] / 1024:.0f} KiB gzip "
                f"({f['pull_raw_bytes'] / 1024:.0f} KiB raw)"
            )


if __name__ == "__main__":
    main()
