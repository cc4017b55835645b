"""The measurements of `invoke bench`, each on the same synthetic corpus."""

import asyncio
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]

# A fixed mix: single words, several words, phrases, filters, misspellings, no-hit queries.
QUERIES = [
    "formation",
    "projets",
    "protéger",
    "installation",
    "confiance",
    "encore",
    "protéger encore",
    "formation installation visites",
    "rêvé pour",
    "anciens voyages",
    '"pour encore"',
    '"formation installation"',
    "tag:partenariat",
    "tag:soft skills",
    "auteur:maury",
    "date:2010..2015",
    "formation date:2012",
    "fidelisation",
    "protegér",
    "instalation",
    "synergys",
    "visittes",
    "zzzyxw",
    "qwertz",
    "kaléidoscope",
    "partnership",
    "procurement",
    "protég*",
    "form* -installation",
]


# What livereload.js says it speaks in its hello (livereload's handlers answer the same).
LIVERELOAD_PROTOCOL = "http://livereload.com/protocols/official-7"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    position = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[position]


class BuildTiming(NamedTuple):
    seconds: float
    rss_mb: float  # the peak of the build's largest process
    # Processor seconds of the build and every process it started and waited for (readers,
    # renderers, the index): what its cores had to do, whatever their number.
    cpu_s: float


