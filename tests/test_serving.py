"""`invoke serve` in several processes: they share the port, a dead one is replaced,
and stopping the server stops them all."""

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from carnet.bench import measure
from carnet.service import serving
from tests.project import INVOKE, ROOT, project_copy, run, wait_until


def children_of(pid: int) -> set[int]:
    return set(measure.children_of(pid))


def cpu_ticks(pid: int) -> int:
    """User and system time the process has used, in clock ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


def get(port: int, path: str) -> tuple[int, str]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.status, response.read().decode("utf-8")


@pytest.fixture(scope="module")
def built_project(tmp_path_factory):
    project = project_copy(tmp_path_factory.mktemp("serve"))
    result = run([*INVOKE, "build"], project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def serving_two(project: Path, threads: int) -> tuple[subprocess.Popen, str]:
    """`invoke serve` with two workers on any free port, and the line announcing its address."""
    server = subprocess.Popen(
        [*INVOKE, "serve", "--port", "0", "--workers", "2", "--threads", str(threads)],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    return server, server.stderr.readline()


def announced_port(announced: str) -> int:
    return int(re.search(r"http://127\.0\.0\.1:(\d+)/", announced).group(1))


def test_two_workers_share_the_port_replace_the_dead_and_stop_together(built_project):
    server, announced = serving_two(built_project, threads=2)
    try:
        port = announced_port(announced)
        assert "2 processus" in announced
        wait_until(lambda: len(children_of(server.pid)) == 2, process=server)
        workers = children_of(server.pid)

        before = {pid: cpu_ticks(pid) for pid in workers}
        for word in ["clients", "confiance", "partenariat", "achats", "fidélisation"] * 12:
            status, body = get(port, "/search?q=" + quote(word))
            assert status == 200
            assert 'class="resultats"' in body
        assert get(port, "/perdre-des-clients/")[0] == 200
        # Connections go to both processes: each has worked (20 ms or more; idle, a
        # process waiting on its socket uses next to nothing).
        assert all(cpu_ticks(pid) - before[pid] >= 2 for pid in workers), before

        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        wait_until(
            lambda: victim not in children_of(server.pid) and len(children_of(server.pid)) == 2,
            process=server,
        )
        status, body = get(port, "/search?q=clients")
        assert status == 200
        assert "Perdre des clients" in body

        everyone = children_of(server.pid)
        server.terminate()
        assert server.wait(timeout=15) == 0
        said = server.stderr.read()
        assert f"service : le processus {victim} s’est arrêté (tué par le signal 9) après " in said
        assert "un autre le remplace" in said
        wait_until(lambda: not any(alive(pid) for pid in everyone), seconds=10)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        server.stderr.close()


def connections_held(port: int, pids: set[int]) -> dict[int, int]:
    """How many established connections to `port` each process holds (from /proc)."""
    established = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
            established.add(f"socket:[{fields[9]}]")
    held = {}
    for pid in pids:
        targets = []
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                targets.append(os.readlink(fd))
            except OSError:  # closed meanwhile
                continue
        held[pid] = sum(target in established for target in targets)
    return held


def test_persistent_connections_are_spread_over_the_workers(built_project):
    """Sixteen clients connecting at once and keeping their connections (as nginx's
    keepalive does) land eight on each process, not most of them on one: the kernel
    wakes both, and the one already running would take them all."""
    server, announced = serving_two(built_project, threads=8)
    try:
        port = announced_port(announced)
        wait_until(lambda: len(children_of(server.pid)) == 2, process=server)
        workers = children_of(server.pid)
        for _ in range(3):
            connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=20) for _ in range(16)]

            def ask(connection):
                connection.request("GET", "/search.json?q=partenaire")
                connection.getresponse().read()

            askers = [threading.Thread(target=ask, args=(c,)) for c in connections]
            for thread in askers:
                thread.start()
            for thread in askers:
                thread.join(timeout=20)
            held = connections_held(port, workers)
            for connection in connections:
                connection.close()
            assert sum(held.values()) == 16
            assert sorted(held.values()) == [8, 8], held
            wait_until(lambda: sum(connections_held(port, workers).values()) == 0, seconds=10)
    finally:
        server.terminate()
        server.wait(timeout=15)
        server.stderr.close()


def test_workers_end_when_the_server_is_killed(built_project):
    server = subprocess.Popen(
        [*INVOKE, "serve", "--port", "0", "--workers", "2"],
        cwd=built_project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: len(children_of(server.pid)) == 2, process=server)
        workers = children_of(server.pid)
    finally:
        server.kill()  # SIGKILL: the parent cannot stop its workers itself
        server.wait()
    wait_until(lambda: not any(alive(pid) for pid in workers), seconds=10)


SLOW_SERVER = """
import sys, time
sys.path.insert(0, sys.argv[1])
from carnet.service import serving

