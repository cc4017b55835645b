"""No live script from an article (issue 16): `invoke check` reports it with file and line,
the build warns, and the theme's Content-Security-Policy <meta> keeps it from running on a
plain static host, as the service's header does."""

import re
import shutil
import subprocess
import sys

import pytest

from carnet.check.findings import WARNING
from carnet.check.run import check_archive
from carnet.publishing.headers import CONTENT_SECURITY_POLICY
from carnet.publishing.meta_policy import directives, meta_policy
from carnet.review.scanning import article_scripts, live_scripts, may_hold_script
from tests.browser import serve_directory
from tests.project import ROOT, answering, free_port, wait_until
from tests.sitebuild import SiteBuildFailed, article, build_test_site, tiny_content

# Each piece would change the page if it ran; all of them are in the article, one in the résumé.
HOSTILE_BODY = """\
Resume_source: auteur

::: résumé
- Un point sûr
- [Un point piégé](javascript:document.body.dataset.pirate='resume')
:::

Un texte ordinaire, puis du code montré, jamais exécuté : `<script>`.

<script>document.body.dataset.pirate = "script";</script>

<img src="" alt="Une image"
     onerror="document.body.dataset.pirate = 'onerror'">

Un [lien piégé](javascript:document.body.dataset.pirate='lien') et
<a id="vb" href="vbscript:msgbox">un autre</a>.
"""
HOSTILE = article("Article piégé", HOSTILE_BODY)
CLEAN = article("Article sain", "::: résumé\n- Rien à signaler\n:::\n\nUn texte sans script.")


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if fragment in line)


# Finding it, with its line


def test_each_piece_of_script_is_found_at_its_source_line():
    from markdown import markdown

    body_html = markdown(HOSTILE_BODY.split(":::")[2], extensions=["extra"], output_format="html5")
    resume_html = markdown("- [Un point piégé](javascript:document.body.dataset.pirate='resume')")
    found = article_scripts(HOSTILE, body_html, resume_html)
    assert found == [
        (line_of(HOSTILE, "[Un point piégé]"), "adresse javascript: dans href= de <a>"),
        (line_of(HOSTILE, "<script>document"), "élément <script>"),
        (line_of(HOSTILE, "onerror="), "attribut onerror= sur <img>"),
        (line_of(HOSTILE, "[lien piégé]"), "adresse javascript: dans href= de <a>"),
        (line_of(HOSTILE, 'href="vbscript:'), "adresse vbscript: dans href= de <a>"),
    ]


def test_a_frames_document_is_scanned_too():
    source = 'Texte.\n\n<iframe title="x" srcdoc="<p>a</p><script>alert(1)</script>"></iframe>\n'
    html = '<p>Texte.</p>\n<iframe title="x" srcdoc="<p>a</p><script>alert(1)</script>"></iframe>'
    assert article_scripts(source, html) == [(3, "script dans srcdoc= de <iframe>")]
    harmless = '<iframe title="x" srcdoc="<p>a</p>"></iframe>'
    assert article_scripts(harmless, harmless) == []


SCRIPT_SPELLINGS = [
    "<SCRIPT>alert(1)</SCRIPT>",
    '<img src="" ONERROR="alert(1)">',
    "<img/onerror=alert(1) src=x>",
    '<svg onload = "alert(1)"></svg>',
    '<a href="jav&#x61;script:alert(1)">a</a>',
    '<a href="javascript&colon;alert(1)">a</a>',
    '<a href="java&Tab;script:alert(1)">a</a>',
    '<a href="java\tscript:alert(1)">a</a>',
    # A line break inside « script »: no « script » or « data » is left whole in the text.
    '<a href="javascr\nipt:alert(1)">a</a>',
    # Among French text (characters beyond ASCII, « description »).
    "<p>Une «\u202fdescription\u202f», déjà.</p><img src=x oNerror=alert(1)>",
    # White space beyond ASCII, or ASCII's rarer, between two attributes or before « = ».
    "<a href=x\xa0onclick=alert(1)>a</a>",
    "<img src=x\u3000onerror=alert(1)>",
    "<a title=x\u2003onmouseover=alert(1)>a</a>",
    "<a onclick\xa0=alert(1)>a</a>",
    "<a onclick\x0b=alert(1)>a</a>",
    '<a href=" vbscript:msgbox">a</a>',
    '<iframe src="da ta:text/html,<script>alert(1)</script>"></iframe>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    "<form><button formaction=javascript:alert(1)>x</button></form>",
]


@pytest.mark.parametrize("html", SCRIPT_SPELLINGS)
def test_the_quick_look_never_passes_over_what_the_parser_finds(html):
    assert live_scripts(html), html  # each is live script…
    assert may_hold_script(html)  # …and the quick look sends it to the parser


