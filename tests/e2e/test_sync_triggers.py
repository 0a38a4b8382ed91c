"""When the phone sends its outbox (issue 4): again and again after a failure, with a delay that
doubles from 5 s up to 5 minutes; every 5 minutes while the app is open; on coming back to the
tab; at once from "Gửi ngay"; and through Background Sync. Playwright's clock stands in for the
minutes, so no test waits for them."""

from urllib.parse import urlsplit

from sqlmodel import select

from assistance.models import AssistanceRecord
from households.models import Household, ResidentialGroup
from tests.e2e.conftest import login, wait_until, wait_until_sent
from tests.e2e.test_log_screen import log_guidance, open_log
from volunteer.models import User

# In every page, before the app's scripts: the page's clock time of each push it makes, of each
# failed round, the rounds that ended well, and what the service worker reports.
RECORDER = """
window.__sync = {pushes: [], failed: [], done: 0, worker: []};
window.addEventListener("t247:sync", (event) => {
  if (event.detail.phase === "failed") window.__sync.failed.push(Date.now());
  if (event.detail.phase === "done") window.__sync.done += 1;
});
navigator.serviceWorker.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "t247:sync") window.__sync.worker.push(data.detail.phase);
});
const originalFetch = window.fetch;
window.fetch = function (input, init) {
  // An empty push is the probe that tells a failing item from a failing server: not a send.
  const probe = init && init.body === '{"items":[]}';
  if (String(input.url || input).includes("/api/v1/push") && !probe) window.__sync.pushes.push(Date.now());
  return originalFetch.apply(this, arguments);
};
"""
PROBE = '{"items":[]}'
SERVER_ERROR = {"status": 500, "content_type": "application/json", "body": '{"error": 500}'}


class FlakyServer:
    """Answers pushes, from the page or the service worker, with a 500 until `recover()`."""

    def __init__(self, context):
        self.failing = True
        self.answers: list[tuple[int, bool]] = []  # (status, from the service worker)
        context.route("**/api/v1/push", self)

    def __call__(self, route) -> None:
        from_worker = route.request.service_worker is not None
        if route.request.post_data != PROBE:  # the probe of static/js/sync.js, not a send
            self.answers.append((500 if self.failing else 200, from_worker))
        if self.failing:
            route.fulfill(**SERVER_ERROR)
        else:
            route.continue_()

    def recover(self) -> None:
        self.failing = False


def household_of(live_db, username: str) -> str:
    """A household of the volunteer's ward: the server accepts records for it."""

    def first(db):
        ward_id = db.exec(select(User.ward_id).where(User.username == username)).one()
        query = (
            select(Household.uuid)
            .join(ResidentialGroup, ResidentialGroup.id == Household.group_id)
            .where(ResidentialGroup.ward_id == ward_id, Household.deleted_at.is_(None))
        )
        return db.exec(query.limit(1)).one()

    return live_db(first)


def stored(live_db, record: str) -> bool:
    query = select(AssistanceRecord.id).where(AssistanceRecord.uuid == record)
    return live_db(lambda db: db.exec(query).first() is not None)


def queue_record(page, household: str) -> str:
    """A record put straight into the outbox, with no round started (as if saved offline)."""
    return page.evaluate(
        """async (household) => {
             const uuid = crypto.randomUUID();
             await T247.store.enqueue({type: "record", uuid, household_uuid: household,
               kind: "guidance", outcome: "done", place: "home",
               client_time: new Date().toISOString()}, T247.app.userId, "");
             await T247.app.refreshBadge();
             return uuid;
           }""",
        household,
    )


def open_home(context, username: str):
    """Signed in on the home page, once the round that opening the app starts has ended."""
    context.add_init_script(RECORDER)
    page = context.new_page()
    login(page, username)
    wait_until(page, "window.__sync.done >= 1")
    return page


def pause_clock(page) -> None:
    page.clock.pause_at(page.evaluate("Date.now()") / 1000 + 1)


def failures(page) -> int:
    return page.evaluate("window.__sync.failed.length")


def test_a_failed_send_is_retried_after_5_10_20_s_never_more_than_5_min_apart(context, live_db):
    server = FlakyServer(context)
    context.clock.install()
    page = open_home(context, "tnv16")
    pause_clock(page)
    record = queue_record(page, household_of(live_db, "tnv16"))
    page.evaluate("T247.app.sync(true)")  # as on opening the app: the server answers 500
    assert failures(page) == 1
    delays = [5, 10, 20, 40, 80, 160, 300, 300]  # doubling from 5 s, capped at 5 minutes
    for rounds, delay in enumerate(delays, start=1):
        # Not a millisecond early (a round started then would fail within the 100 ms)...
        page.clock.run_for(delay * 1000 - 1)
        page.wait_for_timeout(100)
        assert failures(page) == rounds, f"retried before {delay} s"
        # ...and on time, with nothing else (no tab switch, no tick) to prompt it.
        page.clock.run_for(1)
        wait_until(page, f"window.__sync.failed.length === {rounds + 1}")
    pushes = page.evaluate("window.__sync.pushes")
    gaps = [later - earlier for earlier, later in zip(pushes, pushes[1:], strict=False)]
    assert gaps == [delay * 1000 for delay in delays]
    # One push per round: the page kept a single retry timer, the worker was not involved.
    assert server.answers == [(500, False)] * (len(delays) + 1)
    assert not stored(live_db, record)
    server.recover()
    page.clock.run_for(300_000)
    wait_until_sent(page)
    assert stored(live_db, record)
    assert server.answers[-1] == (200, False)


