"""`invoke livereload` shows a save that only edits an article's text before the exact build
(carnet/preview/fast_edit.py), and the site still ends equal to a clean full build; a save
of code that does not compile is said, with its file and line, instead of a crash."""

import queue
import signal

from tests.project import project_copy
from tests.test_live_session import LivePage, assert_same_as_a_clean_build, files
from tests.test_livereload import Preview

ADDRESS = r"Aperçu en direct : (http://127\.0\.0\.1:\d+/)"
SAVED = r"Modifié : content/articles/{} "
FAST = "aperçu rapide"
# The end of a save's builds: the exact build gave the pages shown, or reloaded on its own.
DONE = r"Site à jour|Page rechargée dans le navigateur\.$"


def forget_reloads(page: LivePage) -> None:
    while True:
        try:
            page.reloads.get_nowait()
        except queue.Empty:
            return


def test_a_text_edit_shows_before_the_exact_build_and_the_session_ends_on_a_clean_build(tmp_path):
    project = project_copy(tmp_path)
    articles = project / "content/articles"
    edited = articles / "perdre-des-clients.md"
    original = edited.read_text(encoding="utf-8")
    other = articles / "aujourdhui-jai-rencontre-un-partenaire.md"
    other_text = other.read_text(encoding="utf-8")
    preview = Preview(project)

    def save(path, text: str) -> list[str]:
        """Save, wait for the save's builds to end; what the session said meanwhile."""
        forget_reloads(page)
        start = len(preview.drain())
        path.write_text(text, encoding="utf-8")
        preview.wait_for(SAVED.format(path.name), timeout=120)
        preview.wait_for(DONE, timeout=120)
        page.wait_for_reload(timeout=5)  # at least one reload came
        return preview.drain()[start:]

    try:
        page = LivePage(preview.wait_for(ADDRESS).group(1))
        # The text alone: the page is shown from the fast step, then the exact build runs.
        said = save(edited, original + "\nUne phrase ajoutée en direct.\n")
        assert any(FAST in line for line in said), said
        fast_line = next(n for n, line in enumerate(said) if FAST in line)
        assert not any("Site construit" in line for line in said[:fast_line])
        assert "Une phrase ajoutée" in (project / "output/perdre-des-clients/index.html").read_text("utf-8")
        # The title shows on other pages (lists, feeds, neighbours): no fast step.
        titled = original.replace("Title: Perdre des clients", "Title: Perdre des clients fidèles")
        said = save(edited, titled)
        assert not any(FAST in line for line in said), said
        assert "Perdre des clients fidèles" in (project / "output/index.html").read_text("utf-8")
        # A résumé left open: no fast step, the exact build holds the article back and says so.
        said = save(edited, original.replace("\n:::\n", "\n", 1))
        assert not any(FAST in line for line in said), said
        assert not (project / "output/perdre-des-clients/index.html").exists()
        said = save(edited, original + "\nRéparé.\n")
        assert "Réparé." in (project / "output/perdre-des-clients/index.html").read_text("utf-8")
        # A résumé that links another article: its link is resolved by the exact build alone.
        link = "[Voir aussi]({filename}aujourdhui-jai-rencontre-un-partenaire.md) "
        said = save(edited, original.replace("\n- ", "\n- " + link, 1) + "\nRéparé.\n")
        assert not any(FAST in line for line in said), said
        shown = (project / "output/perdre-des-clients/index.html").read_text("utf-8")
        assert '<a href="/aujourdhui-jai-rencontre-un-partenaire/">Voir aussi</a>' in shown
        assert "{filename}" not in shown
        # Two text edits in a row: the second comes during the first's exact build, which
        # stops and starts again with it; the page shows the last.
        forget_reloads(page)
        other.write_text(other_text + "\nPremière retouche.\n", encoding="utf-8")
        preview.wait_for(FAST, timeout=120)
        other.write_text(other_text + "\nSeconde retouche.\n", encoding="utf-8")
        preview.wait_for(SAVED.format(other.name), timeout=120)
        preview.wait_for(DONE, timeout=120)
        shown = (project / "output/aujourdhui-jai-rencontre-un-partenaire/index.html").read_text("utf-8")
        assert "Seconde retouche." in shown
        assert "Première retouche." not in shown
        live = files(project / "output")
    finally:
        preview.process.send_signal(signal.SIGINT)
        stderr = preview.process.communicate(timeout=60)[1]
    assert "Traceback" not in stderr
    assert "perdre-des-clients.md" in stderr  # the held-back article was reported
    assert_same_as_a_clean_build(project, live, tmp_path)


def test_a_syntax_error_saved_in_the_code_is_said_and_the_session_restarts_once_fixed(tmp_path):
    project = project_copy(tmp_path)
    module = project / "carnet/publishing/headers.py"
    source = module.read_text("utf-8")
    preview = Preview(project)
    try:
        address = preview.wait_for(ADDRESS).group(1)
        page = LivePage(address)
        module.write_text(source + "\ndef broken(:\n", "utf-8")
        lines = source.count("\n") + 2
        said = preview.wait_for(r"Erreur de syntaxe dans carnet/publishing/headers\.py, ligne (\d+)", 60)
        assert int(said.group(1)) == lines
        assert preview.process.poll() is None  # still serving the last site
        assert page.thread.is_alive()
        module.write_text(source, "utf-8")
        preview.wait_for(r"Modifié : carnet/publishing/headers\.py — le code a changé", 60)
        assert preview.wait_for(r"Aperçu en direct : (http://\S+/)", 120).group(1) == address
    finally:
        preview.process.send_signal(signal.SIGINT)
        stderr = preview.process.communicate(timeout=60)[1]
    assert "Traceback" not in stderr
