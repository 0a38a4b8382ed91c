"""Issue 14: the server connects only to real push services, never inward, never redirected.

These run in the production configuration (no PUSH_TEST_ORIGINS) unless they use the fake push
service. Every Python-level socket connect is recorded, to show that a refusal opens nothing.
"""

import os
import socket
import threading

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from sqlmodel import select

from core.db import get_session
from notifications import endpoints
from notifications.models import Notification, PushSubscription
from tests import notifications_support
from tests.push_service import Device

push_service = notifications_support.push_service  # the fixture, for this module

REFUSED_MESSAGE = "không thuộc dịch vụ đẩy nào được hỗ trợ"


class Listener:
    """A TCP server on 127.0.0.1 that counts the connections it receives."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.accepted = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.accepted += 1
            connection.close()

    def close(self):
        self.socket.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def connects(monkeypatch):
    """Every address a Python socket connects to during the test."""
    seen: list = []
    original = socket.socket.connect

    def recording(self, address):
        seen.append(address)
        return original(self, address)

    monkeypatch.setattr(socket.socket, "connect", recording)
    return seen


def device(endpoint: str) -> Device:
    return Device("x", endpoint, ec.generate_private_key(ec.SECP256R1()), os.urandom(16))


def _rows(app) -> list[PushSubscription]:
    with app.app_context():
        return list(get_session().exec(select(PushSubscription)).all())


@pytest.mark.parametrize(
    "url",
    [
        "https://fcm.googleapis.com/fcm/send/abc:APA91b",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAA",
        "https://web.push.apple.com/QGuQyavXutnMH",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAA",
        "https://fcm.googleapis.com:443/fcm/send/abc",
    ],
)
def test_the_push_services_browsers_use_are_accepted(url):
    endpoints.check_url(url, {})


@pytest.mark.parametrize(
    "url",
    [
        "http://fcm.googleapis.com/fcm/send/abc",
        "https://127.0.0.1:8443/push/x",
        "https://127.0.0.1/push/x",
        "https://10.0.0.1/",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/push",
        "https://[::ffff:127.0.0.1]/push",
        "https://2130706433/push",
        "https://0x7f.1/push",
        "https://localhost/push",
        "https://push.localhost/push",
        "https://fcm.googleapis.com.evil.example/x",
        "https://evilfcm.googleapis.com/x",
        "https://evilpush.apple.com/x",
        "https://push.apple.com.evil.example/x",
        "https://fcm.googleapis.com:8443/x",
        "https://user:pass@fcm.googleapis.com/x",
        "https://fcm.googleapis.com@127.0.0.1/x",
        "https://fcm.googleapis.com:99999/x",
        "https://xn--fcm-googleapis-com/x",
        "https://fcm.googleapis.cօm/x",
        "ftp://fcm.googleapis.com/x",
        "https:///x",
    ],
)
def test_anything_else_is_refused(url):
    with pytest.raises(endpoints.RefusedEndpoint):
        endpoints.check_url(url, {})


def test_an_operator_extends_the_list_by_configuration(monkeypatch):
    monkeypatch.setenv("PUSH_SERVICE_HOSTS", " push.example.org, *.push.example.net ,")
    from app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
    app.extensions["db_engine"].dispose()
    config = app.config
    endpoints.check_url("https://push.example.org/a", config)
    endpoints.check_url("https://eu.push.example.net/a", config)
    endpoints.check_url("https://fcm.googleapis.com/a", config)  # the built-in list stays
    with pytest.raises(endpoints.RefusedEndpoint):
        endpoints.check_url("https://other.example.org/a", config)


@pytest.mark.parametrize(
    "address,public",
    [
        ("8.8.8.8", True),
        ("2a00:1450:4001::200e", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fd00::1", False),
        ("::ffff:10.0.0.1", False),
        ("64:ff9b::a00:1", False),  # NAT64 of 10.0.0.1
        ("64:ff9b::808:808", True),  # NAT64 of 8.8.8.8
        ("2002:7f00:1::1", False),  # 6to4 of 127.0.0.1
    ],
)
def test_public_addresses(address, public):
    assert endpoints.is_public(address) is public


@pytest.mark.parametrize(
    "endpoint",
    ["https://127.0.0.1:{port}/push/x", "https://localhost:{port}/push/x", "https://10.0.0.1/"],
)
def test_subscribing_with_an_internal_endpoint_is_refused_and_nothing_is_contacted(
    app, world, auth, client, listener, connects, endpoint
):
    """The issue's reproduction: subscribe with an internal endpoint, then send a test."""
    auth.login("tnv01")
    body = device(endpoint.format(port=listener.port)).subscription_json()
    response = client.post("/notifications/subscription", json=body)
    assert response.status_code == 400
    assert response.get_json()["field"] == "endpoint"
    assert REFUSED_MESSAGE in response.get_json()["message"]
    assert _rows(app) == []
    assert client.post("/notifications/test", json={}).get_json()["result"] == "failed"
    assert listener.accepted == 0 and connects == []


def test_an_internal_endpoint_stored_before_the_checks_is_never_contacted(
    app, world, auth, client, listener, connects
):
    with app.app_context():
        db = get_session()
        old = device(f"https://127.0.0.1:{listener.port}/push/x")
        db.add(
            PushSubscription(
                user_id=world.users["tnv01"],
                endpoint=old.endpoint,
                p256dh=old.p256dh,
                auth=old.auth,
            )
        )
        db.commit()
    auth.login("tnv01")
    assert client.post("/notifications/test", json={}).get_json()["result"] == "failed"
    assert listener.accepted == 0 and connects == []
    assert _rows(app) == []  # it can never be used: forgotten


def test_a_name_that_resolves_inward_is_refused_when_connecting(
    app, world, auth, client, listener, connects, monkeypatch
):
    app.config["PUSH_SERVICE_HOSTS"] = ["push.example.test"]
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if host == "push.example.test":
            # One public answer does not make up for an internal one.
            return [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", listener.port)),
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    auth.login("tnv01")
    body = device("https://push.example.test/push/x").subscription_json()
    assert client.post("/notifications/subscription", json=body).status_code == 201
    answer = client.post("/notifications/test", json={}).get_json()
    assert answer["result"] == "failed"
    assert listener.accepted == 0 and connects == []
    with app.app_context():
        [notification] = get_session().exec(select(Notification)).all()
    assert "non-public" in notification.failure_reason


def test_a_redirect_from_the_push_service_is_not_followed(
    app, world, auth, client, push_service, listener, connects
):
    inward = f"http://127.0.0.1:{listener.port}/internal"
    phone = push_service.device("phone", status=307, location=inward)
    auth.login("tnv01")
    client.post("/notifications/subscription", json=phone.subscription_json())
    assert client.post("/notifications/test", json={}).get_json()["result"] == "failed"
    assert len(push_service.received) == 1  # the push service was asked once
    assert listener.accepted == 0
    assert {address[1] for address in connects} == {int(push_service.origin.rsplit(":", 1)[1])}
