"""deploy/ with its real parts: Debian's nginx, from the rendered configuration, in front of two
`invoke serve` processes over a site built by `invoke publish`, all on 127.0.0.1; and the
systemd unit, checked by systemd-analyze."""

import configparser
import gzip
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from carnet.builds.keep_times import keep_times
from carnet.deploy.render import Deployment, render, write
from carnet.publishing.fingerprint import FINGERPRINTED
from carnet.publishing.headers import SECURITY_HEADERS
from tests.project import INVOKE, answering, environment, free_port, invoke, project_copy, wait_until

NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
ARTICLE = "/perdre-des-clients/"
SEARCHES = [
    "/search?q=" + quote("coïncidences"),
    "/search.json?q=partnership",
    "/search.json?q=" + quote("tarte au riz"),
    "/search?q=" + quote("synergys") + "&tri=date",
]
PAGES = ["/", ARTICLE, "/archives/", "/sitemap.xml", "/pas-une-page/"]
# Folders without their slash, pages by their index.html, a folder with no page, a .gz copy asked
# for by name: redirects and 404s that nginx and the service must give alike.
ODD_ADDRESSES = [
    "/archives",
    "/%C3%A9t%C3%A9",
    "/%C3%A9t%C3%A9/index.html",
    ARTICLE + "index.html",
    "/index.html",
    "/search/index.html",
    "/theme",
    "/theme/",
    "/404.html.gz",
]


def main_config(folder: Path, site: Path) -> str:
    """What Debian's /etc/nginx/nginx.conf gives the site, with every path inside `folder`.

    Started as root (CI), nginx's worker runs as www-data, as on a server: the build must be
    readable by others than its owner."""
    temp = " ".join(f"{kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi"))
    return f"""
{"user www-data;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {folder}/nginx.pid;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder}/access.log;
    {temp} uwsgi_temp_path {folder}/uwsgi; scgi_temp_path {folder}/scgi;
    include {site};
}}
"""


def require(binary: str | None, package: str) -> str:
    """nginx may be missing on a workstation (skip), never in CI (.ci/run installs it)."""
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail(f"{package} is missing: .ci/run should have installed Debian's {package}")
        pytest.skip(f"{package} is not installed (apt-get install {package})")
    return binary


class Reply:
    def __init__(self, response: http.client.HTTPResponse):
        self.status = response.status
        self.header_list = response.getheaders()
        self.body = response.read()

    def header(self, name: str) -> str | None:
        values = [value for key, value in self.header_list if key.lower() == name.lower()]
        assert len(values) <= 1, f"{name} sent {len(values)} times: {values}"
        return values[0] if values else None

    def assert_secured(self):
        for name, value in SECURITY_HEADERS:
            assert self.header(name) == value, (name, self.header_list)


def get(port: int, path: str, headers: dict | None = None, method: str = "GET") -> Reply:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        return Reply(connection.getresponse())
    finally:
        connection.close()


