"""« À lire aussi » brought up to date from the previous build equals « À lire aussi »
computed from nothing: by property on random small archives (carnet/search/related.py), and
on a real tiny site rebuilt after an edit, an addition and a deletion (against a clean build)."""

import math
import shutil
from collections import Counter
from pathlib import Path

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carnet.builds.pipeline import build_site
from carnet.search.documents import SearchDocument
from carnet.search.related import KEY_TERMS, TermStore, _key_terms, _Rarity, relate, update
from tests.project import ROOT
from tests.sitebuild import article

# Few words and tags, so that terms, frequencies and tags are shared, ties happen and some
# articles fall short of candidates; more words than an article's key terms, so that a word
# can count outside them.
WORDS = ["potager", "poireaux", "jardin", "semis", "confiance", "client", "partenaire", "écoute"]
WORDS += ["hiver", "récolte", "coaching", "achats", "réseau", "projet", "écoute", "synergie", "formation"]
WORDS += ["acheteur", "fournisseur", "contrat", "devis", "rencontre", "hasard", "chemin", "avenir"]
WORDS += ["question", "réponse", "atelier", "équipe"]
TAGS = ["jardin", "coaching", "achats", "réseau"]

texts = st.lists(st.sampled_from(WORDS), min_size=0, max_size=30).map(" ".join)
tag_lists = st.lists(st.sampled_from(TAGS), max_size=3)


def document(number: int, body: str, tags: list[str]) -> SearchDocument:
    # No title: a word common to all would make every article a candidate of every other.
    return SearchDocument(url=f"article-{number}/", title="", body=body, tag_keys=tags)


archives = st.lists(st.tuples(texts, tag_lists), min_size=1, max_size=14).map(
    lambda items: [document(n, body, tags) for n, (body, tags) in enumerate(items)]
)
# An edit: which article (a fraction of the archive's length), its new text, or its new tags.
edits = st.lists(st.tuples(st.floats(0, 0.999), st.one_of(texts, tag_lists)), min_size=1, max_size=4)


def edited(documents: list[SearchDocument], changes) -> list[SearchDocument]:
    result = [SearchDocument(**vars(document)) for document in documents]
    for where, change in changes:
        target = result[int(where * len(result))]
        if isinstance(change, str):
            target.body = change
        else:
            target.tag_keys = change
    return result


def assert_same(incremental, scratch) -> None:
    assert incremental.by_url() == scratch.by_url()
    assert vars(incremental) == vars(scratch)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(archives, edits, st.integers(1, 4))
def test_an_edit_updates_as_a_computation_from_nothing(documents, changes, count):
    store = TermStore()
    before = relate(documents, count, store)
    after = edited(documents, changes)
    assert_same(update(before, after, count, store), relate(after, count, TermStore()))


@settings(max_examples=100, deadline=None)
@given(archives, archives, st.integers(1, 4))
def test_any_other_archive_is_computed_whole(documents, others, count):
    """Articles added, removed or renamed: the result is still the one computed from nothing."""
    store = TermStore()
    before = relate(documents, count, store)
    assert_same(update(before, others, count, store), relate(others, count, TermStore()))


@settings(max_examples=100, deadline=None)
@given(archives, edits, edits)
def test_edits_in_a_row_through_a_kept_store(documents, first, second):
    """Each build keeps only its own texts' terms; the next edits start from those."""
    store = TermStore()
    state = relate(documents, 3, store)
    for changes in (first, second):
        documents = edited(documents, changes)
        state = update(state, documents, 3, store)
        store = store.kept(state.keys, len(state.frequency))
        assert_same(state, relate(documents, 3, TermStore()))


def test_a_word_made_rarer_by_an_edit_becomes_a_key_term_of_articles_not_edited():
    """Fifteen words in nine articles out of ten, « hasard » in all ten: it weighs least. Two
    edits take it out of two articles: rarer now, it becomes a key term of the seven others."""
    common, rarer = " ".join(list(dict.fromkeys(WORDS))[:15]), "hasard"
    assert rarer not in common
    documents = [document(n, f"{common} {rarer}" if n < 9 else rarer, []) for n in range(10)]
    store = TermStore()
    before = relate(documents, 3, store)
    assert rarer not in before.key_terms[5]
    after = edited(documents, [(0.1, common), (0.2, common)])
    scratch = relate(after, 3, TermStore())
    assert rarer in scratch.key_terms[5]
    assert_same(update(before, after, 3, store), scratch)


