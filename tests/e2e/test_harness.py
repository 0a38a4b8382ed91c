"""The harness itself: the live server serves the migrated demo ward to a phone-sized Chromium."""

import pytest

from tests.e2e.conftest import ExternalRequests, assert_fits_360, login


def test_login_page_is_served_at_phone_size(page):
    page.goto("/login")
    assert page.viewport_size == {"width": 360, "height": 740}
    assert page.evaluate("navigator.maxTouchPoints") > 0
    assert page.locator("input[name=username]").is_visible()
    assert_fits_360(page)


def test_demo_login_reaches_the_ward(page):
    login(page, "tnv01")
    assert "Thanh Khê Đông" in page.inner_text("body")


def test_a_request_off_the_live_server_is_caught(browser, live_server):
    external = ExternalRequests()
    context = browser.new_context(base_url=live_server)
    context.on("request", external)
    page = context.new_page()
    page.goto("/login")
    page.set_content('<img src="http://cdn.example.invalid/x.png"><p>x</p>')
    page.wait_for_timeout(200)
    context.close()
    assert external.urls == ["http://cdn.example.invalid/x.png"]
    with pytest.raises(AssertionError, match="external"):
        external.check()


def test_a_persistent_profile_keeps_its_storage(persistent_context, tmp_path):
    profile = tmp_path / "profile"
    phone = persistent_context(profile)
    page = phone.pages[0] if phone.pages else phone.new_page()
    page.goto("/login")
    assert page.viewport_size == {"width": 360, "height": 740}
    page.evaluate("localStorage.setItem('probe', 'còn đây')")
    phone.close()
    phone = persistent_context(profile)
    page = phone.pages[0] if phone.pages else phone.new_page()
    page.goto("/login")
    assert page.evaluate("localStorage.getItem('probe')") == "còn đây"
