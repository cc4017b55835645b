"""The tag map's settings with their defaults (its build's state: carnet/articles/attributes.py)."""

from pathlib import Path
from typing import Any

DEFAULTS = {
    "TAG_MAP_FILE": "tagmap.toml",  # relative to content/
    "TAG_EN_URL": "en/tag/{slug}/",
    "TAG_EN_SAVE_AS": "en/tag/{slug}/index.html",
    "TAG_MAP_JSON_SAVE_AS": "tagmap.json",
    "TAG_MAP_CSS_SAVE_AS": "etiquettes/themes.css",
}

# What the templates read: the map page's groups, SVG and links.
VIEW_KEY = "tag_map"


def setting(settings: dict[str, Any], name: str) -> Any:
    return settings.get(name, DEFAULTS[name])


def map_path(settings: dict[str, Any]) -> Path:
    """The map file, relative to the working folder when inside it: messages read
    `content/tagmap.toml:12: …`, as an editor expects."""
    path = Path(settings["PATH"]) / setting(settings, "TAG_MAP_FILE")
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path
