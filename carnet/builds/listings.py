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
        return id(item) in self._identities


def compares_by_identity(items) -> bool:
    return all(type(item).__eq__ is object.__eq__ for item in items)


def lend_members(generator) -> Callable[[], None]:
    """Put Members in place of the lists of the generator's tags, categories and authors, where
    Pelican's group pages take them, and return what puts the lists back. The categories and
    authors are changed in place, in the lists the context shares; the context's tags are its
    own list of pairs, which keeps the plain lists."""
    lent: list[tuple[dict | list, object, object]] = []  # (container, key, what it held)
    tags = getattr(generator, "tags", None)
    if isinstance(tags, dict):
        for tag, articles in list(tags.items()):
            if type(articles) is list and compares_by_identity(articles):
                lent.append((tags, tag, articles))
                tags[tag] = Members(articles)
    for name in ("categories", "authors"):
        pairs = getattr(generator, name, None)
        for position, pair in enumerate(pairs if isinstance(pairs, list) else ()):
            if (
                isinstance(pair, tuple)
                and len(pair) == 2
                and type(pair[1]) is list
                and compares_by_identity(pair[1])
            ):
                lent.append((pairs, position, pair))
                pairs[position] = (pair[0], Members(pair[1]))

    def give_back() -> None:
        for container, key, held in lent:
            container[key] = held

    return give_back


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
