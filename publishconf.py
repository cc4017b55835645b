"""Pelican settings for publication (`invoke publish`): absolute URLs and Atom feeds."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *

# The public address of the site, without a trailing slash.
SITEURL = os.environ.get("SITEURL", "https://carnet-accompagnement.example")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False

FEED_ALL_ATOM = "feeds/tous.atom.xml"
CATEGORY_FEED_ATOM = "feeds/categorie-{slug}.atom.xml"
TAG_FEED_ATOM = "feeds/etiquette-{slug}.atom.xml"
AUTHOR_FEED_ATOM = "feeds/auteur-{slug}.atom.xml"

DELETE_OUTPUT_DIRECTORY = True

# Gzip copies of the text files beside them, for nginx's gzip_static (deploy/). The setting
# too: a plugin, once loaded, stays connected for later builds in the same process.
PLUGINS = [*PLUGINS, "precompress"]
PRECOMPRESS = True