def timed_build(content: Path, root: Path, flavour: str) -> BuildTiming:
    """The wall time, peak memory and processor time of one build in its own process."""
    process = subprocess.Popen(
        [sys.executable, "-m", "carnet.bench.build_once", str(content), str(root), flavour],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = float(process.stdout.read().decode() or "nan")
    process.stdout.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"the {flavour} build failed (exit {process.returncode})")
    # wait4's usage counts the build's own descendants once it has waited for them (Linux).
    return BuildTiming(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def median(values: list[float]) -> float:
    return round(statistics.median(values), 4)


def edit_one(content: Path) -> None:
    article = sorted((content / "articles").glob("*.md"))[len(list((content / "articles").glob("*.md"))) // 2]
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("\n\n", "\n\nUne phrase ajoutée pour le banc d’essai.\n\n", 1), "utf-8")


def add_one(content: Path, number: int) -> None:
    source = (content / "articles" / "article-00000.md").read_text(encoding="utf-8")
    text = source.replace("Slug: article-00000", f"Slug: ajout-{number}").replace(
        "Title: ", f"Title: Ajout {number} ", 1
    )
    (content / "articles" / f"ajout-{number}.md").write_text(text, encoding="utf-8")


def live_edit_measure(content: Path, root: Path, edits: int) -> float:
    """Median seconds from saving an edited article to its page rewritten and the reload sent,
    under the livereload loop (carnet/preview/live.py) started on `root`'s built site."""
    process = subprocess.Popen(
        [sys.executable, "-m", "carnet.preview.live", str(content), str(root)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
    )
    try:
        address = None
        for line in process.stdout:  # the session's first build comes before the address
            if line.startswith("Aperçu en direct : "):
                address = line.split(" : ", 1)[1].strip()
                break
        if address is None:
            raise RuntimeError(f"livereload stopped before serving (exit {process.wait()})")
        # What it says next is read, so that a full pipe never holds up its builds.
        threading.Thread(target=process.stdout.read, daemon=True).start()
        articles = sorted((content / "articles").glob("*.md"))
        chosen = [articles[(number * 2 + 1) * len(articles) // (edits * 2)] for number in range(edits)]
        return median(asyncio.run(_timed_edits(address, chosen)))
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def _timed_edits(address: str, articles: list[Path], timeout_s: float = 600) -> list[float]:
    """Save each article with a new sentence, and time until the reload reaches a page, as
    livereload.js hears it (the websocket's hello, then info), then check the page shows it."""
    from tornado.websocket import websocket_connect

    browser = await websocket_connect(address.replace("http://", "ws://", 1) + "livereload")
    await browser.write_message(json.dumps({"command": "hello", "protocols": [LIVERELOAD_PROTOCOL]}))
    await browser.read_message()
    await browser.write_message(json.dumps({"command": "info", "url": address, "plugins": {}}))
    await asyncio.sleep(0.5)  # the server counts the page among those to reload
    seconds = []
    for number, article in enumerate(articles):
        text = article.read_text(encoding="utf-8")
        sentence = f"Retouche en direct numéro {'abcdefghij'[number % 10]} pour le banc d’essai."
        started = time.perf_counter()
        article.write_text(text.replace("\n\n", f"\n\n{sentence}\n\n", 1), "utf-8")
        while True:
            message = await asyncio.wait_for(browser.read_message(), timeout_s)
            if message is None:
                raise RuntimeError("livereload closed the page's websocket")
            if json.loads(message).get("command") == "reload":
                break
        seconds.append(time.perf_counter() - started)
        slug = re.search(r"^Slug: (.*)$", text, re.MULTILINE).group(1).strip()
        if sentence not in _page(address + slug + "/"):
            raise RuntimeError(f"reloaded, but {slug}/ does not show the edit")
    browser.close()
    return seconds


def _page(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def index_measures(documents, folder: Path) -> dict:
    from carnet.search.indexing import build_index, update_index

    started = time.perf_counter()
    build_index(documents, folder, {})
    full = time.perf_counter() - started
    documents[len(documents) // 2].body += " Une phrase ajoutée pour le banc d’essai."
    started = time.perf_counter()
    changed, _ = update_index(folder, documents, {})
    update = time.perf_counter() - started
    assert changed == 1, changed
    size = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
    return {"full_s": round(full, 4), "update_s": round(update, 4), "bytes": size}


def query_measures(index: Path, rounds: int) -> dict:
    from carnet.search.querying import ArchiveSearch

    started = time.perf_counter()
    archive = ArchiveSearch.open(index)
    archive.search(QUERIES[0])
    first = (time.perf_counter() - started) * 1000
    latencies = []
    for _ in range(rounds):
        for query in QUERIES:
            started = time.perf_counter()
            archive.search(query)
            latencies.append((time.perf_counter() - started) * 1000)
    return {
        "p50": round(percentile(latencies, 0.50), 2),
        "p95": round(percentile(latencies, 0.95), 2),
        "p99": round(percentile(latencies, 0.99), 2),
        "first": round(first, 2),
    }


def http_measures(output: Path, index: Path, seconds: float, clients: int = 8) -> dict:
    """The service on 127.0.0.1 under `clients` concurrent clients mixing pages and searches."""
    workers = os.cpu_count() or 1
    with socket_port() as port:
        # The service as `invoke serve` runs it: one process per core.
        code = (
            "import sys; sys.path.insert(0, sys.argv[1]);"
            "from carnet.service.serving import serve_site;"
            "serve_site(sys.argv[2], sys.argv[3], '127.0.0.1', int(sys.argv[4]), int(sys.argv[5]),"
            " access_log=False)"
        )
    server = subprocess.Popen(
        [sys.executable, "-c", code, str(ROOT), str(output), str(index), str(port), str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    pages = ["/", "/archives/", "/etiquettes/", "/theme/css/site.css"]
    pages += ["/" + p.parent.name + "/" for p in sorted(output.glob("article-*/index.html"))[:50]]
    searches = ["/search?q=" + quote(q) for q in QUERIES[:20]]
    searches += ["/search.json?q=" + quote(q) for q in QUERIES[20:]]
    latencies: list[float] = []
    search_count = [0]
    errors = [0]
    # Of the errors, the service's own « busy » answers (503 with Retry-After): how many depends
    # on the machine's load; any other error (a 500, a dropped connection) is a fault.
    busy = [0]
    lock = threading.Lock()
    try:
        wait_until_up(port)
        stop = time.monotonic() + seconds

        def client(number: int) -> None:
            chooser = random.Random(number)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            while time.monotonic() < stop:
                is_search = chooser.random() < 0.5
                path = chooser.choice(searches if is_search else pages)
                started = time.perf_counter()
                try:
                    connection.request("GET", path)
                    response = connection.getresponse()
                    response.read()
                    failed = response.status >= 400
                    turned_away = response.status == 503
                except (OSError, http.client.HTTPException):
                    failed = True
                    turned_away = False
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                with lock:
                    latencies.append((time.perf_counter() - started) * 1000)
                    errors[0] += failed
                    busy[0] += turned_away
                    search_count[0] += is_search
            connection.close()

        started = time.monotonic()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        rss = sum(peak_rss_mb(pid) for pid in [server.pid, *children_of(server.pid)])
    finally:
        server.terminate()
        server.wait(timeout=10)
    return {
        "rps": round(len(latencies) / elapsed, 1),
        "search_rps": round(search_count[0] / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50), 2),
        "p95_ms": round(percentile(latencies, 0.95), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "errors": errors[0],
        "busy": busy[0],
        "requests": len(latencies),
        "service_rss_mb": rss,
    }


class socket_port:
    def __enter__(self) -> int:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]

    def __exit__(self, *exc) -> None:
        return None


def wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", "/")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
        finally:
            connection.close()
    raise TimeoutError("the search service did not start")


def children_of(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def machine() -> dict:
    import platform

    return {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()}


def versions() -> dict:
    from carnet.builds.sources import library_versions

    return library_versions(("pelican", "markdown", "whoosh", "waitress", "jinja2"))
