"""The project's five articles, built as readers get them (publication settings)."""

import re
import xml.etree.ElementTree as ET
from collections import Counter

import feedparser
import pytest
from slugify import slugify

from tests.project import ROOT

# slug: (title, French date as shown or None when the source gives none, author)
ARTICLES = {
    "les-synchronicites-qui-provoquent-la-rencontre-avec-le-client": (
        "Les synchronicités qui provoquent la rencontre avec le client",
        "jeudi 16 avril 2009",
        "Anonyme (Ottawa)",
    ),
    "aujourdhui-jai-rencontre-un-partenaire": ("Aujourd’hui j’ai rencontré un partenaire", None, "BWOW"),
    "perdre-des-clients": ("Perdre des clients", None, "Jason Verdier"),
    "vos-competences-non-techniques-comptent-autant-que-vos-competences-techniques": (
        "Vos compétences non techniques comptent autant que vos compétences techniques",
        None,
        "Anonyme",
    ),
    "quen-est-il-de-la-fidelisation-dans-le-be-to-be": (
        "Qu'en est il de la fidélisation dans le Be to be ?",
        "mercredi 22 février 2006",
        "Patrick",
    ),
}

# What the web scrape added around the authors' words.
SCRAPE_LEFTOVERS = [
    "Inscription à",
    "Publier les commentaires",
    "Aucun commentaire",
    "Enregistrer un commentaire",
    "Article précédent - Répondre",
    "Répondre à cet article",
    "Lu 4196 fois",
    "Ecrit par Patrick",
    "Sent to:",
    "vivreducoaching@gmail.com",
    "Don’t want future emails",
    "Unsubscribe",
    "bit.ly",
    "emails privés",
    "Vivre du coaching, France",
]


def normalise(text: str) -> str:
    """Compare text whatever the typographic spaces around it."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


@pytest.mark.parametrize("slug", ARTICLES)
def test_article_page_has_title_french_date_and_author(site, slug):
    title, date, author = ARTICLES[slug]
    page = site.html(f"{slug}/index.html")
    assert normalise(page.select_one("h1.article__titre").get_text()) == normalise(title)
    byline = normalise(page.select_one(".article__entete .signature").get_text())
    assert author in byline
    if date:
        assert date in byline
        assert page.select_one(".article__entete time")["datetime"].startswith(
            {"jeudi 16 avril 2009": "2009-04-16", "mercredi 22 février 2006": "2006-02-22"}[date]
        )
    else:
        assert "Date d’origine inconnue" in byline
        assert page.select_one(".article__entete time") is None
    assert page.html["lang"] == "fr"
    assert page.select_one("article")["lang"] == "fr"


def test_home_page_lists_every_article_newest_first_then_undated(site):
    home = site.html("index.html")
    cards = home.select("article.carte")
    titles = [normalise(card.select_one(".carte__titre").get_text()) for card in cards]
    assert titles[:2] == [normalise(ARTICLES[s][0]) for s in list(ARTICLES)[0:5:4]]
    assert sorted(titles) == sorted(normalise(t) for t, _, _ in ARTICLES.values())
    for card in cards:
        slug = card.select_one(".carte__titre a")["href"].rstrip("/").rsplit("/", 1)[-1]
        assert card.select_one(".signature a[rel=author]").get_text() == ARTICLES[slug][2]
        # The card sums the article up with the points of its page's résumé (each has one).
        page = site.html(f"{slug}/index.html")
        points = [normalise(li.get_text()) for li in page.select("section#resume li")]
        assert [normalise(li.get_text()) for li in card.select(".carte__resume li")] == points != [], slug


def test_no_scrape_leftovers_anywhere(site):
    for path in site.html_files():
        text = site.html(str(path.relative_to(site.output))).get_text(" ")
        for leftover in SCRAPE_LEFTOVERS:
            assert leftover not in text, f"{leftover!r} in {path}"
    for slug in ARTICLES:
        paragraphs = [normalise(p.get_text()) for p in site.html(f"{slug}/index.html").select("#texte p")]
        assert "Photo" not in paragraphs


@pytest.mark.parametrize("slug", ARTICLES)
def test_no_paragraph_appears_twice_in_an_article(site, slug):
    blocks = site.html(f"{slug}/index.html").select("#texte p, #texte li")
    counts = Counter(normalise(b.get_text()) for b in blocks)
    assert [text for text, n in counts.items() if n > 1 and text] == []


def test_authors_words_are_kept(site):
    """Spot checks of the authors' own text, spelling and emoji included."""
    expectations = {
        "aujourdhui-jai-rencontre-un-partenaire": ["Voire complète naïf.", "🐄", "tarte au riz", "BWOW ©"],
        "perdre-des-clients": ["A demain,", "Jason", "cela a transformer sa vision"],
        "quen-est-il-de-la-fidelisation-dans-le-be-to-be": ["Parce que je croix dans les valeurs humaines"],
        "vos-competences-non-techniques-comptent-autant-que-vos-competences-techniques": [
            "Comment vous les avez fait sentir.",
        ],
        "les-synchronicites-qui-provoquent-la-rencontre-avec-le-client": [
            "Source : Ces étranges coïncidences, Catherine Balance et Dominique Bourdin",
        ],
    }
    for slug, snippets in expectations.items():
        text = normalise(site.html(f"{slug}/index.html").select_one("#texte").get_text(" "))
        for snippet in snippets:
            assert normalise(snippet) in text, (slug, snippet)


