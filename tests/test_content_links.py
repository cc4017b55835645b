"""What content/ may hold: nothing outside it goes online, and a file that is not UTF-8
text is named with the reason and the place. Either way the build fails and the live
site stays as it was."""

import os
import subprocess

import pytest

from carnet.builds.content_links import refused_places
from carnet.check.run import check_archive
from tests.project import ROOT, fingerprint, invoke, project_copy
from tests.sitebuild import article


def said_refused(content, root) -> list[str]:
    """What the build runner refuses in `content` (refused_places), one line each."""
    return [f"{path} : {problem}" for path, problem in refused_places(content, root)]


def flat(output: str) -> str:
    """The report's lines joined back (it wraps them at 80 columns)."""
    return " ".join(output.replace("\u00a0", " ").split())


def build(project) -> subprocess.CompletedProcess:
    """`invoke build`, its log lines unwrapped (Rich wraps them to the terminal's width)."""
    return invoke(project, "build", columns=400)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    copy = project_copy(tmp_path_factory.mktemp("content-links"))
    result = build(copy)
    assert result.returncode == 0, result.stderr
    return copy


def test_links_out_of_content_are_refused_and_nothing_goes_online(project, tmp_path):
    before = fingerprint(project)
    outside = tmp_path / "secret.md"
    outside.write_text(article("Secret"), encoding="utf-8")
    links = {
        "content/images/passwd.txt": "/etc/passwd",
        "content/images/etc": "/etc",
        "content/articles/secret.md": str(outside),
    }
    (project / "content/images").mkdir(exist_ok=True)
    for link, target in links.items():
        os.symlink(target, project / link)
    try:
        result = build(project)
        # `invoke check` applies the same refusal, as errors, and never reads /etc/passwd.
        checked = invoke(project, "check")
    finally:
        for link in links:
            (project / link).unlink()
    assert result.returncode == checked.returncode == 1
    said = flat(result.stderr)
    refusals = [
        "content/images/passwd.txt: erreur : lien vers /etc/passwd, hors de content/ : refusé "
        "(remplacez-le par une copie du fichier)",
        "content/images/etc: erreur : lien vers /etc, hors de content/ : refusé (remplacez-le par une "
        "copie du dossier)",
        f"content/articles/secret.md: erreur : lien vers {outside}, hors de content/",
    ]
    for refusal in refusals:
        assert refusal in said
        assert refusal in flat(checked.stdout)
    assert "root:" not in checked.stdout  # /etc/passwd was not read as an article
    assert "3 erreurs" in checked.stdout
    assert "le site en ligne (output/) et l’index de recherche n’ont pas changé" in said
    assert "Bilan : rien n’est publié, le site en ligne reste celui d’avant." in said
    assert fingerprint(project) == before
    assert not list(project.glob(".site/builds/*/output/images/passwd.txt"))


def test_links_to_other_places_in_content_are_published(project):
    images, shared = project / "content/images", project / "content/partage"
    images.mkdir(exist_ok=True)
    shared.mkdir()
    svg = '<svg xmlns="http://www.w3.org/2000/svg"/>\n'
    (shared / "schema.svg").write_text(svg, encoding="utf-8")
    os.symlink("../partage/schema.svg", images / "schema.svg")  # a file
    os.symlink("../partage", images / "partage")  # a folder
    try:
        result = build(project)
        assert result.returncode == 0, result.stderr
        assert (project / "output/images/schema.svg").read_text(encoding="utf-8") == svg
        assert (project / "output/images/partage/schema.svg").read_text(encoding="utf-8") == svg
    finally:
        for link in (images / "schema.svg", images / "partage", shared / "schema.svg"):
            link.unlink()
        shared.rmdir()


