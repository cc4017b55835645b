"""Membership of an article in a tag's, category's or author's list, by identity in a set.

Pelican's tag, category and author pages each pick their articles in date order with
`[article for article in self.dates if article in articles]`: a scan of the group's list for
every article of the site. At 5 000 articles and 28 groups that is about 1 s in each process
that writes pages, on every build, an edit's included. Articles compare by identity (Content
has no __eq__), so a set of identities answers the same.
"""

from collections.abc import Callable


class Members(list):
    """A group's articles whose `in` looks the item up among their identities. It is only lent
    for the output phase (see `lend_members`), during which the lists do not change."""

    def __init__(self, items):
        super().__init__(items)
        self._identities = frozenset(map(id, self))

    def __contains__(self, item) -> bool:
        if type(item).__eq__ is not object.__eq__:  # it may say it equals a member: ask the list
            return list.__contains__(self, item)
        return id(item) in self._identities


def compares_by_identity(items) -> bool:
    return all(type(item).__eq__ is object.__eq__ for item in items)


def lend_members(generator) -> Callable[[], None]:
    """Give the generator, where Pelican's group pages read them (`tags`, `categories`,
    `authors`), copies whose lists are Members, and return what puts its own back. The context
    keeps its own lists: what templates read, and the pages' keys, stay as they were."""
    held = {name: getattr(generator, name, None) for name in ("tags", "categories", "authors")}
    tags = held["tags"]
    if isinstance(tags, dict):
        generator.tags = {tag: _lent(articles) for tag, articles in tags.items()}
    for name in ("categories", "authors"):
        pairs = held[name]
        if isinstance(pairs, list):
            setattr(generator, name, [_lent_pair(pair) for pair in pairs])

    def give_back() -> None:
        for name, value in held.items():
            if value is not None:
                setattr(generator, name, value)

    return give_back


def _lent(articles):
    return Members(articles) if type(articles) is list and compares_by_identity(articles) else articles


def _lent_pair(pair):
    if isinstance(pair, tuple) and len(pair) == 2:
        return (pair[0], _lent(pair[1]))
    return pair


def lend_members_while_writing(generator) -> None:
    """Make the generator's `generate_output` lend its groups' Members while it runs."""
    generate_output = generator.generate_output

    def generate_output_with_members(writer):
        give_back = lend_members(generator)
        try:
            generate_output(writer)
        finally:
            give_back()

    generator.generate_output = generate_output_with_members
