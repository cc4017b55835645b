"""Why a kept file could not be read, said in French: what reading real damaged files raises."""

import gzip
import json
import pickle
import sys
import types
import zlib
from pathlib import Path

import pytest

from carnet.builds.kept import notice_unreadable, unreadable_reason


def pickled_from_a_module_gone() -> bytes:
    """An object pickled by code that has since been renamed away."""
    module = types.ModuleType("carnet_renamed_since")
    exec("class Kept:\n    pass\n", module.__dict__)
    module.Kept.__module__ = module.__name__
    sys.modules[module.__name__] = module
    try:
        return pickle.dumps(module.Kept())
    finally:
        del sys.modules[module.__name__]


def raised(read) -> BaseException:
    try:
        read()
    except Exception as error:
        return error
    raise AssertionError("reading did not fail")


@pytest.mark.parametrize(
    ("read", "said"),
    [
        (lambda: pickle.loads(b""), "fichier tronqué"),
        # What Pelican's cache cut in half raises:
        (lambda: pickle.loads(pickle.dumps(list(range(1000)))[:50]), "données abîmées"),
        (lambda: pickle.loads(b"\x80\x05garbage"), "données abîmées"),
        (lambda: json.loads('{"pages": [1, 2'), "JSON abîmé"),
        (lambda: b"\xff\xfe\xfa".decode("utf-8"), "texte qui n’est pas de l’UTF-8"),
        (lambda: zlib.decompress(b"not zlib at all"), "données compressées abîmées"),
        (lambda: gzip.decompress(b"not gzip at all"), "erreur de lecture"),
        (lambda: pickle.loads(pickled_from_a_module_gone()), "écrit par une autre version du code"),
        (lambda: Path("/").read_bytes(), "c’est un dossier"),
        (lambda: {}["key"], "contenu inattendu"),
    ],
)
def test_each_damage_is_said_in_french(read, said):
    error = raised(read)
    assert unreadable_reason(error) == f"{said}, {type(error).__name__}"


def test_the_notice_names_the_file_and_what_the_build_does(tmp_path, caplog):
    path = tmp_path / "related-terms.pickle"
    path.write_bytes(b"\x80\x05garbage")
    caplog.set_level("INFO", logger="carnet.builds.kept")
    notice_unreadable(path, raised(lambda: pickle.loads(path.read_bytes())), "les termes seront recomptés")
    [line] = caplog.messages
    assert line.endswith(
        "related-terms.pickle illisible (données abîmées, UnpicklingError) : "
        "mis de côté, les termes seront recomptés."
    )
    path.write_bytes(b"")
    notice_unreadable(path, "peu importe", "les termes seront recomptés")
    assert "(fichier vide)" in caplog.messages[-1]