def test_the_quick_look_lets_ordinary_articles_through():
    from markdown import markdown

    for path in sorted((ROOT / "content/articles").glob("*.md")):
        body = path.read_text("utf-8").split("\n\n", 1)[1]
        html = markdown(body, extensions=["extra"], output_format="html5")
        assert not may_hold_script(html), path.name
    plain = "<p>On a vu, on en parle : une description, la souscription, la transcription.</p>"
    assert not may_hold_script(plain)


def test_code_shown_as_text_and_harmless_attributes_are_not_script():
    source = 'Du code : `<script>`\n\n<img src="a.png" alt="javascript: la suite" title="onerror=">\n'
    html = '<p>Du code : <code>&lt;script&gt;</code></p>\n<img src="a.png" alt="javascript: la suite">'
    assert article_scripts(source, html) == []


def test_invoke_check_reports_them_with_file_and_line(tmp_path):
    content = tiny_content(tmp_path, {"piege.md": HOSTILE, "sain.md": CLEAN})
    findings, count = check_archive(ROOT / "pelicanconf.py", content)
    scripts = sorted((f.line, f.message.split(" : ")[0]) for f in findings if f.kind == "script")
    assert count == 2
    scripts_found = [f for f in findings if f.kind == "script"]
    assert all(f.severity == WARNING and f.file == "articles/piege.md" for f in scripts_found)
    assert scripts == sorted(
        [
            (line_of(HOSTILE, "<script>document"), "élément <script>"),
            (line_of(HOSTILE, "onerror="), "attribut onerror= sur <img>"),
            (line_of(HOSTILE, "[lien piégé]"), "adresse javascript: dans href= de <a>"),
            (line_of(HOSTILE, 'href="vbscript:'), "adresse vbscript: dans href= de <a>"),
            (line_of(HOSTILE, "[Un point piégé]"), "adresse javascript: dans href= de <a>"),
        ]
    )
    # The build's own warnings are not counted twice.
    assert not [f for f in findings if "script_guard" in f.message or "retirez-le ; les pages" in f.message]


def test_the_build_warns_and_a_strict_build_fails(tmp_path):
    content = tiny_content(tmp_path, {"piege-build.md": HOSTILE})
    site = build_test_site(tmp_path / "out", content, settings_file="pelicanconf.py", strict=False)
    script_line = line_of(HOSTILE, "<script>document")
    assert any(
        f"script_guard: articles/piege-build.md:{script_line}: élément <script>" in w for w in site.warnings
    )
    assert len([w for w in site.warnings if "script_guard" in w]) == 5
    again = tiny_content(tmp_path / "encore", {"piege-strict.md": HOSTILE})
    with pytest.raises(SiteBuildFailed, match=re.escape("script_guard: articles/piege-strict.md")):
        build_test_site(tmp_path / "out2", again, settings_file="pelicanconf.py")


def script_warnings(result) -> list[tuple]:
    return [tuple(f) for f in result.report.findings if f.kind == "script"]


def test_a_rebuild_warns_again_from_what_it_kept_without_scanning_the_unchanged(tmp_path, monkeypatch):
    from carnet.builds.pipeline import build_site

    content = tiny_content(tmp_path, {"piege.md": HOSTILE, "sain.md": CLEAN})
    overrides = {"PATH": str(content)}
    first = script_warnings(build_site(tmp_path / "site", ROOT / "pelicanconf.py", overrides=overrides))
    assert len(first) == 5
    scanned: list[str] = []
    # As Pelican imported it, from PLUGIN_PATHS.
    script_guard = next(
        m for n, m in sys.modules.items() if n.endswith("script_guard") and hasattr(m, "scripts_in")
    )
    original = script_guard.scripts_in
    monkeypatch.setattr(script_guard, "scripts_in", lambda a: scanned.append(a.source_path) or original(a))
    sain = content / "articles" / "sain.md"
    sain.write_text(CLEAN.replace("sans script", "toujours sans script"), "utf-8")
    again = build_site(tmp_path / "site", ROOT / "pelicanconf.py", overrides=overrides)
    assert script_warnings(again) == first
    assert [path.rsplit("/", 1)[-1] for path in scanned] == ["sain.md"]
    # The trap edited: its warnings follow the text (one piece removed, lines moved).
    piege = content / "articles" / "piege.md"
    script = '<script>document.body.dataset.pirate = "script";</script>'
    piege.write_text(HOSTILE.replace(script, ""), "utf-8")
    edited = script_warnings(build_site(tmp_path / "site", ROOT / "pelicanconf.py", overrides=overrides))
    clean = script_warnings(build_site(tmp_path / "clean", ROOT / "pelicanconf.py", overrides=overrides))
    assert edited == clean
    assert len(edited) == 4


# The <meta> policy


