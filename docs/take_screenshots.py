"""Regenerates the README's screenshots of issue 17's screens from the demo ward, in Debian's
Chromium: the dashboard's two targets and its procedure table, the desk's feedback form on a
phone, the desk's A4 sign, the satisfaction page, and the monthly report PDF's first page.
Issue 16's, on a 360x740 phone: the home screen of a volunteer, the secretary and the ward
officer, the week with "Xếp đủ người" and its proposal, the saved note with "Hoàn tác" on
/log, a household page with its visits, and /coverage/.

    make screenshots            (or: .venv/bin/python docs/take_screenshots.py [OUT_DIR])

The demo is loaded into a scratch SQLite file (seeded: the same figures for the same day) and
served on a free local port; the pages show last month, the latest whole month of the demo.
"""

import io
import logging
import secrets
import sys
import tempfile
import threading
from datetime import timedelta
from pathlib import Path

import pypdfium2 as pdfium
from playwright.sync_api import sync_playwright
from sqlmodel import func, select
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from assistance.models import AssistanceRecord  # noqa: E402
from core import clock  # noqa: E402
from core.db import make_engine, session_scope  # noqa: E402
from core.schema import metadata  # noqa: E402
from demo.ward import DEMO_PASSWORD  # noqa: E402
from households.models import Ward  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1024, "height": 800}
OUT = ROOT / "docs" / "screenshots"


def _demo_app(folder: Path):
    url = f"sqlite:///{folder / 'demo.db'}"
    engine = make_engine(url)
    metadata.create_all(engine)
    engine.dispose()
    app = create_app({"SECRET_KEY": secrets.token_hex(16), "DATABASE_URL": url})
    result = app.test_cli_runner().invoke(args=["demo-data"])
    if result.exit_code != 0:
        raise SystemExit(result.output)
    print(result.output.splitlines()[0])
    return app


def _serve(app):
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def _from_heading(page, heading: str, path: Path, height: int) -> None:
    """The part of a page from a heading down, `height` CSS pixels tall."""
    box = page.locator(heading).bounding_box()
    width = page.viewport_size["width"]
    page.screenshot(
        path=str(path),
        full_page=True,
        clip={"x": 0, "y": box["y"] - 8, "width": width, "height": height},
        animations="disabled",
    )


def _below(page, heading: str) -> float:
    """From the heading to the end of the paragraph after its table."""
    return page.evaluate(
        """(selector) => {
             const h = document.querySelector(selector);
             let node = h.nextElementSibling;
             while (node && node.tagName !== "P") node = node.nextElementSibling;
             return (node || h).getBoundingClientRect().bottom - h.getBoundingClientRect().top + 16;
           }""",
        heading,
    )


def _pdf_first_page(pdf: bytes, path: Path) -> None:
    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=100 / 72).to_pil()  # 100 dpi
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        path.write_bytes(out.getvalue())
    finally:
        document.close()


def _screen(page, path: Path) -> Path:
    """What the phone shows: the top 740 CSS pixels."""
    page.screenshot(path=str(path), animations="disabled")
    return path


def _wait(page, expression: str, timeout: float = 60_000) -> None:
    # Handed over as a function: the app's CSP has no 'unsafe-eval' (tests/e2e/conftest.py).
    page.wait_for_function(f"() => ({expression})", timeout=timeout)