def test_dangling_links_loops_and_pipes_are_refused(tmp_path):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    os.symlink(tmp_path / "nulle-part.md", content / "articles/absent.md")
    os.symlink("boucle-b", content / "boucle-a")
    os.symlink("boucle-a", content / "boucle-b")
    os.symlink("..", content / "articles/parent")  # content/ itself: Pelican would walk it forever
    os.mkfifo(content / "articles/tube.md")
    problems = said_refused(content, tmp_path)
    removal = "refusé (supprimez-le)"
    assert problems == [
        f"content/boucle-a : lien vers boucle-b, qui tourne en boucle : {removal}",
        f"content/boucle-b : lien vers boucle-a, qui tourne en boucle : {removal}",
        f"content/articles/absent.md : lien vers {tmp_path}/nulle-part.md, qui n’existe pas : {removal}",
        f"content/articles/parent : lien vers {content}, un dossier qui le contient (boucle) : {removal}",
        "content/articles/tube.md : ni un fichier ni un dossier (tube, périphérique ?) : refusé",
    ]
    # `invoke check` says the same, as errors, without waiting on the pipe or following a link.
    findings, _ = check_archive(ROOT / "pelicanconf.py", content)
    said = sorted(f"{finding.file} : {finding.message}" for finding in findings)
    assert said == sorted(said_refused(content, ROOT))  # named from the project, as build does
    assert len(said) == len(problems)
    assert {finding.severity for finding in findings} == {"erreur"}


def test_an_editors_lock_link_does_not_refuse_the_build(project):
    """Emacs locks an article being edited with `.#name.md`, a link to nowhere: the build and
    the check go on while the author has it open. A name Pelican ignores that leads outside
    content/ is still refused: the project reads some such files (tagmap.toml) itself."""
    articles = project / "content/articles"
    edited = sorted(articles.glob("*.md"))[0]
    lock = articles / f".#{edited.name}"
    os.symlink("auteur@machine.4242:1732870000", lock)
    outside = project / "content/.#tagmap.toml"
    os.symlink("/etc/passwd", outside)
    try:
        assert [path for path, _ in refused_places(project / "content", project, [".#*"])] == [
            "content/.#tagmap.toml"
        ]
        outside.unlink()
        # A file Pelican ignores but the project reads is refused even as a link to nowhere.
        os.symlink("../ailleurs/tagmap.toml", outside.with_name("carte.toml"))
        try:
            refused = refused_places(project / "content", project, [".#*", "*.toml"], ["carte.toml"])
        finally:
            outside.with_name("carte.toml").unlink()
        assert [path for path, _ in refused] == ["content/carte.toml"]
        assert len(refused_places(project / "content", project)) == 1  # the lock, without the patterns
        result = build(project)
        checked = invoke(project, "check")
    finally:
        lock.unlink()
        outside.unlink(missing_ok=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert checked.returncode == 0, checked.stdout
    assert "lien" not in flat(result.stdout + result.stderr)
    assert (project / f"output/{edited.stem}/index.html").is_file()


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (b"Caf\xe9 noir", "octet 0xe9 invalide"),  # Windows-1252, saved as is
        (b"Caf\x00 noir", "octet nul (0x00)"),
    ],
)
def test_a_file_that_is_not_utf8_text_is_named_with_the_byte_and_its_place(project, bad, reason):
    head = article("Mal encodé", body="Un premier paragraphe.\n\nPuis : ").encode("utf-8")
    data = head + bad + b".\n"
    offset = len(head) + 3
    line = head.count(b"\n") + 1
    path = project / "content/articles/mal-encode.md"
    path.write_bytes(data)
    try:
        result = build(project)
    finally:
        path.unlink()
    assert result.returncode == 1  # held back: the rest of the site goes online
    said = " ".join((result.stdout + result.stderr).replace("\u00a0", " ").split())  # unwrapped
    assert f"articles/mal-encode.md:{line}: erreur : {reason} à la position {offset} (ligne {line})" in said
    assert (
        "Réenregistrez-le en UTF-8 (ou importez-le avec « invoke import », qui détecte l’encodage)." in said
    )
    assert not (project / "output/mal-encode").exists()
    assert (project / "output/perdre-des-clients/index.html").is_file()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_a_file_that_cannot_be_read_is_named(project):
    path = project / "content/articles/illisible.md"
    path.write_text(article("Illisible"), encoding="utf-8")
    path.chmod(0)
    try:
        result = build(project)
    finally:
        path.unlink()
    assert result.returncode == 1
    said = result.stdout + result.stderr
    assert "illisible.md" in said
    assert "Permission denied" in said
