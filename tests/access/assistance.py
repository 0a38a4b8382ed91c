from tests.access.foundation import ANY, EDITORS, MANAGERS

EXPECTED = {
    "assistance.log": EDITORS,
    "assistance.followups": ANY,
    "assistance.record_list": ANY,
    "assistance.record_edit": EDITORS,
    "assistance.record_delete": EDITORS,
    "assistance.procedures": MANAGERS,
    "assistance.procedure_new": MANAGERS,
    "assistance.procedure_edit": MANAGERS,
}


def sample_args(world) -> dict:
    # No record or procedure exists in the sample world: allowed roles get 404, others 403.
    # tests/test_assistance_views.py covers the views on real rows.
    return {"record_id": 999_999, "procedure_id": 999_999}
