"""A language's name for a reader, from its code (« en » → « English »), through Babel."""

import functools

from babel import Locale, UnknownLocaleError


@functools.cache
def own_name(code: str) -> str:
    """The language's name in that language, as a language menu shows it (« English »,
    « Español »); the code itself when Babel does not know it."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return code
    name = locale.get_display_name(locale) or code
    return name[:1].upper() + name[1:]
