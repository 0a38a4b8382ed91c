"""Production server settings; gunicorn reads this file from the working directory.

    .venv/bin/gunicorn                 # serves create_app() on 127.0.0.1:8000

One process per core: the app's work per request is Python, held to one core per process by the
GIL, so processes are what use both cores when many phones push at once (bench/sync_bench.py: 4
phones at once, 2 sync workers 7,300-7,900 records/s, werkzeug's threads 3,900-4,200). Each
process runs a few threads (gthread) and keeps connections alive: a phone's pull, push and page
reuse one connection instead of a TCP handshake each (a round trip on 3G), and a request that
waits on the database or a slow client no longer holds up the others of its worker (with sync
workers, 200 volunteers signing in at once queued their pulls for seconds: docs/BENCHMARKS.md).
HTTPS still needs a reverse proxy in front (nginx, Caddy). SQLite is
shared safely by the workers: WAL lets readers run beside the one writer, and writers wait
their turn (a 30 s busy timeout, core/db.py).
"""

import os

wsgi_app = "app:create_app()"
bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = 30  # seconds an idle connection stays open: a volunteer's next push reuses it
# Importing a whole ward's spreadsheet can take longer than gunicorn's default 30 s.
timeout = 120


def post_worker_init(worker) -> None:
    """Each worker takes the serving lock as it starts, before its first request: `flask
    restore` refuses from the moment gunicorn serves (core/serving.py)."""
    import gc

    from core import serving

    serving.hold(worker.wsgi)
    # The loaded app's objects live as long as the worker: kept out of every later collection
    # (the documented use of gc.freeze), so a push's full collection walks only its own objects
    # instead of the whole app (about 100 ms each, issue 18). The collector itself stays on.
    gc.freeze()
