"""Vietnamese text helpers: search normalisation, phone numbers, roster order."""

import re
import unicodedata

_PHONE_PATTERN = re.compile(r"^0[35789]\d{8}$")
# Old identity cards have 9 digits, citizen ID cards (CCCD) 12; phone numbers have 10.
_NATIONAL_ID_PATTERN = re.compile(r"(?<!\d)(\d{9}|\d{12})(?!\d)")


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
