"""Issue 16: follow-ups mine first, filtered and paged; the household page starts a log for the
household, lists its visits newest first, and shows children below the target age neutrally."""

from datetime import UTC, datetime, timedelta

from assistance.queries import PAGE_SIZE
from tests.helpers import page_text
from tests.sync_items import household_uuid, push, record


def _pending(world, key: str, day: int, **fields) -> dict:
    when = datetime(2026, 3, 1, 9, 0, tzinfo=UTC) + timedelta(days=day)
    fields.setdefault("kind", "eid_level2")
    return record(
        household_uuid(world, key),
        outcome="pending",
        reason=fields.pop("reason", f"Chờ xác thực {day}"),
        client_time=when.isoformat(),
        **fields,
    )


def _push_as(app, world, auth, client, username: str, items: list) -> None:
    auth.login(username)
    with app.app_context():
        assert push(client, items).status_code == 200
    auth.logout()


def test_follow_ups_put_mine_first_then_the_oldest(app, world, auth, client):
    with app.app_context():
        theirs = [_pending(world, "hung", 1, reason="Việc cũ nhất của người khác")]
        mine = [_pending(world, "lan", 5, reason="Việc của tôi")]
    _push_as(app, world, auth, client, "tnv02", theirs)
    _push_as(app, world, auth, client, "tnv01", mine)
    auth.login("tnv01")
    text = page_text(client.get("/follow-ups"))
    assert text.index("Việc của tôi") < text.index("Việc cũ nhất của người khác")
    assert "2 việc đang chờ" in text
    auth.logout()
    auth.login("tnv02")
    text = page_text(client.get("/follow-ups"))
    assert text.index("Việc cũ nhất của người khác") < text.index("Việc của tôi")


def test_follow_ups_filter_by_group_and_kind(app, world, auth, client):
    with app.app_context():
        items = [
            _pending(world, "hung", 1, reason="Tổ một, mức hai"),
            _pending(world, "no_consent", 2, reason="Tổ hai, mức hai"),
            _pending(world, "hung", 3, kind="eid_signin_help", reason="Tổ một, đăng nhập"),
        ]
    _push_as(app, world, auth, client, "tnv01", items)
    auth.login("bithu")
    a1 = world.groups["a1"]
    text = page_text(client.get(f"/follow-ups?group={a1}"))
    assert "Tổ một, mức hai" in text and "Tổ một, đăng nhập" in text
    assert "Tổ hai, mức hai" not in text
    text = page_text(client.get(f"/follow-ups?group={a1}&kind=eid_level2"))
    assert "Tổ một, mức hai" in text
    assert "Tổ một, đăng nhập" not in text and "Tổ hai, mức hai" not in text
    # Another ward's group, an unknown kind, junk: the filter is dropped, never an error.
    for query in [f"group={world.groups['b1']}", "kind=nope", "group=abc&kind=%00", "page=-1"]:
        response = client.get(f"/follow-ups?{query}")
        assert response.status_code in (200, 400), query
    text = page_text(client.get(f"/follow-ups?group={world.groups['b1']}&kind=nope"))
    assert "3 việc đang chờ" in text
    text = page_text(client.get(f"/follow-ups?group={world.groups['a_empty']}"))
    assert "Không có việc nào đang chờ với bộ lọc này." in text


def test_follow_ups_are_paged(app, world, auth, client):
    with app.app_context():
        items = [_pending(world, "hung", day, reason=f"Việc số {day:03d}") for day in range(35)]
    _push_as(app, world, auth, client, "tnv01", items)
    auth.login("tnv01")
    first = page_text(client.get("/follow-ups"))
    assert "Việc số 000" in first and f"Việc số {PAGE_SIZE - 1:03d}" in first
    assert f"Việc số {PAGE_SIZE:03d}" not in first
    assert "Trang 1/2" in first
    second = page_text(client.get("/follow-ups?page=2"))
    assert f"Việc số {PAGE_SIZE:03d}" in second and "Việc số 034" in second
    assert "Việc số 000" not in second


def test_the_household_page_starts_a_log_and_lists_visits_newest_first(app, world, auth, client):
    with app.app_context():
        items = [
            _pending(world, "hung", 1, reason="Lần thứ nhất"),
            _pending(world, "hung", 9, reason="Lần thứ hai"),
            _pending(world, "lan", 4, reason="Hộ khác"),
        ]
        uuid = household_uuid(world, "hung")
    _push_as(app, world, auth, client, "tnv01", items)
    page = f"/households/{world.households['hung']}"
    auth.login("tnv02")
    html = client.get(page).get_data(as_text=True)
    text = page_text(client.get(page))
    assert f'href="/log#household={uuid}&q=Nguy' in html
    assert "Các lần hỗ trợ (2)" in text
    assert text.index("Lần thứ hai") < text.index("Lần thứ nhất")
    assert "Hộ khác" not in text
    auth.logout()
    auth.login("phuong")  # the ward officer reads the history but does not log
    html = client.get(page).get_data(as_text=True)
    assert "Lần thứ hai" in html and "/log#household=" not in html
    assert "/log#resolve=" not in html


def test_children_below_the_target_age_are_shown_neutrally(app, world, auth, client):
    auth.login("tnv01")
    html = client.get(f"/households/{world.households['hung']}").get_data(as_text=True)
    # Nguyễn Minh Khang is ten: neither red nor counted as missing; Trần Thị Dương is.
    khang = html[html.index("Nguyễn Minh Khang") :]
    khang = khang[: khang.index("</li>")]
    assert "không tính chỉ tiêu" in khang and "Chưa có VNeID" not in khang
    duong = html[html.index("Trần Thị Dương") :]
    assert "Chưa có VNeID" in duong[: duong.index("</li>")]
    assert "tính người từ 18 tuổi" in page_text(
        client.get(f"/households/{world.households['hung']}")
    )