def test_biography_is_on_the_author_page_not_in_the_article(site):
    article = site.html("les-synchronicites-qui-provoquent-la-rencontre-avec-le-client/index.html")
    assert "Université Saint-Paul" not in article.select_one("#texte").get_text()
    author_link = article.select_one(".article__entete a[rel=author]")["href"]
    author_page = site.page_for_url(author_link)
    bio = author_page.read_text(encoding="utf-8")
    assert "Université Saint-Paul à Ottawa" in bio


def test_editorial_title_is_marked(site):
    page = site.html(
        "vos-competences-non-techniques-comptent-autant-que-vos-competences-techniques/index.html"
    )
    assert "Titre donné par la rédaction" in page.select_one(".article__entete").get_text()
    other = site.html("perdre-des-clients/index.html")
    assert "Titre donné par la rédaction" not in other.get_text()


def test_french_spacing_before_high_punctuation(site):
    text = site.html("les-synchronicites-qui-provoquent-la-rencontre-avec-le-client/index.html").select_one(
        "#texte"
    )
    assert "moment\u202f?" in text.get_text()
    assert "Source\u00a0:" in text.get_text()


def test_every_local_link_and_asset_resolves(site):
    broken = []
    for path in site.html_files():
        page = site.html(str(path.relative_to(site.output)))
        for element in page.select("[href], [src]"):
            url = element.get("href") or element.get("src")
            if url.startswith(("mailto:", "#")):
                continue
            target = site.page_for_url(url)
            if target is None:
                continue
            if not target.is_file():
                broken.append(f"{path.relative_to(site.output)} -> {url}")
                continue
            fragment = url.partition("#")[2]
            if (
                fragment
                and target.suffix == ".html"
                and not site.html(str(target.relative_to(site.output))).find(id=fragment)
            ):
                broken.append(f"{path.relative_to(site.output)} -> {url} (no #{fragment})")
    assert broken == []


def test_pages_have_landmarks_skip_link_and_search_form(site):
    for path in ["index.html", "perdre-des-clients/index.html", "archives/index.html", "404.html"]:
        page = site.html(path)
        skip = page.select_one("a.lien-evitement")
        assert skip["href"] == "#contenu"
        assert page.find(id="contenu").name == "main"
        assert page.select_one("header[role=banner]")
        assert page.select_one("footer[role=contentinfo]")
        assert page.select_one("nav[aria-label]")
        form = page.select_one("form[role=search]")
        assert form["method"] == "get"
        assert form.select_one("input[name=q]")
        assert page.select_one(f"label[for={form.select_one('input')['id']}]")
        assert len(page.find_all("h1")) == 1, path  # one title a page


