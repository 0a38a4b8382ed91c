from core.access import PUBLIC

ANY = {"volunteer", "secretary", "ward_officer", "admin"}
STAFF = {"secretary", "ward_officer", "admin"}
MANAGERS = {"secretary", "admin"}
EDITORS = {"volunteer", "secretary", "admin"}

EXPECTED = {
    "volunteer.login": PUBLIC,
    "volunteer.set_language": PUBLIC,
    "volunteer.logout": ANY,
    "volunteer.account": ANY,
    "volunteer.users": MANAGERS,
    "volunteer.user_new": MANAGERS,
    "volunteer.user_edit": MANAGERS,
    "volunteer.user_toggle_active": MANAGERS,
    "volunteer.user_reset_password": MANAGERS,
    "volunteer.group_assignments": MANAGERS,
    "volunteer.user_groups": MANAGERS,
    "volunteer.activity": STAFF,
    "home.index": ANY,
    "households.groups": ANY,
    "households.group_detail": ANY,
    "households.search": ANY,
    "households.household_new": EDITORS,
    "households.household_detail": ANY,
    "households.household_edit": EDITORS,
    "households.household_delete": MANAGERS,
    "households.resident_new": EDITORS,
    "households.resident_edit": EDITORS,
    "households.resident_delete": MANAGERS,
    "households.group_new": STAFF,
    "households.group_edit": STAFF,
    "households.group_delete": STAFF,
    "households.wards": {"admin"},
    "households.ward_new": {"admin"},
    "households.ward_edit": {"admin"},
    "households.import_upload": MANAGERS,
    "households.import_confirm": MANAGERS,
    "households.import_template": MANAGERS,
    "households.export_registry": STAFF,
}


def sample_args(world) -> dict:
    return {
        "group_id": world.groups["a_empty"],
        "household_id": world.households["lan"],
        "resident_id": world.residents["anh"],
        "user_id": world.users["tnv02"],
        "ward_id": world.ward_a,
        "kind": "xlsx",
    }
