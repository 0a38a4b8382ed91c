from core.access import PUBLIC
from tests.access.foundation import ANY, EDITORS, MANAGERS, STAFF

EXPECTED = {
    "sync.csrf_token": ANY,
    "sync.pull_changes": ANY,
    "sync.household_lookup": ANY,
    "sync.push_items": EDITORS,
    "sync.openapi": PUBLIC,
    "sync.service_worker": PUBLIC,
    "sync.offline": PUBLIC,
    "sync.possible_duplicates": MANAGERS,
    "sync.merge_households": MANAGERS,
    "sync.dismiss_duplicate": MANAGERS,
    "sync.copy_groups": STAFF,
}


def sample_args(world) -> dict:
    # Merging needs two households in the form; without them an allowed role gets 404.
    return {"household_id": world.households["lan"]}
