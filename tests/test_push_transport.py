"""The push session connects to the address it checked, and TLS still verifies the name.

A TLS server on 127.0.0.1 with a certificate for push.example.test stands in for a push service;
the test resolves that name itself and, for these tests only, counts 127.0.0.1 as public.
"""

import datetime
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from notifications import endpoints
from notifications.transport import PushSession

NAME = "push.example.test"


def _certificate(folder) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, NAME)])
    start = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=365 * 200))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(NAME)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the http.server API
        self.server.hosts.append(self.headers["Host"])
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def tls_service(tmp_path):
    cert_path, key_path = _certificate(tmp_path)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.hosts, server.names = [], []
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    context.sni_callback = lambda _socket, name, _context: server.names.append(name)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, cert_path
    server.shutdown()
    server.server_close()


@pytest.fixture
def resolved(monkeypatch):
    """resolved[name] = [addresses]: what getaddrinfo answers for those names."""
    table: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if host in table:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in table[host]]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setattr(endpoints, "is_public", lambda address: address.startswith("127."))
    return table


def test_it_connects_to_a_checked_address_and_verifies_the_name(tls_service, resolved):
    server, cert_path = tls_service
    port = server.server_address[1]
    resolved[NAME] = ["127.0.0.2", "127.0.0.1"]  # nothing listens on the first: the next is tried
    with PushSession() as session:
        response = session.post(f"https://{NAME}:{port}/push/x", data=b"x", verify=cert_path)
    assert response.status_code == 201
    assert server.names == [NAME]  # SNI: the name, not the address
    assert server.hosts == [f"{NAME}:{port}"]


def test_the_certificate_must_still_match_the_name(tls_service, resolved):
    server, cert_path = tls_service
    resolved["other.example.test"] = ["127.0.0.1"]
    with PushSession() as session, pytest.raises(requests.exceptions.SSLError):
        session.post(
            f"https://other.example.test:{server.server_address[1]}/x", data=b"", verify=cert_path
        )
