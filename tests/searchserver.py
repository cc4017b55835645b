"""A real waitress server on 127.0.0.1 around the search application, for the tests."""

import http.client
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from waitress.server import create_server

from carnet.service.web import SearchApp


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@contextmanager
def running(app: SearchApp, **options):
    """Serve `app` with waitress on a free port; yield a function that sends raw requests."""
    server = create_server(app, host="127.0.0.1", port=0, threads=4, **options)
    port = server.effective_port
    stopping = threading.Event()

    def serve():
        # Waitress's own run() loops until its sockets close under it, which races with
        # close() from this thread (« Bad file descriptor »): loop in short turns instead.
        while not stopping.is_set():
            server.asyncore.loop(timeout=0.05, map=server._map, use_poll=True, count=1)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()

    def request(path: str, method: str = "GET", headers: dict | None = None) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            # skip_host and a raw path: the request goes out exactly as written, `..` included.
            connection.putrequest(method, path, skip_accept_encoding=True)
            for name, value in (headers or {}).items():
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            connection.close()

    request.port = port
    try:
        yield request
    finally:
        stopping.set()
        thread.join(timeout=5)
        server.close()
