"""Signing in and out, remember-me, own password and language, throttling and CSRF."""

import re
from datetime import timedelta
from email.utils import parsedate_to_datetime

from sqlmodel import select

from core import clock
from core.audit import AuditLog
from core.db import get_session
from tests.helpers import csrf_from, page_text
from volunteer.models import User

THROTTLED = "Đăng nhập sai quá nhiều lần"
BAD_LOGIN = "Tên đăng nhập hoặc mật khẩu không đúng."


def flashes(response) -> list[str]:
    return re.findall(r'<p class="flash [^"]*"[^>]*>([^<]*)</p>', page_text(response))


def set_active(app, username: str, active: bool) -> None:
    with app.app_context():
        db = get_session()
        db.exec(select(User).where(User.username == username)).one().active = active
        db.commit()


def test_login_form_uses_username_and_password(client, world, auth):
    page = page_text(client.get("/login"))
    assert 'name="username"' in page and 'name="password"' in page
    response = auth.login("tnv01")
    assert response.status_code == 302
    assert "Thanh Khê Đông" in page_text(client.get("/groups"))


def test_username_ignores_case_and_spaces(client, world, auth):
    assert auth.login("  TNV01 ").status_code == 302


def test_login_follows_only_local_next(client, world):
    data = {"username": "tnv01", "password": "thanhnien247"}
    response = client.post("/login?next=/search", data=data)
    assert response.headers["Location"] == "/search"
    client.post("/logout")
    response = client.post("/login?next=https://evil.example/x", data=data)
    assert response.headers["Location"] == "/"


def test_wrong_password_and_unknown_username_look_the_same(client, world, auth):
    wrong_password = auth.login("tnv01", "sai-mat-khau")
    unknown_user = auth.login("khong_co_ai", "sai-mat-khau")
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert flashes(wrong_password) == flashes(unknown_user) == [BAD_LOGIN]
    assert client.get("/groups").status_code == 302


def test_inactive_account_is_refused(app, client, world, auth):
    set_active(app, "tnv02", False)
    response = auth.login("tnv02")
    assert response.status_code == 200
    assert "bị khóa" in page_text(response)
    assert client.get("/groups").headers["Location"].startswith("/login")


def test_deactivated_user_loses_the_open_session(app, client, world, auth):
    auth.login("tnv01")
    assert client.get("/groups").status_code == 200
    set_active(app, "tnv01", False)
    assert client.get("/groups").headers["Location"].startswith("/login")


def _remember_cookie(response) -> str | None:
    cookies = response.headers.getlist("Set-Cookie")
    return next((c for c in cookies if c.startswith("remember_token=")), None)


def test_remember_me_keeps_the_phone_logged_in_for_30_days(client, world, auth):
    response = auth.login("tnv01", remember=True)
    cookie = _remember_cookie(response)
    assert cookie is not None and "HttpOnly" in cookie
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1))
    assert timedelta(days=29) < expires - clock.now() <= timedelta(days=30, minutes=1)


def test_remember_cookie_lets_the_user_back_in_after_the_session_ends(app, world, auth):
    auth.login("tnv01", remember=True)
    auth.client.delete_cookie("session")
    assert auth.client.get("/groups").status_code == 200


def test_without_remember_me_no_remember_cookie(client, world, auth):
    assert _remember_cookie(auth.login("tnv01", remember=False)) is None


def test_logout(client, world, auth):
    auth.login("tnv01", remember=True)
    response = auth.logout()
    assert response.headers["Location"] == "/login"
    assert client.get("/groups").headers["Location"].startswith("/login")


def _change(client, current, new, confirm):
    return client.post("/account", data={"current": current, "new": new, "confirm": confirm})


def test_change_password_with_wrong_current_password(client, world, auth):
    auth.login("tnv01")
    response = _change(client, "khong-dung", "matkhaumoi1", "matkhaumoi1")
    assert response.status_code == 200
    assert "Mật khẩu hiện tại không đúng." in page_text(response)
    auth.logout()
    assert auth.login("tnv01").status_code == 302


def test_change_password_confirmation_must_match(client, world, auth):
    auth.login("tnv01")
    response = _change(client, "thanhnien247", "matkhaumoi1", "matkhaumoi2")
    assert "Hai mật khẩu mới không khớp." in page_text(response)
    response = _change(client, "thanhnien247", "ngan", "ngan")
    assert "Mật khẩu cần ít nhất 8 ký tự." in page_text(response)
    auth.logout()
    assert auth.login("tnv01", "matkhaumoi1").status_code == 200


def test_change_password(app, client, world, auth):
    auth.login("tnv01")
    response = _change(client, "thanhnien247", "matkhaumoi1", "matkhaumoi1")
    assert response.status_code == 302
    assert "Đã đổi mật khẩu." in flashes(client.get(response.headers["Location"]))
    auth.logout()
    assert auth.login("tnv01", "thanhnien247").status_code == 200
    assert auth.login("tnv01", "matkhaumoi1").status_code == 302
    with app.app_context():
        entry = get_session().exec(select(AuditLog).where(AuditLog.action == "password")).one()
        assert entry.actor_id == entry.entity_id == world.users["tnv01"]


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', page_text(response)).group(1)


