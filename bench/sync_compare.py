"""Push ingest of two versions of the app, interleaved: which one is faster on a noisy machine.

    git worktree add /tmp/before <commit>
    .venv/bin/python bench/sync_compare.py /tmp/before [--size 100] [--rounds 60] [--before-v4]
        [--postgres]

The build box's speed moves by a third within minutes, more than most changes are worth, so
back-to-back runs of bench/sync_bench.py cannot tell two versions apart. Here both versions are
served by gunicorn at the same time, each on a fresh demo database migrated by its own code,
and one client alternates pushes between them (the order swapped every round): both meet the
same machine at the same moment. --before-v4 sends the other version random (v4) UUIDs, as the
app made them before UUIDv7. --postgres: each version on a schema of its own on the PostgreSQL of
bench/sync_bench.py (BENCH_POSTGRES_URL) instead of an SQLite file.
"""

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sync_bench  # noqa: E402

# Run by each version's own Python path: migrate, load the demo ward, list its people.
PREPARE = """
import json, os, sys
sys.path[:0] = [{root!r}, {bench!r}]
os.chdir({root!r})
import sync_bench
sync_bench.prepared_app({url!r}).extensions["db_engine"].dispose()
print(json.dumps(sync_bench.ward_people({url!r})))
"""


def prepared(root: Path, url: str) -> list:
    script = PREPARE.format(root=str(root), bench=str(root / "bench"), url=url)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    if run.returncode:
        raise SystemExit(f"{root}: could not prepare its database:\n{run.stderr}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="checkout of the other version")
    parser.add_argument("--size", type=int, default=100, help="records per push")
    parser.add_argument("--rounds", type=int, default=60, help="pushes to each version")
    parser.add_argument("--before-v4", action="store_true", help="random UUIDs to the other")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    args = parser.parse_args()
    schemas = []
    roots = {"before": args.before.resolve(), "this": sync_bench.ROOT}
    make_uuid = {"before": sync_bench.uuid4 if args.before_v4 else sync_bench.uuid7}
    servers, clients, people = {}, {}, {}
    try:
        for name, root in roots.items():
            if args.postgres:
                url = sync_bench.postgres_url()
                if url is None:
                    raise SystemExit("PostgreSQL not reachable")
                schemas.append(url)
            else:
                url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
            people[name] = prepared(root, url)
            sync_bench.ROOT = root  # the server's working directory: its gunicorn.conf.py, app
            servers[name] = sync_bench.Server("gunicorn", url)
            clients[name] = sync_bench.Client(servers[name].port)
            clients[name].login("tnv01")
        rngs = {name: random.Random(4) for name in roots}

        def body(name: str) -> bytes:
            uuid = make_uuid.get(name, sync_bench.uuid7)
            return sync_bench.encoded(sync_bench.records(people[name], args.size, rngs[name], uuid))

        for name in roots:  # warm-up: statement caches of each worker
            for _ in range(len(servers[name].pids)):
                sync_bench.push(clients[name], body(name))
        seconds = {name: [] for name in roots}
        cpu = {name: [] for name in roots}  # the server's CPU time: steadier on a shared box
        for round_number in range(args.rounds):
            order = list(roots) if round_number % 2 == 0 else list(reversed(roots))
            bodies = {name: body(name) for name in roots}
            for name in order:
                elapsed, used = sync_bench.push(clients[name], bodies[name], servers[name])
                seconds[name].append(elapsed)
                cpu[name].append(used)
    finally:
        for server in servers.values():
            server.stop()
        for url in schemas:
            sync_bench.drop_schema(url)
    rates = {name: args.size * len(times) / sum(times) for name, times in seconds.items()}
    per_cpu = {name: args.size * len(used) / max(sum(used), 1e-9) for name, used in cpu.items()}
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{backend}, gunicorn, batches of {args.size}, {args.rounds} pushes each, interleaved:")
    for name, root in roots.items():
        median = statistics.median(seconds[name]) * 1000
        print(
            f"  {name:6} {rates[name]:>9,.0f} records/s (median push {median:.1f} ms), "
            f"{per_cpu[name]:>9,.0f} per server CPU second  {root}"
        )
    print(f"  this/before: {rates['this'] / rates['before']:.2f} (wall), ", end="")
    print(f"{per_cpu['this'] / per_cpu['before']:.2f} (server CPU)")


if __name__ == "__main__":
    main()
