"""An article in another language (same Slug, another Lang) beside its original: its address,
the links between the two, the sitemap; a draft page at a French address."""

import json

import pytest

from carnet.builds.pipeline import build_site
from carnet.builds.runner import BuildFailed
from tests.project import ROOT
from tests.sitebuild import article, build_test_site, tiny_content

FRENCH = article("Perdre des clients", "Dire la vérité à une cliente, au risque de la perdre.", Slug="perdre")
ENGLISH = article(
    "Losing clients", "Telling a client the truth, at the risk of losing her.", Slug="perdre", Lang="en"
)
DRAFT_PAGE = "Title: À propos\nSlug: a-propos\nStatus: draft\n\nLa page, pas encore publiée.\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("translations")
    content = tiny_content(tmp, {"perdre.md": FRENCH, "losing.md": ENGLISH})
    (content / "pages/a-propos.md").write_text(DRAFT_PAGE, encoding="utf-8")
    (content / "pages/qui.md").write_text("Title: Qui sommes-nous\nSlug: qui\n\nNous.\n", encoding="utf-8")
    (content / "pages/who.md").write_text("Title: Who we are\nSlug: qui\nLang: en\n\nUs.\n", encoding="utf-8")
    return build_test_site(tmp / "out", content)


def test_a_translation_lives_beside_its_original(site):
    assert (site.output / "perdre/index.html").is_file()
    page = site.html("perdre/en/index.html")
    assert page.select_one("h1").get_text() == "Losing clients"
    assert page.select_one("article")["lang"] == "en"
    assert not list(site.output.glob("*-en.html"))


@pytest.mark.parametrize(
    ("path", "own", "other", "name", "other_url"),
    [
        ("perdre/index.html", "fr", "en", "English", "/perdre/en/"),
        ("perdre/en/index.html", "en", "fr", "Français", "/perdre/"),
    ],
)
def test_each_language_links_to_the_other(site, path, own, other, name, other_url):
    page = site.html(path)
    own_url = site.siteurl + ("/perdre/en/" if own == "en" else "/perdre/")
    alternates = [(link["hreflang"], link["href"]) for link in page.select('link[rel="alternate"][hreflang]')]
    assert sorted(alternates) == sorted([(own, own_url), (other, site.siteurl + other_url)])
    shown = page.select_one(".article__langues")
    assert " ".join(shown.get_text().split()) == f"Autre langue : {name}"
    link = shown.find("a")
    assert (link["href"], link["hreflang"], link["lang"]) == (site.siteurl + other_url, other, other)


def test_an_article_without_translation_says_nothing_of_languages(tmp_path):
    content = tiny_content(tmp_path, {"seul.md": article("Seul")})
    page = build_test_site(tmp_path / "out", content).html("seul/index.html")
    assert page.select_one(".article__langues") is None
    assert page.select('link[rel="alternate"][hreflang]') == []


def test_the_sitemap_lists_both_languages(site):
    sitemap = (site.output / "sitemap.xml").read_text("utf-8")
    for address in ("/perdre/", "/perdre/en/", "/qui/", "/qui/en/"):
        assert f"<loc>{site.siteurl}{address}</loc>" in sitemap


def test_a_page_translation_links_to_its_original(site):
    page = site.html("qui/en/index.html")
    link = page.select_one(".article__langues a")
    assert (link["href"], link.get_text()) == (f"{site.siteurl}/qui/", "Français")
    assert page.select_one("article")["lang"] == "en"


def test_a_draft_page_has_a_french_address(site):
    assert (site.output / "brouillons/pages/a-propos/index.html").is_file()
    assert not (site.output / "drafts").exists()


def test_a_translation_held_back_is_linked_from_nowhere(tmp_path):
    held = ENGLISH.replace("Category: Essais\n", "")
    content = tiny_content(tmp_path, {"perdre.md": FRENCH, "losing.md": held})
    site = build_test_site(tmp_path / "out", content, strict=False)
    page = site.html("perdre/index.html")
    assert page.select_one(".article__langues") is None
    assert page.select('link[rel="alternate"][hreflang]') == []
    assert "/perdre/en/" not in (site.output / "sitemap.xml").read_text("utf-8")


