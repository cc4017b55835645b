"""Property-based tests: whatever the input, the parsers either work or raise their own
declared error with a message; never anything else."""

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carnet.resume.parsing import MAX_POINTS, extract_resume, parse_points
from carnet.search.querying import MAX_QUERY_LENGTH, read_query
from tests.archive import CORPUS, TAG_NAMES

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like what authors and readers type, with the characters that matter.
MARKDOWN_BITS = st.sampled_from(
    [
        "::: résumé",
        ":::",
        "- ",
        "  - ",
        "    - ",
        "* ",
        "1. ",
        "[x](#y)",
        "```",
        "\n",
        "\n\n",
        "#",
        '"',
        "*",
        "tag:",
    ]
)
TEXT = st.lists(st.one_of(MARKDOWN_BITS, st.text(max_size=12)), max_size=40).map("".join)


@SETTINGS
@given(TEXT)
def test_resume_extraction_never_fails_and_keeps_the_lines(text):
    extraction = extract_resume(text)
    assert extraction.text.count("\n") == text.count("\n")
    lines = text.count("\n") + 1
    block_problems = extraction.block.problems if extraction.block else []
    for problem in [*extraction.problems, *block_problems]:
        assert 0 <= problem.line <= lines + 1
        assert problem.message
    if extraction.block is not None:
        assert all(point.text.strip() for point in extraction.block.points)


@SETTINGS
@given(st.lists(st.text(alphabet=string.printable + "éàç•–", max_size=30), max_size=30))
def test_resume_points_parse_or_report(lines):
    block = parse_points(lines, first_line=1)
    if len(block.points) > MAX_POINTS:
        assert any("at most" in problem.message for problem in block.problems)
    for point in block.points:
        assert point.text == point.text.strip()
        assert len(point.children) <= len(lines)


@SETTINGS
@given(st.text(max_size=2000))
def test_reading_any_query(text):
    read = read_query(text)
    assert len(read.original) <= MAX_QUERY_LENGTH
    assert all(c.isprintable() for c in read.original)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    from carnet.search.indexing import build_index
    from carnet.search.querying import ArchiveSearch

    folder = build_index(CORPUS, tmp_path_factory.mktemp("props") / "index", TAG_NAMES)
    return ArchiveSearch.open(folder)


QUERY_BITS = st.sampled_from(
    ['"', "*", "?", "-", "+", "(", ")", "AND", "OR", "NOT", "tag:", "auteur:", "date:", "..", "^", "~", ":"]
)
WORDS = st.sampled_from(["riz", "tarte", "fidél", " "])
QUERY = st.lists(st.one_of(QUERY_BITS, st.text(max_size=8), WORDS), max_size=20)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    QUERY.map("".join),
    st.one_of(st.integers(), st.text(max_size=5), st.none()),
    st.sampled_from(["pertinence", "date", "x"]),
)
def test_any_query_gets_an_answer(archive, query, page, sort):
    response = archive.search(query, page=page, sort=sort)
    assert response.total >= len(response.results) or response.page > 1
    assert response.sort in ("pertinence", "date")
    for hit in response.results:
        assert "<script" not in hit.snippet
        assert hit.url
    data = response.as_json()
    assert list(data) == ["query", "total", "results", "suggestion", "facets", "notices"]


TOML_BITS = st.sampled_from(
    [
        "[groups.a]\n",
        "[tags.x]\n",
        "[tags.y]\n",
        "[autre]\n",
        'fr = "Alpha"\n',
        'en = "alpha"\n',
        'group = "a"\n',
        'group = "b"\n',
        'aliases = ["alpha", "Bêta"]\n',
        'slug_fr = "alpha"\n',
        "aliases = 3\n",
        '"\n',
        "=\n",
        "[[tags]]\n",
    ]
)


@SETTINGS
@given(st.lists(st.one_of(TOML_BITS, st.text(max_size=10)), max_size=25).map("".join))
def test_tag_map_loads_or_says_where_it_is_wrong(text):
    from carnet.tagmap.mapfile import TagMapError, parse_map

    try:
        tag_map, error = parse_map(text, source="carte.toml"), None
    except TagMapError as raised:
        tag_map, error = None, raised
    if error is not None:
        assert error.problems
        assert all(line.startswith("carte.toml") for line in error.lines())
        return
    for entry in tag_map.tags.values():
        assert entry.group in tag_map.groups
        assert tag_map.resolver().resolve(entry.fr) == entry.key
