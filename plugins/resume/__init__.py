from .resume import register

__all__ = ["register"]
