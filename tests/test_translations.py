"""Vietnamese is the source language; every user-facing string has an English translation."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from core import clock
from core.db import get_session
from tests.coverage_support import add_record
from tests.helpers import page_text
from tests.shifts_support import freeze, make_shift

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, METHODS, keywords=KEYWORDS, callback=None
    ):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def catalog() -> dict[str, str]:
    """msgid: its English. A plural entry (ngettext) stands under each of its Vietnamese forms,
    often one and the same text, with its English forms joined (empty if one is missing)."""
    found = {}
    with CATALOG.open("rb") as handle:
        for message in read_po(handle):
            if not message.id or message.fuzzy:
                continue
            if isinstance(message.id, tuple):
                english = " | ".join(message.string) if all(message.string) else ""
                found.update(dict.fromkeys(message.id, english))
            else:
                found[message.id] = message.string
    return found


def test_every_source_string_has_an_english_translation():
    translated = {msgid for msgid, text in catalog().items() if text}
    missing = sorted(source_messages() - translated)
    assert missing == [], "run the translation workflow in README (make extract-messages)"


def test_translations_keep_their_placeholders():
    wrong = {
        msgid: text
        for msgid, text in catalog().items()
        if text and set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(text))
    }
    assert wrong == {}


@pytest.mark.parametrize(
    ("language", "heading"), [("vi", "Tổ dân phố"), ("en", "Residential groups")]
)
def test_pages_follow_the_users_language(app, world, auth, client, language, heading):
    auth.login("tnv01")
    client.post("/language", data={"language": language, "next": "/groups"})
    assert heading in page_text(client.get("/groups"))


def test_english_counts_agree_with_their_number(app, world, auth, client, time_machine):
    """The record list said "1 records": a count that may be one goes through ngettext."""
    freeze(time_machine)
    with app.app_context():
        add_record(world, "lan", at=clock.now())
        make_shift(get_session(), world.ward_a, starts="13:30", ends="16:30")
    auth.login("tnv01")
    client.post("/language", data={"language": "en", "next": "/records"})
    assert '<p class="muted">1 record</p>' in page_text(client.get("/records"))
    found = page_text(client.get("/search?q=Lan"))
    assert "1 household matches “Lan”" in found
    assert "2 people" in found
    with app.app_context():
        add_record(world, "lan", at=clock.now())
    assert '<p class="muted">2 records</p>' in page_text(client.get("/records"))
    assert "1 shift short of people" in page_text(client.get("/shifts/"))
