"""The tag, category and author lists lent for the output phase (carnet/builds/listings.py):
Pelican's `article in articles` must answer as on its own lists, and the lists come back."""

import datetime
from types import SimpleNamespace
from unittest.mock import ANY

import pytest
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Author, Category, Tag

from carnet.builds.listings import Members, lend_members, lend_members_while_writing

SETTINGS = dict(DEFAULT_CONFIG)


def articles(count: int) -> list[Article]:
    return [
        Article(
            f"<p>Texte {n}</p>",
            metadata={"title": f"Article {n}", "date": datetime.datetime(2020, 1, n + 1)},
            settings=SETTINGS,
        )
        for n in range(count)
    ]


def generator_with_groups(every: list[Article]) -> SimpleNamespace:
    return SimpleNamespace(
        dates=list(reversed(every)),
        tags={Tag("formation", SETTINGS): every[::2]},
        categories=[(Category("partenariat", SETTINGS), every[1::3])],
        authors=[(Author("Zoé", SETTINGS), every[:4])],
    )


def groups(holder) -> dict[str, list]:
    """The one list of each kind, from the generator or from a context."""
    return {
        "tags": next(iter(holder["tags"].values())),
        "categories": holder["categories"][0][1],
        "authors": holder["authors"][0][1],
    }


def dates_as_pelican_picks_them(generator, articles_of_group) -> list[Article]:
    return [article for article in generator.dates if article in articles_of_group]  # generators.py


def test_members_answer_in_as_the_list_does():
    every = articles(9)
    group = Members(every[2:6])
    assert isinstance(group, list)
    assert group == every[2:6]
    assert [article in group for article in every] == [article in every[2:6] for article in every]
    assert "Article 3" not in group
    assert None not in group
    # An item with its own == is asked as the list asks it.
    assert ANY in group
    assert ANY not in Members([])


def test_the_groups_are_lent_to_the_generator_alone_and_given_back():
    every = articles(12)
    generator = generator_with_groups(every)
    # Pelican's context holds the generator's lists of category and author pairs.
    context = {"categories": generator.categories, "authors": generator.authors}
    lists = groups(vars(generator))
    expected = {name: dates_as_pelican_picks_them(generator, group) for name, group in lists.items()}
    assert expected["tags"] == list(reversed(every[::2]))

    give_back = lend_members(generator)
    lent = groups(vars(generator))
    assert all(type(group) is Members for group in lent.values())
    assert {name: dates_as_pelican_picks_them(generator, group) for name, group in lent.items()} == expected
    # What templates read is left as it was (and so are the pages' keys).
    assert context["categories"][0][1] is lists["categories"]
    assert context["authors"][0][1] is lists["authors"]

    give_back()
    assert all(groups(vars(generator))[name] is lists[name] for name in lists)
    assert generator.categories is context["categories"]


def test_a_group_of_items_that_compare_by_value_keeps_its_list():
    # `in` on a list compares with ==: equal but distinct texts are members.
    generator = SimpleNamespace(tags={"t": ["un", "deux"]}, categories=[("c", [1.0, 2.0])], authors=[])
    give_back = lend_members(generator)
    assert type(generator.tags["t"]) is list
    assert type(generator.categories[0][1]) is list
    assert "".join(["d", "eux"]) in generator.tags["t"]
    give_back()


def test_the_lists_come_back_when_writing_fails():
    generator = generator_with_groups(articles(4))
    seen = []

    def generate_output(writer):
        seen.append(type(generator.categories[0][1]))
        raise RuntimeError("the writer failed")

    generator.generate_output = generate_output
    lend_members_while_writing(generator)
    with pytest.raises(RuntimeError):
        generator.generate_output(None)
    assert seen == [Members]
    assert type(generator.categories[0][1]) is list
    assert type(generator.authors[0][1]) is list


def test_a_real_build_writes_its_group_pages_with_the_lent_lists(tmp_path):
    from pelican import signals

    from tests.sitebuild import article, build_test_site, tiny_content

    content = tiny_content(
        tmp_path,
        {
            f"a{n}.md": article(f"Article {n}", Tags="formation, partenariat" if n % 2 else "formation")
            for n in range(5)
        },
    )
    kinds: dict[str, set[type]] = {}

    def record(path, context):
        if "/etiquette/" in path:
            kinds.setdefault(context["tag"].slug, set()).add(type(context["articles"]))

    signals.content_written.connect(record)
    try:
        site = build_test_site(tmp_path / "output", content)
    finally:
        signals.content_written.disconnect(record)
    assert kinds == {"formation": {Members}, "partenariat": {Members}}
    listed = {
        link["href"]
        for link in site.html("etiquette/partenariat/index.html").select("main a[href*='/article-']")
    }
    assert {href.rstrip("/").rsplit("/", 1)[-1] for href in listed} == {"article-1", "article-3"}
