"""The outbox in words (static/js/app.js reads them from the page): both plural forms, so that
English says "1 record not sent yet" and "2 records not sent yet"."""

import json
import re


def _words(client) -> dict:
    html = client.get("/").get_data(as_text=True)
    block = re.search(
        r'<script type="application/json" id="sync-strings">(.*?)</script>', html, re.S
    )
    return json.loads(block.group(1))


def test_waiting_records_have_a_singular_and_a_plural(world, auth, client):
    auth.login("tnv01")
    vietnamese = _words(client)["waitingCount"]
    assert vietnamese == {
        "one": "Còn %(n)s bản ghi chưa gửi",
        "other": "Còn %(n)s bản ghi chưa gửi",
    }
    assert _words(client)["waitingNewCount"]["one"] == "Còn %(n)s hộ/người mới chưa gửi"
    client.post("/language", data={"language": "en"})
    english = _words(client)
    assert english["waitingCount"] == {
        "one": "%(n)s record not sent yet",
        "other": "%(n)s records not sent yet",
    }
    assert english["waitingNewCount"] == {
        "one": "%(n)s new household or person not sent yet",
        "other": "%(n)s new households or people not sent yet",
    }
