"""Pelican glue: give author pages their biography."""

import logging
from pathlib import Path

from pelican import signals

from carnet.articles.profiles import ProfileError, load_profiles

logger = logging.getLogger(__name__)

DEFAULTS = {"AUTHOR_PROFILES_FILE": "auteurs.toml"}


def add_profiles(generator) -> None:
    name = generator.settings.get("AUTHOR_PROFILES_FILE", DEFAULTS["AUTHOR_PROFILES_FILE"])
    path = Path(generator.settings["PATH"]) / name
    try:
        profiles = load_profiles(path)
    except ProfileError as error:
        logger.error("author_profiles: %s", error)
        profiles = {}
    known = {author.name for author, _ in generator.authors}
    for name in sorted(set(profiles) - known):
        logger.warning("author_profiles: %s describes %r, who signs no article", path, name)
    generator.context["author_profiles"] = profiles


def register():
    # article_generator_finalized: the authors are known, author pages are not yet written.
    signals.article_generator_finalized.connect(add_profiles)
