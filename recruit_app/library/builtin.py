"""The built-in library shipped with Recruit: frameworks, questions and role templates."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from recruit_app.domain.library_format import (
    FrameworkDef,
    QuestionDef,
    RoleTemplateDef,
    parse_framework,
    parse_questions,
    parse_role_template,
)

FOLDERS = ("frameworks", "questions", "templates")


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
    return tuple(parse_framework(_load(f)) for f in _json_files("frameworks"))


@cache
def questions() -> tuple[QuestionDef, ...]:
    found: list[QuestionDef] = []
    for file in _json_files("questions"):
        found.extend(parse_questions(_load(file)))
    return tuple(found)


@cache
def templates() -> tuple[RoleTemplateDef, ...]:
    return tuple(parse_role_template(_load(f)) for f in _json_files("templates"))
