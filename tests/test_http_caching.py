"""Validators and caching of the service's files across rebuilds and rollbacks, on real builds."""

import gzip
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup

from carnet.service.web import SearchApp
from tests.project import ROOT, invoke_ok, project_copy
from tests.searchserver import running
from tests.sitebuild import article, build_test_site, tiny_content


def live_pages(project: Path) -> dict[str, bytes]:
    root = (project / "output").resolve()
    pages = {}
    for path in root.rglob("index.html"):
        folder = path.relative_to(root).parent.as_posix()
        pages["/" if folder == "." else f"/{folder}/"] = path.read_bytes()
    del pages["/search/"]  # the service's results page, not a file
    return pages


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    copy = project_copy(tmp_path_factory.mktemp("http"))
    invoke_ok(copy, "build")
    return copy


def test_etags_follow_the_bytes_across_a_rebuild_and_a_rollback(project):
    app = SearchApp(project / "output", project / "search-index")
    with running(app) as request:
        before = live_pages(project)
        first = {url: request(quote(url)) for url in before}
        assert all(reply.status == 200 for reply in first.values())
        assert len({reply.headers["etag"] for reply in first.values()}) == len(first)

        edited = project / "content/articles/perdre-des-clients.md"
        edited.write_text(edited.read_text("utf-8") + "\nUn paragraphe ajouté.\n", encoding="utf-8")
        invoke_ok(project, "build")
        after = live_pages(project)
        changed = {url for url in before if after[url] != before[url]}
        assert "/perdre-des-clients/" in changed
        assert len(changed) < len(before)  # the oracle below needs both kinds of page

        second = {url: request(quote(url)) for url in after}
        for url, reply in second.items():
            # Same bytes, same ETag (a client's copy stays valid); other bytes, another one.
            same = reply.headers["etag"] == first[url].headers["etag"]
            assert same == (url not in changed), url
            conditional = request(quote(url), headers={"If-None-Match": first[url].headers["etag"]})
            assert conditional.status == (200 if url in changed else 304), url
            assert conditional.headers["content-security-policy"]  # 304s carry them too

        # Back to the first build: a client that only sends If-Modified-Since must not be
        # told that its copy of the newer page is current.
        invoke_ok(project, "rollback")
        newer = second["/perdre-des-clients/"].headers["last-modified"]
        reply = request("/perdre-des-clients/", headers={"If-Modified-Since": newer})
        assert reply.status == 200
        assert reply.body == before["/perdre-des-clients/"]
        assert reply.headers["etag"] == first["/perdre-des-clients/"].headers["etag"]


def test_weak_and_listed_validators_are_understood(project):
    with running(SearchApp(project / "output", project / "search-index")) as request:
        etag = request("/").headers["etag"]
        assert request("/", headers={"If-None-Match": f"W/{etag}"}).status == 304
        assert request("/", headers={"If-None-Match": f'"autre", {etag}'}).status == 304
        assert request("/", headers={"If-None-Match": "*"}).status == 304
        assert request("/", headers={"If-None-Match": '"autre", W/"encore"'}).status == 200


def test_theme_files_have_fingerprinted_urls_kept_for_a_year(project):
    with running(SearchApp(project / "output", project / "search-index")) as request:
        page = BeautifulSoup(request("/").text, "lxml")
        stylesheet = page.find("link", rel="stylesheet")["href"]
        icon = page.find("link", rel="icon")["href"]
        for url, source in [(stylesheet, "css/site.css"), (icon, "favicon.svg")]:
            assert url != f"/theme/{source}"
            reply = request(url)
            assert reply.status == 200
            assert reply.body == (ROOT / "theme/static" / source).read_bytes()
            assert reply.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert request("/").headers["cache-control"] == "no-cache"
        assert request("/search.json?q=client").headers["cache-control"] == "public, max-age=60"


def test_a_changed_stylesheet_changes_its_url(tmp_path):
    content = tiny_content(tmp_path, {"un.md": article("Un")})
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = build_test_site(tmp_path / "a" / "output", content, settings_file="pelicanconf.py", strict=False)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    css = theme / "static/css/site.css"
    css.write_text(css.read_text("utf-8") + "\n.nouveau { color: black; }\n", encoding="utf-8")
    second = build_test_site(
        tmp_path / "b" / "output", content, settings_file="pelicanconf.py", strict=False, THEME=str(theme)
    )

    def stylesheet(site):
        return site.html("index.html").find("link", rel="stylesheet")["href"]

    assert stylesheet(first) != stylesheet(second)
    assert (second.output / stylesheet(second).lstrip("/")).read_bytes() == css.read_bytes()


def test_a_folder_named_outside_latin1_redirects_with_an_encoded_location(tmp_path):
    content = tiny_content(tmp_path, {"japon.md": article("Japon", Slug="日本€")})
    site = build_test_site(tmp_path / "output", content, settings_file="pelicanconf.py", strict=False)
    assert (site.output / "日本€/index.html").is_file()
    with running(SearchApp(site.output, site.index)) as request:
        reply = request(quote("/日本€"))
        assert reply.status == 301
        assert reply.headers["location"] == quote("/日本€/")
        assert request(reply.headers["location"]).status == 200
        with_query = request(quote("/日本€") + "?q=1&x=%C3%A9")
        assert with_query.headers["location"] == quote("/日本€/") + "?q=1&x=%C3%A9"


def test_links_out_of_the_site_are_not_served_and_gzip_copies_are(tmp_path, dev_site):
    output = tmp_path / "output"
    shutil.copytree(dev_site.output, output)
    secret = tmp_path / "secret.txt"
    secret.write_text("confidentiel", encoding="utf-8")
    (output / "fuite.txt").symlink_to(secret)
    (output / "dossier").symlink_to(tmp_path, target_is_directory=True)
    (output / "accueil.html").symlink_to(output / "index.html")  # inside: served
    page = (output / "index.html").read_bytes()
    (output / "index.html.gz").write_bytes(gzip.compress(page, mtime=0))
    with running(SearchApp(output, dev_site.index)) as request:
        assert request("/fuite.txt").status == 404
        assert request("/dossier/secret.txt").status == 404
        assert request("/accueil.html").body == page
        zipped = request("/", headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["content-encoding"] == "gzip"
        assert zipped.headers["vary"] == "Accept-Encoding"
        assert gzip.decompress(zipped.body) == page
        plain = request("/")
        assert "content-encoding" not in plain.headers
        assert plain.body == page
        for refused in ["gzip;q=0", "br, gzip; q=0.0", "identity, *;q=0"]:
            reply = request("/", headers={"Accept-Encoding": refused})
            assert "content-encoding" not in reply.headers, refused
            assert reply.body == page
        assert request("/", headers={"Accept-Encoding": "GZIP"}).headers["content-encoding"] == "gzip"
