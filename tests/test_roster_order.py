"""Lists of people follow Vietnamese roster order: by given name, the last word."""

from core.access import Role
from core.db import get_session
from core.text import given_name_key
from tests.factories import add_user
from tests.helpers import page_text


def test_given_name_key_sorts_by_last_word():
    names = ["Nguyễn Văn Bình", "Trần Thị An", "Lê Đức Anh"]
    assert sorted(names, key=given_name_key) == ["Trần Thị An", "Lê Đức Anh", "Nguyễn Văn Bình"]


def test_secretary_sees_volunteers_in_roster_order(app, world, auth, client):
    with app.app_context():
        db = get_session()
        for username, full_name in [("binh", "Nguyễn Văn Bình"), ("an", "Trần Thị An")]:
            add_user(db, username, Role.VOLUNTEER, world.ward_a).full_name = full_name
        db.commit()
    auth.login("bithu")
    page = page_text(client.get("/users"))
    assert page.index("Trần Thị An") < page.index("Nguyễn Văn Bình")
