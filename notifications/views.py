"""The inbox, the push switches, the reminder settings of a ward."""

import uuid
from datetime import timedelta

from flask import abort, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from core import clock, per_request
from core.access import EVERY_ROLE, MANAGERS, Role, allow, require_ward
from core.clock import as_utc
from core.db import get_session
from core.params import query_int
from households.models import Ward
from notifications import bp, inbox, subscriptions, texts, vapid
from notifications.dispatch import SENT, dispatch_one
from notifications.forms import ReminderSettingsForm
from notifications.models import Notification, NotificationSettings, Urgency
from notifications.rules import settings_for

TEST_VALID = timedelta(minutes=10)


def unread_notifications() -> int:
    """The bell's count: one query per request, none for visitors or pages that don't show it.

    base.html asks for it on every page, so it stays lazy and cached per request (core/per_request)
    rather than a value each view passes: the one query a template may cause."""
    if not current_user.is_authenticated:
        return 0
    return per_request.once(
        "unread_notifications",
        lambda: inbox.unread_count(get_session(), user_id=current_user.id, now=clock.now()),
    )


@bp.app_context_processor
def bell():
    return {"unread_notifications": unread_notifications}


@bp.route("/")
@allow(EVERY_ROLE)
def inbox_page():
    db = get_session()
    moment = clock.now()
    items = inbox.latest(db, user_id=current_user.id, now=moment)
    return render_template(
        "notifications/inbox.html",
        items=items,
        # Past its use (a reminder for a shift that has started): listed, but not as unread.
        lapsed={item.id for item in items if item.expires_at and as_utc(item.expires_at) <= moment},
        devices=subscriptions.count_for(db, user_id=current_user.id),
        application_server_key=vapid.application_server_key(),
        unread=unread_notifications(),  # the same count as the bell's, asked for once
    )


@bp.route("/<id:notification_id>/open")
@allow(EVERY_ROLE)
def open_one(notification_id: int):
    """Where a tapped push (and a tapped inbox line) leads: marked opened, then its page."""
    db = get_session()
    notification = db.get(Notification, notification_id)
    if notification is None or notification.user_id != current_user.id:
        abort(404)
    inbox.mark_opened(db, notification, now=clock.now())
    db.commit()
    return redirect(notification.url)


@bp.route("/read", methods=["POST"])
@allow(EVERY_ROLE)
def read_all():
    db = get_session()
    inbox.mark_all_opened(db, user_id=current_user.id, now=clock.now())
    db.commit()
    return redirect(url_for("notifications.inbox_page"))


@bp.route("/subscription", methods=["POST"])
@allow(EVERY_ROLE)
def subscribe():
    db = get_session()
    data = request.get_json(silent=True)
    agent = request.headers.get("User-Agent")
    try:
        subscriptions.save(
            db, user_id=current_user.id, data=data, user_agent=agent, now=clock.now()
        )
        db.commit()
    except subscriptions.BadSubscription as error:
        db.rollback()
        if isinstance(error, subscriptions.RefusedService):
            message = _(
                "Địa chỉ nhận thông báo này không thuộc dịch vụ đẩy nào được hỗ trợ (Google, Mozilla, Apple, Microsoft); máy chủ không gửi tới đó."
            )
        else:
            message = _("Thông tin đăng ký nhận thông báo không hợp lệ.")
        return jsonify(error="bad_subscription", field=str(error), message=message), 400
    except IntegrityError:
        # The same device subscribed twice at once: the other request stored it; update that row.
        db.rollback()
        subscriptions.save(
            db, user_id=current_user.id, data=data, user_agent=agent, now=clock.now()
        )
        db.commit()
    # Remembered so that logging out of a shared phone stops its pushes to this user.
    session[subscriptions.SESSION_KEY] = data["endpoint"]
    return jsonify(ok=True), 201


@bp.route("/subscription/delete", methods=["POST"])
@allow(EVERY_ROLE)
def unsubscribe():
    db = get_session()
    data = request.get_json(silent=True) or {}
    removed = subscriptions.remove(db, user_id=current_user.id, endpoint=data.get("endpoint"))
    db.commit()
    return jsonify(ok=True, removed=removed)


@bp.route("/test", methods=["POST"])
@allow(EVERY_ROLE)
def send_test():
    """Written to the inbox and pushed at once, through the same claim as the scheduler's."""
    db = get_session()
    moment = clock.now()
    title, body = texts.trial_message()
    notification = Notification(
        user_id=current_user.id,
        kind="test",
        dedupe_key=f"test:{current_user.id}:{uuid.uuid4().hex}",
        title=title,
        body=body,
        url=url_for("notifications.inbox_page"),
        urgency=Urgency.HIGH,
        created_at=moment,
        due_at=moment,
        expires_at=moment + TEST_VALID,
    )
    db.add(notification)
    db.commit()
    result = dispatch_one(db, notification.id, now=moment)
    db.refresh(notification)
    if result == SENT:
        message = _("Đã gửi. Thông báo sẽ hiện trên điện thoại trong giây lát.")
    elif notification.failure_reason == inbox.NO_SUBSCRIPTION:
        message = _("Máy này chưa bật nhắc việc; thông báo chỉ có trong hộp thư.")
    else:
        message = _("Dịch vụ đẩy chưa nhận thông báo; thông báo vẫn có trong hộp thư.")
    if request.is_json:
        return jsonify(result=result, message=message, id=notification.id)
    flash(message, "success" if result == SENT else "error")
    return redirect(url_for("notifications.inbox_page"))


def _settings_ward() -> int | None:
    if current_user.role != Role.ADMIN:
        return current_user.ward_id
    ward_id = query_int("ward")
    if ward_id is not None and get_session().get(Ward, ward_id) is None:
        abort(404)
    return ward_id


@bp.route("/settings", methods=["GET", "POST"])
@allow(MANAGERS)
def settings():
    db = get_session()
    ward_id = _settings_ward()
    if ward_id is None:
        wards = db.exec(select(Ward).order_by(Ward.name)).all()
        return render_template("notifications/settings.html", wards=wards, form=None)
    require_ward(ward_id)
    current = settings_for(db, ward_id)
    form = ReminderSettingsForm(obj=current)
    if form.validate_on_submit():
        row = db.get(NotificationSettings, ward_id) or NotificationSettings(ward_id=ward_id)
        form.populate_obj(row)
        row.updated_at = clock.now()
        db.add(row)
        db.commit()
        flash(_("Đã lưu giờ nhắc việc."), "success")
        return redirect(request.full_path)
    return render_template(
        "notifications/settings.html", form=form, ward=db.get(Ward, ward_id), wards=None
    )
