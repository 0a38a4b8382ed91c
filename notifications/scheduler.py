"""The one process that writes and sends notifications: `flask --app app scheduler`.

It never runs inside web workers. APScheduler's own FAQ says why: every worker would start its own
scheduler, and a job store shared between processes runs jobs twice or misses them. The jobs keep
no state of their own (the database has it all: rows deduplicated by key, claimed before sending),
so a restart picks up exactly where the last process stopped, and a second scheduler started by
mistake sends nothing twice.
"""

import logging
import signal
from datetime import UTC

import click
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask, current_app
from flask.cli import with_appcontext

from core import clock, serving
from core.db import session_scope
from notifications import vapid
from notifications.dispatch import dispatch_due
from notifications.rules import run_rules

log = logging.getLogger(__name__)


def rules_job(app: Flask) -> None:
    with app.app_context(), session_scope() as db:
        written = run_rules(db, now=clock.now())
    if any(written.values()):
        log.info("notifications written: %s", written)


def dispatch_job(app: Flask) -> None:
    with app.app_context(), session_scope() as db:
        counts = dispatch_due(db)
    if counts:
        log.info("notifications dispatched: %s", dict(counts))


def build_scheduler(app: Flask) -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone=UTC)
    start = clock.now()
    # One run of a job at a time; a run that could not start on time runs once, late, rather
    # than several times in a row.
    options = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 60}
    scheduler.add_job(
        rules_job,
        "interval",
        seconds=app.config["NOTIFY_RULES_SECONDS"],
        args=[app],
        id="rules",
        next_run_time=start,
        **options,
    )
    scheduler.add_job(
        dispatch_job,
        "interval",
        seconds=app.config["NOTIFY_DISPATCH_SECONDS"],
        args=[app],
        id="dispatch",
        next_run_time=start,
        **options,
    )
    return scheduler


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the reminder scheduler: exactly one such process per deployment."""
    app = current_app._get_current_object()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    # APScheduler logs every run at INFO; our jobs log what they did instead.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    serving.hold(app)  # `flask restore` waits for the scheduler to stop too
    vapid.load(app)  # the key exists before the first push (and before the web server needs it)
    scheduler = build_scheduler(app)

    def stop(_signal, _frame) -> None:
        # Lets a push in flight finish; anything claimed but unsent is picked up after a restart.
        scheduler.shutdown()

    signal.signal(signal.SIGTERM, stop)
    click.echo(
        f"scheduler: rules every {app.config['NOTIFY_RULES_SECONDS']} s, "
        f"dispatch every {app.config['NOTIFY_DISPATCH_SECONDS']} s"
    )
    try:
        scheduler.start()
    except KeyboardInterrupt:
        scheduler.shutdown()
