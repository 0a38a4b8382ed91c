"""What a record's codes are called on screen and in notifications: one home for the labels,
below the forms and the views that show them (notifications reads them too)."""

from flask_babel import lazy_gettext as _l

from assistance.models import Kind, Mode, Outcome, Place

KIND_LABELS = {
    Kind.EID_LEVEL1: _l("Đăng ký VNeID mức 1"),
    Kind.EID_LEVEL2: _l("Đăng ký VNeID mức 2"),
    Kind.EID_ACTIVATED: _l("Kích hoạt tài khoản VNeID"),
    Kind.EID_SIGNIN_HELP: _l("Hỗ trợ đăng nhập, mật khẩu"),
    Kind.DOSSIER: _l("Nộp hồ sơ trực tuyến"),
    Kind.GUIDANCE: _l("Chỉ hướng dẫn"),
}
OUTCOME_LABELS = {
    Outcome.DONE: _l("Xong"),
    Outcome.PENDING: _l("Đang chờ"),
    Outcome.FAILED: _l("Không làm được"),
}
PLACE_LABELS = {
    Place.DESK: _l("Bộ phận Một cửa"),
    Place.HOME: _l("Tại nhà dân"),
    Place.OTHER: _l("Nơi khác"),
}
MODE_LABELS = {Mode.FULL: _l("Toàn trình"), Mode.PARTIAL: _l("Một phần")}
