"""The articles read on every core before Pelican reads them one by one.

Just before the articles generator reads its first file, the files that its reader cache does not
hold yet are read by worker processes forked from the build: each one reads with the build's own
reader objects (the same classes, as the plugins wired them at `readers_init`), and what it reads
fills that cache in memory, where Pelican then finds it, as an incremental build finds what the
last one read. The pages are those of a serial read by construction.

A file whose reading fails or logs a warning in a worker is left out: Pelican reads it itself, so
that what is said about it, and where, is what a serial build says. A worker that dies leaves its
files to Pelican as well: the build never waits for it.
"""

import io
import logging
import os
import pickle
import signal
import sys
from collections import deque
from collections.abc import Iterator
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait

from pelican import signals
from pelican.readers import _filter_discardable_metadata
from pelican.utils import file_suffix

from .pelican_cache import keep_read

logger = logging.getLogger(__name__)

# Settings: how many processes read (1: Pelican alone reads, as before), and from how many files
# to read the worker processes start (starting one costs more than reading a few articles).
WORKERS = "READ_PROCESSES"
WORKERS_FROM = "READ_PARALLEL_FROM"
DEFAULT_FROM = 64
CHUNK = 25  # files per message: small enough to share the work evenly, big enough to cost little
AHEAD = 2  # chunks sent before the previous ones come back, so that no worker waits for the build
_SETTINGS = "settings"  # the persistent id of the build's settings in what a worker sends back


def machine_cores() -> int:
    """The cores this process may run on (a container or `taskset` may give it fewer than the machine's)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class ReadAhead:
    """Connected to `article_generator_preread` for one Pelican run: the first signal of each
    generator, sent before its first file is read, reads its articles ahead."""

    def __init__(self):
        self._done: set[int] = set()

    def __call__(self, generator) -> None:
        if id(generator) in self._done:
            return
        self._done.add(id(generator))
        read_ahead(generator)

    def __enter__(self):
        signals.article_generator_preread.connect(self, weak=False)
        return self

    def __exit__(self, *exc):
        signals.article_generator_preread.disconnect(self)
        return False


def worker_count(settings, items: int) -> int:
    """How many processes share `items` files or texts: READ_PROCESSES (one per core by default),
    or 1 below READ_PARALLEL_FROM, where starting the workers costs more than they save."""
    if items < settings.get(WORKERS_FROM, DEFAULT_FROM):
        return 1
    return settings.get(WORKERS) or machine_cores()


def read_ahead(generator) -> None:
    settings = generator.settings
    readers = generator.readers
    paths = [
        os.path.abspath(os.path.join(generator.path, name))
        for name in generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    ]
    # As Readers.read_file looks for a file: by its absolute path, its stamp checked.
    unread = [p for p in paths if file_suffix(p) in readers.readers and readers.get_cached_data(p) is None]
    workers = worker_count(settings, len(unread))
    if workers < 2:
        return
    for path, read in read_in_workers(readers, sorted(unread), workers):
        keep_read(readers, path, read)


def read_in_workers(readers, paths: list[str], workers: int) -> Iterator[tuple[str, tuple]]:
    """(path, (content, metadata)) for each file of `paths` read without a warning."""
    pending = deque(paths[i : i + CHUNK] for i in range(0, len(paths), CHUNK))
    # Output not yet written would be written again by each worker as it ends.
    sys.stdout.flush()
    sys.stderr.flush()
    context = get_context("fork")  # the workers are the build: its readers, plugins and settings as they are
    processes = {}
    try:
        for _ in range(min(workers, len(pending))):
            here, there = context.Pipe()
            process = context.Process(
                target=_work, args=(readers, there, os.getpid(), list(processes)), daemon=True
            )
            process.start()
            there.close()
            processes[here] = process
        sent = dict.fromkeys(processes, 0)
        for _ in range(AHEAD):  # round by round: every worker has work from the start
            for connection in processes:
                sent[connection] += _send_work(connection, pending, 1)
        while sent:
            for connection in wait(list(sent)):
                try:
                    data = connection.recv_bytes()
                except (EOFError, OSError):
                    del sent[connection]  # a worker that died: Pelican reads what it had
                    continue
                yield from _loads(data, readers.settings)
                sent[connection] += _send_work(connection, pending, 1) - 1
                if not sent[connection]:
                    connection.send(None)
                    del sent[connection]
    finally:
        for connection, process in processes.items():
            connection.close()
            if process.is_alive():
                process.terminate()  # interrupted, or an error in the build: no worker stays
            process.join()


def _send_work(connection: Connection, pending: deque, count: int) -> int:
    sent = 0
    while pending and sent < count:
        connection.send(pending.popleft())
        sent += 1
    return sent


def _work(readers, connection: Connection, parent: int, others: list[Connection]) -> None:
    """A worker: reads the files it is sent, sends back what it read, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle: it ends the workers
    for other in others:
        other.close()
    heard = _keep_log_records()
    while True:
        try:
            paths = connection.recv()
        except EOFError:
            return  # the build has gone
        if paths is None:
            return
        read = []
        for path in paths:
            if os.getppid() != parent:
                os._exit(1)  # the build was killed: stop at once
            said = len(heard)
            try:
                content, metadata = readers.readers[file_suffix(path)].read(path)
            except Exception:
                continue  # Pelican reads it and says why
            if len(heard) == said:
                read.append((path, (content, _filter_discardable_metadata(metadata))))
        connection.send_bytes(_dumps(read, readers.settings))


def _keep_log_records() -> list[logging.LogRecord]:
    """In a worker, every warning is kept instead of being shown or filtered: the file read is then
    left to Pelican, which says it where a serial build says it."""
    heard: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            heard.append(record)

    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    for each in loggers:
        if isinstance(each, logging.Logger):
            each.handlers.clear()
            each.filters.clear()  # Pelican's LimitFilter would hide a warning said once already
            each.propagate = True
    logging.getLogger().addHandler(Keep(logging.WARNING))
    return heard


class _Pickler(pickle.Pickler):
    """The build's settings, which every tag, author and category read refers to, are not sent
    back: the build puts its own in their place, as a serial read gives them."""

    def __init__(self, file, settings):
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self._settings = settings

    def persistent_id(self, obj):
        return _SETTINGS if obj is self._settings else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, settings):
        super().__init__(file)
        self._settings = settings

    def persistent_load(self, pid):
        if pid != _SETTINGS:
            raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")
        return self._settings


def _dumps(read: list, settings) -> bytes:
    buffer = io.BytesIO()
    try:
        _Pickler(buffer, settings).dump(read)
    except Exception:  # something read that cannot be sent: only what can is sent, Pelican reads the rest
        buffer = io.BytesIO()
        _Pickler(buffer, settings).dump([item for item in read if _sendable(item, settings)])
    return buffer.getvalue()


def _sendable(item, settings) -> bool:
    try:
        _Pickler(io.BytesIO(), settings).dump(item)
    except Exception:
        return False
    return True


def _loads(data: bytes, settings) -> list:
    return _Unpickler(io.BytesIO(data), settings).load()
