"""Claimed once, sent once: the dispatcher under concurrency, restarts, crashes and downtime."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from core.clock import as_utc
from core.db import get_session, session_scope
from notifications import dispatch, rules, scheduler, vapid
from notifications.models import Notification
from tests import notifications_support
from tests.notifications_support import at, due_notification, notifications_of, subscribe
from tests.push_service import FakePushService
from tests.shifts_support import MONDAY, make_shift, put_on

push_service = notifications_support.push_service  # the fixture, for this module
ROOT = Path(__file__).resolve().parents[1]
TUESDAY = MONDAY + timedelta(days=1)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _many_due(app, world, push_service, count: int) -> list[int]:
    with app.app_context():
        db = get_session()
        for name in ("tnv01", "tnv02"):
            subscribe(db, world.users[name], push_service.device(name))
        due = _now() - timedelta(seconds=1)
        return [
            due_notification(db, world.users["tnv01" if i % 2 else "tnv02"], due, title=f"#{i}").id
            for i in range(count)
        ]


def _all_sent(app, ids: list[int]) -> bool:
    with app.app_context():
        db = get_session()
        rows = db.exec(select(Notification).where(Notification.id.in_(ids))).all()
        return all(row.sent_at is not None for row in rows)


def test_a_claim_succeeds_once(app, world):
    with app.app_context():
        db = get_session()
        notification = due_notification(db, world.users["tnv01"], _now())
        assert dispatch.claim(db, notification.id, now=_now()) is True
        assert dispatch.claim(db, notification.id, now=_now()) is False


def test_two_dispatch_loops_at_once_send_each_notification_exactly_once(app, world, push_service):
    ids = _many_due(app, world, push_service, 40)
    push_service.delay = 0.005  # long enough for the two loops to overlap
    start = threading.Barrier(2)
    counts: list[Counter] = []

    def loop():
        with app.app_context(), session_scope() as db:
            start.wait()
            for _ in range(3):
                counts.append(dispatch.dispatch_due(db))

    threads = [threading.Thread(target=loop) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert push_service.rejected == []
    assert sorted(message["id"] for message in push_service.messages()) == sorted(ids)
    assert sum(c["sent"] for c in counts) == 40 and sum(c["error"] for c in counts) == 0
    assert _all_sent(app, ids)


def test_racing_on_the_same_rows_sends_each_once(app, world, push_service):
    ids = _many_due(app, world, push_service, 15)
    results: dict[str, Counter] = {}
    start = threading.Barrier(2)

    def race(name: str):
        with app.app_context(), session_scope() as db:
            start.wait()
            results[name] = Counter(dispatch.dispatch_one(db, i, now=_now()) for i in ids)

    threads = [threading.Thread(target=race, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert results["a"]["sent"] + results["b"]["sent"] == 15
    assert results["a"]["skipped"] + results["b"]["skipped"] == 15
    assert Counter(m["id"] for m in push_service.messages()) == Counter(ids)


def test_a_claim_left_by_a_crash_is_taken_over_after_the_lease(
    app, world, push_service, time_machine
):
    with app.app_context():
        db = get_session()
        subscribe(db, world.users["tnv01"], push_service.device("phone"))
        now = _now()
        crashed = due_notification(db, world.users["tnv01"], now - timedelta(minutes=20))
        crashed.claimed_at = now - dispatch.CLAIM_LEASE - timedelta(seconds=1)
        running = due_notification(db, world.users["tnv01"], now - timedelta(minutes=2))
        running.claimed_at = now - timedelta(minutes=1)  # another dispatcher is on it right now
        db.commit()
        time_machine.move_to(now, tick=False)
        assert dispatch.dispatch_due(db) == Counter(sent=1)
        assert [m["id"] for m in push_service.messages()] == [crashed.id]
        db.expire_all()
        assert db.get(Notification, running.id).sent_at is None


def test_after_downtime_a_lapsed_reminder_is_expired_not_sent_late(
    app, world, push_service, time_machine
):
    """The scheduler was down from Monday evening to Tuesday 07:00, for a 07:30 shift."""
    with app.test_request_context():
        db = get_session()
        shift = make_shift(db, world.ward_a, TUESDAY, "07:30", "11:30")
        put_on(db, shift, world.users["tnv01"])
        subscribe(db, world.users["tnv01"], push_service.device("phone"))
        back = at(TUESDAY, "07:00")
        assert rules.shift_reminders(db, now=back) == 2
        db.commit()
        time_machine.move_to(back, tick=False)
        assert dispatch.dispatch_due(db) == Counter(expired=1, sent=1)
        evening, soon = notifications_of(db, world.users["tnv01"])
        assert evening.kind == "reminder_evening" and evening.failure_reason == "expired"
        assert evening.sent_at is None
        assert soon.kind == "reminder_soon" and as_utc(soon.sent_at) == back
        assert [m["title"] for m in push_service.messages()] == ["Ca trực bắt đầu lúc 07:30"]
        # A restart later finds nothing left to do.
        time_machine.shift(timedelta(minutes=5))
        assert dispatch.dispatch_due(db) == Counter()


def test_the_scheduler_has_the_two_jobs(app):
    built = scheduler.build_scheduler(app)
    jobs = {job.id: job for job in built.get_jobs()}
    assert set(jobs) == {"rules", "dispatch"}
    assert jobs["rules"].trigger.interval == timedelta(seconds=60)
    assert jobs["dispatch"].trigger.interval == timedelta(seconds=10)
    assert all(job.max_instances == 1 and job.coalesce for job in jobs.values())


def test_the_jobs_run_against_the_database(app, world, push_service):
    ids = _many_due(app, world, push_service, 3)
    scheduler.rules_job(app)
    scheduler.dispatch_job(app)
    assert sorted(m["id"] for m in push_service.messages()) == sorted(ids)


def test_scheduler_command_starts_and_stops(app, runner, monkeypatch):
    events = []

    class Stub:
        def start(self):
            events.append("start")
            raise KeyboardInterrupt

        def shutdown(self):
            events.append("shutdown")

    monkeypatch.setattr(scheduler, "build_scheduler", lambda _app: Stub())
    monkeypatch.setattr(scheduler.signal, "signal", lambda *args: events.append("signal"))
    result = runner.invoke(args=["scheduler"])
    assert result.exit_code == 0, result.output
    assert "scheduler: rules every 60 s" in result.output
    assert events == ["signal", "start", "shutdown"]


def _start_scheduler(url: str, private_key: str, subject: str, origin: str) -> subprocess.Popen:
    env = os.environ | {
        "FAKE_PUSH_ORIGIN": origin,
        "DATABASE_URL": url,
        "SECRET_KEY": "test-only-secret",
        "VAPID_PRIVATE_KEY": private_key,
        "VAPID_SUBJECT": subject,
        "NOTIFY_DISPATCH_SECONDS": "1",
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "tests.push_service:app_for_scheduler()",
            "scheduler",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _wait_for_banner(process: subprocess.Popen) -> None:
    seen = []
    for raw in process.stdout:
        seen.append(raw.decode())
        if seen[-1].startswith("scheduler: rules every"):
            return
    raise AssertionError(f"the scheduler did not start: {''.join(seen)}")


@pytest.mark.real_clock("two real scheduler processes: time-machine cannot move their clock")
def test_two_scheduler_processes_started_by_mistake_send_each_once(app, world):
    """`flask --app app scheduler` twice, for real, against the same database."""
    private, public = vapid.new_key_pair()
    service = FakePushService(public, app.config["VAPID_SUBJECT"]).start()
    service.delay = 0.005
    url, subject = app.config["DATABASE_URL"], app.config["VAPID_SUBJECT"]
    processes = [_start_scheduler(url, private, subject, service.origin) for _ in range(2)]
    try:
        # Both are up and polling before the work appears, so they really compete for it.
        for process in processes:
            _wait_for_banner(process)
        ids = _many_due(app, world, service, 20)
        deadline = time.monotonic() + 60
        while not _all_sent(app, ids) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        outputs = [process.communicate(timeout=30)[0].decode() for process in processes]
        service.stop()
    assert [process.returncode for process in processes] == [0, 0], outputs
    assert service.rejected == []
    assert sorted(m["id"] for m in service.messages()) == sorted(ids), outputs