SECONDS = float(sys.argv[3]) if len(sys.argv) > 3 else 1.5

def slow(environ, start_response):
    time.sleep(SECONDS)
    start_response("200 OK", [("Content-Length", "2")])
    return [b"ok"]

sock = serving.listening_socket("127.0.0.1", 0)
print(sock.getsockname()[1], flush=True)
serving.serve_in_processes(lambda: slow, sock, int(sys.argv[2]), threads=4)
"""


@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_answers_the_requests_under_way_then_refuses(tmp_path, workers):
    """A restart (systemd sends SIGTERM) loses no answer: requests already read are
    answered, and new connections are refused at once, so nginx tries another process."""
    command = [sys.executable, "-c", SLOW_SERVER, str(ROOT), str(workers)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline())
        answers: list = []

        def ask():
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
            try:
                connection.request("GET", "/")
                response = connection.getresponse()
                answers.append((response.status, response.read()))
            except (OSError, http.client.HTTPException) as error:
                answers.append(repr(error))
            finally:
                connection.close()

        askers = [threading.Thread(target=ask) for _ in range(4)]
        for thread in askers:
            thread.start()
        time.sleep(0.5)  # read by the server, not yet answered
        server.send_signal(signal.SIGTERM)
        for thread in askers:
            thread.join(timeout=30)
        assert server.wait(timeout=20) == 0
        assert answers == [(200, b"ok")] * 4
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=2)
    finally:
        if server.poll() is None:
            server.kill()
        server.wait()
        server.stdout.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_cuts_a_request_that_never_arrives_whole_after_a_second(workers):
    """A client that sent half a request (slow or hostile) is cut after a second's grace,
    even while a long answer keeps the process on; that answer is still given whole."""
    command = [sys.executable, "-c", SLOW_SERVER, str(ROOT), str(workers), "4"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    halves = []
    try:
        port = int(server.stdout.readline())
        for _ in range(2 * workers):  # with two workers, some land on each
            half = socket.create_connection(("127.0.0.1", port), timeout=20)
            half.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # no blank line: never whole
            halves.append(half)
        answers: list = []

        def ask():
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
            connection.request("GET", "/")
            response = connection.getresponse()
            answers.append((response.status, response.read()))
            connection.close()

        asker = threading.Thread(target=ask)
        asker.start()
        time.sleep(0.5)  # both read by the server; the full one answered in 4 s
        signalled = time.monotonic()
        server.send_signal(signal.SIGTERM)
        for half in halves:  # cut, unanswered, after the grace
            with contextlib.suppress(ConnectionResetError):  # closed, or reset: cut either way
                assert half.recv(100) == b""
            cut_after = time.monotonic() - signalled
            assert cut_after < serving.ARRIVING_S + 1.5, cut_after
        assert server.wait(timeout=20) == 0
        asker.join(timeout=10)
        assert answers == [(200, b"ok")]
        assert time.monotonic() - signalled < serving.DRAIN_S - 3
    finally:
        for half in halves:
            half.close()
        if server.poll() is None:
            server.kill()
        server.wait()
        server.stdout.close()


def test_a_port_already_taken_is_said_in_french(built_project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run([*INVOKE, "serve", "--port", str(port)], built_project)
    assert result.returncode == 1
    assert "ce port est déjà pris" in result.stderr
    assert "Traceback" not in result.stderr
    assert all(len(line) <= 80 for line in result.stderr.splitlines())


def test_a_worker_that_dies_at_once_is_said_to_be_replaced_after_a_pause():
    from carnet.service.serving import worker_ended

    said = worker_ended(4321, 1, 0.3)
    assert said == (
        "service : le processus 4321 s’est arrêté (sorti avec le code 1) après 0.3 s ; "
        "un autre le remplace dans 2 s (il s’est arrêté aussitôt parti)"
    )
