"""Password hashes: argon2id at OWASP's recommended minimum (Password Storage Cheat Sheet:
m=19 MiB, t=2, p=1). A login checks one hash; on the 2-core server Werkzeug's scrypt default
(N=2^15, r=8, p=1: 32 MiB) took 114 ms a check, argon2id with these settings about a third of
that, and 200 volunteers signing in within seconds queued behind it (docs/BENCHMARKS.md).
Never lower these below OWASP's guidance to gain speed.

Hashes made before (Werkzeug's "scrypt:..." or "pbkdf2:...") are still accepted; the login
replaces them with an argon2id hash (needs_rehash), as it does when the parameters change.
"""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from werkzeug.security import check_password_hash

_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_ARGON2 = "$argon2"


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify(stored: str, password: str) -> bool:
    if not stored:
        return False
    if stored.startswith(_ARGON2):
        try:
            return _HASHER.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
    return check_password_hash(stored, password)  # a Werkzeug hash from before argon2id


def needs_rehash(stored: str) -> bool:
    return not stored.startswith(_ARGON2) or _HASHER.check_needs_rehash(stored)
