"""What a build keeps for the next one (caches, page keys, index bookkeeping): written whole
or not at all, and, when it cannot be read back, set aside with a notice and rebuilt.

A build may be killed at any instant (kill -9, a full disk, a power cut): a file written
in place is then left empty or cut, and every later build would trip on it.
"""

import json
import logging
import os
import pickle
import shutil
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

logger = logging.getLogger(__name__)
# Notices are INFO, so that `--strict` (which fails on warnings) still passes; this
# logger shows them even though the build only shows warnings from everyone else.
logger.setLevel(logging.INFO)

# Temporary files are named `<name>.<TEMPORARY_MARK><pid>`, beside the file they replace.
TEMPORARY_MARK = "en-cours-"


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """Write `path` through a temporary file in the same folder, flushed to disk and then
    renamed over it: readers, and the next build, see the old file or the new one."""
    path = Path(path)
    temporary = path.with_name(f"{path.name}.{TEMPORARY_MARK}{os.getpid()}")
    try:
        with open(temporary, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if path.is_dir() and not path.is_symlink():
            # A folder where a kept file goes (made by hand): its reader set it aside (said it
            # unreadable); left there, it would refuse every build's file, a warning each time.
            remove_kept(path)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def remove_kept(path: Path) -> None:
    """Remove a kept file, or a folder found in its place; nothing if there is none."""
    try:
        Path(path).unlink(missing_ok=True)
    except IsADirectoryError:
        shutil.rmtree(path, ignore_errors=True)


def _sync_folder(folder: Path) -> None:
    """The rename itself reaches the disk only with its folder."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def remove_leftovers(folder: Path) -> None:
    """Temporary files of builds killed while writing. Call it under the build lock only:
    another build's temporary file is not a leftover."""
    for path in Path(folder).glob(f"*.{TEMPORARY_MARK}*"):
        path.unlink(missing_ok=True)


def notice_unreadable(path: Path, error: BaseException | str, consequence: str) -> None:
    """One line saying which kept file was set aside, why, and what the build does instead.
    `error`: what reading it raised, or why already said (`unreadable_reason`)."""
    try:
        empty = Path(path).stat().st_size == 0
    except OSError:
        empty = False
    reason = "fichier vide" if empty else error if isinstance(error, str) else unreadable_reason(error)
    logger.info("%s illisible (%s) : mis de côté, %s.", _shown(path), reason, consequence)


# What reading a damaged kept file raises, in French: the author reads these lines. The most
# precise first (a JSONDecodeError is a ValueError, a PermissionError an OSError).
_REASONS: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], str], ...] = (
    (EOFError, "fichier tronqué"),
    (pickle.UnpicklingError, "données abîmées"),
    (json.JSONDecodeError, "JSON abîmé"),
    (UnicodeError, "texte qui n’est pas de l’UTF-8"),
    (zlib.error, "données compressées abîmées"),
    (PermissionError, "lecture refusée"),
    (IsADirectoryError, "c’est un dossier"),
    ((ImportError, AttributeError), "écrit par une autre version du code"),
    (OSError, "erreur de lecture"),
)


def unreadable_reason(error: BaseException) -> str:
    """Why a kept file could not be read, in French, with the exception's name for the curious."""
    said = next((said for kind, said in _REASONS if isinstance(error, kind)), "contenu inattendu")
    return f"{said}, {type(error).__name__}"


def _shown(path: Path) -> str:
    """The path relative to the working folder (the project's root), when it is under it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)
