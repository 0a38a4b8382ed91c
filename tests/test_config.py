"""Configuration from the environment, with safe defaults."""

import stat
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

import pytest
from flask import Flask, render_template_string

from app import create_app
from tests.helpers import page_text


@pytest.fixture
def instance(tmp_path, monkeypatch) -> Path:
    """create_app() without test_config, its instance folder in tmp, no SECRET_KEY in the env."""
    folder = tmp_path / "instance"
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(folder))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SECURE_COOKIES", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    return folder


def test_secret_key_is_generated_once_into_the_instance_folder(instance):
    first = create_app()
    key_file = instance / "secret_key"
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.config["SECRET_KEY"] == key_file.read_text().strip()
    assert len(first.config["SECRET_KEY"]) >= 32
    assert create_app().config["SECRET_KEY"] == first.config["SECRET_KEY"]  # reused


def test_processes_starting_together_share_one_secret_key(instance):
    """`make run` and gunicorn's workers start several processes at once: the one that finds
    no key file but loses the race to write it must use the winner's key."""
    first = create_app().config["SECRET_KEY"]
    with mock.patch.object(Path, "exists", return_value=False):
        assert create_app().config["SECRET_KEY"] == first
    assert [p.name for p in instance.iterdir() if "secret" in p.name] == ["secret_key"]


def test_each_installation_gets_its_own_secret_key(instance, tmp_path, monkeypatch):
    first = create_app().config["SECRET_KEY"]
    other = tmp_path / "other-instance"
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(other))
    assert create_app().config["SECRET_KEY"] != first


def test_secret_key_from_the_environment_wins(instance, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert create_app().config["SECRET_KEY"] == "from-the-environment"
    assert not (instance / "secret_key").exists()


def test_database_url_from_the_environment(instance, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'chosen.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    app = create_app()
    assert app.config["DATABASE_URL"] == url
    assert str(app.extensions["db_engine"].url) == url


def test_database_defaults_to_sqlite_in_the_instance_folder(instance, monkeypatch):
    monkeypatch.delenv("DATABASE_URL")
    app = create_app()
    assert app.config["DATABASE_URL"] == f"sqlite:///{instance / 'thanhnien247.db'}"


def test_defaults_language_time_zone_cookies_and_limits(instance):
    app = create_app()
    assert app.config["BABEL_DEFAULT_LOCALE"] == "vi"
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == "Asia/Ho_Chi_Minh"
    assert app.config["REMEMBER_COOKIE_DURATION"].days == 30
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["REMEMBER_COOKIE_HTTPONLY"]
    assert app.config["LOGIN_LIMIT_PER_USERNAME"] == "5 per 15 minutes"
    assert app.config["LOGIN_LIMIT_PER_ADDRESS"] == "30 per 15 minutes"
    assert app.config["WTF_CSRF_ENABLED"] is not False
    assert app.login_manager.session_protection == "basic"


def test_secure_cookie_flags_are_configurable(instance, monkeypatch):
    monkeypatch.setenv("SECURE_COOKIES", "1")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


def test_vietnamese_even_for_an_english_browser(instance):
    client = create_app().test_client()
    page = page_text(client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}))
    assert '<html lang="vi">' in page and "Đăng nhập" in page


def test_times_are_shown_in_vietnam_time(instance):
    app = create_app()
    with app.test_request_context():
        evening_utc = datetime(2025, 7, 1, 17, 30, tzinfo=UTC)
        assert render_template_string("{{ t|local }}", t=evening_utc) == "02/07/2025 00:30"


def test_a_phone_switching_networks_stays_logged_in(client, world, auth):
    # session_protection "basic": a new address or browser string must not end the session.
    auth.login("tnv01")
    client.environ_base.update(REMOTE_ADDR="100.64.1.2", HTTP_USER_AGENT="Mobile data")
    assert client.get("/groups").status_code == 200


def test_translations_work_outside_a_request(app):
    """Jobs and CLI commands render Vietnamese text without a request (reminders, exports)."""
    from flask_babel import gettext

    with app.app_context():
        assert gettext("Tổ dân phố") == "Tổ dân phố"
