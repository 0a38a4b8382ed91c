from tests.access.foundation import ANY, MANAGERS

EXPECTED = {
    "notifications.inbox_page": ANY,
    "notifications.open_one": ANY,
    "notifications.read_all": ANY,
    "notifications.subscribe": ANY,
    "notifications.unsubscribe": ANY,
    "notifications.send_test": ANY,
    "notifications.settings": MANAGERS,
}


def sample_args(world) -> dict:
    # No notification exists in the sample world: allowed roles get 404, others are refused.
    # tests/test_notifications_views.py covers the views on real rows.
    return {"notification_id": 999_999}
