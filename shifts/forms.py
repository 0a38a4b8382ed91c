from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from core.forms import AppForm
from shifts.labels import WEEKDAYS
from shifts.models import Place
from shifts.planning.generation import MAX_WEEKS

PLACE_CHOICES = [
    SelectChoice(Place.DESK.value, _l("Bộ phận Một cửa")),
    SelectChoice(Place.FIELD.value, _l("Đi tổ dân phố")),
]
MAX_PEOPLE = 30
BAD_DATE = _l("Ngày không hợp lệ (ngày/tháng/năm).")
BAD_TIME = _l("Giờ không hợp lệ (giờ:phút).")
BAD_NUMBER = _l("Hãy nhập một số nguyên.")


class BlankableDateField(DateField):
    """A date that may be left empty (WTForms calls an empty date invalid)."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        super().process_formdata(valuelist)


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _people(label):
    return IntegerField(
        label,
        validators=[
            InputRequired(_l("Hãy nhập số người.")),
            NumberRange(min=1, max=MAX_PEOPLE, message=_l("Từ 1 đến 30 người.")),
        ],
        invalid_value_message=BAD_NUMBER,
    )


class SessionForm(AppForm):
    """Start, end, place and staffing: shared by pattern sessions and one-off shifts."""

    starts = TimeField(
        _l("Bắt đầu"),
        validators=[InputRequired(_l("Hãy nhập giờ bắt đầu."))],
        invalid_value_message=BAD_TIME,
    )
    ends = TimeField(
        _l("Kết thúc"),
        validators=[InputRequired(_l("Hãy nhập giờ kết thúc."))],
        invalid_value_message=BAD_TIME,
    )
    place = RadioField(_l("Nơi trực"), choices=PLACE_CHOICES, default=Place.DESK.value)
    group_id = SelectField(_l("Tổ dân phố sẽ đến"), coerce=int, validate_choice=False, default=0)
    min_volunteers = _people(_l("Số người tối thiểu"))
    max_volunteers = _people(_l("Số người tối đa"))

    def validate_ends(self, field) -> None:
        if self.starts.data and field.data and field.data <= self.starts.data:
            raise ValidationError(_l("Giờ kết thúc phải sau giờ bắt đầu."))

    def validate_max_volunteers(self, field) -> None:
        low = self.min_volunteers.data
        if low is not None and field.data is not None and field.data < low:
            raise ValidationError(_l("Số tối đa không được nhỏ hơn số tối thiểu."))

    def validate_group_id(self, field) -> None:
        if self.place.data == Place.FIELD and not field.data:
            raise ValidationError(_l("Hãy chọn tổ dân phố sẽ đến."))


class SlotForm(SessionForm):
    weekdays = CheckboxesField(
        _l("Các ngày trong tuần"),
        coerce=int,
        choices=[SelectChoice(number, label) for number, label in enumerate(WEEKDAYS)],
    )

    def validate_weekdays(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Hãy chọn ít nhất một ngày."))


class ShiftForm(SessionForm):
    day = DateField(
        _l("Ngày"),
        validators=[InputRequired(_l("Hãy chọn ngày."))],
        invalid_value_message=BAD_DATE,
    )


class SettingsForm(AppForm):
    self_signup = BooleanField(_l("Tình nguyện viên được tự đăng ký ca còn chỗ"))
    release_hours = IntegerField(
        _l("Hạn trả ca (số giờ trước giờ bắt đầu)"),
        validators=[
            InputRequired(_l("Hãy nhập số giờ.")),
            NumberRange(min=0, max=168, message=_l("Từ 0 đến 168 giờ.")),
        ],
        invalid_value_message=BAD_NUMBER,
    )


class GenerateForm(AppForm):
    weeks = IntegerField(
        _l("Số tuần"),
        default=4,
        validators=[
            InputRequired(_l("Hãy nhập số tuần.")),
            NumberRange(min=1, max=MAX_WEEKS, message=_l("Từ 1 đến 12 tuần.")),
        ],
        invalid_value_message=BAD_NUMBER,
    )


class ClosedDayForm(AppForm):
    day = DateField(
        _l("Ngày nghỉ"),
        validators=[InputRequired(_l("Hãy chọn ngày."))],
        invalid_value_message=BAD_DATE,
    )
    reason = StringField(
        _l("Lý do"),
        validators=[InputRequired(_l("Hãy ghi lý do (ví dụ: Tết Nguyên đán).")), Length(max=120)],
    )


class AssignForm(AppForm):
    # Checked by the service, which says in Vietnamese why an id is unknown.
    user_id = SelectField(_l("Tình nguyện viên"), coerce=int, validate_choice=False, default=0)

    def validate_user_id(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Hãy chọn tình nguyện viên."))


class SwapForm(AppForm):
    user_id = SelectField(_l("Nhường cho"), coerce=int, validate_choice=False, default=0)


class UnavailabilityForm(AppForm):
    kind = RadioField(
        _l("Loại"),
        choices=[
            SelectChoice("weekday", _l("Thứ trong tuần (mọi tuần)")),
            SelectChoice("day", _l("Một ngày cụ thể")),
        ],
        default="weekday",
    )
    weekday = SelectField(
        _l("Thứ"),
        coerce=int,
        default=0,
        # Ignored when a date is chosen; range-checked below when it matters.
        validate_choice=False,
        choices=[SelectChoice(number, label) for number, label in enumerate(WEEKDAYS)],
    )
    day = BlankableDateField(_l("Ngày"), invalid_value_message=BAD_DATE)
    note = StringField(_l("Ghi chú"), validators=[Optional(), Length(max=120)])

    def validate_weekday(self, field) -> None:
        if self.kind.data == "weekday" and field.data not in range(len(WEEKDAYS)):
            raise ValidationError(_l("Hãy chọn một thứ trong tuần."))

    def validate_day(self, field) -> None:
        if self.kind.data == "day" and field.data is None and not field.errors:
            raise ValidationError(_l("Hãy chọn ngày."))
