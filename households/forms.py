from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from core import clock
from core.forms import AppForm, phone_check
from core.text import contains_national_id
from households.models import EidLevel

EID_CHOICES = [
    SelectChoice(EidLevel.NONE.value, _l("Chưa có tài khoản")),
    SelectChoice(EidLevel.LEVEL_1.value, _l("Mức 1")),
    SelectChoice(EidLevel.LEVEL_2.value, _l("Mức 2")),
]
MIN_BIRTH_YEAR = 1900
NATIONAL_ID_REFUSED = _l(
    "Không ghi số định danh cá nhân hay số CMND/CCCD (9 hoặc 12 chữ số) vào ghi chú."
)


class HouseholdForm(AppForm):
    group_id = SelectField(_l("Tổ dân phố"), coerce=int)
    address = StringField(
        _l("Địa chỉ / tên nhà"),
        validators=[InputRequired(_l("Hãy nhập địa chỉ hoặc tên nhà.")), Length(max=200)],
    )
    consent = BooleanField(_l("Hộ đồng ý cho ghi tên và số điện thoại để được hỗ trợ"))
    # No Optional(): it would stop the chain on an empty field before validate_head_name runs.
    head_name = StringField(_l("Chủ hộ"), validators=[Length(max=120)])
    phone = StringField(_l("Số điện thoại"), validators=[Optional(), phone_check])
    note = TextAreaField(_l("Ghi chú"), validators=[Optional(), Length(max=500)])

    def validate_note(self, field) -> None:
        if contains_national_id(field.data):
            raise ValidationError(NATIONAL_ID_REFUSED)

    def validate_head_name(self, field) -> None:
        if self.consent.data and not field.data:
            raise ValidationError(_l("Hộ đã đồng ý: hãy nhập tên chủ hộ."))


class ResidentForm(AppForm):
    # No Optional(): it would stop the chain on an empty field before validate_full_name runs.
    full_name = StringField(_l("Họ và tên"), validators=[Length(max=120)])
    birth_year = IntegerField(
        _l("Năm sinh"),
        validators=[InputRequired(_l("Hãy nhập năm sinh (4 chữ số)."))],
    )
    eid_level = SelectField(
        _l("Tài khoản định danh điện tử (VNeID)"), coerce=int, choices=EID_CHOICES
    )
    eid_confirmed_on = DateField(_l("Ngày xác nhận mức VNeID"), validators=[Optional()])

    def __init__(self, *args, consent: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent = consent

    def validate_full_name(self, field) -> None:
        if self.consent and not field.data:
            raise ValidationError(_l("Hãy nhập họ và tên."))

    def validate_birth_year(self, field) -> None:
        if field.data is None or not MIN_BIRTH_YEAR <= field.data <= clock.this_year():
            raise ValidationError(
                _l(
                    "Năm sinh phải từ %(low)s đến %(high)s.",
                    low=MIN_BIRTH_YEAR,
                    high=clock.this_year(),
                )
            )

    def validate_eid_confirmed_on(self, field) -> None:
        if field.data and field.data > clock.today():
            raise ValidationError(_l("Ngày xác nhận không được ở tương lai."))


class GroupForm(AppForm):
    number = IntegerField(
        _l("Số tổ"),
        validators=[
            InputRequired(_l("Hãy nhập số tổ.")),
            NumberRange(min=1, max=999, message=_l("Số tổ từ 1 đến 999.")),
        ],
    )
    name = StringField(
        _l("Tên tổ"),
        validators=[InputRequired(_l("Hãy nhập tên tổ.")), Length(max=120)],
    )
    leader_name = StringField(_l("Tổ trưởng"), validators=[Optional(), Length(max=120)])
    leader_phone = StringField(_l("Số điện thoại tổ trưởng"), validators=[Optional(), phone_check])


class WardForm(AppForm):
    name = StringField(
        _l("Tên phường"), validators=[InputRequired(_l("Hãy nhập tên phường.")), Length(max=120)]
    )
    province = StringField(
        _l("Tỉnh/thành phố"),
        validators=[InputRequired(_l("Hãy nhập tỉnh/thành phố.")), Length(max=120)],
    )


class ImportForm(AppForm):
    file = FileField(
        _l("Tệp CSV hoặc XLSX"),
        validators=[
            FileRequired(_l("Hãy chọn một tệp.")),
            FileAllowed(["csv", "xlsx"], _l("Chỉ nhận tệp .csv hoặc .xlsx.")),
        ],
    )