def test_the_meta_policy_is_the_header_without_what_a_meta_cannot_carry():
    header, meta = directives(CONTENT_SECURITY_POLICY), directives(meta_policy())
    assert "frame-ancestors" in header
    assert meta == {name: sources for name, sources in header.items() if name != "frame-ancestors"}
    assert directives(meta_policy(livereload=True))["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives(meta_policy(search_origin="https://recherche.example"))["form-action"] == [
        "'self'",
        "https://recherche.example",
    ]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    content = tiny_content(tmp, {"piege-site.md": HOSTILE, "sain-site.md": CLEAN})
    return build_test_site(tmp / "out", content, settings_file="pelicanconf.py", strict=False)


def csp_meta(site, path: str) -> str:
    head = site.html(path).head
    [meta] = head.select('meta[http-equiv="Content-Security-Policy"]')
    # Before anything the policy must cover: it applies only to what follows it.
    assert head.find_all(["meta", "link", "script", "style"])[1] is meta
    return meta["content"]


def test_every_page_carries_the_strict_policy(hostile_site):
    pages = [p.relative_to(hostile_site.output).as_posix() for p in hostile_site.html_files()]
    assert {"index.html", "article-piege/index.html", "search/index.html", "404.html"} <= set(pages)
    for page in pages:
        assert csp_meta(hostile_site, page) == meta_policy(), page


def test_the_livereload_build_relaxes_it(tmp_path):
    content = tiny_content(tmp_path, {"sain-lr.md": CLEAN})
    site = build_test_site(
        tmp_path / "out", content, settings_file="pelicanconf.py", CONTENT_SECURITY_POLICY_LIVERELOAD=True
    )
    assert csp_meta(site, "article-sain/index.html") == meta_policy(livereload=True)


# In Chromium, on a plain static server (no service, no header)


def open_page(browser, url: str):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_load_state("load")
    return page, errors


def test_no_script_from_an_article_runs_on_a_static_host(browser, hostile_site):
    with serve_directory(hostile_site.output) as base:
        for path in ("/article-piege/", "/"):  # the article, and the home page that lists it
            page, errors = open_page(browser, base + path)
            try:
                assert page.evaluate("document.body.dataset.pirate") is None, path
                for link in page.locator("a[href^='javascript:']").all():
                    link.click()
                page.wait_for_timeout(200)
                assert page.evaluate("document.body.dataset.pirate") is None, path
                # Chromium says what it blocked; nothing else goes wrong, the policy included.
                assert errors, path
                assert all("Content Security Policy" in e and "ignored" not in e for e in errors), errors
            finally:
                page.close()


LIVERELOAD = (
    "import sys; from livereload import Server; "
    "Server().serve(host='127.0.0.1', port=int(sys.argv[1]), root=sys.argv[2])"
)


def test_livereload_still_works_under_its_relaxed_policy(browser, tmp_path):
    strict = build_test_site(
        tmp_path / "strict", tiny_content(tmp_path / "s", {"sain-s.md": CLEAN}), "pelicanconf.py"
    )
    relaxed = build_test_site(
        tmp_path / "relaxed",
        tiny_content(tmp_path / "r", {"sain-r.md": CLEAN}),
        "pelicanconf.py",
        CONTENT_SECURITY_POLICY_LIVERELOAD=True,
    )
    # One server for both (livereload's server follows no symlink out of its root).
    shutil.copytree(strict.output, tmp_path / "both/strict")
    shutil.copytree(relaxed.output, tmp_path / "both/relaxed")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", LIVERELOAD, str(port), str(tmp_path / "both")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(answering(port), seconds=10, process=server)
        connected = "() => !!(window.LiveReload && window.LiveReload.connector._isSocketConnected())"
        page, errors = open_page(browser, f"http://127.0.0.1:{port}/relaxed/article-sain/")
        page.wait_for_function(connected, timeout=5000)
        page.close()
        # (Both sites share one server, so their root-relative style sheets are not found.)
        assert [e for e in errors if "Content Security Policy" in e] == []
        # The strict policy would have blocked livereload's script: the relaxation is needed.
        page, errors = open_page(browser, f"http://127.0.0.1:{port}/strict/article-sain/")
        page.wait_for_timeout(300)
        assert not page.evaluate("!!window.LiveReload")
        page.close()
        assert any("inline script violates" in e for e in errors), errors
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_projects_pages_break_no_rule_of_the_policy(browser, dev_site):
    """Under its own policy (the header's, as a <meta>), the theme loads everything it needs:
    no inline style or script of its own is refused, and the tag map's theme colours show."""
    pages = ["/", "/etiquettes/", "/categories/", "/archives/", "/auteurs/", "/search/", "/404.html"]
    pages += ["/perdre-des-clients/", "/etiquette/confiance/", "/en/tag/trust/"]
    with serve_directory(dev_site.output) as base:
        for path in pages:
            page, errors = open_page(browser, base + path)
            try:
                assert errors == [], (path, errors)
                if path == "/etiquettes/":
                    heading = page.locator(".theme-etiquettes__titre").first
                    color = heading.evaluate("h => getComputedStyle(h).borderBottomColor")
                    assert color == "rgb(154, 52, 18)"  # the first theme's, #9a3412, as on the map
            finally:
                page.close()
