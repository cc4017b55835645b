"""The résumé block in built sites: article page, listings, feed, meta description."""

import re

import feedparser
import pytest

from tests.sitebuild import SiteBuildFailed, article, build_test_site, tiny_content

WITH_RESUME = """::: résumé
- Le premier point
- [Un point lié](#deuxieme-partie)
- Première partie
:::

Un premier paragraphe, qui n'est pas le résumé.

## Première partie

Texte.

## Deuxième partie

Texte encore.
"""

AUTHOR_POINTS = [
    "Des personnes qui contribueront à votre chemin",
    "Synergies, collaborations",
    "Avis avisés",
    "Faites-vous confiance",
    "Qu’en dira-t-on",
    "Faire autrement",
    "Partenaire de qualité",
    "Inspiration",
]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("resume")
    content = tiny_content(
        tmp,
        {
            "avec.md": article("Avec résumé", WITH_RESUME, Date="2021-01-01", Resume_source="rédaction"),
            "sans.md": article(
                "Sans résumé", "## Intro\n\nLe tout premier paragraphe.\n\nLa suite.", Date="2020-01-01"
            ),
        },
    )
    return build_test_site(tmp / "out", content)


def squash(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def test_article_page_has_the_block_above_the_text(tiny):
    page = tiny.html("avec-resume/index.html")
    section = page.select_one("section.resume")
    heading = page.find(id=section["aria-labelledby"])
    assert heading.get_text() == "Cet article en résumé"
    assert [squash(li.get_text()) for li in section.select("li")] == [
        "Le premier point",
        "Un point lié",
        "Première partie",
    ]
    text = page.select_one("#texte")
    assert text in section.find_all_next(id="texte")
    marker = page.find(id="pas-en-resume")
    assert marker.get_text() == "Cet article pas en résumé"
    # Folding the text away needs no JavaScript: a native <details>, open by default.
    details = marker.find_parent("details")
    assert details.has_attr("open")
    assert details.find(id="texte") is text
    assert "Résumé proposé par la rédaction" in section.get_text()


def test_points_link_to_their_sections(tiny):
    page = tiny.html("avec-resume/index.html")
    links = {a.get_text(): a["href"] for a in page.select("section.resume a")}
    assert links == {"Un point lié": "#deuxieme-partie", "Première partie": "#premiere-partie"}
    for anchor in links.values():
        assert page.find(id=anchor[1:]).name == "h2"
    assert "Le premier point" not in page.select_one("#texte").get_text()


def test_listings_show_the_resume_or_the_first_paragraph(tiny):
    for listing in ["index.html", "categorie/essais/index.html", "auteur/camille/index.html"]:
        page = tiny.html(listing)
        cards = {squash(c.select_one(".carte__titre").get_text()): c for c in page.select(".carte")}
        resume = cards["Avec résumé"].select_one("ul.resume")
        assert [squash(li.get_text()) for li in resume.select("li")] == [
            "Le premier point",
            "Un point lié",
            "Première partie",
        ]
        assert resume.select("a") == []
        fallback = cards["Sans résumé"].select_one(".carte__resume")
        assert squash(fallback.get_text()) == "Le tout premier paragraphe."
        assert fallback.select_one("ul") is None


def test_meta_description_uses_the_resume_as_plain_text(tiny):
    page = tiny.html("avec-resume/index.html")
    description = page.select_one("meta[name=description]")["content"]
    assert description == "Le premier point · Un point lié · Première partie"
    assert page.select_one("meta[property='og:description']")["content"] == description
    other = tiny.html("sans-resume/index.html").select_one("meta[name=description]")["content"]
    assert other == "Le tout premier paragraphe."
    assert tiny.html("sans-resume/index.html").select_one("section.resume") is None


def test_feed_summary_carries_the_resume(tiny):
    feed = feedparser.parse((tiny.output / "feeds/tous.atom.xml").read_bytes())
    entries = {entry.title: entry for entry in feed.entries}
    assert '<ul class="resume">' in entries["Avec résumé"].summary
    assert "Le premier point" in entries["Avec résumé"].summary
    assert "Le tout premier paragraphe." in entries["Sans résumé"].summary


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("::: résumé\n:::", "est vide"),
        (
            "::: résumé\nUne phrase.\n:::",
            "n’est pas une liste : 'Une phrase.' ; écrivez chaque point « - … »",
        ),
        ("::: résumé\n- a\n  - b\n    - c\n:::", "plus d’un niveau"),
        ("::: résumé\n" + "\n".join(f"- p{n}" for n in range(13)) + "\n:::", "gardez-en 12 au plus"),
        (
            "::: résumé\n- [Là](#absente)\n:::",
            "#absente, section absente de l’article ; liez une de ses sections :"
            " l’article n’a pas d’intertitre « ## … »",
        ),
        ("::: résumé\n- a\n", "jamais fermé"),
    ],
)
def test_bad_resume_fails_a_strict_build_and_names_the_file(tmp_path, block, message):
    content = tiny_content(tmp_path, {"fautif.md": article("Fautif", block + "\n\nTexte.")})
    with pytest.raises(SiteBuildFailed, match=rf"articles/fautif\.md:\d+: .*{re.escape(message)}"):
        build_test_site(tmp_path / "out", content)


