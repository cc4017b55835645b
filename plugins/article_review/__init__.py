from .article_review import register

__all__ = ["register"]
