"""What each notification says, in the recipient's language (Vietnamese unless they chose English).

Pushes show on a lock screen, so they carry the shift and the group but never a resident's name.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from assistance.labels import KIND_LABELS
from core import clock
from core.figures import format_percent
from eid_coverage.figures import TARGET, Dashboard
from households.models import ResidentialGroup
from shifts.labels import place_text, shift_label
from shifts.models import Shift
from volunteer.models import User


@contextmanager
def spoken_to(user: User) -> Iterator[None]:
    with force_locale(user.language or "vi"):
        yield


def shift_line(shift: Shift, group: ResidentialGroup | None) -> str:
    return f"{shift_label(shift)} · {place_text(shift, group)}"


def evening_reminder(shift: Shift, group: ResidentialGroup | None) -> tuple[str, str]:
    return _("Nhắc lịch: ngày mai bạn có ca trực"), shift_line(shift, group)


def soon_reminder(shift: Shift, group: ResidentialGroup | None) -> tuple[str, str]:
    starts = clock.local(shift.starts_at)
    return _("Ca trực bắt đầu lúc %(time)s", time=f"{starts:%H:%M}"), shift_line(shift, group)


def understaffed(shift: Shift, group: ResidentialGroup | None) -> tuple[str, str]:
    body = _(
        "%(shift)s: mới có %(count)s/%(minimum)s người.",
        shift=shift_line(shift, group),
        count=shift.assigned_count,
        minimum=shift.min_volunteers,
    )
    return _("Ca trực còn thiếu người"), body


def shift_news(
    title: str, shift: Shift, group: ResidentialGroup | None, extra: str | None
) -> tuple[str, str]:
    body = shift_line(shift, group)
    return str(title), f"{body} · {extra}" if extra else body


def open_swap(shift: Shift, group: ResidentialGroup | None, offerer: str) -> tuple[str, str]:
    body = _("%(name)s nhường ca: %(shift)s", name=offerer, shift=shift_line(shift, group))
    return _("Có ca cần người nhận thay"), body


def stale_followup(kind: str, group_number: int, since: datetime) -> tuple[str, str]:
    body = _(
        "%(kind)s · tổ %(group)s · ghi ngày %(day)s. Hãy quay lại hoàn tất hoặc cập nhật kết quả.",
        kind=KIND_LABELS.get(kind, kind),
        group=group_number,
        day=format_date(clock.local_date(since), "dd/MM"),
    )
    return _("Việc chờ đã quá 3 ngày"), body


def weekly_digest(monday: date, week: Dashboard, open_followups: int) -> tuple[str, str]:
    total = week.total
    parts = [
        _(
            "VNeID: %(coverage)s người từ 18 tuổi (%(with_eid)s/%(adults)s), còn thiếu %(gap)s "
            "người để đạt %(target)s%%.",
            coverage=format_percent(total.coverage),
            with_eid=total.with_eid,
            adults=total.adults,
            gap=total.gap,
            target=TARGET,
        ),
        _(
            "Tuần trước: %(records)s lượt hỗ trợ ở %(households)s hộ, %(dossiers)s hồ sơ trực "
            "tuyến. Việc chờ: %(open)s.",
            records=total.records,
            households=total.households_helped,
            dossiers=total.dossiers,
            open=open_followups,
        ),
    ]
    first = week.groups[0] if week.groups else None
    if first is not None and first.gap > 0:
        parts.append(
            _(
                "Nên đến trước: tổ %(number)s (%(coverage)s).",
                number=first.number,
                coverage=format_percent(first.coverage),
            )
        )
    return _("Tổng hợp tuần %(day)s", day=format_date(monday, "dd/MM")), " ".join(parts)


def trial_message() -> tuple[str, str]:
    return _("Thông báo thử"), _("Điện thoại này đã nhận được nhắc việc của Thanh niên 24/7.")
