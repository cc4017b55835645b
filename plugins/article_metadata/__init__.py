from .article_metadata import register

__all__ = ["register"]
