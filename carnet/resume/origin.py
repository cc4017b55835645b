"""Who wrote the résumé, as the line under it says: « Résumé de Claire », « Résumé proposé par
la rédaction ».

Naming the author is right whoever they are; « Résumé de l’auteur » under a text signed by a
woman was not. Only an article signed by no name (« Anonyme ») falls back on the word, which
the article chooses: `Resume_source: autrice` gives « Résumé de l’autrice »."""

from carnet.text.folding import fold

BY_EDITORS = "Résumé proposé par la rédaction"
# Values of `Resume_source` that say the author wrote the résumé, with the word for an unnamed author.
AUTHOR_WORDS = {"auteur": "l’auteur", "author": "l’auteur", "autrice": "l’autrice"}
_ELIDED = "aeiouh"  # « d’Anne », « d’Hélène »; « de Yann »


def resume_origin(source: str, author: str | None) -> str:
    """The line under a résumé whose `Resume_source` is `source`, in an article signed `author`."""
    source = source.strip().casefold()
    if source not in AUTHOR_WORDS:
        return BY_EDITORS
    name = " ".join((author or "").split())
    if not name or name.casefold().startswith("anonyme"):
        return f"Résumé de {AUTHOR_WORDS[source]}"
    first = fold(name[:1])[:1]  # « Élise » and « Œnone » are elided as « e » and « o »
    return f"Résumé d’{name}" if first in _ELIDED else f"Résumé de {name}"
