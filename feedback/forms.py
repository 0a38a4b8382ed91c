from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from core.forms import AppForm

# rating -> (its emoji, for plain-text places; the label). Pages draw the faces as SVG.
FACES = {
    1: ("😞", _l("Rất không hài lòng")),
    2: ("🙁", _l("Không hài lòng")),
    3: ("😐", _l("Bình thường")),
    4: ("🙂", _l("Hài lòng")),
    5: ("😄", _l("Rất hài lòng")),
}


class RatingForm(AppForm):
    """The one screen a resident sees: faces and an optional comment, nothing that names them."""

    rating = RadioField(
        _l("Bạn thấy việc hỗ trợ hôm nay thế nào?"),
        choices=[SelectChoice(value, label) for value, (_face, label) in FACES.items()],
        coerce=int,
        validators=[InputRequired(_l("Hãy chọn một khuôn mặt."))],
    )
    comment = TextAreaField(
        _l("Góp ý (không bắt buộc)"),
        validators=[Length(max=500)],
    )
