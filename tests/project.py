"""The project run as its author runs it, for the tests: a copy of it, `invoke` in a
subprocess, a free port, a wait for a server, and the checksums of what is online."""

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INVOKE = [sys.executable, "-m", "invoke"]
# Long enough for a full build of the project on a loaded machine.
TIMEOUT_S = 120


def project_copy(tmp_path: Path) -> Path:
    """A copy of the project without its build products, to run tasks in."""
    copy = tmp_path / "projet"
    ignore = shutil.ignore_patterns(
        ".venv", ".git", ".site", "output", "search-index*", "__pycache__", "*-cache", ".pytest_cache"
    )
    shutil.copytree(ROOT, copy, ignore=ignore)
    return copy


def environment(columns: int | None = None, **extra: str) -> dict[str, str]:
    """The author's environment, in UTF-8 whatever the locale, with `extra` variables;
    with `columns`, Rich wraps the log to that width (400: one record, one line)."""
    env = {**os.environ, "PYTHONUTF8": "1", **extra}
    if columns is not None:
        env["COLUMNS"] = str(columns)
    return env


def run(
    args: list[str],
    cwd: Path,
    *,
    columns: int | None = None,
    extra_env: dict[str, str] | None = None,
    timeout: float = TIMEOUT_S,
    **kwargs,
) -> subprocess.CompletedProcess:
    """Run a command to its end; its output read as UTF-8 (not the locale's: an
    in-process build before may have set "C")."""
    return subprocess.run(
        args,
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment(columns, **(extra_env or {})),
        timeout=timeout,
        **kwargs,
    )


def invoke(project: Path, *args: str, columns: int | None = None, **kwargs) -> subprocess.CompletedProcess:
    """`invoke ARGS` in `project`, as the author types it."""
    return run([*INVOKE, *args], project, columns=columns, **kwargs)


def invoke_ok(project: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    """`invoke ARGS` in `project`, which must succeed."""
    result = invoke(project, *args, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def serving(project: Path, *options: str, stderr=subprocess.DEVNULL) -> subprocess.Popen:
    """`invoke serve` with `options` in `project`, in the author's environment (the caller stops it)."""
    return subprocess.Popen(
        [*INVOKE, "serve", *options],
        cwd=project,
        env=environment(),
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        encoding="utf-8",
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(
    ready: Callable[[], bool],
    seconds: float = 20,
    process: subprocess.Popen | None = None,
    log: Path | None = None,
) -> None:
    """Poll `ready` until it holds; fail after `seconds`, or as soon as `process` exits
    (with its `log`, when it writes one)."""
    deadline = time.monotonic() + seconds
    while not ready():
        if process is not None and process.poll() is not None:
            said = log.read_text("utf-8") if log is not None else ""
            raise AssertionError(f"{process.args[:3]} exited with {process.returncode}:\n{said}")
        if time.monotonic() > deadline:
            raise AssertionError(f"not ready after {seconds} s")
        time.sleep(0.1)


def answering(port: int) -> Callable[[], bool]:
    """Whether something accepts connections on `port` of 127.0.0.1 (for wait_until)."""

    def ready() -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
        except OSError:
            return False
        return True

    return ready


def fingerprint(project: Path) -> dict[str, str]:
    """Every file of the live site and index, with its checksum."""
    prints = {}
    for name in ("output", "search-index"):
        root = (project / name).resolve()
        for path in sorted(root.rglob("*")):
            if path.is_file():
                prints[f"{name}/{path.relative_to(root)}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return prints
