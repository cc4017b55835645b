"""The render memo's page keys, on real Jinja templates: what a shortcut in computing them
must still tell apart."""

import json

from jinja2 import DictLoader, Environment

from carnet.builds.memo import MANIFEST_NAME, RenderMemo

SITE = b"site-digest-one"


def template(source: str = "<p>{{ value }}</p>"):
    return Environment(loader=DictLoader({"page.html": source})).get_template("page.html")


def key(memo: RenderMemo, value, page: str = "page.html") -> str:
    return memo.key_for(template(), {"value": value, "output_file": page})


def test_equal_values_of_other_types_or_signs_are_other_inputs():
    # Texts and numbers are digested once per value and build: True == 1 and 0.0 == -0.0,
    # yet a page shows them differently.
    memo = RenderMemo(SITE, None)
    one, true, zero, minus_zero = key(memo, 1), key(memo, True), key(memo, 0.0), key(memo, -0.0)
    assert len({one, true, zero, minus_zero}) == 4
    assert [template().render(value=value) for value in (1, True, 0.0, -0.0)] == [
        "<p>1</p>",
        "<p>True</p>",
        "<p>0.0</p>",
        "<p>-0.0</p>",
    ]
    # Asked again in the same build, in another order: the same keys.
    assert (key(memo, -0.0), key(memo, True), key(memo, 1)) == (minus_zero, true, one)
    assert key(RenderMemo(SITE, None), True) == true


def previous_build(tmp_path, site: bytes, variables) -> RenderMemo:
    memo = RenderMemo(site, None)
    memo.key_for(template(), {"value": 1, "output_file": "page.html"})
    memo.save(tmp_path)
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text("utf-8"))
    assert manifest["variables"] == {"page.html": ["value"]}
    manifest["variables"] = variables
    (tmp_path / MANIFEST_NAME).write_text(json.dumps(manifest), "utf-8")
    return memo


def test_names_read_are_taken_from_the_previous_build_only_under_the_same_site(tmp_path):
    # Saved as if the template read nothing: under the same site digest the memo believes
    # it (the digest covers the theme), under another it parses the template again.
    previous_build(tmp_path, SITE, {"page.html": []})
    same = RenderMemo(SITE, tmp_path)
    assert key(same, 1) == key(same, 2)
    other = RenderMemo(b"site-digest-two", tmp_path)
    assert key(other, 1) != key(other, 2)


def test_a_damaged_entry_of_names_is_parsed_again(tmp_path):
    previous_build(tmp_path, SITE, {"page.html": [1, None]})
    memo = RenderMemo(SITE, tmp_path)
    assert key(memo, 1) != key(memo, 2)