def test_a_translation_whose_original_is_held_back_says_so(tmp_path):
    held = FRENCH.replace("Category: Essais\n", "")
    content = tiny_content(tmp_path, {"perdre.md": held, "losing.md": ENGLISH})
    site = build_test_site(tmp_path / "out", content, strict=False)
    page = site.html("perdre/en/index.html")
    assert page.select_one(".article__langues") is None
    assert page.select('link[rel="alternate"][hreflang]') == []
    said = " ".join(" ".join(site.warnings).split())
    assert "articles/losing.md" in said
    assert (
        "traduction de articles/perdre.md, retenu dans cette construction : sa page n’est liée de nulle part"
        in said
    )


def test_languages_come_in_the_order_of_their_codes(tmp_path):
    """Whatever order the files are read in: the head's links, the visible list and the sitemap."""
    texts = {"perdre.md": FRENCH}
    for name, lang, words in [
        ("a.md", "es", "Perder"),
        ("b.md", "en", "Losing"),
        ("c.md", "de", "Verlieren"),
    ]:
        texts[name] = article(words, f"{words} clients, {lang}.", Slug="perdre", Lang=lang)
    site = build_test_site(tmp_path / "out", tiny_content(tmp_path, texts))
    page = site.html("perdre/index.html")
    assert [link["hreflang"] for link in page.select('link[rel="alternate"][hreflang]')] == [
        "fr",
        "de",
        "en",
        "es",
    ]
    assert [link["hreflang"] for link in page.select(".article__langues a")] == ["de", "en", "es"]
    sitemap = (site.output / "sitemap.xml").read_text("utf-8")
    places = [sitemap.index(f"{site.siteurl}/perdre/{lang}</loc>") for lang in ("", "de/", "en/", "es/")]
    assert places == sorted(places)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("EN", "langue illisible : « EN » n’est pas un code de langue"),
        ("en us", "langue illisible : « en us » n’est pas un code de langue"),
        (
            "../../../ailleurs",
            "l’adresse de sa page, 'perdre/../../../ailleurs/index.html', sortirait du site",
        ),
    ],
)
def test_a_language_that_is_no_code_holds_the_article_back(tmp_path, lang, said):
    """Said at the file, in French; the rest of the site goes online, nothing is written outside."""
    odd = ENGLISH.replace("Lang: en", f"Lang: {lang}")
    content = tiny_content(tmp_path, {"perdre.md": FRENCH, "losing.md": odd})
    root = tmp_path / "site"
    with pytest.raises(BuildFailed):  # strict: a held-back article refuses the build
        build_site(root, ROOT / "pelicanconf.py", overrides={"PATH": str(content)}, strict=True)
    build_site(root, ROOT / "pelicanconf.py", overrides={"PATH": str(content)})
    report = json.loads((root / ".site/current/report.json").read_text("utf-8"))
    assert [held["file"] for held in report["held"]] == ["articles/losing.md"]
    assert any(said in " ".join(held["reasons"]) for held in report["held"])
    assert (root / "output/perdre/index.html").is_file()
    assert not (tmp_path / "ailleurs").exists()


def test_a_group_only_a_translation_has_is_not_linked(tmp_path):
    """Pelican makes tag, category and author pages from the listed articles only: a
    translation's own tag, category and author are shown, not linked to a missing page."""
    french = article("Perdre des clients", "La vérité.", Slug="perdre", Tags="confiance")
    english = article(
        "Losing clients",
        "The truth.",
        Slug="perdre",
        Lang="en",
        Tags="confiance, honesty",
        Category="Essays",
        Author="Sam",
    )
    content = tiny_content(tmp_path, {"perdre.md": french, "losing.md": english})
    site = build_test_site(tmp_path / "out", content)
    page = site.html("perdre/en/index.html")
    tags = page.select_one("ul.etiquettes")
    assert [li.get_text(" ", strip=True) for li in tags.select("li")] == ["confiance", "honesty"]
    assert [a["href"] for a in tags.select("a")] == [f"{site.siteurl}/etiquette/confiance/"]
    byline = page.select_one(".signature")
    assert byline.select("a") == []
    assert "par Sam" in " ".join(byline.get_text().split())
    assert "Essays" in byline.get_text()
    original = site.html("perdre/index.html")
    assert [a.get_text() for a in original.select(".signature a")] == ["Camille", "Essais"]
    assert page.select_one(".article__categorie a") is None
    assert page.select_one(".article__categorie").get_text(strip=True) == "Essays"
    # No page of the site links to a page that is not there.
    for path in site.html_files():
        for link in site.html(str(path.relative_to(site.output))).select("a[href]"):
            target = site.page_for_url(link["href"].split("#")[0])
            if target is not None and not link["href"].startswith(("#", "mailto:")):
                assert target.exists(), (path, link["href"])
    assert (site.output / "etiquette/confiance/index.html").is_file()
    assert not (site.output / "etiquette/honesty").exists()


