"""The base form: every text field cleaned by the one rule of core/text.py, every date kept
within 1900–2100, and WTForms' own messages (it ships no Vietnamese) in the user's language."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeField, PasswordField, StringField, TextAreaField
from wtforms.validators import ValidationError

from core import params, text

# WTForms' built-in English messages, mapped to our Vietnamese source strings; the English
# catalogue maps them back for English users.
_BUILTIN = {
    "This field is required.": _l("Trường này là bắt buộc."),
    "Not a valid integer value.": _l("Hãy nhập một số nguyên."),
    "Not a valid decimal value.": _l("Hãy nhập một số."),
    "Not a valid float value.": _l("Hãy nhập một số."),
    "Not a valid choice.": _l("Lựa chọn không hợp lệ."),
    "Not a valid date value.": _l("Ngày không hợp lệ (ngày/tháng/năm)."),
    "Not a valid datetime value.": _l("Ngày giờ không hợp lệ."),
    "Not a valid time value.": _l("Giờ không hợp lệ (giờ:phút)."),
    "Invalid input.": _l("Dữ liệu không hợp lệ."),
    "Invalid value.": _l("Giá trị không hợp lệ."),
    "Invalid Choice(s): one or more data inputs could not be coerced.": _l(
        "Lựa chọn không hợp lệ."
    ),
    "'%(value)s' is not a valid choice for this field.": _l("Lựa chọn không hợp lệ."),
    "Field must be at least %(min)d character long.": _l("Cần ít nhất %(min)d ký tự."),
    "Field must be at least %(min)d characters long.": _l("Cần ít nhất %(min)d ký tự."),
    "Field cannot be longer than %(max)d character.": _l("Không được dài quá %(max)d ký tự."),
    "Field cannot be longer than %(max)d characters.": _l("Không được dài quá %(max)d ký tự."),
    "Field must be between %(min)d and %(max)d characters long.": _l(
        "Cần từ %(min)d đến %(max)d ký tự."
    ),
    "Number must be at least %(min)s.": _l("Số phải từ %(min)s trở lên."),
    "Number must be at most %(max)s.": _l("Số không được quá %(max)s."),
    "Number must be between %(min)s and %(max)s.": _l("Số phải từ %(min)s đến %(max)s."),
}


class _BuiltinMessages:
    def gettext(self, string: str) -> str:
        message = _BUILTIN.get(string)
        return str(message) if message is not None else string

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


def _text_rule(field_class):
    """The cleaning filter a field class gets; WTForms shows its ValueError as the field's error."""
    if issubclass(field_class, PasswordField):
        rule = text.refuse_unprintable  # a password is checked, never rewritten
    elif issubclass(field_class, TextAreaField):
        rule = text.several_lines
    elif issubclass(field_class, StringField):
        rule = text.one_line
    else:
        return None
    return lambda value: rule(value) if isinstance(value, str) else value


def _date_in_range(_form, field) -> None:
    day = field.data.date() if isinstance(field.data, datetime) else field.data
    if isinstance(day, date) and not params.in_range(day):
        raise ValidationError(params.DATE_RANGE_MESSAGE)


class AppForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            rule = _text_rule(unbound_field.field_class)
            if rule is not None:
                options["filters"] = [rule, *unbound_field.kwargs.get("filters", ())]
            if issubclass(unbound_field.field_class, DateField | DateTimeField):
                validators = unbound_field.kwargs.get("validators") or ()
                options["validators"] = [*validators, _date_in_range]
            return unbound_field.bind(form=form, **options)

        def get_translations(self, form):
            return _BuiltinMessages()


def phone_check(_form, field) -> None:
    """A volunteer's, a resident's or a group leader's phone: the one rule of core/text.py."""
    if field.data and text.normalize_phone(field.data) is None:
        raise ValidationError(_l("Số điện thoại không hợp lệ (10 chữ số, bắt đầu bằng 0)."))