def test_an_expired_session_is_not_retried_every_few_seconds(context, live_db):
    context.clock.install()
    page = open_home(context, "tnv17")
    pause_clock(page)
    queue_record(page, household_of(live_db, "tnv17"))  # an empty outbox would ask nothing
    context.clear_cookies()  # the session ends
    page.evaluate("T247.app.sync(true)")
    assert failures(page) == 1
    assert page.evaluate("T247.store.getMeta('loginNeeded')") is True
    # A retry cannot help before the volunteer signs in again: a minute passes without one.
    for _ in range(6):
        page.clock.run_for(10_000)
        page.wait_for_timeout(50)
    page.wait_for_timeout(200)
    assert failures(page) == 1


def test_the_outbox_is_sent_every_5_minutes_while_the_app_is_open(context, live_db):
    context.clock.install()
    page = open_home(context, "tnv18")
    record = queue_record(page, household_of(live_db, "tnv18"))
    page.clock.run_for("05:00")
    wait_until_sent(page, timeout=10_000)
    assert stored(live_db, record)


def test_the_outbox_is_sent_on_coming_back_to_the_app(context, live_db):
    page = open_home(context, "tnv19")
    record = queue_record(page, household_of(live_db, "tnv19"))
    # The volunteer switches to another app, then back.
    for state in ("hidden", "visible"):
        page.evaluate(
            """(state) => {
                 Object.defineProperty(document, "visibilityState", {configurable: true,
                   get: () => state});
                 document.dispatchEvent(new Event("visibilitychange"));
               }""",
            state,
        )
    wait_until_sent(page, timeout=10_000)
    assert stored(live_db, record)


def test_send_now_ignores_the_backoff(context):
    server = FlakyServer(context)
    context.clock.install()
    context.add_init_script(RECORDER)
    page = context.new_page()
    login(page, "tnv20")
    open_log(page)
    log_guidance(page, "nguyen")
    pause_clock(page)  # no retry timer fires from here on
    # The page and the service worker (Background Sync) both meet the 500; neither is still
    # sending when the server recovers.
    wait_until(page, "window.__sync.worker.includes('failed')")
    wait_until(page, "navigator.locks.query().then(s => !s.held.length && !s.pending.length)")
    server.recover()
    assert page.evaluate("T247.store.getMeta('nextTry').then(next => next > Date.now())")
    page.click("#sync-now")
    wait_until_sent(page, timeout=10_000)
    assert [answer for answer in server.answers if answer[0] == 200] == [(200, False)]


def test_a_failed_send_stays_registered_for_background_sync(context):
    server = FlakyServer(context)
    context.add_init_script(RECORDER)
    page = context.new_page()
    login(page, "tnv20")
    open_log(page)
    log_guidance(page, "tran")
    # Saving asks for Background Sync: the service worker sends too, meets the 500, and the
    # browser keeps the registration to try again later, even with the app closed.
    wait_until(page, "window.__sync.worker.includes('failed')")
    assert (500, True) in server.answers
    page.wait_for_timeout(300)
    tags = page.evaluate("navigator.serviceWorker.ready.then(r => r.sync.getTags())")
    assert tags == ["t247-outbox"]


def test_a_round_with_nothing_to_send_asks_only_for_the_copy(context, live_db):
    """Issue 15: on a 300 ms link the CSRF token costs a round trip; with an empty outbox the
    round needs none (the pull names the server, so a restore is noticed all the same)."""
    context.add_init_script(RECORDER)
    page = context.new_page()
    login(page, "tnv10")
    open_log(page)  # the log screen's rounds pull the copy; the home page's only send
    wait_until(page, "window.__sync.done >= 1")
    asked: list[str] = []
    page.on("request", lambda request: asked.append(urlsplit(request.url).path))
    page.evaluate("T247.app.sync(true)")
    wait_until(page, "window.__sync.done >= 2")
    api = [path for path in asked if path.startswith("/api/v1/")]
    assert api == ["/api/v1/pull"]
    # With a record waiting, the token comes first, then the push, then the pull.
    asked.clear()
    record = queue_record(page, household_of(live_db, "tnv10"))
    page.evaluate("T247.app.sync(true)")
    wait_until(page, "window.__sync.done >= 3")
    api = [path for path in asked if path.startswith("/api/v1/")]
    assert api == ["/api/v1/csrf", "/api/v1/push", "/api/v1/pull"]
    assert stored(live_db, record)
