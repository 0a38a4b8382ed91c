"""Every page as every role, at 360x740: it fits the phone, every tap target is at least 44x44 px,
and axe-core finds no WCAG 2.1 AA violation.

The pages come from the app's url_map (GET routes the role may open), so a page added later is
walked without touching this file; <id:...> arguments are filled from the e2e data (the demo ward
plus, for what it lacks, a few rows this module adds and removes again). Only what is not a page is
left out, in NOT_PAGES below.

Each role has one browser context and one page, reused for all its pages; each page is opened once
and measured once (`Walk.visit`), and three tests per page read the measurements, so a failure
names the page and the check.

axe-core is the copy shipped by axe-playwright-python. It is injected with `page.evaluate` (a
DevTools call, which the app's CSP does not govern, unlike a <script> the page would load) and run
with `axe.run`; the context keeps the CSP on, and the conftest's CSP-violation check proves it
injected cleanly.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import axe_playwright_python
import pytest
from sqlmodel import func, select

from app import create_app
from assistance.models import AssistanceRecord, Kind, Procedure
from core import clock
from core.access import PUBLIC, Role, rule_for
from demo.assistance import build_demo_assistance
from dossiers.models import FILED_OUTCOMES
from households.models import Household, Resident, ResidentialGroup, Ward
from shifts.models import Assignment, PatternSlot, Shift
from tests.e2e.conftest import PHONE, CspViolations, ExternalRequests, login
from volunteer.models import User

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOGINS = {"volunteer": "tnv01", "secretary": "bithu", "ward_officer": "phuong", "admin": "admin"}
ANONYMOUS = "anonymous"  # the public pages, signed out

# GET routes that are not pages a person reads on the phone, so they cannot be walked.
NOT_PAGES = {
    "static",
    # Files: the browser downloads them instead of showing a page.
    "coverage.export_city",
    "coverage.export_groups",
    "coverage.report_xlsx",
    "households.export_registry",
    "households.import_template",
    "reports.monthly_pdf",
    "reports.monthly_xlsx",
    "shifts.hours_export",
    "shifts.ical_feed",
    # JSON for the app's own scripts, and the service worker.
    "sync.openapi",
    "sync.csrf_token",
    "sync.household_lookup",
    "sync.pull_changes",
    "sync.service_worker",
    # Marks a notification read and redirects to the page it is about, which is walked anyway.
    "notifications.open_one",
}
# Logging out is a POST (the logout form), never a GET route, so it needs no entry here.

# Pages that need more than a row of the right table: which sample each argument takes.
SAMPLE_FOR = {
    "dossiers.result": {"record_id": "filed_record_id"},  # only a filed dossier has a result
    "feedback.rate": {"record": "record_uuid"},  # ?record=: the visit being rated
}

# An <a> inside a sentence may be smaller (WCAG 2.5.5's "inline" exception): display inline,
# inside a <p>, with words (letters, not only separators like "·") outside the link in that <p>.
MEASURE_TARGETS = """() => {
  const SELECTOR = 'a[href], button, input:not([type=hidden]), select, textarea, summary,'
    + ' [role=button], [role=link], [tabindex]:not([tabindex="-1"])';
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    return box.width >= 2 && box.height >= 2 && getComputedStyle(el).visibility !== 'hidden';
  };
  const big = (el) => {
    const box = el.getBoundingClientRect();
    return box.width >= 43.5 && box.height >= 43.5;
  };
  const inSentence = (el) => {
    const p = el.closest('p');
    if (el.tagName !== 'A' || !p || getComputedStyle(el).display !== 'inline') return false;
    return /\\p{L}/u.test(p.textContent.replace(el.textContent, ''));
  };
  // What kind of target it is (tag, classes, its parent's, its height), and one example.
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].map(c => '.' + c).join('') + (el.type ? '[' + el.type + ']' : '');
  const describe = (el) => {
    const box = el.getBoundingClientRect();
    const text = (el.textContent || el.getAttribute('aria-label') || el.name || '')
      .trim().replace(/\\s+/g, ' ').slice(0, 24);
    return [`${name(el.parentElement)} > ${name(el)} ${Math.round(box.height)} px tall`,
            `"${text}" ${Math.round(box.width)}x${Math.round(box.height)}`];
  };
  const small = [];
  for (const el of document.querySelectorAll(SELECTOR)) {
    // A control is tapped through its <label> too (a styled file input, a tile, a checkbox).
    const parts = [el, ...(el.labels || [])].filter(visible);
    if (!parts.length || parts.some(big) || inSentence(el)) continue;
    small.push(describe(parts[0]));
  }
  return small;
}"""

OPEN_EVERYTHING = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const toggle = document.querySelector('.menu-toggle');
  if (toggle && toggle.offsetParent && toggle.getAttribute('aria-expanded') !== 'true') toggle.click();
}"""

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, count: v.nodes.length,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary.split('\\n').slice(1, 2).join('')),
  }));
}"""


# An admin belongs to no ward: their phone copy is the ward they name, whole, so the page for
# choosing groups answers 404 to them by design (tests/test_copy_groups.py).
NOT_FOR_ROLE = {("admin", "sync.copy_groups")}


def _collect_pages() -> list[tuple[str, str]]:
    """(role, endpoint) for every GET page of the url_map, from the routes' own access rules."""
    app = create_app({"SECRET_KEY": "collect", "DATABASE_URL": "sqlite://"})
    pairs = []
    with app.app_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.endpoint):
            if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
                continue
            allowed = rule_for(rule.endpoint)
            if allowed == PUBLIC:
                pairs.append((ANONYMOUS, rule.endpoint))
                continue
            pairs += [
                (role, rule.endpoint)
                for role in LOGINS
                if Role(role) in (allowed or ()) and (role, rule.endpoint) not in NOT_FOR_ROLE
            ]
    app.extensions["db_engine"].dispose()
    return pairs


