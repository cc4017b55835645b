"""The map's own output: each tag's relations, the map page's SVG, the English pages, tagmap.json."""

import logging
from pathlib import Path

from pelican.generators import Generator
from pelican.urlwrappers import Tag

from carnet.articles.attributes import TagMapBuild, article_tags, is_map_tag, tag_map_build
from carnet.tagmap.config import VIEW_KEY, setting
from carnet.tagmap.export import tag_record, tagmap_json
from carnet.tagmap.graph import related, shared_articles
from carnet.tagmap.layout import theme_colors_css
from carnet.tagmap.view import MapView, map_view

logger = logging.getLogger(__name__)


class TagMapGenerator(Generator):
    """Runs after the articles generator: tags and articles are final, nothing is written yet."""

    # Its pages go through the writer, like the articles generator's: on a large site each
    # render process writes its share of them (plugins/incremental), and only the build's
    # own process writes tagmap.json and the map's colours.
    SHARES_PAGES = True

    def generate_context(self) -> None:
        build = tag_map_build(self.context)
        if build is None:
            return
        by_tag = dict(self.context.get("tags", []))
        for tag in build.tags.values():
            tag.articles = by_tag.get(tag, [])
            tag.count = len(tag.articles)
        articles = self.context.get("articles", [])
        tagged = [[tag.key for tag in article_tags(a) if is_map_tag(tag)] for a in articles]
        weights = shared_articles(tagged)
        for key, tag in build.tags.items():
            tag.related = [(build.tags[other], weight) for other, weight in related(weights, key)]
        json_url = setting(self.settings, "TAG_MAP_JSON_SAVE_AS")
        css_url = setting(self.settings, "TAG_MAP_CSS_SAVE_AS")
        self.context[VIEW_KEY] = map_view(build, weights, by_tag, json_url, css_url)

    def generate_output(self, writer) -> None:
        build = tag_map_build(self.context)
        if build is None:
            return
        used = [tag for tag in build.tags.values() if tag.count]
        template = self.get_template("tag_en")
        dates = self.context.get("dates", [])
        for tag in used:
            # A set of the tag's articles (by identity, as `in` compared them): a lookup in
            # the list for each date took 0.6 s at 5 000 articles.
            members = {id(article) for article in tag.articles}
            writer.write_file(
                tag.en_save_as,
                template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                tag=tag,
                url=tag.en_url,
                articles=tag.articles,
                dates=[article for article in dates if id(article) in members],
                template_name="tag",
                blog=True,
                page_name=tag.en_url,
                all_articles=self.context.get("articles", []),
            )
        if not getattr(writer, "writes_site_files", True):
            return  # a render process: its share of the pages only
        self.write_json(build, used)
        view: MapView = self.context[VIEW_KEY]
        css = Path(self.output_path) / view.css_url
        css.parent.mkdir(parents=True, exist_ok=True)
        css.write_text(theme_colors_css([group.color for group in view.groups]), encoding="utf-8")
        logger.info('Writing "%s"', css)

    def write_json(self, build: TagMapBuild, used: list[Tag]) -> None:
        records = [
            tag_record(
                build.tag_map.tags[tag.key],
                tag.url,
                tag.en_url,
                [article.url for article in tag.articles],
                [(other.key, weight) for other, weight in tag.related],
            )
            for tag in used
        ]
        path = Path(self.output_path) / setting(self.settings, "TAG_MAP_JSON_SAVE_AS")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(tagmap_json(self.settings.get("TAGS_URL", ""), records), encoding="utf-8")
        logger.info('Writing "%s"', path)