def publish(project: Path) -> None:
    result = invoke(project, "publish", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def deployed():
    """nginx on a free port of 127.0.0.1, two search processes behind it, a published site."""
    nginx_binary = require(NGINX, "nginx")
    # Not under pytest's folder, which only its owner may enter: nginx's worker reads the site.
    tmp = Path(tempfile.mkdtemp(prefix="carnet-deploy-"))
    tmp.chmod(0o755)
    project = project_copy(tmp)
    publish(project)

    processes: list[subprocess.Popen] = []
    ports = [free_port(), free_port()]
    services, logs = [], []
    try:
        for number, port in enumerate(ports):
            logs.append(tmp / f"search-{number}.log")
            with logs[-1].open("w") as log:
                # The default threads (13): 8 ordinary searches admitted at once (admission.py),
                # more than the 4 readers below, so that one process alone can take them all.
                command = [*INVOKE, "serve", "--port", str(port), "--workers", "1"]
                services.append(
                    subprocess.Popen(command, cwd=project, env=environment(), stdout=log, stderr=log)
                )
        processes += services

        folder = tmp / "nginx"
        folder.mkdir()
        port = free_port()
        deployment = Deployment(root=project, listen=f"127.0.0.1:{port}", ports=ports)
        (folder / "carnet.conf").write_text(render(deployment)["carnet.conf"], "utf-8")
        (folder / "nginx.conf").write_text(main_config(folder, folder / "carnet.conf"), "utf-8")
        nginx_log = tmp / "nginx.log"
        command = [nginx_binary, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", "stderr"]
        checked = subprocess.run([*command, "-t"], capture_output=True, encoding="utf-8")
        assert checked.returncode == 0, checked.stderr
        with nginx_log.open("w") as log:
            nginx = subprocess.Popen([*command, "-g", "daemon off;"], stdout=log, stderr=log)
        processes.append(nginx)

        for service_port, service, log in zip(ports, services, logs, strict=True):
            wait_until(answering(service_port), 30, service, log)
        wait_until(answering(port), 30, nginx, nginx_log)
        yield {
            "port": port,
            "project": project,
            "services": services,
            "service_ports": ports,
            "logs": logs,
            "nginx_log": nginx_log,
        }
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(tmp, ignore_errors=True)


def live(project: Path, path: str) -> Path:
    """The file of the live build that a URL names."""
    file = (project / "output").resolve() / path.lstrip("/")
    return file / "index.html" if path.endswith("/") else file


def test_pages_from_disk_as_built_with_their_gzip_copy(deployed):
    port, project = deployed["port"], deployed["project"]
    for path in ("/", ARTICLE, "/archives/"):
        plain = get(port, path)
        assert plain.status == 200, path
        assert plain.body == live(project, path).read_bytes()
        assert plain.header("Content-Type") == "text/html; charset=utf-8"
        assert plain.header("Cache-Control") == "no-cache"
        plain.assert_secured()
        packed = get(port, path, {"Accept-Encoding": "gzip"})
        assert packed.header("Content-Encoding") == "gzip"
        # The very bytes `invoke publish` wrote, not a compression of nginx's own.
        assert packed.body == live(project, path + "index.html.gz").read_bytes()
        assert "Accept-Encoding" in packed.header("Vary")
        packed.assert_secured()

    revalidated = get(port, ARTICLE, {"If-None-Match": get(port, ARTICLE).header("ETag")})
    assert revalidated.status == 304
    revalidated.assert_secured()
    moved = get(port, "/archives")
    assert (moved.status, moved.header("Location")) == (301, "/archives/")


def test_caching_by_kind_of_file_as_the_service_does(deployed):
    port, project = deployed["port"], deployed["project"]
    home = get(port, "/").body.decode("utf-8")
    # The publication build links it by its absolute address.
    stylesheet = re.search(r'<link rel="stylesheet" href="(?:https?://[^/"]+)?(/theme/[^"]+)"', home)[1]
    assert FINGERPRINTED.search(stylesheet), stylesheet
    fingerprinted = get(port, stylesheet, {"Accept-Encoding": "gzip"})
    assert fingerprinted.status == 200
    assert gzip.decompress(fingerprinted.body) == live(project, stylesheet).read_bytes()
    assert fingerprinted.header("Cache-Control") == "public, max-age=31536000, immutable"
    fingerprinted.assert_secured()

    # nginx and the service, asked the same, say the same (an independent oracle: its own code).
    service = deployed["service_ports"][1]
    built = (project / "output").resolve()
    # A folder with an accented name, and types the site may have one day.
    built.joinpath("été").mkdir(exist_ok=True)
    built.joinpath("été/index.html").write_text("<p>été</p>", "utf-8")
    built.joinpath("essai.js").write_text("const saison = 'été';", "utf-8")
    built.joinpath("notes.txt").write_text("Notes d’été", "utf-8")
    one_per_type = {}
    for file in sorted(built.rglob("*")):
        kind = ".atom.xml" if file.name.endswith(".atom.xml") else file.suffix
        if file.is_file() and kind != ".gz":
            one_per_type.setdefault(kind, "/" + quote(file.relative_to(built).as_posix()))
    assert {".html", ".css", ".xml", ".atom.xml", ".json", ".svg", ".js", ".txt"} <= one_per_type.keys()
    paths = [stylesheet, "/theme/css/site.css", *PAGES, *one_per_type.values(), *ODD_ADDRESSES, *SEARCHES]
    for path in paths:
        through_nginx, direct = get(port, path), get(service, path)
        assert through_nginx.status == direct.status, path
        for name in ("Cache-Control", "Location", "Allow"):
            assert through_nginx.header(name) == direct.header(name), (path, name)
        if through_nginx.status != 301:  # nginx's 301 has a little HTML page, the service's none
            assert through_nginx.header("Content-Type") == direct.header("Content-Type"), path
        assert through_nginx.body == direct.body or path.startswith("/search") or through_nginx.status == 301
        through_nginx.assert_secured()
    for method in ("POST", "PUT", "DELETE", "OPTIONS"):
        for path in ("/", ARTICLE, "/search.json?q=client", "/search/"):
            through_nginx, direct = get(port, path, method=method), get(service, path, method=method)
            assert (through_nginx.status, through_nginx.header("Allow")) == (405, "GET, HEAD"), (method, path)
            assert (direct.status, direct.header("Allow")) == (405, "GET, HEAD"), (method, path)
            through_nginx.assert_secured()


def test_unknown_address_gets_the_themes_404_and_nothing_outside_the_site(deployed):
    port, project = deployed["port"], deployed["project"]
    missing = get(port, "/pas-une-page/")
    assert missing.status == 404
    assert missing.body == live(project, "/404.html").read_bytes()
    assert missing.header("Cache-Control") == "no-cache"
    missing.assert_secured()
    assert get(port, "/../tasks.py").status == 400
    # `output` itself is a link (to the live build) and is followed; a link inside it is not.
    (project / "output").resolve().joinpath("fuite.txt").symlink_to(project / "tasks.py")
    leak = get(port, "/fuite.txt")
    assert leak.status == 404
    assert leak.body == live(project, "/404.html").read_bytes()
    leak.assert_secured()


def test_search_goes_to_the_service(deployed):
    port = deployed["port"]
    page = get(port, SEARCHES[0])
    assert page.status == 200
    assert page.header("Content-Type").startswith("text/html")
    assert "<mark" in page.body.decode("utf-8")
    page.assert_secured()
    answer = get(port, "/search.json?q=partnership")
    assert answer.status == 200
    assert answer.header("Content-Type").startswith("application/json")
    data = json.loads(answer.body)
    assert data["total"] > 0
    assert all(result["url"] for result in data["results"])
    answer.assert_secured()
    assert answer.header("Cache-Control") != "public, max-age=3600"
    with_slash = get(port, "/search/?q=" + quote("client"))
    assert with_slash.status == 200
    assert "<mark" in with_slash.body.decode("utf-8")
    packed = get(port, "/search.json?q=client", {"Accept-Encoding": "gzip"})
    assert json.loads(gzip.decompress(packed.body)) == json.loads(get(port, "/search.json?q=client").body)


def site_addresses(project: Path) -> list[str]:
    """The address of every file of the live build, folders' pages by their folder."""
    built = (project / "output").resolve()
    files = [file.relative_to(built).as_posix() for file in built.rglob("*") if file.is_file()]
    names = [name.removesuffix("index.html") for name in files if not name.endswith(".gz")]
    return ["/" + quote(name) for name in sorted(names)]


def validators(port: int, paths: list[str], gzipped: bool) -> dict[str, Reply]:
    return {path: get(port, path, {"Accept-Encoding": "gzip"} if gzipped else {}) for path in paths}


def test_a_new_publication_is_served_without_reloading_nginx(deployed):
    """A publication is served at once; the files it left unchanged keep nginx's validators
    (mtime-size), so readers get their 304; those it changed never do, nor after a rollback."""
    port, project = deployed["port"], deployed["project"]
    # The files served from disk (the search page's address goes to the service).
    paths = [path for path in site_addresses(project) if path != "/search/" and get(port, path).status == 200]
    before = {gzipped: validators(port, paths, gzipped) for gzipped in (False, True)}
    source = project / "content/articles/perdre-des-clients.md"
    edited = source.read_text("utf-8").replace("Title: Perdre des clients", "Title: Clients perdus")
    source.write_text(edited, "utf-8")
    publish(project)
    after = get(port, ARTICLE)
    assert "Clients perdus" not in before[False][ARTICLE].body.decode("utf-8")
    assert "Clients perdus" in after.body.decode("utf-8")
    assert after.body == live(project, ARTICLE).read_bytes()
    packed = get(port, ARTICLE, {"Accept-Encoding": "gzip"})
    assert gzip.decompress(packed.body) == after.body

    published = {gzipped: validators(port, paths, gzipped) for gzipped in (False, True)}
    changed = set()
    for gzipped, replies in before.items():
        for path, old in replies.items():
            new = published[gzipped][path]
            if new.status != 200:
                continue  # a file put into the old build by hand (above), not rebuilt
            conditions = [
                {"If-None-Match": old.header("ETag")},
                {"If-Modified-Since": old.header("Last-Modified")},
            ]
            asked = [
                get(port, path, {**condition, "Accept-Encoding": "gzip" if gzipped else "identity"})
                for condition in conditions
            ]
            if new.body == old.body:
                assert (new.header("ETag"), new.header("Last-Modified")) == (
                    old.header("ETag"),
                    old.header("Last-Modified"),
                ), path
                assert [reply.status for reply in asked] == [304, 304], path
            else:
                changed.add(path)
                assert new.header("ETag") != old.header("ETag"), path
                assert new.header("Last-Modified") != old.header("Last-Modified"), path
                assert [reply.status for reply in asked] == [200, 200], path
                assert all(reply.body == new.body for reply in asked), path
    # The edited article and the pages that list it changed; most of the site did not.
    assert {ARTICLE, "/", "/archives/"} <= changed, changed
    assert len(changed) < len(paths) / 2, (len(changed), len(paths))

    # invoke rollback puts the older files back: a reader who has the newer ones must get them.
    result = invoke(project, "rollback")
    assert result.returncode == 0, result.stdout + result.stderr
    for path in changed:
        new, old = published[False][path], before[False][path]
        for condition in (
            {"If-None-Match": new.header("ETag")},
            {"If-Modified-Since": new.header("Last-Modified")},
        ):
            reply = get(port, path, {**condition, "Accept-Encoding": "identity"})
            assert (reply.status, reply.body) == (200, old.body), (path, condition)
        assert get(port, path, {"If-None-Match": old.header("ETag")}).status == 304, path


def test_no_failed_request_when_a_search_process_dies_under_load(deployed):
    """4 readers for 5 s, half searches; one of the two search processes is killed (SIGKILL)
    after 1.5 s: nginx passes its searches to the other, and no reader sees an error.

    One exception, which no proxy can hide: an answer that the dying process had begun to send
    (nginx passes the status line on as soon as it has it, and retries only before that). Such
    an answer is cut short at the instant of the kill, at most one per reader; nothing else fails,
    no 502, no refused connection."""
    port, services, logs = deployed["port"], deployed["services"], deployed["logs"]
    expected = {path: 404 if path == "/pas-une-page/" else 200 for path in PAGES + SEARCHES}
    targets = [path for pair in zip(SEARCHES, PAGES[:4], strict=True) for path in pair] + ["/pas-une-page/"]
    failures: list[str] = []
    cut: list[float] = []  # when an answer begun before the kill ended short
    counts = {"before": 0, "after": 0}
    killed_at: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + 5.0

    def reader(offset: int) -> None:
        number = offset
        while time.monotonic() < stop:
            path = targets[number % len(targets)]
            number += 1
            started = time.monotonic()
            problem = None
            try:
                reply = get(port, path, {"Accept-Encoding": "gzip"} if number % 2 else {})
                if reply.status != expected[path] or not reply.body:
                    problem = f"{path}: {reply.status}"
            except http.client.IncompleteRead:
                with lock:
                    cut.append(started - killed_at[0] if killed_at else -1.0)
                continue
            except (OSError, http.client.HTTPException) as error:
                problem = f"{path}: {error!r}"
            with lock:
                counts["after" if killed_at else "before"] += 1
                if problem:
                    failures.append(problem)

    readers = [threading.Thread(target=reader, args=(n,)) for n in range(4)]
    for thread in readers:
        thread.start()
    time.sleep(1.5)
    served_before = [log.read_text("utf-8").count("/search") for log in logs]
    services[0].kill()
    with lock:
        killed_at.append(time.monotonic())
    services[0].wait()
    for thread in readers:
        thread.join(timeout=30)

    assert failures == []
    # Cut answers: only those in flight at the kill (begun at most a search's time before it).
    assert len(cut) <= len(readers), cut
    assert all(-2.0 < started <= 0.0 for started in cut), cut
    assert counts["before"] > 20, counts
    assert counts["after"] > 40, counts
    assert all(served > 0 for served in served_before), served_before  # both were in use
    assert logs[1].read_text("utf-8").count("/search") > served_before[1]
    assert services[1].poll() is None


def test_with_every_search_process_down_readers_get_a_french_503(deployed):
    """Last of the tests that use nginx: it stops the search processes."""
    port, project = deployed["port"], deployed["project"]
    for service in deployed["services"]:
        if service.poll() is None:
            service.terminate()
            service.wait(timeout=15)
    for path in ("/search?q=client", "/search/?q=client", "/search"):
        for encoding in ("identity", "gzip"):
            page = get(port, path, {"Accept-Encoding": encoding})
            assert page.status == 503, path
            assert (page.header("Retry-After"), page.header("Cache-Control")) == ("30", "no-store"), path
            assert page.header("Content-Type") == "text/html; charset=utf-8"
            text = (gzip.decompress(page.body) if page.header("Content-Encoding") else page.body).decode(
                "utf-8"
            )
            assert "La recherche en texte intégral est momentanément indisponible." in text, path
            assert "sur cet hébergement" not in text
            # The ways to an article without the search: the tag map, the themes, the archives.
            assert "la carte des étiquettes" in text
            assert "les archives" in text
            assert "Bad Gateway" not in text
            page.assert_secured()
    answer = get(port, "/search.json?q=client")
    assert (answer.status, answer.header("Retry-After")) == (503, "30")
    assert answer.header("Content-Type") == "application/json; charset=utf-8"
    assert "momentanément indisponible" in json.loads(answer.body)["error"]
    answer.assert_secured()
    # The site itself is served from disk as before.
    home = get(port, "/")
    assert (home.status, home.body) == (200, live(project, "/").read_bytes())


def test_a_build_keeps_the_times_of_unchanged_files_only(tmp_path):
    """carnet/builds/keep_times.py alone: what nginx's validators are made of, file by file."""
    live_build, new_build = tmp_path / "live", tmp_path / "new"
    for folder in (live_build, new_build):
        (folder / "page").mkdir(parents=True)
    texts = {"page/index.html": ("même", "même"), "autre.css": ("a{}", "b{}"), "long.css": ("a{}", "a{}\n")}
    for name, (old, new) in texts.items():
        (live_build / name).write_text(old, "utf-8")
        (new_build / name).write_text(new, "utf-8")
    os.link(live_build / "autre.css", live_build / "lien.css")
    os.link(live_build / "autre.css", new_build / "lien.css")  # as precompress shares a .gz
    (new_build / "nouveau.html").write_text("neuf", "utf-8")
    second = 1_700_000_000 * 10**9
    for name in texts:  # the live files were written in the second that the new build writes in
        os.utime(live_build / name, ns=(second, second + 400_000_000))
        os.utime(new_build / name, ns=(second, second + 700_000_000))

    counts = keep_times(new_build, live_build)

    def mtime(folder: Path, name: str) -> int:
        return (folder / name).stat().st_mtime_ns

    assert mtime(new_build, "page/index.html") == mtime(live_build, "page/index.html")
    for name in ("autre.css", "long.css"):  # other bytes: never the live file's second
        assert mtime(new_build, name) // 10**9 != mtime(live_build, name) // 10**9, name
    assert (counts.kept, counts.changed, counts.moved_on) == (2, 3, 2)


def test_unit_file(tmp_path):
    """The systemd unit: valid for systemd-analyze, and as confined as it says."""
    root = tmp_path / "carnet"
    root.mkdir()
    out = tmp_path / "rendu"
    write(Deployment(root=root, venv=Path(sys.prefix)), out)
    unit = out / "carnet-search@.service"
    parsed = configparser.ConfigParser(strict=False, interpolation=None)
    parsed.optionxform = str
    parsed.read_string(unit.read_text("utf-8"))
    service = parsed["Service"]
    assert service["ExecStart"].startswith(f"{sys.prefix}/bin/invoke serve --host 127.0.0.1 --port %i ")
    assert Path(sys.prefix, "bin/invoke").is_file()
    assert (service["DynamicUser"], service["NoNewPrivileges"]) == ("yes", "yes")
    assert service["Restart"] == "on-failure"
    assert (service["ProtectSystem"], service["ReadOnlyPaths"]) == ("strict", str(root))
    assert service["WorkingDirectory"] == str(root)
    assert (out / "carnet-search.env").read_text("utf-8").count("CARNET_") == 2

    if SYSTEMD_ANALYZE is None:
        pytest.skip("systemd-analyze is not installed: the unit was only parsed")
    instance = str(out / "carnet-search@8001.service")
    shutil.copy(unit, instance)
    verified = subprocess.run([SYSTEMD_ANALYZE, "verify", instance], capture_output=True, encoding="utf-8")
    # verify exits 0 on unknown keys or bad values too: any message is a failure.
    assert (verified.returncode, verified.stdout + verified.stderr) == (0, "")
    security = subprocess.run(
        [SYSTEMD_ANALYZE, "security", "--offline=yes", "--no-pager", instance],
        capture_output=True,
        encoding="utf-8",  # its table has ✓ and →; in-process builds set the C locale
    )
    exposure = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", security.stdout + security.stderr)
    assert exposure, security.stdout + security.stderr
    assert float(exposure.group(1)) < 2.0  # systemd's « OK »; a bare service scores 9.6

    broken = Path(instance)
    broken.write_text(unit.read_text("utf-8").replace("Restart=on-failure", "Restart=sometimes"), "utf-8")
    complaint = subprocess.run([SYSTEMD_ANALYZE, "verify", instance], capture_output=True, encoding="utf-8")
    assert "sometimes" in complaint.stdout + complaint.stderr


def test_rendering_refuses_what_the_files_would_read_otherwise():
    with pytest.raises(ValueError, match="chemin"):
        Deployment(root=Path("/srv/mon carnet"))
    with pytest.raises(ValueError, match="nginx"):
        Deployment(root=Path("/srv/carnet"), server_name="carnet.fr; include /etc/passwd")
    with pytest.raises(ValueError, match="ports"):
        Deployment(root=Path("/srv/carnet"), ports=[])
