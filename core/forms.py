"""The base form: WTForms' own messages (it ships no Vietnamese) in the user's language."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

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


class AppForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return _BuiltinMessages()