def test_a_map_tag_only_a_translation_has_keeps_its_english_label_in_english(tmp_path):
    tag_map = (
        '[groups.metier]\nfr = "Le métier"\nen = "The trade"\n\n'
        '[tags.confiance]\ngroup = "metier"\nfr = "Confiance"\nen = "trust"\n\n'
        '[tags.honnetete]\ngroup = "metier"\nfr = "Honnêteté"\nen = "honesty"\n'
    )
    french = article("Perdre des clients", "La vérité.", Slug="perdre", Tags="Confiance")
    english = article("Losing clients", "The truth.", Slug="perdre", Lang="en", Tags="Confiance, Honnêteté")
    content = tiny_content(tmp_path, {"perdre.md": french, "losing.md": english}, {"tagmap.toml": tag_map})
    site = build_test_site(tmp_path / "out", content, strict=False)
    pairs = site.html("perdre/en/index.html").select("li.etiquettes__paire")
    assert [len(pair.select("a")) for pair in pairs] == [2, 0]
    unlinked = pairs[1]
    assert unlinked.get_text(" ", strip=True) == "Honnêteté · honesty"
    assert [(span.get("lang"), span.get_text()) for span in unlinked.select("span[lang]")] == [
        ("en", "honesty")
    ]
    linked = pairs[0].select("a")[1]
    assert (linked["lang"], linked["hreflang"], linked["rel"]) == ("en", "en", ["tag"])


def long_paragraphs(count: int, words: str) -> list[str]:
    sentence = f"{words} {{}}, assez long pour compter comme un vrai paragraphe du texte, et même plus. "
    return [sentence.format(number) * 2 for number in range(count)]


def test_a_translation_still_in_the_original_language_is_the_one_warned(tmp_path):
    """Same text, same date, and the translation's file name first: it is the translation that is
    not translated yet, not the original that copies it (« supprimez celui-ci »)."""
    body = "\n\n".join(long_paragraphs(4, "Un paragraphe"))
    texts = {
        "perdre.md": article("Perdre des clients", body, Slug="perdre"),
        "losing.md": article("Losing clients", body, Slug="perdre", Lang="en"),
    }
    site = build_test_site(tmp_path / "out", tiny_content(tmp_path, texts), strict=False)
    [said] = [
        warning.split(": ", 1)[1]
        for warning in site.warnings
        if "copie" in warning or "traduction" in warning
    ]
    assert said == (
        "articles/losing.md:9: traduction de articles/perdre.md qui en reprend le texte : "
        "4 paragraphe(s) sur 4 y sont déjà ; traduisez-la, ou retirez-la jusqu’à ce qu’elle le soit"
    )


def test_a_quotation_a_translation_keeps_is_no_repetition(tmp_path):
    """Between an article and its translation, a paragraph kept as it is (a quotation) is no
    repetition; a third article that has it too is told, and the two are told of it."""
    quotation = long_paragraphs(1, "« Une citation gardée telle quelle")[0]
    french = "\n\n".join([*long_paragraphs(3, "Un paragraphe en français"), quotation])
    english = "\n\n".join([*long_paragraphs(3, "A paragraph in English"), quotation])
    texts = {
        "perdre.md": article("Perdre des clients", french, Slug="perdre"),
        "losing.md": article("Losing clients", english, Slug="perdre", Lang="en"),
        "autre.md": article("Autre", "\n\n".join([*long_paragraphs(2, "Autre chose"), quotation])),
    }
    site = build_test_site(tmp_path / "out", tiny_content(tmp_path, texts), strict=False)
    said = sorted(w.split(": ", 1)[1].split(" : «")[0] for w in site.warnings if "aussi dans" in w)
    assert said == [
        "articles/autre.md:13: aussi dans articles/perdre.md, articles/losing.md",
        "articles/losing.md:15: aussi dans articles/autre.md",
        "articles/perdre.md:15: aussi dans articles/autre.md",
    ]
