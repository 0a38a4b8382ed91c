from tests.access.foundation import STAFF

ADMIN = {"admin"}

EXPECTED = {
    "coverage.dashboard": STAFF,
    "coverage.city": ADMIN,
    "coverage.group": STAFF,
    "coverage.worklist": STAFF,
    "coverage.export_groups": STAFF,
    "coverage.export_city": ADMIN,
    "coverage.report": STAFF,
    "coverage.report_xlsx": STAFF,
}


def sample_args(world) -> dict:
    return {"group_id": world.groups["a1"], "kind": "xlsx"}
