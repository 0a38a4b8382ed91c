from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError

from core import clock
from core.forms import AppForm
from dossiers.models import Result

RESULT_LABELS = {
    Result.DONE: _l("Đã có kết quả"),
    Result.RETURNED: _l("Trả lại, cần bổ sung giấy tờ"),
    Result.REFUSED: _l("Bị từ chối"),
}


class ResultForm(AppForm):
    result = SelectField(
        _l("Kết quả hồ sơ"),
        choices=[SelectChoice(key.value, label) for key, label in RESULT_LABELS.items()],
    )
    result_on = DateField(
        _l("Ngày có kết quả"),
        validators=[InputRequired(_l("Hãy chọn ngày."))],
        invalid_value_message=_l("Ngày không hợp lệ (ngày/tháng/năm)."),
    )

    def __init__(self, *args, filed_on: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.filed_on = filed_on

    def validate_result_on(self, field) -> None:
        if field.data is None:  # not a date: the field already says so
            return
        if field.data < self.filed_on:
            raise ValidationError(_l("Ngày có kết quả không được trước ngày nộp."))
        if field.data > clock.today():
            raise ValidationError(_l("Ngày có kết quả không được sau hôm nay."))
