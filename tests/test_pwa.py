"""The installable shell: manifest, icons, the service worker's route and its precache list."""

import json
import struct
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_manifest_is_vietnamese_and_installable():
    manifest = json.loads((STATIC / "manifest.webmanifest").read_text())
    assert manifest["lang"] == "vi" and manifest["display"] == "standalone"
    assert "Thanh niên" in manifest["name"] and manifest["short_name"]
    assert manifest["start_url"] == "/log" and manifest["theme_color"]
    sizes = {}
    for icon in manifest["icons"]:
        width, height = png_size(STATIC / icon["src"].removeprefix("/static/"))
        assert icon["sizes"] == f"{width}x{height}"
        sizes.setdefault(icon["purpose"], set()).add(width)
    assert sizes["any"] == {192, 512} and sizes["maskable"] == {512}


def test_service_worker_route(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    assert "__SHELL_VERSION__" not in body and "/static/js/log.js" in body
    assert "/static/vendor/idb/umd.js" in body


def test_shell_version_changes_with_the_shell(app, tmp_path):
    from sync.pwa import SHELL_FILES, shell_version

    for name in [*SHELL_FILES, "sw.js"]:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((STATIC / name).read_bytes())
    before = shell_version(tmp_path)
    (tmp_path / "js/log.js").write_text("// changed")
    assert shell_version(tmp_path) != before


def test_shell_version_changes_with_a_part_of_the_log_screen(app, tmp_path):
    # The parts are precached with the shell (an ES module's imports): an edit to one of them
    # must install a new worker, or the old cache would keep serving the old part.
    from sync.pwa import SHELL_FILES, shell_version

    for name in [*SHELL_FILES, "sw.js"]:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((STATIC / name).read_bytes())
    before = shell_version(tmp_path)
    (tmp_path / "js/log/outbox.js").write_text("// changed")
    assert shell_version(tmp_path) != before


def test_offline_page_is_public(client):
    response = client.get("/offline")
    assert response.status_code == 200 and "ngoại tuyến" in response.get_data(as_text=True)
