"""Vietnamese text helpers: the cleaning rule for text people type, search normalisation,
phone numbers, roster order."""

import re
import unicodedata

from flask_babel import lazy_gettext as _l

_PHONE_PATTERN = re.compile(r"^0[35789]\d{8}$")
# Old identity cards have 9 digits, citizen ID cards (CCCD) 12; phone numbers have 10.
_NATIONAL_ID_PATTERN = re.compile(r"(?<!\d)(\d{9}|\d{12})(?!\d)")


# C0 and C1 control characters but the line feed, DEL, lone surrogates and the two non-characters:
# PostgreSQL refuses NUL and surrogates, spreadsheets most C0 characters, and none belongs in a name.
_UNPRINTABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
UNPRINTABLE_MESSAGE = _l("Không được chứa ký tự điều khiển hay ký tự không in được.")


class UnprintableText(ValueError):
    """Text with a control character that is not whitespace; the message says so to the user."""

    def __init__(self) -> None:
        super().__init__(str(UNPRINTABLE_MESSAGE))


def one_line(text: str) -> str:
    """The rule for a one-line field (forms and the sync API): every run of whitespace, tabs and
    line breaks included, becomes one space; any other control character is refused."""
    return refuse_unprintable(" ".join(text.split()))


def several_lines(text: str) -> str:
    """The rule for a note: every kind of line break becomes "\\n", a tab a space, spaces at the
    end of lines and blank lines at either end go; any other control character is refused."""
    lines = _LINE_BREAKS.sub("\n", text).replace("\t", " ").split("\n")
    return refuse_unprintable("\n".join(line.rstrip() for line in lines).strip())


def refuse_unprintable(text: str) -> str:
    """The text unchanged (passwords are never rewritten), or UnprintableText."""
    if _UNPRINTABLE.search(text):
        raise UnprintableText()
    return text


def printable(value):
    """For exports: stored text without control characters, so that a file can always be
    written (openpyxl refuses them) whatever older versions stored; other values unchanged."""
    if isinstance(value, str):
        return _UNPRINTABLE.sub("", value)
    return value


def printable_row(row) -> list:
    return [printable(value) for value in row]


def normalize(text: str | None) -> str:
    """Lower case without diacritics; đ has no decomposition, so it is mapped by hand."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def normalize_phone(raw: str | None) -> str | None:
    """Digits of a Vietnamese mobile or landline number, or None when it is not one."""
    if raw is None or not str(raw).strip():
        return None
    digits = re.sub(r"[\s.\-()]", "", str(raw))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if _PHONE_PATTERN.match(digits) or re.match(r"^02\d{9}$", digits):
        return digits
    return None


def contains_national_id(text: str | None) -> bool:
    """Free text must never carry an ID card number; we refuse anything shaped like one."""
    return bool(text) and bool(_NATIONAL_ID_PATTERN.search(re.sub(r"[\s.\-]", "", text)))


def given_name_key(full_name: str | None) -> tuple[str, str]:
    """Vietnamese roster order: by given name (last word), then the whole name."""
    norm = normalize(full_name)
    return (norm.rsplit(" ", 1)[-1], norm)