def test_language_switch_persists_per_user(app, world, auth):
    assert _lang(auth.client.get("/login")) == "vi"  # Vietnamese by default
    auth.login("tnv01")
    response = auth.client.post("/language", data={"language": "en", "next": "/account"})
    assert response.headers["Location"] == "/account"
    assert _lang(auth.client.get("/account")) == "en"
    auth.logout()

    again = app.test_client()  # another phone: the choice belongs to the user, not the browser
    again.post("/login", data={"username": "tnv01", "password": "thanhnien247"})
    page = again.get("/account")
    assert _lang(page) == "en" and "Change password" in page_text(page)
    other = app.test_client()
    other.post("/login", data={"username": "tnv02", "password": "thanhnien247"})
    page = other.get("/account")
    assert _lang(page) == "vi" and "Đổi mật khẩu" in page_text(page)


def test_failed_logins_are_throttled_per_username(client, world, auth):
    for _ in range(5):
        assert auth.login("tnv01", "sai-mat-khau").status_code == 200
    response = auth.login("tnv01")  # right password, too late
    assert response.status_code == 429
    assert THROTTLED in page_text(response)
    assert client.get("/groups").status_code == 302
    # Another username from the same phone is not locked out by tnv01's failures.
    assert auth.login("tnv02").status_code == 302


def test_throttling_does_not_reveal_whether_a_username_exists(client, world, auth):
    for _ in range(5):
        auth.login("khong_co_ai", "sai")
        auth.login("tnv01", "sai")
    unknown, known = auth.login("khong_co_ai", "sai"), auth.login("tnv01", "sai")
    assert unknown.status_code == known.status_code == 429
    assert flashes(unknown) == flashes(known)


def test_successful_logins_are_not_counted(client, world, auth):
    for _ in range(6):
        assert auth.login("tnv01").status_code == 302
        auth.logout()


def test_failed_logins_are_throttled_per_address(app, world):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "3 per 15 minutes"
    phone = app.test_client()
    phone.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    for username in ("a_1", "a_2", "a_3"):
        phone.post("/login", data={"username": username, "password": "x"})
    right = {"username": "tnv01", "password": "thanhnien247"}
    response = phone.post("/login", data=right)
    assert response.status_code == 429
    assert THROTTLED in page_text(response)
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    assert elsewhere.post("/login", data=right).status_code == 302


def test_post_without_csrf_token_is_refused(app, client, world):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/login", data={"username": "tnv01", "password": "thanhnien247"})
    assert response.status_code == 400
    assert "Phiên làm việc đã hết hạn" in page_text(response)
    assert "Hãy tải lại trang rồi thử lại." in page_text(response)
    token = csrf_from(client.get("/login").data)
    data = {"username": "tnv01", "password": "thanhnien247", "csrf_token": token}
    assert client.post("/login", data=data).status_code == 302
    # Logged in, a state change without the token is still refused and changes nothing.
    assert client.post("/logout").status_code == 400
    assert client.get("/groups").status_code == 200


def test_json_post_with_csrf_header_passes(app, client, world, auth):
    app.config["WTF_CSRF_ENABLED"] = True
    page = page_text(client.get("/login"))
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    response = client.post("/language", json={"language": "en"}, headers={"X-CSRFToken": token})
    assert response.status_code == 302
    assert _lang(client.get("/login")) == "en"


def test_json_post_without_csrf_token_gets_a_json_error(app, client, world):
    app.config["WTF_CSRF_ENABLED"] = True
    client.get("/login")
    response = client.post("/language", json={"language": "en"})
    assert response.status_code == 400
    assert response.is_json
    assert response.get_json()["error"] == "csrf"
    assert response.get_json()["message"]
    assert _lang(client.get("/login")) == "vi"


def _stored_hash(app, username: str) -> str:
    with app.app_context():
        return get_session().exec(select(User).where(User.username == username)).one().password_hash


def _set_hash(app, username: str, value: str) -> None:
    with app.app_context():
        db = get_session()
        db.exec(select(User).where(User.username == username)).one().password_hash = value
        db.commit()


def test_new_passwords_are_hashed_with_argon2id_at_owasps_minimum(app, world):
    assert _stored_hash(app, "tnv01").startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_werkzeug_scrypt_hash_still_signs_in_and_is_upgraded_to_argon2id(
    app, client, world, auth
):
    from werkzeug.security import generate_password_hash

    _set_hash(app, "tnv01", generate_password_hash("thanhnien247"))  # as stored before argon2id
    assert auth.login("tnv01", "sai-mat-khau").status_code == 200
    assert _stored_hash(app, "tnv01").startswith("scrypt:")  # a wrong password changes nothing
    assert auth.login("tnv01", "thanhnien247").status_code == 302
    upgraded = _stored_hash(app, "tnv01")
    assert upgraded.startswith("$argon2id$")
    auth.logout()
    assert auth.login("tnv01", "thanhnien247").status_code == 302
    assert _stored_hash(app, "tnv01") == upgraded  # already current: left alone


def test_an_argon2_hash_with_weaker_parameters_is_upgraded_on_login(app, client, world, auth):
    from argon2 import PasswordHasher

    _set_hash(app, "tnv01", PasswordHasher(time_cost=1, memory_cost=8192).hash("thanhnien247"))
    assert auth.login("tnv01", "thanhnien247").status_code == 302
    assert _stored_hash(app, "tnv01").startswith("$argon2id$v=19$m=19456,t=2,p=1$")
