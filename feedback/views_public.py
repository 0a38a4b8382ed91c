"""The desk's public feedback page: no login, CSRF-protected, a few ratings per address."""

from flask import abort, current_app, render_template
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from limits import parse

from assistance.models import Place
from core.access import public
from core.db import get_session
from core.extensions import limiter
from feedback import bp, queries
from feedback.forms import FACES, RatingForm
from households.models import Ward


def _within_limit() -> bool:
    """Counts this address's ratings; False once over FEEDBACK_LIMIT_PER_ADDRESS. Checked here
    rather than with @limiter.limit, whose breach handler belongs to the login page."""
    item = parse(current_app.config.get("FEEDBACK_LIMIT_PER_ADDRESS", "10 per hour"))
    return limiter.limiter.hit(item, "feedback-desk", get_remote_address())


@bp.route("/desk/<id:ward_id>", methods=["GET", "POST"])
@public
def desk(ward_id: int):
    db = get_session()
    ward = db.get(Ward, ward_id)
    if ward is None:
        abort(404)
    form = RatingForm()
    if form.validate_on_submit():
        if not _within_limit():
            message = _("Bạn đã gửi nhiều góp ý liền nhau. Vui lòng thử lại sau.")
            return render_template(
                "feedback/desk.html", form=form, ward=ward, faces=FACES, error=message
            ), 429
        queries.add_feedback(
            db,
            ward_id=ward.id,
            source="desk",
            place=Place.DESK,
            rating=form.rating.data,
            comment=form.comment.data,
        )
        db.commit()
        return render_template("feedback/thanks.html", ward=ward, again=True)
    return render_template("feedback/desk.html", form=form, ward=ward, faces=FACES)
