"""An article's source as text: UTF-8, or a message that says where it is not and what to do."""

import logging
import os
from typing import NoReturn

logger = logging.getLogger(__name__)

REENCODE = "Réenregistrez-le en UTF-8 (ou importez-le avec « invoke import », qui détecte l’encodage)."


class UnreadableText(ValueError):
    """A source file that cannot be read as UTF-8 text; the message says where and what to do."""


def read_text(path: str) -> str:
    """The file's text, as pelican_open gives it (UTF-8, a leading BOM dropped). Pelican
    reports an undecodable file as « Could not process » alone: the reason and the
    place are logged here first."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        _fail(path, f"le fichier ne peut pas être lu ({error.strerror}). Vérifiez ses droits.")
    problem = text_problem(data)
    if problem:
        _fail(path, problem)
    return data.decode("utf-8-sig")


def _fail(path: str, problem: str) -> NoReturn:
    message = f"{_shown(path)} : {problem}"
    logger.error("%s", message)
    raise UnreadableText(message)


def text_problem(data: bytes) -> str | None:
    """What makes `data` unfit as a UTF-8 text file, with its byte offset and line; None if fit."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        where = _place(data, error.start)
        return f"octet 0x{data[error.start]:02x} invalide {where} : le fichier n’est pas en UTF-8. {REENCODE}"
    if b"\0" in data:
        where = _place(data, data.index(b"\0"))
        return f"octet nul (0x00) {where} : ce n’est pas un fichier texte (UTF-16, ou binaire ?). {REENCODE}"
    return None


def _place(data: bytes, offset: int) -> str:
    # Lines as Markdown counts them: \r\n, \n, or \r alone (an old Mac's file).
    line = data[:offset].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
    return f"à la position {offset} (ligne {line})"


def _shown(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative
