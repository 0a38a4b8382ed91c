"""Comments are kept without personal data: phone numbers, ID numbers and e-mail addresses are
masked before anything is stored (the form asks for none, residents type them anyway)."""

import re

MASK = "[…]"
# Nine or more digits, possibly split by spaces, dots or dashes, with or without +84: a
# Vietnamese phone (10 digits), an old ID card (9), a citizen ID / personal number (12).
_NUMBER = re.compile(r"(?<!\d)(?:\+\s?)?\d(?:[\s.\-]?\d){8,}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def screen(text: str | None) -> tuple[str | None, bool]:
    """The comment with personal numbers masked, squashed; and whether anything was masked."""
    if text is None:
        return None, False
    cleaned = " ".join(text.split())
    masked = _EMAIL.sub(MASK, _NUMBER.sub(MASK, cleaned))
    return (masked or None), masked != cleaned
