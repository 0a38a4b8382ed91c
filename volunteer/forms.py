from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length, Optional, Regexp

from core.forms import AppForm, phone_check

MIN_PASSWORD = 8


class LoginForm(AppForm):
    username = StringField(
        _l("Tên đăng nhập"), validators=[InputRequired(_l("Hãy nhập tên đăng nhập."))]
    )
    password = PasswordField(_l("Mật khẩu"), validators=[InputRequired(_l("Hãy nhập mật khẩu."))])
    remember = BooleanField(_l("Ghi nhớ trên máy này (30 ngày)"), default=True)


class ChangePasswordForm(AppForm):
    current = PasswordField(
        _l("Mật khẩu hiện tại"), validators=[InputRequired(_l("Hãy nhập mật khẩu hiện tại."))]
    )
    new = PasswordField(
        _l("Mật khẩu mới"),
        validators=[
            InputRequired(_l("Hãy nhập mật khẩu mới.")),
            Length(min=MIN_PASSWORD, message=_l("Mật khẩu cần ít nhất 8 ký tự.")),
        ],
    )
    confirm = PasswordField(
        _l("Nhập lại mật khẩu mới"),
        validators=[EqualTo("new", message=_l("Hai mật khẩu mới không khớp."))],
    )


class LanguageForm(AppForm):
    language = SelectField(
        _l("Ngôn ngữ"), choices=[SelectChoice("vi", "Tiếng Việt"), SelectChoice("en", "English")]
    )


class UserForm(AppForm):
    username = StringField(
        _l("Tên đăng nhập"),
        validators=[
            InputRequired(_l("Hãy nhập tên đăng nhập.")),
            Regexp(
                r"^[a-z0-9_.]{3,40}$",
                message=_l("Chỉ chữ thường không dấu, số, dấu chấm, gạch dưới; 3–40 ký tự."),
            ),
        ],
        filters=[lambda v: v.strip().lower() if v else v],
    )
    full_name = StringField(
        _l("Họ và tên"),
        validators=[InputRequired(_l("Hãy nhập họ và tên.")), Length(max=120)],
    )
    phone = StringField(_l("Số điện thoại"), validators=[Optional(), phone_check])
    role = SelectField(_l("Vai trò"))
    ward_id = SelectField(_l("Phường"), coerce=int)
    password = PasswordField(
        _l("Mật khẩu ban đầu"),
        validators=[
            Optional(),
            Length(min=MIN_PASSWORD, message=_l("Mật khẩu cần ít nhất 8 ký tự.")),
        ],
    )


class ResetPasswordForm(AppForm):
    password = PasswordField(
        _l("Mật khẩu mới"),
        validators=[
            InputRequired(_l("Hãy nhập mật khẩu mới.")),
            Length(min=MIN_PASSWORD, message=_l("Mật khẩu cần ít nhất 8 ký tự.")),
        ],
    )


def _group_id(value) -> int:
    # Anything but a plain number becomes an id no ward has: "not a valid choice", not a crash.
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else -1


class GroupsForm(AppForm):
    """The groups a volunteer works in; choices are the ward's live groups (set by the view)."""

    groups = SelectMultipleField(_l("Tổ dân phố phụ trách"), coerce=_group_id, choices=[])
