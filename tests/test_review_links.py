"""The review's link checks read what Pelican reads: no link in Markdown's code, file names
written with %20 or between angle brackets, and the résumé's plain links checked as the text's."""

import json

import pytest

from carnet.builds.pipeline import build_site
from carnet.review.sources import file_link_places, file_links
from tests.project import ROOT
from tests.sitebuild import SiteBuildFailed, article, build_test_site, tiny_content

HEADER = "Title: Un\nSlug: un\n\n"


def test_links_shown_as_code_are_not_links():
    text = HEADER + (
        "Du code : `[texte]({filename}/articles/autre.md)` et ``{static}/images/a.png``.\n\n"
        "```markdown\n[t]({filename}/articles/x.md)\n```\n\n"
        "~~~\n![i]({attach}b.png)\n~~~\n\n"
        "Mais [ce lien]({filename}/articles/vrai.md) en est un.\n"
    )
    assert file_link_places("articles/un.md", text) == [
        (14, "filename", "/articles/vrai.md", "articles/vrai.md")
    ]


def test_file_names_with_spaces_are_found_as_pelican_finds_them():
    text = HEADER + "![p]({static}/images/mon%20image.png)\n\n![q](<{static}../images/mon image.png>)\n"
    places = file_link_places("articles/un.md", text)
    assert [(line, written, target) for line, _, written, target in places] == [
        (4, "/images/mon%20image.png", "images/mon image.png"),
        (6, "../images/mon image.png", "images/mon image.png"),
    ]
    assert list(file_links("articles/un.md", text, {"images/mon image.png"}.__contains__)) == []
    missing = list(file_links("articles/un.md", text, set().__contains__))
    assert [finding.line for finding in missing] == [4, 6]
    assert "content/images/mon image.png n’existe pas" in missing[0].message
    assert "{static}/images/schema.png" in missing[0].fix  # a file's path, not an article's
    attached = list(file_links("articles/un.md", HEADER + "![a]({attach}schema.png)\n", set().__contains__))
    assert "depuis le dossier de l’article" in attached[0].fix