PAGES = _collect_pages()
PAGE_IDS = [f"{role}-{endpoint}" for role, endpoint in PAGES]


@dataclass
class Seen:
    url: str
    status: int
    width: int = 0
    small: list[list[str]] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)


def _latest_record(db, volunteer_id: int) -> AssistanceRecord:
    return db.exec(
        select(AssistanceRecord)
        .where(AssistanceRecord.volunteer_id == volunteer_id, AssistanceRecord.deleted_at.is_(None))
        .order_by(AssistanceRecord.received_at.desc(), AssistanceRecord.id.desc())
    ).first()


def _arguments(db, username: str) -> dict:
    """A value for every <id:...> argument, as this user would reach it."""
    user = db.exec(select(User).where(User.username == username)).one()
    ward = db.exec(select(Ward).where(Ward.name == "Thanh Khê Đông")).one()
    group = db.exec(
        select(ResidentialGroup)
        .where(ResidentialGroup.ward_id == ward.id)
        .order_by(ResidentialGroup.number)
    ).first()
    household = db.exec(select(Household).where(Household.group_id == group.id)).first()
    resident = db.exec(select(Resident).where(Resident.household_id == household.id)).first()
    volunteer = db.exec(select(User).where(User.username == "tnv01")).one()
    other = db.exec(select(User).where(User.username == "tnv02")).one()
    record = _latest_record(db, volunteer.id)
    shift = db.exec(
        select(Shift).join(Assignment).where(Assignment.user_id == volunteer.id).order_by(Shift.id)
    ).first()
    return {
        "ward_id": ward.id,
        "group_id": group.id,
        "household_id": household.id,
        "resident_id": resident.id,
        "user_id": other.id,
        "volunteer_id": other.id,
        "record_id": record.id,
        "filed_record_id": db.exec(
            select(AssistanceRecord.id).where(
                AssistanceRecord.kind == Kind.DOSSIER,
                AssistanceRecord.outcome.in_(FILED_OUTCOMES),
                AssistanceRecord.deleted_at.is_(None),
            )
        ).first(),
        "record_uuid": record.uuid,
        "procedure_id": db.exec(select(Procedure.id).order_by(Procedure.id)).first(),
        "shift_id": shift.id,
        "slot_id": db.exec(select(PatternSlot.id).where(PatternSlot.ward_id == ward.id)).first(),
        "admin_picks_ward": user.role == Role.ADMIN,
    }


@pytest.fixture(scope="module")
def walk_data(live_db):
    """Records, a shift of tnv01 and a pattern slot exist while the module runs, and tnv01's
    latest record is still open to correction (received now). The shift (a year ago, one-off)
    and the slot are removed afterwards and the record's time put back: other modules generate
    the rota from the pattern and count what they made."""

    def add(db):
        if not db.exec(select(func.count()).select_from(AssistanceRecord)).one():
            build_demo_assistance(db, seed=247)
        ward = db.exec(select(Ward).where(Ward.name == "Thanh Khê Đông")).one()
        volunteer = db.exec(select(User).where(User.username == "tnv01")).one()
        starts = clock.now().replace(hour=1, minute=0, second=0, microsecond=0)
        starts -= timedelta(days=365)
        shift = Shift(
            ward_id=ward.id,
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            place_key="page-walk",
            min_volunteers=1,
            max_volunteers=2,
            assigned_count=1,
        )
        slot = PatternSlot(
            ward_id=ward.id,
            weekdays="",
            starts=starts.time(),
            ends=(starts + timedelta(hours=3)).time(),
            min_volunteers=1,
            max_volunteers=2,
        )
        db.add_all([shift, slot])
        db.flush()
        db.add(Assignment(shift_id=shift.id, user_id=volunteer.id, source="secretary"))
        record = _latest_record(db, volunteer.id)
        received, record.received_at = record.received_at, clock.now()
        db.flush()
        return shift.id, slot.id, record.id, received

    shift_id, slot_id, record_id, received = live_db(add)
    yield
    live_db(lambda db: setattr(db.get(AssistanceRecord, record_id), "received_at", received))
    live_db(
        lambda db: db.delete(
            db.exec(select(Assignment).where(Assignment.shift_id == shift_id)).one()
        )
    )
    live_db(
        lambda db: (db.delete(db.get(Shift, shift_id)), db.delete(db.get(PatternSlot, slot_id)))
    )


