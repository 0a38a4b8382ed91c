"""The private calendar feed: its settings page for the volunteer and the feed itself."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from core import clock
from core.access import Role, allow, public
from core.db import get_session
from shifts import bp
from shifts.calendar import ical


@bp.route("/calendar")
@allow(Role.VOLUNTEER)
def calendar_page():
    db = get_session()
    token = ical.token_for(db, user_id=current_user.id)
    db.commit()
    feed_url = url_for("shifts.ical_feed", token=token.token, _external=True)
    return render_template("shifts/calendar.html", feed_url=feed_url)


@bp.route("/calendar/regenerate", methods=["POST"])
@allow(Role.VOLUNTEER)
def calendar_regenerate():
    db = get_session()
    ical.regenerate(db, user_id=current_user.id, now=clock.now())
    db.commit()
    flash(_("Đã tạo địa chỉ lịch mới; địa chỉ cũ không còn dùng được."), "success")
    return redirect(url_for("shifts.calendar_page"))


@bp.route("/ical/<token>.ics")
@public  # the secret token in the URL is the credential: calendar apps cannot sign in
def ical_feed(token: str):
    db = get_session()
    user = ical.user_for_token(db, token)
    if user is None:
        abort(404)
    with force_locale(user.language):
        body = ical.feed(db, user=user, now=clock.now())
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="ca-truc.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