def test_no_external_fonts_scripts_or_cdn(site):
    for path in site.html_files():
        page = site.html(str(path.relative_to(site.output)))
        assert page.find("script") is None, path
        for link in page.select("link[rel=stylesheet]"):
            assert link["href"].startswith(site.siteurl), path
    css = (site.output / "theme/css/site.css").read_text(encoding="utf-8")
    assert "@import" not in css
    assert "url(http" not in css
    assert "@font-face" not in css


def test_listing_pages_exist(site):
    for path in [
        "categories/index.html",
        "etiquettes/index.html",
        "auteurs/index.html",
        "archives/index.html",
        "categorie/partenariat/index.html",
        "etiquette/partenariat/index.html",
        "auteur/patrick/index.html",
        "404.html",
    ]:
        assert (site.output / path).is_file(), path


def test_archives_group_by_year_and_keep_undated_apart(site):
    page = site.html("archives/index.html")
    headings = [normalise(h.get_text()) for h in page.select("main h2")]
    assert headings == ["2009", "2006", "Date d’origine inconnue"]


def test_feeds_parse_and_undated_entries_claim_no_publication_date(site):
    feeds = sorted((site.output / "feeds").glob("*.xml"))
    assert any(f.name == "tous.atom.xml" for f in feeds)
    # An author's or a category's feed holds the articles whose header names it.
    headers = [
        dict(line.split(": ", 1) for line in path.read_text("utf-8").split("\n\n", 1)[0].splitlines())
        for path in sorted((ROOT / "content/articles").glob("*.md"))
    ]
    for feed_path in feeds:
        feed = feedparser.parse(feed_path.read_bytes())
        assert not feed.bozo, (feed_path, feed.get("bozo_exception"))
        assert feed.entries, feed_path
        kind, _, key = feed_path.name.removesuffix(".atom.xml").partition("-")
        if kind in ("auteur", "categorie"):
            field = "Author" if kind == "auteur" else "Category"
            named = sorted(header["Slug"] for header in headers if slugify(header[field]) == key)
            assert sorted(entry.link.rstrip("/").rsplit("/", 1)[1] for entry in feed.entries) == named != []
    everything = feedparser.parse((site.output / "feeds/tous.atom.xml").read_bytes())
    assert len(everything.entries) == 5
    for entry in everything.entries:
        slug = entry.link.rstrip("/").rsplit("/", 1)[1]
        assert entry.link.startswith(site.siteurl)
        assert entry.updated
        if ARTICLES[slug][1] is None:
            assert "published" not in entry
        else:
            assert entry.published.startswith(("2009-04-16", "2006-02-22"))


def test_sitemap_lists_every_article_with_absolute_urls(site):
    tree = ET.parse(site.output / "sitemap.xml")
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in tree.getroot().findall("s:url/s:loc", namespace)]
    for slug in ARTICLES:
        assert f"{site.siteurl}/{slug}/" in locations
    assert all(loc.startswith(site.siteurl) for loc in locations)
    assert len(locations) == len(set(locations))


def test_meta_description_and_canonical(site):
    page = site.html("perdre-des-clients/index.html")
    assert page.select_one("link[rel=canonical]")["href"] == f"{site.siteurl}/perdre-des-clients/"
    description = page.select_one("meta[name=description]")["content"]
    assert len(description) > 40
    assert "<" not in description
    assert page.select_one("meta[property='og:description']")["content"] == description


def test_neighbour_links_follow_the_home_page_order(site):
    order = [
        site.page_for_url(card.select_one(".carte__titre a")["href"])
        for card in site.html("index.html").select(".carte")
    ]
    for position, page_path in enumerate(order):
        page = site.html(str(page_path.relative_to(site.output)))
        older = page.select_one("a[rel=prev]")
        newer = page.select_one("a[rel=next]")
        if position + 1 < len(order):
            assert site.page_for_url(older["href"]) == order[position + 1]
        else:
            assert older is None
        if position:
            assert site.page_for_url(newer["href"]) == order[position - 1]
        else:
            assert newer is None
