from .tag_map import register

__all__ = ["register"]
