"""French spacing as a Python-Markdown extension: applied when an article is converted,
so that Pelican's content cache keeps the spaced HTML and rebuilds need not do it again."""

from markdown import Extension
from markdown.postprocessors import Postprocessor

from .spacing import french_spacing_html


class FrenchSpacingPostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        return french_spacing_html(text)


class FrenchSpacingExtension(Extension):
    def extendMarkdown(self, md):
        # Low priority: after every other postprocessor, on the final HTML.
        md.postprocessors.register(FrenchSpacingPostprocessor(md), "french_spacing", 1)

    def __eq__(self, other):
        return isinstance(other, FrenchSpacingExtension)

    def __hash__(self):
        return hash(FrenchSpacingExtension)
