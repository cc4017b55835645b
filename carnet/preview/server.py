"""Serve output/ with livereload's script and websocket, rebuild after saves, reload the browsers.

livereload's own `Server.serve` rebuilds in its watcher and then reloads the browsers only if
the last reload is more than 3 s old (`LiveReloadHandler.poll_tasks`): a second save soon
after a reload rebuilt output/ and left the page as it was. Here the library gives the
browser side (its script, injected in each page, and its websocket); the saves are watched
and debounced here, the build runs in the main thread, and every build that leaves the site
up to date with the files is followed by a reload, sent explicitly, whatever its timing.
The sockets are bound before anything else, so that a busy port is said at once, and port 0
gives a free port, printed with the address.
"""

import asyncio
import errno
import socket
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler, StaticFileHandler
from livereload.server import LiveScriptInjector
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.websocket import WebSocketClosedError

from .debounce import Debouncer
from .interrupt import BuildSuperseded, superseded_by
from .watching import changed_files, snapshot

# livereload's snippet (Server.application): the page loads livereload.js from the port it
# came from, so that any port works. The pages' policy lets it run under livereload
# (CONTENT_SECURITY_POLICY_LIVERELOAD).
LIVE_SCRIPT = (
    b'<script type="text/javascript">(function(){'
    b'var s=document.createElement("script");'
    b"var port=(window.location.port || (window.location.protocol == 'https:' ? 443: 80));"
    b's.src="//"+window.location.hostname+":"+port'
    b'+ "/livereload.js?port=" + port;'
    b"document.head.appendChild(s);"
    b"})();</script>"
)
RELOAD = {"command": "reload", "path": "*", "liveCSS": False, "liveImg": False}


# When the site has no 404 page of its own (the theme writes one).
NOT_FOUND = (
    b"<!DOCTYPE html><html lang=fr><head><meta charset=utf-8><title>Page introuvable</title></head>"
    b"<body><p>Page introuvable.</p></body></html>"
)


class SiteFiles(StaticFileHandler):
    """output/, and for a missing page the site's 404 page, with livereload's script: a page
    whose article the build held back, or that was renamed, comes back by itself when the
    article does (a bare error page has no script, and would never reload)."""

    def write_error(self, status_code: int, **kwargs) -> None:
        if status_code != 404:
            super().write_error(status_code, **kwargs)
            return
        try:
            page = (Path(self.root) / "404.html").read_bytes()
        except OSError:
            page = NOT_FOUND
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(page)


class PortUnavailable(Exception):
    """The port cannot be listened on; the message says why, in French, and what to do."""


def bind(host: str, port: int) -> list[socket.socket]:
    try:
        return bind_sockets(port, address=host)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            reason = "est déjà utilisé (un autre « invoke livereload » ou « invoke serve » ?)"
        elif error.errno == errno.EACCES:
            reason = "est réservé à l’administrateur (ports sous 1024)"
        else:
            reason = f"n’est pas disponible ({error.strerror or error})"
        raise PortUnavailable(
            f"le port {port} {reason}. Arrêtez l’autre programme, ou choisissez un autre port : "
            f"invoke livereload --port {port + 1 if port else 8001} "
            "(ou --port 0 pour un port libre)."
        ) from None


def application(site: Path) -> web.Application:
    class Injector(LiveScriptInjector):
        script = LIVE_SCRIPT

    handlers = [
        (r"/livereload", LiveReloadHandler),
        (r"/livereload.js", LiveReloadJSHandler),
        (r"/(.*)", SiteFiles, {"path": str(site), "default_filename": "index.html"}),
    ]
    # No access log: the terminal is for the builds.
    return web.Application(handlers, transforms=[Injector], log_function=lambda handler: None)


class BrowserServer:
    """Tornado in a thread of its own; `reload()` may be called from any thread."""

    def __init__(self, sockets: list[socket.socket], site: Path):
        self.sockets = sockets
        self.app = application(site)
        self.loop = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=asyncio.run, args=(self._serve(),), daemon=True)

    async def _serve(self) -> None:
        from tornado.ioloop import IOLoop

        server = HTTPServer(self.app)
        server.add_sockets(self.sockets)
        self.loop = IOLoop.current()
        self._stop = asyncio.Event()
        self._ready.set()
        await self._stop.wait()
        server.stop()

    def start(self) -> None:
        self._thread.start()
        self._ready.wait()

    def stop(self) -> None:
        if self.loop is not None:
            self.loop.add_callback(self._stop.set)
            self._thread.join(timeout=5)
            self.loop = None

    def reload_when_back(self, within_s: float = 20.0) -> None:
        """After a restart: the pages open before it reconnect by themselves (livereload.js
        retries) but would show the old build; reload them once, as they come back."""

        def greet() -> None:
            deadline = time.monotonic() + within_s
            while time.monotonic() < deadline and self.loop is not None:
                if LiveReloadHandler.waiters:
                    time.sleep(0.3)  # the others that reconnect at the same moment
                    if self.loop is not None:
                        self.reload()
                    return
                time.sleep(0.1)

        threading.Thread(target=greet, daemon=True).start()

    def reload(self) -> int:
        """Tell every open page to reload; how many there are."""
        self.loop.add_callback(self._reload)
        return len(LiveReloadHandler.waiters)

    @staticmethod
    def _reload() -> None:
        for browser in list(LiveReloadHandler.waiters):
            try:
                browser.write_message(RELOAD)
            except WebSocketClosedError:
                LiveReloadHandler.waiters.discard(browser)


def address(sockets: list[socket.socket]) -> str:
    host, port = sockets[0].getsockname()[:2]
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/"


class CodeSaved(Exception):
    """A save changed code the session has imported (Python keeps the first import of a
    module): only a new process builds with it. The argument names the file."""


