"""Which push endpoints the server will POST to: HTTPS on a known push service, never an address
inside our own network.

A subscription's endpoint is chosen by whoever calls the API, and the server (and the scheduler)
connect to it. Without these checks any signed-in user could make the server open connections to
127.0.0.1, the LAN or a cloud metadata address. The URL is checked when it is stored and again
before every push; the address a name resolves to is checked when the connection is opened
(notifications/transport.py), so a name that later resolves inward is refused as well.
"""

import ipaddress
import socket
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

# The one list of push services: the hosts browsers hand out as subscription endpoints.
# An operator adds more with PUSH_SERVICE_HOSTS (comma-separated; "*.example.org" = subdomains).
PUSH_SERVICES = (
    "fcm.googleapis.com",  # Chrome and other Chromium browsers (Android, desktop)
    "updates.push.services.mozilla.com",  # Firefox
    "*.push.apple.com",  # Safari, iOS/iPadOS home-screen apps (web.push.apple.com)
    "*.notify.windows.com",  # Edge on Windows (wns2-….notify.windows.com)
)


class RefusedEndpoint(ValueError):
    """The server will not connect there; str() is the reason, for logs."""


def hosts_from_environment(value: str | None) -> list[str]:
    return [host.strip().lower() for host in (value or "").split(",") if host.strip()]


def known_hosts(config: Mapping) -> tuple[str, ...]:
    return PUSH_SERVICES + tuple(config.get("PUSH_SERVICE_HOSTS") or ())


def _matches(host: str, patterns: Iterable[str]) -> bool:
    for pattern in patterns:
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]):  # a subdomain, not the bare domain
                return True
        elif host == pattern:
            return True
    return False


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def check_url(url: str, config: Mapping) -> None:
    """Raises RefusedEndpoint unless url is an HTTPS URL of a known push service.

    PUSH_TEST_ORIGINS (set only by the tests, never from the environment) lists the origins of
    the tests' fake push service on http://127.0.0.1, accepted exactly as listed."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise RefusedEndpoint("malformed URL") from error
    if _origin(url) in {origin.lower() for origin in config.get("PUSH_TEST_ORIGINS") or ()}:
        return
    host = parts.hostname or ""
    if parts.scheme != "https":
        raise RefusedEndpoint("not https")
    if parts.username is not None or parts.password is not None:
        raise RefusedEndpoint("credentials in the URL")
    if port not in (None, 443):
        raise RefusedEndpoint("not the HTTPS port")
    if _is_ip_literal(host):
        raise RefusedEndpoint("an IP address, not a push service")
    if host == "localhost" or host.endswith(".localhost"):
        raise RefusedEndpoint("localhost")
    if not host.isascii() or not _matches(host, known_hosts(config)):
        raise RefusedEndpoint(f"{host!r} is not a known push service")


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: IPv4 addresses reached over IPv6


def is_public(address: str) -> bool:
    """False for loopback, private, link-local, shared (CGNAT), multicast, reserved addresses,
    and for IPv6 addresses that carry one of those IPv4 addresses inside."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone id is not part of it
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if ip in NAT64:
            inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if inner is not None and not is_public(str(inner)):
            return False
    return ip.is_global and not ip.is_multicast


def public_addresses(host: str, port: int) -> list[str]:
    """The addresses to connect to for host, when every address it resolves to is public."""
    answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(answer[4][0] for answer in answers))
    inward = [address for address in addresses if not is_public(address)]
    if not addresses or inward:
        raise RefusedEndpoint(f"{host!r} resolves to a non-public address {inward[:1]}")
    return addresses
