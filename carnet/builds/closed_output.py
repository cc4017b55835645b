"""Output whose reader has gone (`invoke build | head`): the task goes on, silently.

Python raises BrokenPipeError at the first write after the pipe's reader has closed it: a
build would show a traceback after its work, or fail in the middle of it. The standard
streams are wrapped so that, from that moment, what they are given goes nowhere, as the
Python documentation advises (« Note on SIGPIPE »): the stream's file descriptor is pointed
at /dev/null, so that the last flush at exit, and any process forked later, stay quiet too.
"""

import os
import sys


class QuietWhenClosed:
    """A text stream that drops what it is given once its reader has gone."""

    def __init__(self, stream):
        self._stream = stream
        self._gone = False

    def write(self, text: str) -> int:
        if not self._gone:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._reader_gone()
        return len(text)

    def flush(self) -> None:
        if not self._gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._reader_gone()

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name):
        return getattr(self._stream, name)

    def _reader_gone(self) -> None:
        self._gone = True
        nowhere = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(nowhere, self._stream.fileno())
        except (OSError, ValueError):  # no file descriptor (a test's capture): dropping suffices
            pass
        finally:
            os.close(nowhere)


def quiet_when_closed() -> None:
    """Wrap sys.stdout and sys.stderr (once): a closed pipe no longer stops the task."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, QuietWhenClosed):
            setattr(sys, name, QuietWhenClosed(stream))
