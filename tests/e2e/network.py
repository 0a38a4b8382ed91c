"""A phone's signal between the browser and the live server, which a test can cut and restore.

Playwright's offline switch (`offline=True`, `context.set_offline`) is DevTools emulation: it
covers the pages and a service worker it has already attached to, but not what Chromium does by
itself at start-up. Reopening a profile whose outbox has a pending Background Sync registration,
Chromium starts the service worker and fires the sync while `launch_persistent_context` is still
returning, and that sync reaches the server whatever the emulation says. A phone with really no
signal would keep its records; only a cut on the wire shows that.

`Signal` is a TCP relay on 127.0.0.1 in front of the live server. Browsing through it (its `url`
as the base URL) is browsing the app; `cut()` closes every open connection and refuses new ones
with a reset, for pages and service workers alike, until `restore()`. The relay keeps its port,
so the origin (and with it the profile's service worker and IndexedDB) stays the same.
"""

import contextlib
import socket
import struct
import threading

_RESET = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s: close() sends a RST, like a dead link


class Signal:
    def __init__(self, target_port: int):
        self.target_port = target_port
        self.up = True
        self.refused = 0  # connections refused while cut: proof that something tried
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._running = True
        self._thread = threading.Thread(target=self._accept, name="e2e-signal", daemon=True)
        self._thread.start()

    def cut(self) -> None:
        with self._lock:
            self.up = False
            for sock in list(self._open):
                _reset(sock)
            self._open.clear()

    def restore(self) -> None:
        with self._lock:
            self.up = True

    def close(self) -> None:
        self._running = False
        self._thread.join(timeout=5)
        self._listener.close()
        self.cut()

    def _accept(self) -> None:
        while self._running:
            try:
                client, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            with self._lock:
                up = self.up
                if not up:
                    self.refused += 1
            if not up:
                _reset(client)
                continue
            try:
                server = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                _reset(client)
                continue
            with self._lock:
                self._open.update((client, server))
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass  # cut, or the other side went away
        finally:
            with self._lock:
                self._open.discard(source)
                self._open.discard(sink)
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    sock.close()


def _reset(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _RESET)
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RD)  # wakes the relay thread blocked in recv() on it
    with contextlib.suppress(OSError):
        sock.close()