# On a real site: articles that share words and tags, so that an edit moves the lists.
THEMES = {
    "potager": "Le potager, les poireaux et les choux du jardin en hiver.",
    "semis": "Semer les poireaux au jardin : le potager et ses semis.",
    "confiance": "La confiance du client se gagne par l’écoute et le partenariat.",
    "partenaire": "Un partenaire de confiance écoute son client avant le projet.",
    "achats": "Les achats et le référencement : le client, l’acheteur et le projet.",
}


def write_site(content: Path) -> None:
    articles = content / "articles"
    articles.mkdir(parents=True)
    for name in ("tagmap.toml", "auteurs.toml"):
        shutil.copy(ROOT / "content" / name, content / name)
    for number in range(12):
        theme = list(THEMES)[number % len(THEMES)]
        body = " ".join(THEMES[other] for other in list(THEMES)[: 1 + number % 3]) + f" {THEMES[theme]}"
        tags = "partenariat, confiance" if number % 2 else "achats"
        text = article(f"{theme.capitalize()} {number}", body, Tags=tags, Date=f"2020-01-{number + 1:02d}")
        (articles / f"{theme}-{number}.md").write_text(text, "utf-8")


def lists(output: Path) -> dict[str, list[str]]:
    """Each article page's « À lire aussi » links."""
    found = {}
    for page in output.glob("*/index.html"):
        html = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        found[page.parent.name] = [link["href"] for link in html.select(".a-lire-aussi li a")]
    return found


def pages(output: Path) -> dict[str, bytes]:
    return {str(p.relative_to(output)): p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()}


def test_a_site_rebuilt_after_an_edit_an_addition_and_a_deletion_equals_a_clean_build(tmp_path):
    content = tmp_path / "content"
    write_site(content)
    overrides = {"PATH": str(content)}
    settings_file = ROOT / "pelicanconf.py"
    shown = lists(build_site(tmp_path / "site", settings_file, overrides=overrides).folder / "output")
    articles = content / "articles"
    edited = articles / "potager-0.md"
    steps = [
        lambda: edited.write_text(edited.read_text("utf-8") + "\nLa confiance du partenaire.\n", "utf-8"),
        lambda: (articles / "achats-99.md").write_text(
            article("Achats 99", THEMES["achats"], Tags="achats", Date="2020-03-01"), "utf-8"
        ),
        lambda: (articles / "semis-1.md").unlink(),
    ]
    for number, step in enumerate(steps):
        step()
        live = build_site(tmp_path / "site", settings_file, overrides=overrides).folder
        clean = build_site(tmp_path / f"clean-{number}", settings_file, overrides=overrides, full=True).folder
        assert pages(live / "output") == pages(clean / "output"), f"step {number}"
        # Each step moves the lists of other articles than the one changed.
        now = lists(live / "output")
        assert {page for page in shown.keys() & now.keys() if shown[page] != now[page]} - {"potager-0"}
        shown = now


def test_the_stems_of_pieces_are_the_same_once_the_kept_ones_are_dropped(monkeypatch):
    # The pieces' stems are kept up to a limit, then dropped and worked out again.
    from carnet.search import related

    text = "Le potager d’hiver, la récolte : l’écoute du jardinier. Potager !"
    expected = related.light_terms(text)
    assert expected["potager"] == 2
    assert "le" not in expected  # a stop word
    stems = related._PieceStems()
    monkeypatch.setattr(related, "_PIECE_STEMS", stems)
    monkeypatch.setattr(stems, "LIMIT", 3)
    assert related.light_terms(text) == expected
    assert 0 < len(stems) <= 3


def _key_terms_by_sorting(counts, rarity):
    """The key terms as ranked by sorting every pair, the definition _key_terms keeps."""
    length = sum(counts.values()) or 1
    ranked = sorted([(-(n / length) * rarity[term], term) for term, n in counts.items()])
    best = {term: -negative for negative, term in ranked[:KEY_TERMS]}
    norm = math.sqrt(sum(w * w for w in best.values())) or 1
    last = ranked[KEY_TERMS - 1] if len(ranked) > KEY_TERMS else None
    return {term: w / norm for term, w in best.items()}, last


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.text("abcdé", min_size=1, max_size=3), st.integers(1, 4), max_size=40),
    st.integers(1, 6),
)
def test_key_terms_rank_as_a_full_sort_does_ties_included(counts, documents):
    # Few counts and few document frequencies: many pairs of equal weight, ranked by term.
    counts = Counter(counts)
    frequency = Counter({term: 1 + len(term) % documents for term in counts})
    rarity = _Rarity(frequency, documents + 1)
    found = _key_terms(counts, _Rarity(frequency, documents + 1))
    expected = _key_terms_by_sorting(counts, rarity)
    assert found == expected
    assert list(found[0]) == list(expected[0])  # in the same order
