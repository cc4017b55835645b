"""Serve a WSGI application with waitress in several processes that share one socket.

Waitress is one process, and Python runs one of its threads at a time: a search is
CPU work, so a second core only helps a second process. The socket is bound once,
before the processes fork, and each connection goes to the process holding the fewest
(shares.ConnectionShares). A process that dies is replaced; stopping the parent (Ctrl-C,
SIGTERM) stops all, SIGTERM after the requests under way are answered.
"""

import contextlib
import errno
import logging
import os
import signal
import socket
import sys
import textwrap
import threading
import time
from collections.abc import Callable

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server

from .admission import Lanes
from .shares import ConnectionShares
from .web import AccessLog, SearchApp

logger = logging.getLogger(__name__)

# Per process: three threads kept for pages, two for costly searches (one running),
# eight for ordinary ones (two running, six waiting): see admission.Lanes. Eight
# clients searching at once all fit in one process's ordinary lane (with 12 threads,
# seven did: the kernel may hand every connection to one process, and the eighth got 503).
DEFAULT_THREADS = 13

# On SIGTERM, requests under way get this long to finish (systemd's default stop
# timeout is 90 s; nginx has passed new ones to another process by then).
DRAIN_S = 10.0
# A request still arriving when the stop comes gets this long to arrive whole: nginx sends one
# in a few milliseconds, and a client that takes longer (a slow or hostile one) must not hold
# the restart for DRAIN_S. It is then cut, unanswered, as a new connection would be refused.
ARRIVING_S = 1.0

# A worker that dies sooner than this after its start is failing, not unlucky:
# replacing it again at once would only spin.
_STEADY_S = 2.0


class _Stop(Exception):
    pass


def listening_socket(host: str, port: int, backlog: int = 1024) -> socket.socket:
    """A TCP socket bound to host:port (port 0: any free port) and listening."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    return sock


def serve_in_processes(make_app: Callable, sock: socket.socket, workers: int, **waitress_options) -> None:
    """Run `workers` waitress processes on `sock`, each with its own `make_app()`,
    until this process is told to stop."""
    if workers <= 1:
        stopping = threading.Event()
        previous = signal.signal(signal.SIGTERM, lambda signum, frame: stopping.set())
        try:
            serve_until(stopping, make_app(), sock, **waitress_options)
        finally:
            signal.signal(signal.SIGTERM, previous)
        return
    started: dict[int, float] = {}
    slots: dict[int, int] = {}
    shares = ConnectionShares(workers)

    parent = os.getpid()

    def start_worker(slot: int) -> None:
        shares.expect(slot)
        pid = os.fork()
        if pid == 0:  # the worker
            status = 1
            try:
                stopping = threading.Event()
                signal.signal(signal.SIGTERM, lambda signum, frame: stopping.set())
                signal.signal(signal.SIGINT, signal.default_int_handler)
                threading.Thread(target=_stop_with, args=(parent, stopping), daemon=True).start()
                serve_until(stopping, make_app(), sock, shares=(shares, slot), **waitress_options)
                status = 0
            except KeyboardInterrupt:
                status = 0
            finally:
                os._exit(status)
        started[pid] = time.monotonic()
        slots[pid] = slot

    def stop(signum, frame):
        raise _Stop

    previous = {number: signal.signal(number, stop) for number in (signal.SIGTERM, signal.SIGINT)}
    try:
        for slot in range(workers):
            start_worker(slot)
        while True:
            pid, status = os.wait()
            lived = time.monotonic() - started.pop(pid, 0.0)
            slot = slots.pop(pid, 0)
            shares.leave(slot)
            logger.warning("%s", worker_ended(pid, os.waitstatus_to_exitcode(status), lived))
            if lived < _STEADY_S:
                time.sleep(_STEADY_S)
            start_worker(slot)
    except _Stop:
        pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        # Our copy of the socket first: once the workers close theirs, it is closed,
        # and new connections are refused (a proxy tries another process) instead of waiting.
        sock.close()
        for pid in started:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for pid in started:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def worker_ended(pid: int, code: int, lived: float) -> str:
    """The service's line, in French, when a worker ended (`code`: its exit status, or minus
    the signal that killed it) after `lived` seconds."""
    how = f"tué par le signal {-code}" if code < 0 else f"sorti avec le code {code}"
    when = f"dans {_STEADY_S:g} s (il s’est arrêté aussitôt parti)" if lived < _STEADY_S else "aussitôt"
    ended = f"service : le processus {pid} s’est arrêté ({how}) après {lived:.1f} s"
    return f"{ended} ; un autre le remplace {when}"


def serve_until(
    stopping: threading.Event,
    app,
    sock: socket.socket,
    shares: tuple[ConnectionShares, int] | None = None,
    **waitress_options,
) -> None:
    """Serve `app` on `sock` with waitress until `stopping` is set, then stop accepting
    and let the requests under way finish (up to DRAIN_S): a restart loses no answer.
    With `shares` (the workers' counts and this one's slot), accept only while this
    worker holds no more connections than the others."""
    server = create_server(app, sockets=[sock], **waitress_options)
    connections = getattr(server, "map", None) or server._map
    listeners = [d for d in list(connections.values()) if isinstance(d, BaseWSGIServer)]
    if shares is not None:
        counts, slot = shares
        for listener in listeners:
            listener.readable = _accepting_when(listener.readable, counts, slot)
        _WakePipe(counts.wake_end(slot), map=connections)
        # The map's other entries (listener, waitress's trigger, the wake pipe) stay while it
        # serves: what is beyond them are connections, counted without a pass over the map at
        # every turn of the loop.
        fixed = sum(not isinstance(d, HTTPChannel) for d in connections.values())
    # With others, a report at least ten times a second: it is this worker's sign of life
    # (shares.STALE_S), and makes it look at the socket again should a wake be lost.
    timeout = 0.5 if shares is None else 0.1
    while not stopping.is_set():
        if shares is not None:
            counts.report(slot, len(connections) - fixed)
        server.asyncore.loop(timeout=timeout, map=connections, use_poll=True, count=1)
    if shares is not None:
        counts.leave(slot)
        counts.wake_others(slot)  # they take the new connections from now on
    for listener in listeners:
        listener.del_channel()
        listener.socket.close()
    stopped = time.monotonic()
    while (now := time.monotonic()) < stopped + DRAIN_S:
        arriving = now < stopped + ARRIVING_S
        channels = [d for d in list(connections.values()) if isinstance(d, HTTPChannel)]
        if not arriving:
            # Past the grace, a connection with nothing to answer goes (idle, still arriving,
            # or done), so that no request starts now to be cut at DRAIN_S.
            for channel in channels:
                if not _busy(channel, arriving=False):
                    channel.handle_close()
        if not any(_busy(d, arriving) for d in channels):
            break
        server.asyncore.loop(timeout=0.05, map=connections, use_poll=True, count=1)
    server.task_dispatcher.shutdown(timeout=1)


def _accepting_when(readable: Callable[[], bool], shares: ConnectionShares, slot: int) -> Callable[[], bool]:
    """A listener's `readable` that also leaves new connections to less loaded workers, and
    wakes them when it does. Waitress's own comes first: it also closes idle connections and
    applies the connection limit."""
    was_accepting = True

    def accepting() -> bool:
        nonlocal was_accepting
        now = readable() and shares.may_accept(slot)
        if was_accepting and not now:
            shares.wake_others(slot)
        was_accepting = now
        return now

    return accepting


class _WakePipe(wasyncore.file_dispatcher):
    """This worker's wake pipe in its loop: a byte there only makes the loop look again."""

    def handle_read(self) -> None:
        with contextlib.suppress(OSError):
            self.recv(4096)

    def writable(self) -> bool:
        return False


