"""Pelican glue: templates name theme files by their fingerprinted URL, and the
fingerprinted copies are written beside Pelican's own copies in output/theme/."""

import logging
import shutil
from pathlib import Path

from pelican import signals

from .fingerprint import asset_manifest

logger = logging.getLogger(__name__)


def static_folders(settings: dict) -> list[Path]:
    theme = Path(settings["THEME"])
    return [theme / folder for folder in settings.get("THEME_STATIC_PATHS", ["static"])]


def add_template_function(generator) -> None:
    manifest = asset_manifest(static_folders(generator.settings))
    generator.context["THEME_ASSETS"] = manifest

    def fingerprinted(relative_path: str) -> str:
        try:
            return manifest[relative_path]
        except KeyError:
            # A template naming a missing theme file is the theme's bug: say which.
            logger.error("theme_assets: theme/static/%s n’existe pas (nommé par un gabarit)", relative_path)
            return relative_path

    generator.env.globals["fingerprinted"] = fingerprinted


def write_fingerprinted_copies(pelican) -> None:
    settings = pelican.settings
    target = Path(pelican.output_path) / settings.get("THEME_STATIC_DIR", "theme")
    for folder in static_folders(settings):
        for relative, named in asset_manifest([folder]).items():
            destination = target / named
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(folder / relative, destination)


def register():
    # Every generator renders templates: each gets the function before it writes.
    signals.generator_init.connect(add_template_function)
    # After Pelican has copied the theme's files: the copies go beside them.
    signals.finalized.connect(write_fingerprinted_copies)
