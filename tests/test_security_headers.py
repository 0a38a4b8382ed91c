"""Issue 14: security headers on every answer, and templates the CSP lets run (no inline script)."""

import re
from pathlib import Path

import pytest
from flask import url_for

from app import create_app
from core.headers import HEADERS, HSTS
from tests.test_access import expected_tables

ROOT = Path(__file__).resolve().parent.parent
STATIC_ANSWERS = [
    "/sw.js",
    "/static/manifest.webmanifest",
    "/static/js/app.js",
    "/static/css/app.css",
    "/static/icons/icon-192.png",
    "/api/openapi.json",
    "/no-such-page",
    "/api/v1/no-such-route",
]


def every_url(app, world) -> list[str]:
    args = {}
    for sampler in expected_tables()[1]:
        args.update(sampler(world))
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint == "volunteer.logout":
                continue  # asked last, below: it ends the session the others need
            if rule.endpoint == "static":
                continue
            urls.append(url_for(rule.endpoint, **{name: args[name] for name in rule.arguments}))
    return urls + STATIC_ANSWERS


def assert_secure(response, where: str) -> None:
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, f"{name} on {where} ({response.status_code})"
    assert "Strict-Transport-Security" not in response.headers, where


@pytest.mark.parametrize("username", [None, "tnv01", "admin"])
def test_every_route_answers_with_the_security_headers(app, world, auth, client, username):
    """GET on every route (a POST-only one answers 405, which counts too) as anonymous, a
    volunteer and the admin: pages, redirects, JSON, 403/404, static files, the service worker."""
    if username:
        auth.login(username)
    statuses = set()
    for url in every_url(app, world):
        with client.get(url) as response:  # closes static files
            statuses.add(response.status_code)
            assert_secure(response, url)
    response = client.post("/logout")
    assert_secure(response, "/logout")
    assert {200, 404, 405} <= statuses


def test_the_policy_allows_no_inline_script_and_no_framing():
    policy = dict(
        directive.split(" ", 1) for directive in HEADERS["Content-Security-Policy"].split("; ")
    )
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe" not in HEADERS["Content-Security-Policy"]


def test_posts_and_errors_carry_them_too(app, world, auth, client):
    auth.login("tnv01")
    assert_secure(client.post("/notifications/subscription", json={"x": 1}), "bad subscription")
    assert_secure(client.post("/language", data={"language": "en"}), "language")
    assert_secure(client.get("/users"), "403")


def test_hsts_only_when_secure_cookies_is_on(monkeypatch, database_url):
    monkeypatch.setenv("SECURE_COOKIES", "1")
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": database_url})
    try:
        response = app.test_client().get("/login")
        assert response.headers["Strict-Transport-Security"] == HSTS
        with app.test_client().get("/static/js/app.js") as static:
            assert static.headers["Strict-Transport-Security"] == HSTS
    finally:
        app.extensions["db_engine"].dispose()
    monkeypatch.setenv("SECURE_COOKIES", "0")
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": database_url})
    try:
        assert "Strict-Transport-Security" not in app.test_client().get("/login").headers
    finally:
        app.extensions["db_engine"].dispose()


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.DOTALL)


@pytest.mark.parametrize("template", sorted(ROOT.glob("templates/**/*.html")), ids=lambda p: p.name)
def test_templates_have_no_inline_script_or_handler(template):
    """The browser would refuse them under the policy: scripts live in static/js/."""
    text = template.read_text()
    assert INLINE_SCRIPT.findall(text) == []
    assert INLINE_HANDLER.findall(text) == []
