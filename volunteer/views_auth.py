"""Sign in and out, own password and language."""

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user, login_user, logout_user
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE
from sqlmodel import select

from core import clock
from core.access import EVERY_ROLE, allow, public
from core.db import get_session
from core.extensions import limiter
from core.text import normalize
from volunteer import bp, hashing, passwords
from volunteer.forms import ChangePasswordForm, LanguageForm, LoginForm
from volunteer.models import User

# Compared against when the username is unknown, so both cases take the same time.
_DUMMY_HASH = hashing.hash_password("not a real password")


def _username_key() -> str:
    return "login-user:" + normalize(request.form.get("username", ""))


def _address_key() -> str:
    return "login-addr:" + (request.remote_addr or "unknown")


def _failed(response) -> bool:
    return response.status_code != 302


def _safe_next(target: str | None) -> str:
    if target and not urlsplit(target).netloc and target.startswith("/"):
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_USERNAME"],
    key_func=_username_key,
    methods=["POST"],
    deduct_when=_failed,
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"],
    key_func=_address_key,
    methods=["POST"],
    deduct_when=_failed,
)
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        username = form.username.data.strip().lower()
        user = get_session().exec(select(User).where(User.username == username)).first()
        if user is None:
            hashing.verify(_DUMMY_HASH, form.password.data)
        password_ok = user is not None and user.check_password(form.password.data)
        if password_ok and user.active:
            if hashing.needs_rehash(user.password_hash):
                # An older hash (Werkzeug's scrypt) or older parameters: upgraded while the
                # password is at hand; the sessions stay valid.
                user.set_password(form.password.data)
                get_session().commit()
            login_user(user, remember=form.remember.data)
            # The phone resets its sync backoff when it sees a new sign-in (static/js/app.js).
            session["signed_in_at"] = clock.now().isoformat()
            return redirect(_safe_next(request.args.get("next")))
        if password_ok:
            flash(_("Tài khoản này đã bị khóa. Hãy liên hệ Bí thư Đoàn phường."), "error")
        else:
            flash(_("Tên đăng nhập hoặc mật khẩu không đúng."), "error")
    return render_template("volunteer/login.html", form=form)


@bp.app_errorhandler(RateLimitExceeded)
def login_throttled(error: RateLimitExceeded):
    minutes = max(1, round(error.limit.limit.get_expiry() / 60))
    flash(
        _(
            "Đăng nhập sai quá nhiều lần. Vui lòng đợi %(minutes)s phút rồi thử lại.",
            minutes=minutes,
        ),
        "error",
    )
    return render_template("volunteer/login.html", form=LoginForm()), 429


@bp.route("/logout", methods=["POST"])
@allow(EVERY_ROLE)
def logout():
    logout_user()
    return redirect(url_for("volunteer.login"))


@bp.route("/account", methods=["GET", "POST"])
@allow(EVERY_ROLE)
def account():
    form = ChangePasswordForm()
    language_form = LanguageForm(language=current_user.language)
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("Mật khẩu hiện tại không đúng."))
        else:
            db = get_session()
            user = db.get(User, current_user.id)
            # Other devices sign in again, with the new password.
            passwords.replace(
                db, user, form.new.data, actor_id=user.id, action="password", now=clock.now()
            )
            db.commit()
            # This device stays signed in (and remembered, if it was): new cookies, new version.
            cookie = current_app.config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE)
            login_user(user, remember=cookie in request.cookies)
            flash(_("Đã đổi mật khẩu."), "success")
            return redirect(url_for("volunteer.account"))
    return render_template("volunteer/account.html", form=form, language_form=language_form)


@bp.route("/language", methods=["POST"])
@public
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["language"] = form.language.data
        if current_user.is_authenticated:
            db = get_session()
            db.get(User, current_user.id).language = form.language.data
            db.commit()
    return redirect(_safe_next(request.form.get("next")))
