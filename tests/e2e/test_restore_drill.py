"""The restore drill in the browser (issue 13): the demo ward on a server of its own, a backup,
a phone sends 20 records, the server is stopped and restored from the backup (losing them),
started again; the phone comes back online, notices the restored server and sends what it
kept: the 20 records are back, none twice, with the same follow-ups and e-ID levels."""

import contextlib
import secrets
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select
from werkzeug.serving import make_server

from app import create_app
from assistance.models import AssistanceRecord, AssistanceResident, Outcome
from core import serving
from core.db import session_scope
from households.models import Resident
from tests.e2e.conftest import PHONE, _whole_responses, login, wait_for, wait_until, wait_until_sent

READY = "document.getElementById('log-app').dataset.ready === '1'"
LOADED = "Number(document.getElementById('log-app').dataset.households || 0) > 2000"
RESTORED = """
window.__restored = [];
window.addEventListener("t247:sync", (event) => {
  if (event.detail.phase === "restored") window.__restored.push(event.detail.resent);
});
"""


class OwnServer:
    """The app on its own copy of the demo ward, stopped and started again on the same port
    (the phone's origin, and with it its IndexedDB, stays the same)."""

    def __init__(self, app):
        self.app = app
        self.port = 0
        self.start()

    def start(self) -> None:
        self.server = make_server("127.0.0.1", self.port, _whole_responses(self.app), threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
        serving.release(self.app)  # what the end of a server process does
        self.app.extensions["db_engine"].dispose()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def own_server(live_app, tmp_path):
    live = live_app.config["DATABASE_URL"].removeprefix("sqlite:///")
    copy = tmp_path / "drill.db"
    with (
        contextlib.closing(sqlite3.connect(live)) as src,
        contextlib.closing(sqlite3.connect(copy)) as dst,
    ):
        src.backup(dst)
    app = create_app(
        {
            "SECRET_KEY": secrets.token_hex(16),
            "DATABASE_URL": f"sqlite:///{copy}",
            "BACKUP_DIR": str(tmp_path / "backups"),
        }
    )
    app.instance_path = str(tmp_path / "instance")
    server = OwnServer(app)
    yield server
    server.stop()


QUEUE_20 = """async (count) => {
  const uuids = [];
  for (const h of (await T247.store.all("households")).slice(700)) {
    if (uuids.length >= count) break;
    const person = (await T247.store.residentsOf(h.uuid)).find((r) => r.eid_level < 2);
    if (!person) continue;
    const i = uuids.length;
    const item = {type: "record", uuid: crypto.randomUUID(), household_uuid: h.uuid,
      place: "home", client_time: new Date().toISOString(), resident_uuids: [person.uuid],
      kind: "eid_level2", outcome: "done"};
    if (i % 4 === 0) Object.assign(item, {outcome: "pending", reason: "Hẹn công an xác thực"});
    if (i % 4 === 2) item.kind = "eid_level1";
    if (i % 4 === 3) Object.assign(item, {kind: "guidance", resident_uuids: []});
    await T247.store.enqueue(item, T247.app.userId, "Hỗ trợ " + i);
    uuids.push(item.uuid);
  }
  await T247.app.refreshBadge();
  return uuids;
}"""


def snapshot(app, uuids: list[str]) -> dict:
    with app.app_context(), session_scope() as db:
        rows = db.exec(
            select(AssistanceRecord.id, AssistanceRecord.uuid, AssistanceRecord.outcome).where(
                AssistanceRecord.uuid.in_(uuids), AssistanceRecord.resolved_at.is_(None)
            )
        ).all()
        helped = db.exec(
            select(Resident.uuid, Resident.eid_level)
            .join(AssistanceResident, AssistanceResident.resident_id == Resident.id)
            .join(AssistanceRecord, AssistanceRecord.id == AssistanceResident.record_id)
            .where(AssistanceRecord.uuid.in_(uuids))
        ).all()
        return {
            "records": sorted(uuid for _id, uuid, _o in rows),
            "followups": sorted(uuid for _id, uuid, o in rows if o == Outcome.PENDING),
            "levels": dict(helped),
            "total": db.exec(select(func.count()).select_from(AssistanceRecord)).one(),
        }


def test_a_phone_gives_a_restored_server_back_its_20_records(browser, own_server):
    app = own_server.app
    context = browser.new_context(base_url=own_server.url, **PHONE)
    context.set_default_timeout(10_000)
    context.add_init_script(RESTORED)
    page = context.new_page()
    login(page, "tnv25")
    page.goto("/log")
    wait_for(page, READY)
    wait_for(page, LOADED, timeout=60_000)

    backup = app.test_cli_runner().invoke(args=["backup"])
    assert backup.exit_code == 0, backup.output
    (backup_file,) = Path(app.config["BACKUP_DIR"]).glob("thanhnien247-*.db")
    before_push = snapshot(app, [])["total"]

    uuids = page.evaluate(QUEUE_20, 20)
    assert len(uuids) == 20
    page.click("#sync-now")
    wait_until_sent(page)
    sent = snapshot(app, uuids)
    assert len(sent["records"]) == 20 and len(sent["followups"]) == 5
    assert sent["total"] == before_push + 20
    assert sorted(sent["levels"].values()).count(2) >= 5  # done level-2 records raised them
    kept = page.evaluate("T247.store.all('sent').then(rows => rows.map(r => r.uuid))")
    assert set(uuids) <= set(kept)

    # The server goes down and is restored from last night's backup: the 20 are gone.
    context.set_offline(True)
    own_server.stop()
    restored = app.test_cli_runner().invoke(args=["restore", str(backup_file)])
    assert restored.exit_code == 0, restored.output
    lost = snapshot(app, uuids)
    assert lost["records"] == [] and lost["total"] == before_push
    own_server.start()

    pulls: list[str] = []
    context.on("request", lambda r: pulls.append(r.url) if "/api/v1/pull" in r.url else None)
    started = time.monotonic()
    context.set_offline(False)  # back online: the phone sends at once
    wait_until(page, "window.__restored.length > 0", 30_000)
    wait_until(page, "T247.store.outbox().then(rows => rows.length === 0)", 30_000)
    recovered = time.monotonic() - started
    assert page.evaluate("window.__restored") == [20]
    assert snapshot(app, uuids) == sent  # 20 back, 0 twice, same follow-ups and levels
    # The phone pulls the whole ward again (its cursor restarted) and shows no error.
    wait_until(page, "T247.store.getMeta('cursor').then(Boolean)", 30_000)
    # With nothing else to send, the round's delta pull is what names the restored server;
    # the phone then asks for the whole copy in the same round.
    assert any("cursor=" not in url for url in pulls)
    assert page.locator("#outbox-list [data-state]").count() == 0
    print(f"\nrestore drill: the phone gave back 20 records {recovered:.1f} s after coming online")
    context.close()
