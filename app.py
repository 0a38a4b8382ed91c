"""Thanh niên 24/7: the Flask application factory."""

import logging
import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask, has_request_context, render_template, request, session
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf
from werkzeug.middleware.proxy_fix import ProxyFix

from core import access, bodies, db, figures, headers, instance, migrate, params, serving
from core.clock import WARD_TIMEZONE
from core.extensions import babel, csrf, limiter, login_manager


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        DATABASE_URL=os.environ.get(
            "DATABASE_URL", f"sqlite:///{Path(app.instance_path) / 'thanhnien247.db'}"
        ),
        TIMEZONE=WARD_TIMEZONE,
        BABEL_DEFAULT_LOCALE="vi",
        BABEL_DEFAULT_TIMEZONE=WARD_TIMEZONE,
        LANGUAGES=("vi", "en"),
        REMEMBER_COOKIE_DURATION=timedelta(days=30),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=_env_flag("SECURE_COOKIES"),
        REMEMBER_COOKIE_SECURE=_env_flag("SECURE_COOKIES"),
        RATELIMIT_STORAGE_URI=os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        LOGIN_LIMIT_PER_USERNAME=os.environ.get("LOGIN_LIMIT_PER_USERNAME", "5 per 15 minutes"),
        LOGIN_LIMIT_PER_ADDRESS=os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "30 per 15 minutes"),
        FEEDBACK_LIMIT_PER_ADDRESS=os.environ.get("FEEDBACK_LIMIT_PER_ADDRESS", "10 per hour"),
        BACKUP_DIR=os.environ.get("BACKUP_DIR"),  # default: instance/backups
        BACKUP_KEEP=int(os.environ.get("BACKUP_KEEP", "14")),
        MAX_CONTENT_LENGTH=5 * 1024 * 1024,
        PAGE_SIZE=20,
        # A home visit logged without its minutes counts this long towards volunteer hours.
        VISIT_MINUTES=int(os.environ.get("VISIT_MINUTES", "20")),
    )
    if test_config is None:
        app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or _instance_secret(app)
    else:
        app.config.from_mapping(test_config)

    trusted_proxies = int(os.environ.get("TRUSTED_PROXIES", "0"))
    if trusted_proxies:
        # Behind a reverse proxy the client's address (used to throttle logins) is in X-Forwarded-For.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted_proxies, x_proto=trusted_proxies)

    bodies.init_app(app)
    db.init_app(app)
    serving.init_app(app)  # `flask restore` refuses while a process serves the database
    # Access rules run before the CSRF check: a request without a session answers 401 (API) or
    # goes to the login page, rather than failing on the token a session would have held.
    access.init_app(app)
    # Before any blueprint: routes take ids as <id:name> (core/params.py).
    params.init_app(app)
    _init_extensions(app)
    migrate.init_app(app)
    headers.init_app(app)
    _register_error_handlers(app)
    _register_template_helpers(app)

    from assistance import bp as assistance_bp
    from backup import init_app as init_backup
    from demo import init_app as init_demo
    from dossiers import bp as dossiers_bp
    from eid_coverage import bp as coverage_bp
    from feedback import bp as feedback_bp
    from home import bp as home_bp
    from households import bp as households_bp
    from notifications import bp as notifications_bp
    from notifications import init_app as init_notifications
    from reports import bp as reports_bp
    from shifts import bp as shifts_bp
    from sync import bp as sync_bp
    from volunteer import bp as volunteer_bp

    app.register_blueprint(home_bp)
    app.register_blueprint(volunteer_bp)
    app.register_blueprint(households_bp)
    app.register_blueprint(shifts_bp)
    app.register_blueprint(assistance_bp)
    app.register_blueprint(dossiers_bp)
    app.register_blueprint(sync_bp)
    app.register_blueprint(coverage_bp)
    app.register_blueprint(feedback_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(notifications_bp)
    init_notifications(app)
    init_demo(app)
    init_backup(app)
    return app


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in {"1", "true", "yes"}


def _instance_secret(app: Flask) -> str:
    """Generated once and kept, so sessions survive restarts without a key in the repository."""
    path = Path(app.instance_path) / "secret_key"
    return instance.read_or_create(path, lambda: secrets.token_hex(32).encode()).decode().strip()


def _select_locale() -> str:
    if not has_request_context():
        return "vi"  # CLI commands and jobs (reminders, exports) speak Vietnamese
    if current_user and current_user.is_authenticated:
        return current_user.language
    return session.get("language", "vi")


def _init_extensions(app: Flask) -> None:
    from volunteer.sessions import load_user

    login_manager.init_app(app)
    login_manager.login_view = "volunteer.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"  # phones hop between Wi-Fi and mobile data
    login_manager.user_loader(load_user)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    limiter.init_app(app)


def _register_error_handlers(app: Flask) -> None:
    def page(status: int, title: str, message: str):
        if access.wants_json():
            return {"error": status, "message": message}, status
        return render_template("errors.html", title=title, message=message), status

    @app.errorhandler(400)
    def bad_request(error):
        # core.params.refuse() carries a message for the user; werkzeug's own are English.
        if isinstance(error, params.BadInput):
            message = error.description
        else:
            message = _("Yêu cầu không đọc được. Hãy kiểm tra lại dữ liệu gửi lên.")
        return page(400, _("Yêu cầu không hợp lệ"), message)

    @app.errorhandler(403)
    def forbidden(_e):
        return page(
            403, _("Không có quyền truy cập"), _("Vai trò của bạn không mở được trang này.")
        )

    @app.errorhandler(404)
    def not_found(_e):
        return page(404, _("Không tìm thấy"), _("Trang hoặc bản ghi này không tồn tại."))

    @app.errorhandler(413)
    def too_large(_e):
        return page(
            413, _("Tệp quá lớn"), _("Tệp hoặc dữ liệu gửi lên vượt quá giới hạn cho phép.")
        )

    @app.errorhandler(CSRFError)
    def csrf_failed(_e):
        if access.wants_json():
            return {"error": "csrf", "message": _("Mã bảo mật đã hết hạn, hãy thử lại.")}, 400
        return page(400, _("Phiên làm việc đã hết hạn"), _("Hãy tải lại trang rồi thử lại."))

    @app.errorhandler(500)
    def server_error(_e):
        db.get_session().rollback()
        logging.getLogger(__name__).exception("server error on %s", request.path)
        return page(500, _("Lỗi máy chủ"), _("Đã có lỗi xảy ra. Dữ liệu chưa được lưu."))


def _register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals["csrf_token"] = generate_csrf
    app.jinja_env.globals["get_locale"] = get_locale

    @app.template_filter("local")
    def local_datetime(value, pattern: str = "dd/MM/yyyy HH:mm") -> str:
        return format_datetime(value, pattern) if value else ""

    figures.init_app(app)