def watch(
    root: Path,
    patterns: list[str],
    build: Callable[[list[str] | None], bool | None],
    reload: Callable[[], int],
    poll_s: float = 0.25,
    debouncer: Debouncer | None = None,
    imported: Callable[[str], bool] = lambda name: False,
    fast: Callable[[list[str]], bool] | None = None,
) -> None:
    """Forever: look at the files, build once per burst of saves, then reload.

    `build` is given the files that changed since the last build (relative to `root`); it
    returns False when the site it left shows what the browsers were last told to reload on.
    `fast`, given the same files first, returns True when it already published their pages
    (carnet/preview/fast_edit.py): the browsers reload at once, then the exact build runs,
    and a save during it stops it (carnet/preview/interrupt.py) to be shown first.
    A save during a build is seen at the next look (the look before the build is the
    reference), so it gets a build of its own; the browsers are reloaded only when the
    build has caught up with the files, so they end on the last save."""
    debouncer = debouncer or Debouncer()
    seen = snapshot(root, patterns)
    saved: list[str] = []
    broken: dict[str, str] = {}
    while True:
        time.sleep(poll_s)
        now = snapshot(root, patterns)
        if now != seen:
            saved += [name for name in changed_files(seen, now) if name not in saved]
            seen = now
            debouncer.changed(time.monotonic())
        if not debouncer.due(time.monotonic()):
            continue
        debouncer.take()
        code = [name for name in saved if imported(name)]
        if code:
            problem = syntax_problem(root, [*code, *broken], broken)
            if problem is None:
                raise CodeSaved(code[0])
            print(problem, flush=True)
            saved = [name for name in saved if name not in code]
            if not saved:
                continue
        more = f" (et {len(saved) - 1} autre(s))" if len(saved) > 1 else ""
        print(f"Modifié : {saved[0]}{more} — reconstruction…", flush=True)
        shown = fast is not None and fast(saved)
        if shown:
            reloaded = "Page rechargée dans le navigateur" if reload() else "Aucune page ouverte à recharger"
            print(f"{reloaded} (aperçu rapide) ; construction complète…", flush=True)
        try:
            if fast is None:
                differs = build(saved)
            else:
                with superseded_by(partial(_differs, root, patterns, seen), poll_s):
                    differs = build(saved)
        except BuildSuperseded:
            print("Nouvel enregistrement pendant la construction : elle reprend avec lui.", flush=True)
            continue  # `saved` stays: the next build is for these files too
        saved = []
        after = snapshot(root, patterns)
        if after != seen:  # saved again during the build: build again before reloading
            saved += changed_files(seen, after)
            seen = after
            debouncer.changed(time.monotonic())
            continue
        if differs is False:
            print("Site à jour : la construction complète donne les pages déjà montrées.", flush=True)
        elif reload():
            print("Page rechargée dans le navigateur.", flush=True)
        else:
            print("Site à jour (aucune page ouverte à recharger).", flush=True)


def _differs(root: Path, patterns: list[str], seen: dict) -> bool:
    return snapshot(root, patterns) != seen


def syntax_problem(root: Path, names: list[str], broken: dict[str, str]) -> str | None:
    """What a restart would stumble on first: a saved Python file that does not compile, said
    in French with its line; `broken` keeps those still to be fixed, by name. None: all compile."""
    for name in dict.fromkeys(names):
        path = root / name
        try:
            compile(path.read_bytes(), str(path), "exec")
        except SyntaxError as error:
            where = f", ligne {error.lineno}" if error.lineno else ""
            broken[name] = (
                f"Erreur de syntaxe dans {name}{where} : {error.msg}. L’aperçu garde l’ancien code "
                "et redémarre quand le fichier est corrigé."
            )
            return broken[name]
        except OSError:  # removed: a restart does not import it
            pass
        broken.pop(name, None)
    return None


def serve(
    root: Path,
    site: Path,
    patterns: list[str],
    build: Callable[[list[str] | None], bool | None],
    host: str,
    port: int,
    imported: Callable[[str], bool] = lambda name: False,
    restart: Callable[[int], None] | None = None,
    restarted: bool = False,
    fast: Callable[[list[str]], bool] | None = None,
) -> None:
    """Bind (or say why not), build, serve, then rebuild and reload on every save until Ctrl-C.

    A save to a file that `imported` names (the session's own code) calls `restart` with the
    port in use, once the port is free again: it starts a new session there (os.execv), whose
    first build uses the new code and whose pages reconnect by themselves."""
    try:
        sockets = bind(host, port)
    except PortUnavailable as error:
        raise SystemExit(f"invoke livereload : {error}") from None
    server = BrowserServer(sockets, site)
    try:
        build(None)  # the session's first build: everything may have changed
        server.start()
        if restarted:
            server.reload_when_back()
        watched = ", ".join(pattern.split("/")[0] + ("/" if "/" in pattern else "") for pattern in patterns)
        print(f"Aperçu en direct : {address(sockets)}", flush=True)
        print(f"Chaque enregistrement dans {watched} reconstruit le site et recharge la page.", flush=True)
        print("Ctrl-C pour arrêter.", flush=True)
        watch(root, patterns, build, server.reload, imported=imported, fast=fast)
    except KeyboardInterrupt:
        print("\nAperçu arrêté.", file=sys.stderr)
    except CodeSaved as saved:
        print(f"Modifié : {saved} — le code a changé, l’aperçu redémarre pour l’utiliser…", flush=True)
        in_use = sockets[0].getsockname()[1]
        server.stop()
        for listening in sockets:
            listening.close()
        if restart is None:
            raise SystemExit(f"invoke livereload : relancez-le pour utiliser {saved}.") from None
        restart(in_use)
    finally:
        server.stop()
