"""`invoke livereload` keeps one session for all the saves: whatever the saves, the site it
ends on is the site a clean full build makes of the same files, byte for byte; what it keeps
in memory between builds gives the digests `invoke build` computes."""

import asyncio
import json
import queue
import signal
import threading
from pathlib import Path

from carnet.builds.pipeline import build_site
from carnet.preview.live import LIVE_OVERRIDES
from tests.project import project_copy
from tests.test_livereload import Preview

PROTOCOL = "http://livereload.com/protocols/official-7"


class LivePage:
    """A page open in the preview, as livereload.js is: it says hello, then info, and hears reloads."""

    def __init__(self, address: str):
        self.reloads: queue.Queue[dict] = queue.Queue()
        self.ready = threading.Event()
        self.url = address.replace("http://", "ws://", 1) + "livereload"
        self.thread = threading.Thread(target=asyncio.run, args=(self._listen(address),), daemon=True)
        self.thread.start()
        assert self.ready.wait(10), "the page never connected"

    async def _listen(self, address: str) -> None:
        from tornado.websocket import websocket_connect

        socket = await websocket_connect(self.url)
        await socket.write_message(json.dumps({"command": "hello", "protocols": [PROTOCOL]}))
        await socket.read_message()
        await socket.write_message(json.dumps({"command": "info", "url": address, "plugins": {}}))
        await asyncio.sleep(0.3)  # the server counts the page among those to reload
        self.ready.set()
        while (message := await socket.read_message()) is not None:
            self.reloads.put(json.loads(message))
        socket.close()  # the preview stopped

    def closed(self) -> bool:
        self.thread.join(timeout=10)
        return not self.thread.is_alive()

    def wait_for_reload(self, timeout: float = 90) -> None:
        assert self.reloads.get(timeout=timeout)["command"] == "reload"


def files(folder: Path) -> dict[str, bytes]:
    folder = folder.resolve()
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_as_a_clean_build(project: Path, live: dict[str, bytes], scratch: Path) -> None:
    """`live` (files()) holds the bytes `invoke build --full` writes for the project's sources."""
    clean = scratch / "propre"
    build_site(clean, project / "pelicanconf.py", full=True, overrides=LIVE_OVERRIDES)
    expected = files(clean / "output")
    assert sorted(live) == sorted(expected)
    assert [name for name in expected if live[name] != expected[name]] == []


def test_whatever_the_saves_the_session_ends_on_the_site_of_a_clean_full_build(tmp_path):
    project = project_copy(tmp_path)
    articles = project / "content/articles"
    edited = articles / "perdre-des-clients.md"
    original = edited.read_text(encoding="utf-8")
    preview = Preview(project)
    try:
        address = preview.wait_for(r"Aperçu en direct : (http://127\.0\.0\.1:\d+/)").group(1)
        page = LivePage(address)

        def save(change) -> None:
            change()
            page.wait_for_reload()

        save(lambda: edited.write_text(original + "\nUne phrase ajoutée en direct.\n", encoding="utf-8"))
        added = articles / "un-article-ajoute.md"
        text = original.replace("Title: Perdre des clients", "Title: Un article ajouté en direct")
        text = text.replace("Slug: perdre-des-clients", "Slug: un-article-ajoute")
        save(lambda: added.write_text(text, encoding="utf-8"))
        save(lambda: (articles / "aujourdhui-jai-rencontre-un-partenaire.md").unlink())
        renamed = next(articles.glob("vos-competences-non-techniques-*.md"))
        save(lambda: renamed.rename(articles / "competences-non-techniques.md"))
        # A résumé left open: the article is held back, the rest of the site stays up to date.
        broken = original.replace("\n:::\n", "\n", 1)
        save(lambda: edited.write_text(broken, encoding="utf-8"))
        assert not (project / "output/perdre-des-clients/index.html").exists()
        save(lambda: edited.write_text(original + "\nRéparé.\n", encoding="utf-8"))
        # The theme: not content, so the code digest the session keeps is computed again.
        style = project / "theme/static/css/site.css"
        save(lambda: style.write_text(style.read_text("utf-8") + "\n/* retouche */\n", "utf-8"))
        live = files(project / "output")
    finally:
        preview.process.send_signal(signal.SIGINT)
        stderr = preview.process.communicate(timeout=30)[1]
    assert page.closed()
    assert "Traceback" not in stderr
    assert "Réparé." in live["perdre-des-clients/index.html"].decode()
    assert "un-article-ajoute/index.html" in live
    assert "aujourdhui-jai-rencontre-un-partenaire/index.html" not in live

    assert_same_as_a_clean_build(project, live, tmp_path)


def test_a_save_to_the_code_restarts_the_session_which_builds_with_the_new_code(tmp_path):
    """Python keeps the modules it imported: a session that went on would build with the old
    code under the new code's digest, and `invoke build` would then find nothing to do."""
    project = project_copy(tmp_path)
    headers = project / "carnet/publishing/headers.py"
    preview = Preview(project)
    try:
        address = preview.wait_for(r"Aperçu en direct : (http://127\.0\.0\.1:\d+/)").group(1)
        page = LivePage(address)
        assert "https:" not in (project / "output/index.html").read_text("utf-8")
        policy = headers.read_text("utf-8").replace("img-src 'self' data:;", "img-src 'self' data: https:;")
        headers.write_text(policy, "utf-8")
        preview.wait_for(r"Modifié : carnet/publishing/headers\.py — le code a changé")
        assert page.closed()  # the old session's socket went with its process
        # The same address again, and the pages that come back are reloaded on the new build.
        assert preview.wait_for(r"Aperçu en direct : (http://\S+/)").group(1) == address
        back = LivePage(address)
        back.wait_for_reload(timeout=30)
        assert "img-src &#39;self&#39; data: https:;" in (project / "output/index.html").read_text("utf-8")
    finally:
        preview.process.send_signal(signal.SIGINT)
        stderr = preview.process.communicate(timeout=30)[1]
    assert "Traceback" not in stderr
