"""Read a raw file as text: UTF-8, else Windows-1252 when charset-normalizer recognises it.

Anything else (a binary file, an image, another encoding, an empty file) is refused
with a `RawTextError` that names the file, so that a batch goes on with the others.
"""

import codecs
import logging
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from .errors import RawTextError

logger = logging.getLogger(__name__)

# Signatures of common non-text files, to say what the file is rather than "unreadable".
_MAGIC = {
    b"%PDF": "un PDF",
    b"\x89PNG": "une image PNG",
    b"\xff\xd8\xff": "une image JPEG",
    b"GIF8": "une image GIF",
    b"PK\x03\x04": "une archive ZIP (ou un document Word/OpenDocument)",
    b"\x1f\x8b": "une archive gzip",
    b"\xd0\xcf\x11\xe0": "un document Office ancien",
    b"{\\rtf": "un document RTF",
}
# charset-normalizer's "chaos" (0 to 1): above this, the bytes are not French text in cp1252.
_MAX_CHAOS = 0.2
# Control characters a text file may hold; any other is a sign of binary content.
_ALLOWED_CONTROLS = {"\n", "\r", "\t", "\f", "\v"}


@dataclass(frozen=True)
class RawText:
    text: str  # newlines normalised to \n
    encoding: str  # "utf-8" or "cp1252"


def read_raw(path: Path) -> RawText:
    """The text of `path`; a `RawTextError` naming the file if it cannot be read as text."""
    name = str(path)
    if not path.exists():
        raise RawTextError(name, "fichier introuvable")
    if path.is_dir():
        raise RawTextError(name, "c’est un dossier, pas un fichier texte")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RawTextError(name, f"lecture impossible ({error.strerror or error})") from None
    return decode_bytes(data, name)


def decode_bytes(data: bytes, source: str) -> RawText:
    if not data.strip():
        raise RawTextError(source, "fichier vide")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise RawTextError(source, f"ce n’est pas un fichier texte mais {what}")
    text, encoding = _decode(data, source)
    controls = sum(1 for char in text if unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROLS)
    if controls:
        raise RawTextError(
            source, f"ce n’est pas un fichier texte ({controls} caractère(s) de contrôle, contenu binaire ?)"
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise RawTextError(source, "fichier vide (rien que des espaces)")
    return RawText(text=text, encoding=encoding)


def _decode(data: bytes, source: str) -> tuple[str, str]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Windows Notepad's « Unicode »: its byte-order mark says so without doubt.
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise RawTextError(source, "encodage illisible (UTF-16 invalide)") from None
    if b"\x00" in data:
        raise RawTextError(source, "ce n’est pas un fichier texte (octets nuls : fichier binaire)")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Not UTF-8: the other encoding of the archive is Windows-1252. Asking
    # charset-normalizer for it alone avoids its guessing a Central-European code page.
    best = from_bytes(data, cp_isolation=["cp1252"]).best()
    if best is None or best.chaos > _MAX_CHAOS:
        raise RawTextError(
            source, "encodage illisible : ni UTF-8 ni Windows-1252 ; réenregistrez le fichier en UTF-8"
        )
    logger.debug("%s: not UTF-8, read as Windows-1252 (chaos %.2f)", source, best.chaos)
    return str(best), "cp1252"
