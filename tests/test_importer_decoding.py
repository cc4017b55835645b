"""invoke import: reading raw files, and refusing what is not text, with the file's name."""

import codecs
from pathlib import Path

import pytest

from carnet.importer import RawTextError
from carnet.importer.decoding import decode_bytes, read_raw
from carnet.importer.pipeline import import_files

FRENCH = "L’écoute active : « ça s’apprend », même à cœur ouvert… Déjà là ? Oui !\nDeuxième ligne.\n"


def test_utf8_is_read_as_is():
    raw = decode_bytes(FRENCH.encode("utf-8"), "a.txt")
    assert raw.text == FRENCH
    assert raw.encoding == "utf-8"


def test_utf8_byte_order_mark_is_dropped():
    assert decode_bytes(codecs.BOM_UTF8 + FRENCH.encode("utf-8"), "a.txt").text == FRENCH


def test_windows_1252_is_detected():
    raw = decode_bytes(FRENCH.encode("cp1252"), "a.txt")
    assert raw.text == FRENCH
    assert raw.encoding == "cp1252"


def test_windows_1252_short_text_is_detected():
    assert decode_bytes("Café crème\n".encode("cp1252"), "a.txt").text == "Café crème\n"


def test_utf16_with_byte_order_mark_is_read():
    assert decode_bytes(FRENCH.encode("utf-16"), "a.txt").text == FRENCH


def test_windows_line_endings_are_normalised():
    assert decode_bytes(b"Un\r\nDeux\rTrois", "a.txt").text == "Un\nDeux\nTrois"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "fichier vide"),
        (b" \n\t\n ", "fichier vide"),
        (b"Du texte\x00puis des octets nuls\x00\x00", "binaire"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image PNG"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "archive ZIP"),
        (b"Un texte\x07 avec\x1b[31m des codes de contr\x01le", "caractère(s) de contrôle"),
        ("これは日本語のテキストです。".encode("shift_jis"), "encodage illisible"),
    ],
)
def test_what_is_not_text_is_refused_with_the_file_name(data, reason):
    with pytest.raises(RawTextError) as caught:
        decode_bytes(data, "brut/article.txt")
    assert str(caught.value).startswith("brut/article.txt : ")
    assert reason in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_missing_file_and_folder_are_named(tmp_path):
    with pytest.raises(RawTextError, match=r"absent\.txt : fichier introuvable"):
        read_raw(tmp_path / "absent.txt")
    with pytest.raises(RawTextError, match="dossier"):
        read_raw(tmp_path)


def test_unreadable_file_is_named(tmp_path, monkeypatch):
    locked = tmp_path / "verrou.txt"
    locked.write_text("Texte", encoding="utf-8")

    def refuse(self):
        raise PermissionError(13, "Permission non accordée")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(RawTextError, match=r"verrou\.txt : lecture impossible \(Permission non accordée\)"):
        read_raw(locked)


def test_bad_files_do_not_stop_the_others(tmp_path):
    good = tmp_path / "bon.txt"
    good.write_text(
        "Un titre\n\nUn paragraphe de l’article, avec assez de mots pour en être un.\n", encoding="utf-8"
    )
    empty = tmp_path / "vide.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n")
    chrome_only = tmp_path / "habillage.txt"
    chrome_only.write_text("Aucun commentaire:\nEnregistrer un commentaire\n", encoding="utf-8")
    missing = tmp_path / "absent.txt"
    out = tmp_path / "brouillons"
    results, _ = import_files([empty, missing, good, binary, chrome_only], out)
    errors = {result.source.name: result.error for result in results}
    assert errors["bon.txt"] is None
    assert "vide.txt : fichier vide" in errors["vide.txt"]
    assert "absent.txt : fichier introuvable" in errors["absent.txt"]
    assert "image.txt : ce n’est pas un fichier texte" in errors["image.txt"]
    assert "habillage.txt : aucun texte d’article" in errors["habillage.txt"]
    assert [path.name for path in out.iterdir()] == ["un-titre.md"]


def test_fixture_in_windows_1252_is_really_not_utf8():
    data = (Path(__file__).parent / "fixtures/raw/blogue_windows1252.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert "L’art de poser" in decode_bytes(data, "x").text
