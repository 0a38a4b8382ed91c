"""The application server's VAPID key pair (RFC 8292).

Taken from VAPID_PRIVATE_KEY / VAPID_PUBLIC_KEY when set, otherwise generated on first use into
instance/vapid_private.pem and kept, so subscriptions survive restarts: a new key would silently
invalidate every subscription made with the old one.
"""

import base64
from pathlib import Path

import click
from cryptography.hazmat.primitives import serialization
from flask import Flask, current_app
from py_vapid import Vapid

from core import instance

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
    return Vapid.from_pem(instance.read_or_create(folder / KEY_FILE, _new_private_pem))


def _new_private_pem() -> bytes:
    vapid = Vapid()
    vapid.generate_keys()
    return vapid.private_pem()


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
