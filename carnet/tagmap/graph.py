"""How tags relate: how many articles each tag has, and how many each pair of tags shares."""

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import combinations

Pair = tuple[str, str]


def shared_articles(tagged: Iterable[Sequence[str]]) -> dict[Pair, int]:
    """The number of articles that each pair of tags shares, keyed by the pair in sorted order."""
    weights: Counter[Pair] = Counter()
    for keys in tagged:
        weights.update(combinations(sorted(set(keys)), 2))
    return dict(sorted(weights.items()))


def related(weights: dict[Pair, int], key: str) -> list[tuple[str, int]]:
    """The tags that share articles with `key`, most shared first, then by key."""
    others = [(b if a == key else a, weight) for (a, b), weight in weights.items() if key in (a, b)]
    return sorted(others, key=lambda item: (-item[1], item[0]))
