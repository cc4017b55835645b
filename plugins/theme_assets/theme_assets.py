"""Pelican glue: templates name theme files by their fingerprinted URL, and the
fingerprinted copies are written beside Pelican's own copies in output/theme/."""

import logging
import shutil
from pathlib import Path

from pelican import signals

from carnet.publishing.fingerprint import asset_manifest

logger = logging.getLogger(__name__)


def static_folders(settings: dict) -> list[Path]:
    theme = Path(settings["THEME"])
    return [theme / folder for folder in settings.get("THEME_STATIC_PATHS", ["static"])]


def read_manifest(pelican) -> None:
    """The theme's files are read once per run, before any generator needs their names."""
    pelican.settings["THEME_ASSETS"] = asset_manifest(static_folders(pelican.settings))


def add_template_function(generator) -> None:
    manifest = generator.settings["THEME_ASSETS"]

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
    folders = static_folders(settings)
    for relative, named in settings["THEME_ASSETS"].items():
        # The file the manifest was made from: a later folder's wins, as in Pelican's copy.
        source = next(folder / relative for folder in reversed(folders) if (folder / relative).is_file())
        destination = target / named
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)


def register():
    # initialized: once per run, before the generators exist.
    signals.initialized.connect(read_manifest)
    # Every generator renders templates: each gets the function before it writes.
    signals.generator_init.connect(add_template_function)
    # After Pelican has copied the theme's files: the copies go beside them.
    signals.finalized.connect(write_fingerprinted_copies)
