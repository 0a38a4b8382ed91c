"""Pages show only the links the user's role opens (issue 14: the ward officer saw /log, a 403)."""

import re

import pytest

from tests.helpers import page_text

PAGES = ["/groups", "/search", "/follow-ups", "/records", "/notifications/", "/account"]


def _links_to_log(client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, path
    return re.findall(r'href="(/log[^"]*)"', page_text(response))


def test_the_ward_officer_is_shown_no_link_to_the_log_screen(app, world, auth, client):
    auth.login("phuong")
    assert client.get("/log").status_code == 403
    assert {path: _links_to_log(client, path) for path in PAGES} == dict.fromkeys(PAGES, [])


@pytest.mark.parametrize("username", ["tnv01", "bithu"])
def test_those_who_log_keep_the_link_and_the_outbox_badge(app, world, auth, client, username):
    auth.login(username)
    assert "/log#outbox" in _links_to_log(client, "/groups")
    assert "/log" in _links_to_log(client, "/groups")