class Walk:
    """One context and one page per role, each page visited once and its measurements kept."""

    def __init__(self, browser, live_server, live_db):
        self.browser, self.live_server, self.live_db = browser, live_server, live_db
        self.phones: dict[str, tuple] = {}
        self.seen: dict[tuple[str, str], Seen] = {}
        self.app = create_app({"SECRET_KEY": "urls", "DATABASE_URL": "sqlite://"})

    def phone(self, role: str):
        if role not in self.phones:
            external, violations = ExternalRequests(), CspViolations()
            # No service worker: its install caches every asset again on each role's first page,
            # which costs time and is not what this walk looks at.
            context = self.browser.new_context(
                base_url=self.live_server, service_workers="block", **PHONE
            )
            context.set_default_timeout(10_000)
            context.on("request", external)
            context.on("console", violations)
            page = context.new_page()
            args = self.live_db(lambda db: _arguments(db, LOGINS.get(role, "tnv01")))
            if role != ANONYMOUS:
                login(page, LOGINS[role])
                if args.pop("admin_picks_ward"):
                    page.goto(f"/?ward={args['ward_id']}")
            self.phones[role] = (context, page, args, external, violations)
        return self.phones[role]

    def url(self, endpoint: str, args: dict) -> str:
        rule = next(r for r in self.app.url_map.iter_rules() if r.endpoint == endpoint)
        with self.app.test_request_context():
            from flask import url_for

            values = {name: args[name] for name in rule.arguments}
            values |= {name: args[sample] for name, sample in SAMPLE_FOR.get(endpoint, {}).items()}
            return url_for(endpoint, **values)

    def visit(self, role: str, endpoint: str) -> Seen:
        if (role, endpoint) in self.seen:
            return self.seen[(role, endpoint)]
        _context, page, args, _external, _violations = self.phone(role)
        url = self.url(endpoint, args)
        response = page.goto(url)
        page.wait_for_load_state("load")
        seen = Seen(url=page.url, status=response.status if response else 0)
        seen.width = page.evaluate("document.documentElement.scrollWidth")
        page.evaluate(OPEN_EVERYTHING)
        seen.small = page.evaluate(MEASURE_TARGETS)
        if not page.evaluate("typeof axe !== 'undefined'"):
            page.evaluate(AXE_SOURCE)
        seen.violations = page.evaluate(RUN_AXE, AXE_TAGS)
        self.seen[(role, endpoint)] = seen
        return seen

    def close(self):
        for context, _page, _args, external, violations in self.phones.values():
            context.close()
            external.check()
            violations.check()
        self.app.extensions["db_engine"].dispose()


@pytest.fixture(scope="module")
def walk(browser, live_server, live_db, walk_data):
    walker = Walk(browser, live_server, live_db)
    yield walker
    walker.close()


def _opened(walk, role, endpoint) -> Seen:
    seen = walk.visit(role, endpoint)
    assert seen.status < 400, f"{endpoint} as {role}: {seen.url} answered {seen.status}"
    return seen


@pytest.mark.parametrize(("role", "endpoint"), PAGES, ids=PAGE_IDS)
def test_page_fits_a_360_px_phone(walk, role, endpoint):
    seen = _opened(walk, role, endpoint)
    assert seen.width <= 360, f"{seen.url} is {seen.width} px wide"


@pytest.mark.parametrize(("role", "endpoint"), PAGES, ids=PAGE_IDS)
def test_every_tap_target_is_44_px(walk, role, endpoint):
    seen = _opened(walk, role, endpoint)
    kinds: dict[str, list] = {}
    for kind, example in seen.small:
        kinds.setdefault(kind, [0, example])[0] += 1
    assert kinds == {}, (
        f"{seen.url}: {len(seen.small)} targets under 44x44 px; by kind, how many and an example: "
        f"{kinds}"
    )


@pytest.mark.parametrize(("role", "endpoint"), PAGES, ids=PAGE_IDS)
def test_no_wcag_21_aa_violation(walk, role, endpoint):
    seen = _opened(walk, role, endpoint)
    assert seen.violations == [], f"{seen.url}: axe-core found {seen.violations}"
