"""The application server's VAPID key pair (RFC 8292).

Taken from VAPID_PRIVATE_KEY / VAPID_PUBLIC_KEY when set, otherwise generated on first use into
instance/vapid_private.pem and kept, so subscriptions survive restarts: a new key would silently
invalidate every subscription made with the old one.
"""

import base64
import contextlib
import os
import tempfile
from pathlib import Path

import click
from cryptography.hazmat.primitives import serialization
from flask import Flask, current_app
from py_vapid import Vapid

KEY_FILE = "vapid_private.pem"


class VapidKeyError(RuntimeError):
    pass


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_key_b64(vapid: Vapid) -> str:
    """The uncompressed P-256 point, as `applicationServerKey` and the `k=` parameter expect."""
    raw = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(raw)


def load(app: Flask | None = None) -> Vapid:
    app = app or current_app
    vapid = app.extensions.get("vapid")
    if vapid is None:
        vapid = _from_config(app) or _from_instance(Path(app.instance_path))
        app.extensions["vapid"] = vapid
    return vapid


def application_server_key(app: Flask | None = None) -> str:
    return public_key_b64(load(app))


def _from_config(app: Flask) -> Vapid | None:
    private = app.config.get("VAPID_PRIVATE_KEY")
    if not private:
        return None
    text = private.strip()
    vapid = Vapid.from_pem(text.encode()) if "-----BEGIN" in text else Vapid.from_string(text)
    public = app.config.get("VAPID_PUBLIC_KEY")
    if public and public.strip().rstrip("=") != public_key_b64(vapid):
        # Browsers subscribed with the public key; a private key that does not match it would
        # sign pushes every push service refuses.
        raise VapidKeyError("VAPID_PUBLIC_KEY does not belong to VAPID_PRIVATE_KEY")
    return vapid


def _from_instance(folder: Path) -> Vapid:
    path = folder / KEY_FILE
    if not path.exists():
        _create_once(path)
    return Vapid.from_pem(path.read_bytes())


def _create_once(path: Path) -> None:
    """The web server and the scheduler start together: exactly one of them writes the key.

    The key is written to a temporary file and hard-linked into place; the link fails if the
    other process got there first, and both then read the same file.
    """
    vapid = Vapid()
    vapid.generate_keys()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".vapid-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(vapid.private_pem())
        os.chmod(temporary, 0o600)
        with contextlib.suppress(FileExistsError):  # the other process won; use its key
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


def new_key_pair() -> tuple[str, str]:
    """A fresh pair as environment values: (private raw base64url, public base64url)."""
    vapid = Vapid()
    vapid.generate_keys()
    number = vapid.private_key.private_numbers().private_value
    return b64url(number.to_bytes(32, "big")), public_key_b64(vapid)


@click.command("vapid-keys")
def vapid_keys_command() -> None:
    """Print a new VAPID key pair as environment variables (for several servers or a rebuild)."""
    private, public = new_key_pair()
    click.echo(f"VAPID_PRIVATE_KEY={private}\nVAPID_PUBLIC_KEY={public}")
