from core.access import PUBLIC
from tests.access.foundation import EDITORS, STAFF

EXPECTED = {
    "feedback.desk": PUBLIC,
    "feedback.rate": EDITORS,
    "feedback.sign": STAFF,
    "feedback.summary": STAFF,
    "feedback.hand_over": EDITORS,
    "feedback.api_ratings": EDITORS,
}


def sample_args(world) -> dict:
    # The desk page and the sign of ward A; tests/test_feedback.py covers the forms.
    return {"ward_id": world.ward_a}