def test_points_use_the_articles_reference_links(tmp_path):
    """« [texte][étiquette] » in a point, defined at the end of the article as the text's are."""
    body = (
        "::: résumé\n- Lire [l’autre article][autre]\n- Voir [Pelican]\n:::\n\n"
        "Le texte cite [l’autre][autre] aussi.\n\n"
        '[autre]: {filename}autre.md "Un autre article"\n[pelican]: https://getpelican.com/\n'
    )
    content = tiny_content(
        tmp_path, {"liens.md": article("Liens", body), "autre.md": article("Autre", Date="2019-01-01")}
    )
    site = build_test_site(tmp_path / "out", content)
    points = site.html("liens/index.html").select("section.resume li")
    assert [squash(point.get_text()) for point in points] == ["Lire l’autre article", "Voir Pelican"]
    first, second = (point.find("a") for point in points)
    assert site.page_for_url(first["href"]) == site.output / "autre/index.html"
    assert first["title"] == "Un autre article"
    assert second["href"] == "https://getpelican.com/"
    listed = site.html("index.html").select_one("ul.resume a")
    assert site.page_for_url(listed["href"]) == site.output / "autre/index.html"


# The project's own five articles.

SLUGS = [
    "les-synchronicites-qui-provoquent-la-rencontre-avec-le-client",
    "aujourdhui-jai-rencontre-un-partenaire",
    "perdre-des-clients",
    "vos-competences-non-techniques-comptent-autant-que-vos-competences-techniques",
    "quen-est-il-de-la-fidelisation-dans-le-be-to-be",
]


def test_every_article_carries_a_resume(site):
    for slug in SLUGS:
        section = site.html(f"{slug}/index.html").select_one("section.resume")
        points = section.select("ul.resume__points > li")
        if slug == "aujourdhui-jai-rencontre-un-partenaire":
            assert [squash(li.get_text()) for li in points] == AUTHOR_POINTS
            assert squash(section.select_one(".resume__origine").get_text()) == "Résumé de BWOW"
        else:
            assert 3 <= len(points) <= 6, slug
            assert "Résumé proposé par la rédaction" in section.get_text()


def test_author_resume_links_to_the_sections_it_names(site):
    page = site.html("aujourdhui-jai-rencontre-un-partenaire/index.html")
    links = {squash(a.get_text()): a["href"] for a in page.select("section.resume a")}
    assert links["Avis avisés"] == "#avis-avises"
    assert links["Faites-vous confiance"] == "#faites-vous-confiance"
    assert links["Faire autrement"] == "#faire-autrement"
    assert page.find(id="avis-avises").get_text() == "AVIS avisés"


def test_home_page_and_feed_use_the_resumes(site):
    home = site.html("index.html")
    assert len(home.select(".carte ul.resume")) == 5
    feed = feedparser.parse((site.output / "feeds/tous.atom.xml").read_bytes())
    assert all('<ul class="resume">' in entry.summary for entry in feed.entries)
