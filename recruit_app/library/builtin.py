"""The built-in library shipped with Recruit: frameworks, questions and role templates.

Its fingerprint needs only the standard library: every database opening compares it with
the one the database records, and the parsers are loaded only when the two differ.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from recruit_app.domain.library_format import FrameworkDef, QuestionDef, RoleTemplateDef

FOLDERS = ("frameworks", "questions", "templates")
# The `app_meta` key under which a database records the fingerprint of the library it holds.
META_KEY = "builtin_library"


def _folder(name: str) -> Traversable:
    return resources.files("recruit_app.library").joinpath("data", name)


def _json_files(name: str) -> list[Traversable]:
    folder = _folder(name)
    if not folder.is_dir():
        return []
    return sorted((f for f in folder.iterdir() if f.name.endswith(".json")), key=lambda f: f.name)


def _load(file: Traversable) -> object:
    return json.loads(file.read_text(encoding="utf-8"))


@cache
def fingerprint() -> str:
    """A hash of every built-in data file: when it changes, the database is refreshed."""
    digest = hashlib.sha256()
    for name in FOLDERS:
        for file in _json_files(name):
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


@cache
def frameworks() -> tuple[FrameworkDef, ...]:
    from recruit_app.domain.library_format import parse_framework

    return tuple(parse_framework(_load(f)) for f in _json_files("frameworks"))


@cache
def questions() -> tuple[QuestionDef, ...]:
    from recruit_app.domain.library_format import parse_questions

    found: list[QuestionDef] = []
    for file in _json_files("questions"):
        found.extend(parse_questions(_load(file)))
    return tuple(found)


@cache
def templates() -> tuple[RoleTemplateDef, ...]:
    from recruit_app.domain.library_format import parse_role_template

    return tuple(parse_role_template(_load(f)) for f in _json_files("templates"))
