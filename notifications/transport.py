"""The HTTP session pushes go through: public addresses only, no redirects, no proxies.

The name of an HTTPS endpoint is resolved here, every address it resolves to must be public
(notifications.endpoints.is_public), and the connection goes to the address that was checked, so
a DNS answer that changes between the check and the connection cannot point it inward. TLS still
verifies the certificate against the name. A push service answers a POST itself: a redirect is
returned as the answer (a failed push), never followed.
"""

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from notifications.endpoints import public_addresses


class _PublicOnlyConnection(HTTPSConnection):
    def _new_conn(self):
        name = self.host
        addresses = public_addresses(name, self.port)  # raises RefusedEndpoint before any socket
        if self.server_hostname is None:
            self.server_hostname = name  # the certificate is checked against the name
        try:
            # Each checked address in turn, as urllib3 itself would try each one of the name.
            for address in addresses:
                self._dns_host = address
                try:
                    return super()._new_conn()
                except (NewConnectionError, ConnectTimeoutError):
                    if address == addresses[-1]:
                        raise
        finally:
            self._dns_host = name


class _PublicOnlyPool(HTTPSConnectionPool):
    ConnectionCls = _PublicOnlyConnection


class _PublicOnlyAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": HTTPConnectionPool,  # reached only by the tests' fake (endpoints.check_url)
            "https": _PublicOnlyPool,
        }


class PushSession(requests.Session):
    def __init__(self):
        super().__init__()
        # Proxies and .netrc from the environment would connect somewhere unchecked.
        self.trust_env = False
        self.max_redirects = 0
        adapter = _PublicOnlyAdapter()
        self.mount("https://", adapter)
        self.mount("http://", adapter)

    def request(self, method, url, *args, **kwargs):
        kwargs["allow_redirects"] = False
        return super().request(method, url, *args, **kwargs)
