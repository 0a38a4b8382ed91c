"""The coverage dashboard in a browser on the demo ward (49 groups, eight weeks of records): it
fits a 360 px phone, its charts are drawn and readable, and screenshots at 360x740 and
1280x800 go into docs/screenshots/."""

import pytest
from sqlmodel import func, select

from assistance.models import AssistanceRecord
from core.clock import WARD_TIMEZONE
from demo.assistance import build_demo_assistance
from households.models import ResidentialGroup
from tests.e2e.conftest import assert_fits_360, login, shot


@pytest.fixture(scope="module")
def demo_records(live_db):
    """Eight weeks of demo records, unless another test module already loaded them."""

    def load(db):
        if not db.exec(select(func.count()).select_from(AssistanceRecord)).one():
            build_demo_assistance(db, seed=247)
        worst = db.exec(select(ResidentialGroup).order_by(ResidentialGroup.number)).first()
        return worst.id

    return live_db(load)


def _smallest_chart_text(page) -> float:
    """The smallest rendered font size (px) of any chart label on the page."""
    return page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('svg.chart text')].map(t => {
            const box = t.getBoundingClientRect(); return box.height || 99; }))"""
    )


def test_dashboard_on_a_phone(page, demo_records):
    login(page, "bithu")
    page.goto("/coverage/")
    assert page.locator("h1").inner_text().startswith("Tỷ lệ có tài khoản định danh điện tử")
    assert page.locator('table[data-table="groups"] tbody tr').count() == 49
    assert page.locator("svg.chart").count() == 4  # groups, e-ID and online trends, records
    assert page.locator('[data-figure="online"]').count() == 1
    assert page.locator("svg.chart rect.bar").count() > 49  # groups plus weekly records
    assert_fits_360(page)  # the group table scrolls inside its own box
    assert _smallest_chart_text(page) >= 9
    # The largest gap comes first.
    gaps = [int(g) for g in page.locator('td[data-col="gap"]').all_inner_texts()[:49]]
    assert gaps == sorted(gaps, reverse=True)
    shot(page, "coverage-dashboard-360")


def test_dashboard_on_a_desktop(browser, live_server, demo_records):
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 1280, "height": 800},
        locale="vi-VN",
        timezone_id=WARD_TIMEZONE,
    )
    try:
        page = context.new_page()
        login(page, "phuong")
        page.goto("/coverage/?period=week")
        assert page.locator(".pill.on").inner_text() == "Tuần này"
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        shot(page, "coverage-dashboard-1280")
    finally:
        context.close()


def test_group_worklist_and_planning_a_visit(page, demo_records):
    login(page, "bithu")
    page.goto("/coverage/")
    page.locator('table[data-table="groups"] tbody tr th a').first.click()
    page.wait_for_url("**/coverage/groups/*")
    assert_fits_360(page)
    shot(page, "coverage-group")
    page.click("text=Danh sách cần đến (bản in)")
    page.wait_for_url("**/worklist")
    assert page.locator("table.worklist tbody tr").count() >= 1
    assert_fits_360(page)
    shot(page, "coverage-worklist")
    page.click("a[data-plan]")
    page.wait_for_url("**/shifts/new?*")
    assert page.locator("input[value=field]").is_checked()
    assert page.locator("[data-where-next] li").count() == 5
    assert_fits_360(page)
    shot(page, "coverage-plan-visit")


def test_city_view_for_the_admin(page, demo_records):
    login(page, "admin")
    page.goto("/coverage/city")
    assert page.locator('table[data-table="wards"] tbody tr').count() >= 1
    assert_fits_360(page)
    shot(page, "coverage-city")
