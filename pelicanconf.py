"""Pelican settings for local work: `invoke build`, `invoke serve`, `invoke livereload`."""

import os

from slugify import slugify

AUTHOR = "Carnet d'accompagnement"
SITENAME = "Carnet d'accompagnement"
SITESUBTITLE = "Consultants, formateurs et coachs : la rencontre, le partenariat, le savoir-être, les achats"
SITEURL = ""

PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
# Data files of the plugins live in content/ but are not articles.
IGNORE_FILES = [".#*", "*.toml", "*.json"]
STATIC_PATHS = ["images"]

THEME = "theme"
TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"
LOCALE = ("C",)  # Dates are formatted by Babel, never by the system locale.

PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "article_metadata",
    "french_typography",
    "author_profiles",
    "resume",
    "search",
    "related",  # « À lire aussi »: shares the search's documents of the articles
    "tag_map",
    "article_review",  # after resume (its reader) and tag_map: holds back what must not go online
    "script_guard",
    "feed_titles",
    "theme_assets",
    "incremental",
]


def heading_id(value: str, separator: str) -> str:
    """ASCII heading ids for French headings (« Avis avisés » -> #avis-avises), so that
    links to sections stay readable. A named function, not a lambda: the content cache
    stores the settings with what it reads, and a lambda cannot be stored."""
    return slugify(value, separator=separator)


# Markdown: typographic extensions and readable heading ids.
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {"slugify": heading_id},
        "markdown.extensions.smarty": {"smart_quotes": False},
    },
    "output_format": "html5",
}

# French URLs, one folder per page so that addresses read well.
ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
TAG_URL = "etiquette/{slug}/"
TAG_SAVE_AS = "etiquette/{slug}/index.html"
TAGS_URL = "etiquettes/"
TAGS_SAVE_AS = "etiquettes/index.html"
CATEGORY_URL = "categorie/{slug}/"
CATEGORY_SAVE_AS = "categorie/{slug}/index.html"
CATEGORIES_URL = "categories/"
CATEGORIES_SAVE_AS = "categories/index.html"
AUTHOR_URL = "auteur/{slug}/"
AUTHOR_SAVE_AS = "auteur/{slug}/index.html"
AUTHORS_URL = "auteurs/"
AUTHORS_SAVE_AS = "auteurs/index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DRAFT_URL = "brouillons/{slug}/"
DRAFT_SAVE_AS = "brouillons/{slug}/index.html"
DRAFT_PAGE_URL = "brouillons/pages/{slug}/"
DRAFT_PAGE_SAVE_AS = "brouillons/pages/{slug}/index.html"
# A translation (same Slug, another Lang) beside its original: /perdre-des-clients/en/.
ARTICLE_LANG_URL = "{slug}/{lang}/"
ARTICLE_LANG_SAVE_AS = "{slug}/{lang}/index.html"
PAGE_LANG_URL = "{slug}/{lang}/"
PAGE_LANG_SAVE_AS = "{slug}/{lang}/index.html"
DRAFT_LANG_URL = "brouillons/{slug}/{lang}/"
DRAFT_LANG_SAVE_AS = "brouillons/{slug}/{lang}/index.html"
DRAFT_PAGE_LANG_URL = "brouillons/pages/{slug}/{lang}/"
DRAFT_PAGE_LANG_SAVE_AS = "brouillons/pages/{slug}/{lang}/index.html"
SITEMAP_SAVE_AS = "sitemap.xml"
DIRECT_TEMPLATES = ["index", "tags", "categories", "authors", "archives", "sitemap", "404", "search"]
INDEX_SAVE_AS = "index.html"
SLUGIFY_SOURCE = "title"

# Where the header's search form sends its query: the search service's /search
# (`invoke serve`). SEARCH_SAVE_AS is the page shown when the site is served
# without the service; the service fills the same page with the results.
SEARCH_URL = "search"
SEARCH_SAVE_AS = "search/index.html"
# The search index, built by `invoke build` outside output/.
SEARCH_INDEX_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "search-index")

# Feeds need absolute URLs: publishconf.py turns them on.
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

DEFAULT_PAGINATION = 10
SUMMARY_MAX_LENGTH = 50
TYPOGRIFY = False
# Escape by default: titles and metadata are text; HTML content is marked |safe.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}
RELATIVE_URLS = False

# Every article must say who wrote it, in which category and language (see
# plugins/article_metadata). The date may be missing: the page then says so.
REQUIRED_METADATA = ["title", "author", "category", "tags", "slug", "lang"]
# Pelican would otherwise file an article without a category under its folder
# or under "misc": this name is never a real category, so a missing one shows.
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "Sans catégorie"

# Biographies shown on author pages, versioned with the articles (in content/).
AUTHOR_PROFILES_FILE = "auteurs.toml"

# The bilingual tag map (plugins/tag_map), versioned with the articles (in content/):
# French tag pages stay at TAG_URL, English ones go here; tagmap.json is for machines.
TAG_MAP_FILE = "tagmap.toml"
TAG_EN_URL = "en/tag/{slug}/"
TAG_EN_SAVE_AS = "en/tag/{slug}/index.html"
TAG_MAP_JSON_SAVE_AS = "tagmap.json"
