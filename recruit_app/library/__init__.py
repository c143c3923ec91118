"""Built-in data: competency frameworks, role templates and the demo campaign."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_json(name: str) -> Any:
    """A data file shipped in recruit_app/library/data, parsed once."""
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)
