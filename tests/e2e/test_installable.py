"""The app is installable in Chromium, and its worker answers pages with no signal."""

from tests.e2e.conftest import login, wait_for, wait_until

CONTROLLED = "navigator.serviceWorker.controller !== null"


def test_chromium_finds_the_app_installable(persistent_context, signal, tmp_path):
    # A persistent profile: Chromium never offers to install from an incognito one.
    context = persistent_context(tmp_path / "phone", base_url=signal.url)
    page = context.pages[0] if context.pages else context.new_page()
    login(page, "tnv05")
    page.goto("/log")
    wait_for(page, CONTROLLED, timeout=30_000)  # the install shares the box with another browser
    scope = page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.scope)")
    assert scope == f"{signal.url}/"
    devtools = context.new_cdp_session(page)
    manifest = devtools.send("Page.getAppManifest")
    assert manifest["url"] == f"{signal.url}/static/manifest.webmanifest"
    assert manifest["errors"] == []
    # What Chromium itself checks before offering "Install app" (manifest, icons, worker).
    assert devtools.send("Page.getInstallabilityErrors") == {"installabilityErrors": []}
    assert devtools.send("Page.getAppId")["recommendedId"] == "/log"


def test_pages_without_signal_come_from_the_worker(persistent_context, signal, tmp_path):
    context = persistent_context(tmp_path / "phone", base_url=signal.url)
    page = context.pages[0] if context.pages else context.new_page()
    login(page, "tnv05")
    page.goto("/log")
    wait_for(page, CONTROLLED, timeout=30_000)  # the install shares the box with another browser
    wait_until(page, "caches.match('/log').then(Boolean)")
    signal.cut()
    context.set_offline(True)
    # The log screen was kept; any other page falls back to the offline page.
    page.goto("/log")
    assert page.locator("#log-app").count() == 1
    page.goto("/groups")
    assert "ngoại tuyến" in page.locator("main").inner_text()
