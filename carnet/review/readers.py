"""Pelican's readers, reading `Date:` and `Modified:` in French too (carnet/review/dates.py)."""

from .dates import read_date


class FrenchDates:
    """The mark of a reader class that reads dates in French."""


# One subclass per reader class, for the whole process: the readers are set up again at every
# build (livereload), and Pelican's content cache pickles what they read, by class.
_wrapped: dict[type, type] = {}


def french_dates(reader: type) -> type:
    """`reader`, with its dates read in French; an unreadable date is left out of the metadata
    (the review holds the article back and says why) instead of failing the whole file."""
    if issubclass(reader, FrenchDates):
        return reader
    if reader not in _wrapped:

        def process_metadata(self, name, value):
            if name in ("date", "modified"):
                return read_date(value)  # None when unreadable: dropped in read()
            return reader.process_metadata(self, name, value)

        def read(self, source_path):
            content, metadata = reader.read(self, source_path)
            return content, {key: value for key, value in metadata.items() if value is not None}

        _wrapped[reader] = type(
            reader.__name__, (reader, FrenchDates), {"process_metadata": process_metadata, "read": read}
        )
    return _wrapped[reader]
