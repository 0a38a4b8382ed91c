"""Production server settings; gunicorn reads this file from the working directory.

    .venv/bin/gunicorn                 # serves create_app() on 127.0.0.1:8000

Worker processes use every core (the app's work per request is Python, held to one core per
process by the GIL). Threads let a worker keep connections alive and wait on the database while
another request runs: phones send a CSRF request and a push back to back. SQLite is shared
safely by the workers: WAL lets readers run beside the one writer, and writers wait their turn
(a 30 s busy timeout, core/db.py).
"""

import os

wsgi_app = "app:create_app()"
bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 1))
worker_class = "gthread"
threads = 4
keepalive = 5  # seconds; phones on mobile data reuse the connection for the next request
# Uploads (imports) and whole-ward pulls on slow links take longer than gunicorn's default 30 s.
timeout = 120
