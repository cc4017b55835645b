"""Load on `invoke serve` (127.0.0.1 only) while the site is rebuilt twice underneath.

Sixteen clients with no pause are more than two cores can search for: a search may
then be turned away with 503 and Retry-After (its lane is full), but a page never is."""

import http.client
import json
import threading
import time
from collections import Counter
from urllib.parse import quote

from tests.project import answering, free_port, invoke, project_copy, serving, wait_until

CLIENTS = 16
DURATION_S = 22
PAGES = [
    "/",
    "/perdre-des-clients/",
    "/aujourdhui-jai-rencontre-un-partenaire/",
    "/archives/",
    "/theme/css/site.css",
]
SEARCHES = [
    "/search?q=" + quote("coïncidences"),
    "/search.json?q=" + quote("tarte au riz"),
    "/search.json?q=partnership",
    "/search?q=" + quote('"unclosed AND * tag: date:abc'),
    "/search.json?q=" + quote("<script>alert(1)</script>"),
    "/search?q=synergys&page=-1",
]


def snapshot(project) -> dict[str, bytes]:
    """The live bytes of each page, as the service should serve them."""
    root = (project / "output").resolve()
    files = {}
    for page in PAGES:
        path = root / page.lstrip("/")
        files[page] = (path / "index.html" if page.endswith("/") else path).read_bytes()
    return files


def test_no_failure_and_no_mix_while_rebuilding(tmp_path):
    project = project_copy(tmp_path)
    assert invoke(project, "build").returncode == 0
    versions = [snapshot(project)]
    port = free_port()
    server = serving(project, "--port", str(port), "--threads", "8")
    statuses: Counter = Counter()
    busy: Counter = Counter()
    failures: list[str] = []
    served: list[tuple[str, bytes]] = []
    lock = threading.Lock()
    stop = time.monotonic() + DURATION_S

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        paths = PAGES + SEARCHES
        position = number
        while time.monotonic() < stop:
            path = paths[position % len(paths)]
            position += 1
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as error:
                with lock:
                    failures.append(f"{path}: {error!r}")
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            with lock:
                statuses[response.status] += 1
                turned_away = response.status == 503 and response.getheader("Retry-After") == "1"
                if turned_away and path in SEARCHES:
                    busy[path] += 1
                elif response.status != 200:
                    failures.append(f"{path}: {response.status}")
                elif path in PAGES:
                    served.append((path, body))
                elif path.startswith("/search.json"):
                    json.loads(body)
        connection.close()

    try:
        wait_until(answering(port), 30, server)
        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for edition in (1, 2):
            time.sleep(4)
            article = project / "content/articles/perdre-des-clients.md"
            text = article.read_text(encoding="utf-8")
            article.write_text(
                text.replace("Rien de bien surprenant", f"Rien de bien surprenant ({edition})"), "utf-8"
            )
            css = project / "theme/static/css/site.css"
            css.write_text(css.read_text(encoding="utf-8") + f"\n/* édition {edition} */\n", encoding="utf-8")
            result = invoke(project, "build")
            assert result.returncode == 0, result.stderr
            versions.append(snapshot(project))
        for thread in threads:
            thread.join(timeout=DURATION_S + 60)
    finally:
        server.terminate()
        server.wait(timeout=10)

    assert failures == [], failures[:10]
    assert sum(statuses.values()) > CLIENTS * 20
    assert statuses[200] > 2 * sum(busy.values()), busy  # most searches are answered all the same
    mixed = [path for path, body in served if body not in {version[path] for version in versions}]
    assert mixed == []
    # The rebuilds did reach the readers.
    changed = {body for path, body in served if path == "/perdre-des-clients/"}
    assert len(changed) >= 2
