"""A fake push service on 127.0.0.1 that checks what a real one checks, and reads the message.

For every POST it verifies the VAPID Authorization header (RFC 8292: `vapid t=<JWT>,k=<key>`, the
ES256 signature against our public key, `aud` = the endpoint's origin, `exp` in the future and at
most 24 h away, `sub` = our mailto:) and decrypts the aes128gcm body (RFC 8188/8291) with the
subscription's private key and auth secret, which the test generated and holds. A request that
fails a check is answered 400/401/403 with the reason, as a push service would, and recorded.
"""

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from flask import Flask


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Device:
    """A browser's side of a subscription: what PushManager.subscribe() would create."""

    name: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes
    status: int = 201
    answer: str = ""
    location: str = ""  # sent as Location, to try the server with a redirect

    @property
    def p256dh(self) -> str:
        raw = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(raw)

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def subscription_json(self) -> dict:
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": self.auth},
        }


@dataclass
class Received:
    device: str
    headers: dict
    claims: dict
    message: dict
    status: int


@dataclass
class Rejected:
    device: str
    reason: str


@dataclass
class FakePushService:
    """Start with `start()`; `device()` makes subscriptions pointing here."""

    vapid_public_key: str
    subject: str
    delay: float = 0.0
    devices: dict[str, Device] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)

    def __post_init__(self):
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> "FakePushService":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def device(
        self, name: str, *, status: int = 201, answer: str = "", location: str = ""
    ) -> Device:
        device = Device(
            name=name,
            endpoint=f"{self.origin}/push/{name}",
            private_key=ec.generate_private_key(ec.SECP256R1()),
            auth_secret=os.urandom(16),
            status=status,
            answer=answer,
            location=location,
        )
        self.devices[name] = device
        return device

    def messages(self, device: str | None = None) -> list[dict]:
        return [r.message for r in self.received if device is None or r.device == device]

    # --- what a push service checks --------------------------------------------------------

    def check(self, device: Device, headers: dict, body: bytes) -> tuple[dict, dict]:
        claims = self.check_vapid(headers.get("authorization", ""))
        if headers.get("content-encoding") != "aes128gcm":
            raise Refused(400, "content-encoding must be aes128gcm")
        ttl = headers.get("ttl")
        if ttl is None or not ttl.isdigit():
            raise Refused(400, "missing TTL")
        return claims, self.decrypt(device, body)

    def check_vapid(self, header: str) -> dict:
        scheme, _, params = header.partition(" ")
        if scheme.lower() != "vapid":
            raise Refused(401, f"not a vapid authorization: {header[:40]!r}")
        parts = dict(item.split("=", 1) for item in params.split(","))
        if parts.get("k") != self.vapid_public_key:
            raise Refused(403, "k is not the application server key of the subscription")
        signed, _, signature = parts["t"].rpartition(".")
        header_b64, _, claims_b64 = signed.partition(".")
        if json.loads(unb64url(header_b64)) != {"typ": "JWT", "alg": "ES256"}:
            raise Refused(401, "JWT header is not ES256")
        raw = unb64url(signature)
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        public = ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), unb64url(self.vapid_public_key)
        )
        try:
            public.verify(der, signed.encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature as error:
            raise Refused(403, "JWT signature does not verify") from error
        claims = json.loads(unb64url(claims_b64))
        if claims.get("aud") != self.origin:
            raise Refused(403, f"aud {claims.get('aud')!r} is not {self.origin!r}")
        if not time.time() < claims.get("exp", 0) <= time.time() + 24 * 3600:
            raise Refused(403, "exp is in the past or more than 24 h away")
        if claims.get("sub") != self.subject:
            raise Refused(403, f"sub {claims.get('sub')!r} is not {self.subject!r}")
        return claims

    def decrypt(self, device: Device, body: bytes) -> dict:
        # RFC 8188 header: salt (16) | record size (4) | key id length (1) | key id.
        id_length = body[20]
        sender_key = body[21 : 21 + id_length]
        if id_length != 65 or sender_key[0] != 4:
            raise Refused(400, "key id is not an uncompressed P-256 point")
        # No `dh` argument: for aes128gcm http_ece takes the sender's key from that header (and
        # mishandles one passed in). The ECDH with our private key and the auth secret follow.
        try:
            plain = http_ece.decrypt(
                body,
                private_key=device.private_key,
                auth_secret=device.auth_secret,
                version="aes128gcm",
            )
        except http_ece.ECEException as error:
            raise Refused(400, f"cannot decrypt: {error}") from error
        return json.loads(plain.decode("utf-8"))


def app_for_scheduler() -> Flask:
    """`flask --app "tests.push_service:app_for_scheduler()" scheduler`: the app exactly as
    `--app app` builds it from the environment, with the fake's origin (FAKE_PUSH_ORIGIN) let
    through as the tests' config lets it through. Production has no way to set this."""
    from app import create_app

    app = create_app()
    app.config["PUSH_TEST_ORIGINS"] = [os.environ["FAKE_PUSH_ORIGIN"]]
    return app


class Refused(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


def _handler(service: FakePushService):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the http.server API
            name = self.path.rsplit("/", 1)[-1]
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {key.lower(): value for key, value in self.headers.items()}
            device = service.devices.get(name)
            if device is None:
                return self._answer(404, "no such subscription")
            try:
                claims, message = service.check(device, headers, body)
            except Refused as refused:
                with service._lock:
                    service.rejected.append(Rejected(name, refused.reason))
                return self._answer(refused.status, refused.reason)
            except Exception as error:  # noqa: BLE001 - any malformed request is a refusal
                with service._lock:
                    service.rejected.append(Rejected(name, repr(error)))
                return self._answer(400, repr(error))
            if service.delay:
                time.sleep(service.delay)
            with service._lock:
                service.received.append(Received(name, headers, claims, message, device.status))
            return self._answer(device.status, device.answer, device.location)

        def _answer(self, status: int, text: str, location: str = ""):
            data = text.encode()
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):  # keep test output quiet
            pass

    return Handler
