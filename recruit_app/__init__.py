"""Recruit: the application core, free of Qt."""

__version__ = "0.1.0"