def _busy(dispatcher, arriving: bool = True) -> bool:
    """A connection with a request read, being answered, or an answer still to send; with
    `arriving`, also one whose request is still arriving."""
    return isinstance(dispatcher, HTTPChannel) and bool(
        dispatcher.requests or dispatcher.total_outbufs_len or (arriving and dispatcher.request is not None)
    )


def _stop_with(parent: int, stopping: threading.Event) -> None:
    """In a worker: stop (finishing what is under way) when the parent is gone, killed with
    no chance to stop us, rather than serve on, orphaned, a port that nobody manages any more."""
    while os.getppid() == parent:
        time.sleep(1.0)
    stopping.set()


def serve_site(
    output, index, host: str, port: int, workers: int, threads: int = DEFAULT_THREADS, access_log: bool = True
) -> None:
    """Serve the built site in `output` and the search over `index`, as `invoke serve` does."""

    def make_app():
        app = SearchApp(output, index, lanes=Lanes.for_threads(threads))
        return AccessLog(app) if access_log else app

    try:
        sock = listening_socket(host, port)
    except (OSError, OverflowError) as error:
        raise SystemExit(cannot_listen(host, port, error)) from None
    bound_port = sock.getsockname()[1]
    shown_host = f"[{host}]" if ":" in host else host
    sys.stderr.write(
        f"Le carnet et sa recherche sont servis sur http://{shown_host}:{bound_port}/"
        f" ({workers} processus × {threads} fils ; Ctrl-C pour arrêter)\n"
    )
    sys.stderr.flush()
    serve_in_processes(
        make_app,
        sock,
        workers,
        threads=threads,
        connection_limit=200,
        channel_timeout=30,
        max_request_header_size=64 * 1024,
        ident="carnet",
    )


def cannot_listen(host: str, port: int, error: Exception) -> str:
    """Why the service cannot take host:port, in French, with what to do."""
    if isinstance(error, OSError) and error.errno == errno.EADDRINUSE:
        why = "ce port est déjà pris (un autre « invoke serve » ?)"
    elif isinstance(error, OSError) and error.errno == errno.EACCES:
        why = "les ports sous 1024 sont réservés à l’administrateur"
    elif isinstance(error, OverflowError):
        why = "un port va de 0 à 65535"
    else:
        why = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    message = (
        f"Impossible d’écouter sur {host}:{port} : {why}. "
        "→ choisissez-en un autre avec --port (--port 0 : un port libre)."
    )
    return textwrap.fill(message, width=80, subsequent_indent="    ", break_on_hyphens=False)
