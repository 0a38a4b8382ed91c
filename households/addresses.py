"""The order of addresses on every household list: natural, as a volunteer walks the street.

Text compares without case or diacritics and every run of digits as a number, so "33" comes
before "298", "298/5" before "298/12", and "12 Kiệt 45" before "12 Kiệt 120".
"""

import re

from core.text import normalize

_CHUNKS = re.compile(r"(\d+)")


def natural_key(address: str | None) -> tuple[tuple[int, int, str], ...]:
    # Each chunk is (0, number, "") or (1, 0, text): comparable whatever mix two addresses have,
    # with a house number sorting before a name ("5 Lê Lợi" before "Nhà số 5").
    return tuple(
        (0, int(chunk), "") if chunk.isdigit() else (1, 0, chunk)
        for chunk in _CHUNKS.split(normalize(address))
        if chunk
    )
