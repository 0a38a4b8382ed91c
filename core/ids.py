"""UUIDs the server makes: version 7 (RFC 9562), as the phones make them (static/js/log/screen.js).

Rows made together (an import, a group's households) share the leading 48-bit millisecond
stamp, which gzip shrinks: the secretary's whole-ward copy of the demo ward is 30 % smaller than
with random v4 UUIDs (docs/BENCHMARKS.md), and new rows land at the end of the UUID index. The
74 random bits keep them unique; the stamp comes from the one clock.
"""

import random
import secrets
import uuid
from datetime import datetime

from core import clock


def uuid7(*, at: datetime | None = None, rng: random.Random | None = None) -> str:
    """`at` and a seeded `rng` make the demo ward the same on every run."""
    millis = int((at or clock.now()).timestamp() * 1000) & (1 << 48) - 1
    value = millis << 80 | (rng.getrandbits(80) if rng else secrets.randbits(80))
    value = value & ~(0xF << 76) | 0x7 << 76  # version 7
    value = value & ~(0x3 << 62) | 0x2 << 62  # RFC 9562 variant
    return str(uuid.UUID(int=value))
