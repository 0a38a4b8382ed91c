"""assistance.records is a record's one home (issue 18): the push's item check and the web's
correction form refuse a record by the same rule, with the same field named."""

import pytest

from assistance import records
from assistance.forms import RULE_MESSAGES, RecordForm
from sync import items

PENDING_WITHOUT_REASON = {"kind": "guidance", "outcome": "pending", "place": "desk"}
DOSSIER_WITHOUT_PROCEDURE = {"kind": "dossier", "outcome": "done", "place": "desk"}


@pytest.mark.parametrize(
    ("fields", "field"),
    [(PENDING_WITHOUT_REASON, "reason"), (DOSSIER_WITHOUT_PROCEDURE, "procedure_id")],
)
def test_the_push_and_the_form_refuse_by_the_same_rule(app, fields, field):
    item = {
        "type": "record",
        "uuid": "0f9e8d7c-6b5a-4c3d-9e1f-2a3b4c5d6e7f",
        "household_uuid": "5b0c6f43-8d55-4a9c-9a57-0d1f3c2b7e10",
        "client_time": "2026-03-02T02:15:00+00:00",
        **fields,
    }
    with pytest.raises(records.Invalid) as refused:
        items.parse(item)
    assert (refused.value.reason, refused.value.detail) == ("missing_field", field)
    with app.test_request_context(method="POST", data={**fields, "procedure_id": "0"}):
        form = RecordForm(meta={"csrf": False})
        form.procedure_id.choices = [(0, "—"), (1, "Đăng ký khai sinh")]
        form.resident_ids.choices = []
        assert not form.validate()
        assert form.errors.keys() == {field}
        assert str(form.errors[field][0]) == str(RULE_MESSAGES[field])


def test_the_rules_accept_what_they_should():
    records.check_rules(kind="guidance", outcome="done", reason=None, procedure_id=None, mode=None)
    records.check_rules(
        kind="dossier", outcome="failed", reason="Thiếu giấy", procedure_id=3, mode=None
    )
    with pytest.raises(records.Invalid):
        records.check_rules(kind="guidance", outcome="done", reason=None, procedure_id=3, mode=None)