def test_a_percent_escaped_file_name_is_found_as_pelican_finds_it(tmp_path):
    """An address copied from a browser: `caf%C3%A9.png` is `café.png`, as Pelican resolves
    it; the review finds it, and the strict build publishes the file without a warning."""
    text = "![Une tasse]({static}/images/caf%C3%A9.png)\n\n![La même]({static}../images/caf%C3%A9.png)"
    content = tiny_content(tmp_path, {"a.md": article("Un", text)})
    (content / "images").mkdir(exist_ok=True)
    (content / "images/café.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    site = build_test_site(tmp_path / "out", content)  # strict: any warning fails it
    sources = [image["src"] for image in site.html("un/index.html").select("article img")]
    assert len(sources) == 2
    for source in sources:
        assert site.page_for_url(source).read_bytes() == b"\x89PNG\r\n\x1a\n"


def test_a_link_to_a_missing_section_of_another_article_is_said_at_its_line(tmp_path):
    texts = {
        "a.md": article(
            "Un",
            "Voir [la vraie]({filename}b.md#la-methode).\n\n"
            "Puis [l’absente]({filename}/articles/b.md#absente).\n\n[Sans ancre]({filename}b.md).",
        ),
        "b.md": article("Deux", "## La méthode\n\nTexte.\n\n## Le contexte\n\nTexte."),
    }
    site = build_test_site(tmp_path / "out", tiny_content(tmp_path, texts), strict=False)
    assert [warning.split(": ", 1)[1] for warning in site.warnings] == [
        # The fix lists the article's own sections, not the theme's (« À lire aussi »…).
        "articles/a.md:11: {filename}/articles/b.md#absente : ancre #absente introuvable ; "
        "corrigez l’ancre ; celles des intertitres de la page : #la-methode, #le-contexte"
    ]
    assert site.html("deux/index.html").find(id="la-methode") is not None


def test_a_dead_plain_link_in_the_resume_is_said_with_its_line(tmp_path):
    resume = "::: résumé\n- Vers [nulle part](/nulle-part/).\n:::\n\nLe texte."
    content = tiny_content(tmp_path, {"a.md": article("Un", resume)})
    with pytest.raises(SiteBuildFailed) as failed:
        build_test_site(tmp_path / "out", content, settings_file="pelicanconf.py")
    said = str(failed.value)
    assert "articles/a.md:10: /nulle-part/ : cette page ou ce fichier n’existe pas sur le site" in said


def test_pelicans_link_warnings_are_said_in_french_with_their_file(tmp_path):
    texts = {
        "a.md": article("Un", "![a]({attach}../images/a.png)", Date="2020-01-01"),
        "b.md": article("Deux", "![a]({attach}../images/a.png)", Date="2020-01-02"),
        "c.md": article("Trois", "Voir [le fichier]({filename}/images/a.png)."),
        "d.md": article("Quatre", "Voir [ceci]({fichier}/articles/a.md)."),
        "e.md": article("Cinq", "![absente]({static}/images/absente.png)"),
    }
    content = tiny_content(tmp_path, texts)
    (content / "images").mkdir()
    (content / "images/a.png").write_bytes(b"\x89PNG")
    build_site(tmp_path / "site", ROOT / "pelicanconf.py", overrides={"PATH": str(content)})
    report = json.loads((tmp_path / "site/.site/current/report.json").read_text("utf-8"))
    said = {(finding["file"], finding["message"]) for finding in report["findings"]}
    relocated = [
        file for file, message in said if message.startswith("{attach} ne peut pas placer images/a.png")
    ]
    assert relocated  # the file is linked from elsewhere too (c.md): it stays where it is
    assert set(relocated) <= {"articles/a.md", "articles/b.md"}
    assert ("articles/c.md", "{filename} mène à un fichier, /images/a.png, pas à un article") in said
    assert any(message.startswith("marque de lien inconnue « {fichier} »") for _, message in said)
    missing = "lien vers {static}/images/absente.png : le fichier content/images/absente.png n’existe pas"
    assert ("articles/e.md", missing) in said
    english = (
        "Cannot get modification stamp",
        "cannot relocate",
        "used for linking",
        "Replacement Indicator",
    )
    assert not [message for _, message in said if any(words in message for words in english)]


def test_each_link_to_a_held_back_article_is_said_at_its_line(tmp_path):
    texts = {
        "retenu.md": article("Retenu", "Sans auteur.", Author=""),
        "lecteur.md": article(
            "Lecteur",
            "Voir [ici]({filename}/articles/retenu.md).\n\n"
            "Et [là]({filename}retenu.md), par son chemin relatif.",
        ),
        "resume.md": article("Résumé", "::: résumé\n- Lire [ceci]({filename}retenu.md)\n:::\n\nLe texte."),
    }
    content = tiny_content(tmp_path, texts)
    build_site(tmp_path / "site", ROOT / "pelicanconf.py", overrides={"PATH": str(content)})
    report = json.loads((tmp_path / "site/.site/current/report.json").read_text("utf-8"))
    said = [
        (finding["file"], finding["line"], finding["message"])
        for finding in report["findings"]
        if "retenu dans cette construction" in finding["message"]
    ]
    message = "lien vers articles/retenu.md, retenu dans cette construction : la page manque"
    assert said == [
        ("articles/lecteur.md", 9, message),
        ("articles/lecteur.md", 11, message),
        ("articles/resume.md", 10, message),
    ]
    # Said once: not again as a dead address of the résumé once its mark is resolved.
    assert [f for f in report["findings"] if f["file"] == "articles/resume.md"] == [
        f for f in report["findings"] if f["file"] == "articles/resume.md" and f["line"] == 10
    ]


def test_each_link_to_a_draft_is_said_at_its_line(tmp_path):
    texts = {
        "brouillon.md": article("Brouillon", "Pas encore prêt.", Status="draft"),
        "lecteur.md": article(
            "Lecteur", "Voir [ici]({filename}brouillon.md).\n\nEt [là]({filename}autre.md)."
        ),
        "autre.md": article("Autre"),
    }
    content = tiny_content(tmp_path, texts)
    build_site(tmp_path / "site", ROOT / "pelicanconf.py", overrides={"PATH": str(content)})
    report = json.loads((tmp_path / "site/.site/current/report.json").read_text("utf-8"))
    said = [
        (f["file"], f["line"], f["severity"], f["message"])
        for f in report["findings"]
        if "brouillon" in f["message"]
    ]
    message = (
        "lien vers articles/brouillon.md, un brouillon (Status: draft) : sa page n’est dans aucune liste"
    )
    assert said == [("articles/lecteur.md", 9, "avertissement", message)]
    # Only a warning: the draft's page is written, the link leads somewhere, the article goes online.
    assert (tmp_path / "site/output/lecteur/index.html").is_file()


def test_links_between_pages_and_drafts_are_said_at_their_lines(tmp_path):
    """The pages are read after the articles' review: a page linking to a draft article or
    page, and an article linking to a draft page, are said all the same."""
    texts = {
        "brouillon.md": article("Brouillon", "Pas encore prêt.", Status="draft"),
        "lecteur.md": article("Lecteur", "Voir [la page]({filename}/pages/projet.md)."),
        "autre.md": article("Autre"),
        "cache.md": article("Caché", "Rien.", Slug="cache", Status="hidden"),
        "hidden.md": article(
            "Hidden", "See [the page]({filename}/pages/projet.md).", Slug="cache", Lang="en", Status="hidden"
        ),
    }
    content = tiny_content(tmp_path, texts)
    draft_page = "Title: Projet\nSlug: projet\nStatus: draft\n\nBientôt.\n"
    (content / "pages/projet.md").write_text(draft_page, "utf-8")
    (content / "pages/a-propos.md").write_text(
        "Title: À propos\nSlug: a-propos\n\nLire [un article]({filename}/articles/autre.md).\n\n"
        "Puis [le brouillon]({filename}/articles/brouillon.md)\net [le projet]({filename}projet.md).\n",
        "utf-8",
    )
    build_site(tmp_path / "site", ROOT / "pelicanconf.py", overrides={"PATH": str(content)})
    report = json.loads((tmp_path / "site/.site/current/report.json").read_text("utf-8"))
    said = [
        (f["file"], f["line"], f["kind"], f["message"].split(",")[0])
        for f in report["findings"]
        if f["kind"] != "résumé"
    ]
    assert said == [
        ("articles/hidden.md", 10, "lien vers un brouillon", "lien vers pages/projet.md"),
        ("articles/lecteur.md", 9, "lien vers un brouillon", "lien vers pages/projet.md"),
        ("pages/a-propos.md", 6, "lien vers un brouillon", "lien vers articles/brouillon.md"),
        ("pages/a-propos.md", 7, "lien vers un brouillon", "lien vers pages/projet.md"),
    ]
    assert (tmp_path / "site/output/a-propos/index.html").is_file()


def findings_with_a_page(tmp_path, page: str) -> list[dict]:
    """What `invoke build` reports (report.json) on one article and the page `page`."""
    content = tiny_content(tmp_path, {"a.md": article("Un")})
    (content / "pages/a-propos.md").write_text(page, "utf-8")
    build_site(tmp_path / "site", ROOT / "pelicanconf.py", overrides={"PATH": str(content)})
    return json.loads((tmp_path / "site/.site/current/report.json").read_text("utf-8"))["findings"]


def test_a_resume_block_in_a_page_is_said_not_dropped_unseen(tmp_path):
    page = "Title: À propos\nSlug: a-propos\n\nQui écrit.\n\n::: résumé\n- Un point\n:::\n\nLa suite.\n"
    findings = findings_with_a_page(tmp_path, page)
    said = [(f["file"], f["line"], f["message"]) for f in findings if f["file"].startswith("pages/")]
    message = "le bloc « ::: résumé » n’est affiché que sur les articles ; cette page ne le montre pas"
    assert said == [("pages/a-propos.md", 6, message)]
    shown = (tmp_path / "site/output/a-propos/index.html").read_text("utf-8")
    assert "Qui écrit." in shown
    assert "La suite." in shown


def test_code_as_python_markdown_sees_it():
    text = HEADER + (
        "Un span sur deux lignes : `[un autre\narticle]({filename}/articles/exemple.md)` ici.\n\n"
        "```md est une clôture ; voir [ceci]({filename}/articles/manquant.md)\n\n"
        "~~~ {.python}\n[ex]({filename}/articles/exemple.md)\n~~~\n"
    )
    # The span goes on over the paragraph's next line; a fence followed by words is no fence.
    places = file_link_places("articles/un.md", text)
    assert [(line, written) for line, _, written, _ in places] == [(7, "/articles/manquant.md")]


def test_a_missing_file_linked_from_a_page_is_said(tmp_path):
    page = "Title: À propos\nSlug: a-propos\n\n![x]({static}/images/absente.png)\n"
    findings = findings_with_a_page(tmp_path, page)
    said = [(f["file"], f["message"]) for f in findings if "introuvable ou illisible" in f["message"]]
    assert said == [
        ("images/absente.png", "fichier lié par un article ou une page, introuvable ou illisible")
    ]


def test_a_pages_dead_links_are_said_at_their_lines(tmp_path):
    page = (
        "Title: À propos\nSlug: a-propos\n\nUn lien [mort](/nulle-part/).\n\n"
        "Et [un absent]({filename}/articles/absent.md), mais [un présent]({filename}/articles/a.md).\n"
    )
    said = [
        (f["file"], f["line"], f["message"])
        for f in findings_with_a_page(tmp_path, page)
        if f["file"] == "pages/a-propos.md"
    ]
    assert said == [
        ("pages/a-propos.md", 4, "/nulle-part/ : cette page ou ce fichier n’existe pas sur le site"),
        (
            "pages/a-propos.md",
            6,
            "{filename}/articles/absent.md : Pelican n’a trouvé ni cet article ni ce fichier dans content/",
        ),
    ]


def test_a_dead_link_is_said_at_its_own_line_not_inside_a_longer_one(tmp_path):
    page = "Title: À propos\nSlug: a-propos\n\n" + "\n\n".join(
        [
            "Un lien [long](/nulle/part/).",
            "Un [autre](/autre/nulle/).",
            "Un [court](/nulle/).",
            "Une [ancre](/archives/#nulle-part).",
            "Les [archives](/archives/).",
        ]
    )
    findings = findings_with_a_page(tmp_path, page)
    said = [(f["line"], f["message"]) for f in findings if f["file"] == "pages/a-propos.md"]
    missing = "cette page ou ce fichier n’existe pas sur le site"
    assert said == [
        (4, f"/nulle/part/ : {missing}"),
        (6, f"/autre/nulle/ : {missing}"),
        (8, f"/nulle/ : {missing}"),
        (10, "/archives/#nulle-part : ancre #nulle-part introuvable"),
    ]


def test_a_missing_anchor_is_given_the_closest_section_or_told_there_is_none(tmp_path):
    texts = {
        "a.md": article(
            "Un",
            "Voir [la méthode]({filename}b.md#la-methodes).\n\n"
            "Et [rien](/deux/#methode) et [plat]({filename}c.md#x).",
        ),
        "b.md": article("Deux", "## La méthode\n\nTexte."),
        "c.md": article("Trois", "Un texte sans intertitre."),
    }
    site = build_test_site(tmp_path / "out", tiny_content(tmp_path, texts), strict=False)
    fixes = [warning.split(" ; ", 1)[1] for warning in site.warnings]
    assert fixes == [
        "corrigez l’ancre : vouliez-vous dire #la-methode ?",
        "corrigez l’ancre : vouliez-vous dire #la-methode ?",
        "la page n’a pas d’intertitre « ## … » : liez la page sans ancre",
    ], site.warnings


def test_a_link_in_an_indented_code_block_holds_nothing_back_and_a_list_items_link_is_checked(tmp_path):
    """Only Markdown tells an indented code block from a list's indented lines: the review
    keeps the links that the article's HTML holds where Pelican resolves them."""
    shown_as_code = (
        "Pour lier un article, écrivez :\n\n"
        "    [un exemple]({filename}/articles/exemple-absent.md)\n\n"
        "Et [un nom\\_échappé]({static}/images/mon\\_schema.png), que Pelican trouve.\n"
    )
    in_a_list = "- Un point de liste\n\n    qui continue par [un lien]({filename}/articles/absent.md).\n"
    texts = {"code.md": article("Code", shown_as_code), "liste.md": article("Liste", in_a_list)}
    content = tiny_content(tmp_path, texts)
    (content / "images").mkdir()
    (content / "images/mon_schema.png").write_bytes(b"\x89PNG")
    result = build_site(tmp_path / "site", ROOT / "pelicanconf.py", overrides={"PATH": str(content)})
    broken = [(f.file, f.line, f.message) for f in result.report.findings if f.kind == "lien cassé"]
    source = (content / "articles/liste.md").read_text("utf-8").split("\n")
    line = next(n for n, written in enumerate(source, start=1) if "absent.md" in written)
    message = "lien vers {filename}/articles/absent.md : le fichier content/articles/absent.md n’existe pas"
    assert broken == [("articles/liste.md", line, message)]
    page = (tmp_path / "site/output/code/index.html").read_text("utf-8")
    assert "<code>[un exemple]({filename}/articles/exemple-absent.md)" in page
    assert 'src="/images/mon_schema.png"' in page or 'href="/images/mon_schema.png"' in page


def test_only_markdowns_own_escapes_are_read_as_markdown_reads_them():
    r"""Python-Markdown unescapes `\_` but keeps `\~`: the address Pelican sees keeps it too."""
    import re

    import markdown

    from carnet.review.sources import shown_as_links

    body = "[a]({filename}/articles/mon\\_texte.md) et [b]({filename}/articles/a\\~b.md)\n"
    places = file_link_places("articles/un.md", HEADER + body)
    assert [target for *_, target in places] == ["articles/mon_texte.md", "articles/a\\~b.md"]
    hrefs = re.findall(r'href="\{filename\}([^"]+)"', markdown.markdown(body))
    assert hrefs == ["/articles/mon_texte.md", "/articles/a\\~b.md"]
    assert shown_as_links(places, [("filename", href) for href in hrefs]) == places
