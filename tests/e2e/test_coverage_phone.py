"""Coverage at 360x740 (issue 16): the page is no wider than the phone, the group chart comes
before a three-column table (Tổ, %, còn thiếu), and the exports are above the fold."""

import pytest

from tests.e2e.conftest import login
from tests.e2e.test_coverage_screens import demo_records  # noqa: F401  (fixture)


def _top(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


@pytest.mark.parametrize("path", ["/coverage/", "/coverage/report"])
def test_coverage_reads_on_a_phone(page, demo_records, path):  # noqa: F811
    login(page, "bithu")
    page.goto(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert _top(page, '[data-chart="groups"] svg') < _top(page, 'table[data-table="groups"]')
    visible = page.locator('table[data-table="groups"] thead th:visible').all_inner_texts()
    assert visible == ["Tổ", "%", "Còn thiếu"]
    exports = page.locator("[data-exports] a:visible, .month-pick a:visible")
    assert exports.count() >= 2
    for box in (exports.nth(i).bounding_box() for i in range(exports.count())):
        assert box["y"] + box["height"] <= 740  # above the fold
        assert box["height"] >= 44
    # Details on tap: the group's name opens its page with every figure.
    page.locator('table[data-table="groups"] tbody th a').first.click()
    page.wait_for_url("**/coverage/groups/*")