def issue_16(browser, base: str, out: Path, household_id: int) -> list[Path]:
    """Issue 16's screens on a phone, each as the role that sees it."""
    shots = []

    def phone(username: str):
        context = browser.new_context(
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            locale="vi-VN",
            timezone_id=clock.WARD_TIMEZONE,
        )
        page = context.new_page()
        _login(page, base, username)
        return context, page

    context, page = phone("tnv01")
    page.goto(f"{base}/")
    _wait(page, "document.querySelector('#sync-badge [data-words]').textContent.includes('·')")
    shots.append(_screen(page, out / "home-volunteer.png"))
    # The saved note while the record is still on the phone (no signal): "Hoàn tác" offered.
    page.goto(f"{base}/log")
    _wait(page, "Number(document.getElementById('log-app').dataset.households || 0) > 0")
    _wait(page, "!!document.querySelector('#sync-badge:not([hidden])')")
    context.set_offline(True)
    page.fill("#hh-search", "nguyen")
    page.locator("#results .pick-button").first.click()
    page.locator("#residents label.chip").first.click()
    page.click("label.tile:has(input[name=kind][value=eid_level2])")
    page.click("label.tile:has(input[name=outcome][value=done])")
    page.click("#save")
    page.locator("#saved-undo").wait_for(state="visible")
    page.evaluate("window.scrollTo(0, 0)")
    shots.append(_screen(page, out / "log-saved-undo.png"))
    context.close()

    context, page = phone("bithu")
    page.goto(f"{base}/")
    shots.append(_screen(page, out / "home-secretary.png"))
    # The first week from this one with a shift short of people, and the proposal for it.
    week = clock.week_start(clock.today())
    for _ in range(6):
        page.goto(f"{base}/shifts/?start={week.isoformat()}")
        if page.locator("[data-fill]").count():
            break
        week += timedelta(days=7)
    shots.append(_screen(page, out / "shifts-week-fill.png"))
    page.click("[data-fill]")
    page.wait_for_url("**/fill**")
    shots.append(_screen(page, out / "shifts-fill.png"))
    page.goto(f"{base}/households/{household_id}")
    shots.append(out / "household-visits.png")
    _from_heading(page, "#visits", shots[-1], PHONE["height"])
    page.goto(f"{base}/coverage/")
    shots.append(_screen(page, out / "coverage-phone.png"))
    context.close()

    context, page = phone("phuong")
    page.goto(f"{base}/")
    shots.append(_screen(page, out / "home-ward-officer.png"))
    context.close()
    return shots


def take(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        app = _demo_app(Path(scratch))
        with app.app_context(), session_scope() as db:
            ward_id = db.exec(select(Ward.id)).one()
            first = clock.today().replace(day=1)
            last_month = (first - timedelta(days=1)).replace(day=1)
            # The household helped most often: its page lists several visits.
            most_helped = db.exec(
                select(AssistanceRecord.household_id)
                .where(AssistanceRecord.deleted_at.is_(None))
                .group_by(AssistanceRecord.household_id)
                .order_by(func.count().desc(), AssistanceRecord.household_id)
            ).first()
        month = f"{last_month:%Y-%m}"
        end = first - timedelta(days=1)
        period = f"period=custom&start={last_month.isoformat()}&end={end.isoformat()}"
        server, base = _serve(app)
        shots = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox"], headless=True
                )
                phone = browser.new_context(
                    viewport=PHONE,
                    is_mobile=True,
                    has_touch=True,
                    locale="vi-VN",
                    timezone_id=clock.WARD_TIMEZONE,
                )
                page = phone.new_page()
                page.goto(f"{base}/feedback/desk/{ward_id}")
                shots.append(out / "feedback-desk.png")
                page.screenshot(path=str(shots[-1]), full_page=True, animations="disabled")

                _login(page, base, "bithu")
                page.goto(f"{base}/coverage/?{period}")
                shots.append(out / "coverage-targets.png")
                _from_heading(page, "h1", shots[-1], 740)
                # The procedure table scrolls sideways on a phone: shown whole on a desktop.
                wide = browser.new_context(viewport=DESKTOP, locale="vi-VN")
                desktop = wide.new_page()
                _login(desktop, base, "bithu")
                desktop.goto(f"{base}/coverage/?{period}")
                shots.append(out / "coverage-procedures.png")
                _from_heading(desktop, "#procedures", shots[-1], _below(desktop, "#procedures"))

                page.goto(f"{base}/feedback/?month={month}")
                shots.append(out / "feedback-summary.png")
                _from_heading(
                    page, "h1", shots[-1], 2 * PHONE["height"]
                )  # the month's comments go on

                # The sign as it prints: Chromium's own PDF of the page on A4, first page.
                desk = browser.new_context(locale="vi-VN")
                sign = desk.new_page()
                _login(sign, base, "bithu")
                sign.goto(f"{base}/feedback/desk/{ward_id}/sign")
                shots.append(out / "feedback-sign.png")
                _pdf_first_page(sign.pdf(format="A4", print_background=True), shots[-1])

                answer = page.request.get(f"{base}/reports/monthly.pdf?month={month}")
                assert answer.ok, answer.status
                shots.append(out / "report-pdf.png")
                _pdf_first_page(answer.body(), shots[-1])
                shots += issue_16(browser, base, out, most_helped)
                browser.close()
        finally:
            server.shutdown()
            app.extensions["db_engine"].dispose()
    return shots


if __name__ == "__main__":
    for path in take(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(path)
