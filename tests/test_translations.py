"""Vietnamese is the source language; every user-facing string has an English translation."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.helpers import page_text

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
    with CATALOG.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id and not m.fuzzy}


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
