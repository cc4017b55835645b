"""Pages rendered by several processes, each writing its own share of the output files.

Python renders one template at a time per process; rendering and writing the pages is a third
of a full build at 5 000 articles. Once the context is final, the build forks one worker per
extra core. Every process runs the same output sequence (cheap bookkeeping) but renders only
the pages whose file name falls in its share; a worker sends back, through a pipe, what the
main process must know (page keys, pages rendered, the warnings it logged) and ends with
os._exit, so that nothing of the build (finalized, the index, atexit) runs twice.
"""

import contextlib
import logging
import os
import pickle
import signal
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from carnet.search.forking import die_with

logger = logging.getLogger(__name__)


def share_of(name: str, workers: int) -> int:
    """Which process writes the file `name`: stable from build to build, spread by a checksum."""
    return zlib.crc32(os.path.normpath(name).encode("utf-8", "surrogatepass")) % workers


@dataclass(frozen=True)
class Share:
    index: int  # 0: the build's own process
    workers: int

    def owns(self, name: str) -> bool:
        return share_of(name, self.workers) == self.index


class WorkerFailed(RuntimeError):
    """A worker (rendering pages, reviewing texts) stopped without sending its results (killed,
    or its pipe broke)."""


@dataclass
class Worker:
    pid: int
    results: int  # the file descriptor its results are read from


@dataclass
class Outcome:
    value: object = None
    error: BaseException | None = None
    records: list[logging.LogRecord] = field(default_factory=list)


def fork_workers(count: int, work: Callable[[int], object]) -> list[Worker]:
    """Start workers 1..count-1, each running `work(index)` in a copy of this process."""
    workers: list[Worker] = []
    try:
        parent = os.getpid()
        for index in range(1, count):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child ends in os._exit, never returns
                os.close(read_end)
                for other in workers:
                    os.close(other.results)
                _run_worker(index, work, write_end, parent)
            os.close(write_end)
            workers.append(Worker(pid, read_end))
    except BaseException:
        stop(workers)
        raise
    return workers


def map_shared(function: Callable, items: list, workers: int) -> list:
    """[function(item) for item in items], the items shared between this process and
    `workers` - 1 forked copies of it: for work on what the build holds in memory, when a
    core would otherwise wait (the review of a full build's texts). Each result is pickled
    back; a worker's error is raised here, its warnings logged here."""
    if workers < 2 or len(items) < 2:
        return [function(item) for item in items]
    workers = min(workers, len(items))
    # Every `workers`-th item: neighbouring articles cost alike, so the shares do too.
    forked: list[Worker] = []
    try:  # to the end: a build stopped anywhere here (Ctrl-C, a new save) stops its workers too
        forked = fork_workers(workers, lambda index: [function(item) for item in items[index::workers]])
        results: list = [None] * len(items)
        results[::workers] = [function(item) for item in items[::workers]]
        for index, outcome in enumerate(join(forked), start=1):
            results[index::workers] = outcome.value
    except BaseException:
        stop(forked)  # those join reaped are left alone
        raise
    return results


def _run_worker(index: int, work: Callable[[int], object], write_end: int, parent: int) -> None:
    code = 1
    try:
        die_with(parent)
        outcome = Outcome()
        with _captured(outcome.records):
            try:
                outcome.value = work(index)
            except BaseException as error:  # sent to the main process, which raises it
                outcome.error = _sendable(error)
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        code = 0 if outcome.error is None else 1
    finally:
        os._exit(code)


def join(workers: list[Worker]) -> list[Outcome]:
    """Each worker's outcome, once all have ended; a worker that died raises WorkerFailed, and
    the others are stopped. The warnings workers logged are logged again here, in this process."""
    outcomes: list[Outcome] = []
    try:
        for worker in workers:
            with os.fdopen(worker.results, "rb") as pipe:
                data = pipe.read()
            worker.results = -1
            _, status = os.waitpid(worker.pid, 0)
            worker.pid = 0
            if not data:
                raise WorkerFailed(f"un processus de la construction s'est arrêté ({_exit_reason(status)})")
            outcomes.append(pickle.loads(data))
    except BaseException:
        stop(workers)
        raise
    for outcome in outcomes:
        for record in outcome.records:
            logging.getLogger(record.name).handle(record)
    for outcome in outcomes:
        if outcome.error is not None:
            raise outcome.error
    return outcomes


def stop(workers: list[Worker]) -> None:
    """Kill and reap the workers still running (the build failed: nothing they write is kept)."""
    for worker in workers:
        if worker.pid:
            with contextlib.suppress(OSError):
                os.kill(worker.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(worker.pid, 0)
            worker.pid = 0
        if worker.results >= 0:
            with contextlib.suppress(OSError):
                os.close(worker.results)
            worker.results = -1


class _Capture(logging.Handler):
    def __init__(self, records: list):
        super().__init__(level=logging.WARNING)  # what the build's report collects
        self.records = records

    def emit(self, record):
        # Sent as text: a record's arguments and traceback may not pickle.
        record.msg, record.args = record.getMessage(), None
        if record.exc_info:
            record.exc_text = record.exc_text or self.formatter_exception(record)
        record.exc_info = None
        self.records.append(record)

    def formatter_exception(self, record) -> str:
        return logging.Formatter().formatException(record.exc_info)


@contextlib.contextmanager
def _captured(records: list):
    handler = _Capture(records)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)


def _sendable(error: BaseException) -> BaseException:
    """The error itself when it survives pickling, else its words in a RuntimeError."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__} : {error}")
    return error


def _exit_reason(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"code {os.waitstatus_to_exitcode(status)}"
