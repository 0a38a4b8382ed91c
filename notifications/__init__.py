"""Reminders and alerts (issue 6): web push, the in-app inbox, and the scheduler that sends them."""

import os

from flask import Blueprint, Flask
from flask_login import user_logged_out

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

from notifications import views  # noqa: E402,F401  (views register on bp)


def init_app(app: Flask) -> None:
    from notifications import events
    from notifications.endpoints import hosts_from_environment
    from notifications.scheduler import scheduler_command
    from notifications.subscriptions import forget_device_on_logout
    from notifications.vapid import vapid_keys_command

    app.config.setdefault("VAPID_PRIVATE_KEY", os.environ.get("VAPID_PRIVATE_KEY"))
    app.config.setdefault("VAPID_PUBLIC_KEY", os.environ.get("VAPID_PUBLIC_KEY"))
    # Push services contact this address when something is wrong with our pushes.
    app.config.setdefault(
        "VAPID_SUBJECT", os.environ.get("VAPID_SUBJECT", "mailto:thanhnien247@localhost")
    )
    app.config.setdefault("NOTIFY_RULES_SECONDS", int(os.environ.get("NOTIFY_RULES_SECONDS", 60)))
    app.config.setdefault(
        "NOTIFY_DISPATCH_SECONDS", int(os.environ.get("NOTIFY_DISPATCH_SECONDS", 10))
    )
    # Push services besides the built-in list (notifications/endpoints.py), e.g. a self-hosted one.
    app.config.setdefault(
        "PUSH_SERVICE_HOSTS", hosts_from_environment(os.environ.get("PUSH_SERVICE_HOSTS"))
    )
    user_logged_out.connect(forget_device_on_logout, app)
    events.subscribe()  # the rota's news reaches the inbox
    app.cli.add_command(scheduler_command)
    app.cli.add_command(vapid_keys_command)
