from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, TimeField
from wtforms.validators import InputRequired, NumberRange

from core.forms import AppForm


class ReminderSettingsForm(AppForm):
    evening = BooleanField(_l("Nhắc tối hôm trước ca trực"))
    evening_at = TimeField(_l("Giờ nhắc tối hôm trước"), validators=[InputRequired()])
    before_minutes = IntegerField(
        _l("Nhắc trước giờ vào ca (phút)"), validators=[InputRequired(), NumberRange(0, 600)]
    )
    digest_at = TimeField(_l("Gửi tổng hợp tuần sáng thứ Hai lúc"), validators=[InputRequired()])
