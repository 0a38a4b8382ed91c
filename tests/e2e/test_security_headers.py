"""Issue 14: the pages work under the Content-Security-Policy, which allows no inline script.

What used to be inline (the "js" class, the menu button, the delete confirmations) now lives in
static/js/page.js; this walks through it and checks that Chromium logged no CSP violation. Every
other browser test fails on a violation too (tests/e2e/conftest.py).
"""

from sqlmodel import select

from households.models import Household
from tests.e2e.conftest import CspViolations, login


def _a_household(db) -> int:
    query = select(Household.id).where(Household.deleted_at.is_(None)).order_by(Household.id)
    return db.exec(query).first()


def test_the_secretarys_pages_run_without_a_csp_violation(context, page, live_db):
    violations = CspViolations()
    context.on("console", violations)
    response = page.goto("/login")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    login(page, "bithu")
    assert page.evaluate("document.documentElement.classList.contains('js')")

    toggle = page.locator(".menu-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("#menu").is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#menu a", has_text="Tài khoản").is_visible()

    household_id = live_db(_a_household)
    page.goto(f"/households/{household_id}")
    asked: list[str] = []

    def say_no(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", say_no)
    page.click("form[data-confirm] button[type=submit] >> nth=-1")
    page.wait_for_timeout(300)
    assert asked == ["Xóa hộ này?"]
    assert page.url.endswith(f"/households/{household_id}")  # nothing was sent
    assert live_db(lambda db: db.get(Household, household_id).deleted_at) is None

    for path in ("/groups", "/search?q=a", "/log", "/notifications/", "/coverage/", "/users"):
        page.goto(path)
    page.goto("/offline")
    violations.check()
    assert violations.messages == []


def test_an_inline_script_is_blocked_and_caught(browser, live_server):
    """The check above can fail: an inline script is refused and the violation is logged."""
    violations = CspViolations()
    context = browser.new_context(base_url=live_server)
    context.on("console", violations)
    page = context.new_page()
    page.goto("/login")
    page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.injected = true';
                   document.head.appendChild(s); }"""
    )
    page.wait_for_timeout(200)
    injected = page.evaluate("window.injected === true")
    context.close()
    assert not injected
    assert violations.messages and "script-src" in violations.messages[0]
