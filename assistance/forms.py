from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from assistance.labels import KIND_LABELS, MODE_LABELS, OUTCOME_LABELS, PLACE_LABELS
from assistance.models import MAX_DOSSIER_CODE, MAX_MINUTES, MAX_REASON, Kind
from core.forms import AppForm

# The messages for what assistance.records.check_rules refuses (the rules live there).
RULE_MESSAGES = {
    "reason": _l("Hãy ghi lý do đang chờ hoặc không làm được."),
    "procedure_id": _l("Hãy chọn thủ tục."),
}


def choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value.value, label) for value, label in labels.items()]


class RecordForm(AppForm):
    """Correcting a stored record (the phone only ever creates them)."""

    kind = SelectField(_l("Đã làm gì"), choices=choices(KIND_LABELS))
    procedure_id = SelectField(_l("Thủ tục"), coerce=int)
    mode = SelectField(
        _l("Mức độ"),
        choices=[SelectChoice("", "—"), *choices(MODE_LABELS)],
        validators=[Optional()],
    )
    dossier_code = StringField(
        _l("Mã hồ sơ"), validators=[Optional(), Length(max=MAX_DOSSIER_CODE)]
    )
    outcome = SelectField(_l("Kết quả"), choices=choices(OUTCOME_LABELS))
    reason = StringField(_l("Lý do"), validators=[Length(max=MAX_REASON)])
    place = SelectField(_l("Nơi hỗ trợ"), choices=choices(PLACE_LABELS))
    minutes = IntegerField(_l("Số phút"), validators=[Optional(), NumberRange(0, MAX_MINUTES)])
    resident_ids = SelectMultipleField(_l("Người được hỗ trợ"), coerce=int)

    def validate(self, extra_validators=None) -> bool:
        # Imported here: records reaches shifts, whose notices read this module's labels.
        from assistance import records

        valid = super().validate(extra_validators)
        values = self.values()
        try:
            records.check_rules(
                kind=values["kind"],
                outcome=values["outcome"],
                reason=values["reason"],
                procedure_id=values["procedure_id"],
                mode=values["mode"],
            )
        except records.Invalid as problem:
            getattr(self, problem.detail).errors.append(RULE_MESSAGES[problem.detail])
            return False
        return valid

    def values(self) -> dict:
        dossier = self.kind.data == Kind.DOSSIER
        return {
            "kind": self.kind.data,
            "procedure_id": (self.procedure_id.data or None) if dossier else None,
            "mode": (self.mode.data or None) if dossier else None,
            "dossier_code": (self.dossier_code.data or None) if dossier else None,
            "outcome": self.outcome.data,
            "reason": self.reason.data or None,
            "place": self.place.data,
            "minutes": self.minutes.data,
        }


class ProcedureForm(AppForm):
    name = StringField(
        _l("Tên thủ tục"),
        validators=[InputRequired(_l("Hãy nhập tên thủ tục.")), Length(max=160)],
    )
    mode = SelectField(_l("Mức độ thường gặp"), choices=choices(MODE_LABELS))
    position = IntegerField(_l("Thứ tự"), validators=[Optional(), NumberRange(0, 999)])
    active = BooleanField(_l("Đang dùng"), default=True)
