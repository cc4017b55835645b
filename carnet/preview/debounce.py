"""When to rebuild after saves: once per burst, when the files have been still for a moment."""

from dataclasses import dataclass


@dataclass
class Debouncer:
    """A save is often several writes (an editor writes a copy, then renames it; « save all »
    writes several files): the build waits until nothing has changed for `quiet_s`, or at
    most `longest_s` after the first change of the burst, then runs once for all of them."""

    quiet_s: float = 0.3
    longest_s: float = 2.0
    first: float | None = None
    last: float | None = None

    def changed(self, now: float) -> None:
        if self.first is None:
            self.first = now
        self.last = now

    @property
    def pending(self) -> bool:
        return self.first is not None

    def due(self, now: float) -> bool:
        if self.first is None or self.last is None:
            return False
        return now - self.last >= self.quiet_s or now - self.first >= self.longest_s

    def take(self) -> None:
        """The build starts: what changed until now is in it."""
        self.first = self.last = None
