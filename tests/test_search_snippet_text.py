"""Search snippets read as the article does: no space that the author did not type."""

import re

from carnet.search.querying import ArchiveSearch
from tests.sitebuild import article, build_test_site, tiny_content

BODY = (
    "Les *synchronicités*, ce hasard qui n’en est pas un, reviennent souvent. "
    "Un [partenaire](https://example.org/), ce hasard encore ; **toujours** le même hasard !\n\n"
    "Une note de bas de page[^1] reste à part.\n\n[^1]: La note."
)


def test_a_snippet_keeps_punctuation_against_an_emphasised_or_linked_word(tmp_path):
    content = tiny_content(tmp_path, {"hasard.md": article("Le hasard", BODY)})
    site = build_test_site(tmp_path / "out", content, "pelicanconf.py")
    archive = ArchiveSearch.open(site.index)
    for query in ("hasard", "synchronicités", "partenaire"):
        [hit] = archive.search(query).as_json()["results"]
        text = re.sub(r"<[^>]+>", "", hit["snippet"])
        assert " ," not in text, (query, hit["snippet"])
        assert "synchronicités, ce hasard" in text or "partenaire, ce hasard" in text, hit["snippet"]
    [hit] = archive.search("synchronicités").as_json()["results"]
    assert re.search(r"<mark[^>]*>synchronicités</mark>, ce hasard", hit["snippet"]), hit["snippet"]
    [hit] = archive.search("partenaire").as_json()["results"]
    assert re.search(r"<mark[^>]*>partenaire</mark>, ce hasard", hit["snippet"]), hit["snippet"]
    # A footnote's number stays apart from its word: « page » is still found.
    [hit] = archive.search("page").as_json()["results"]
    assert re.search(r"<mark[^>]*>page</mark>", hit["snippet"]), hit["snippet"]
