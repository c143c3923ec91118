"""A criterion's levels and its interview questions as simple rich text for reading."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recruit_app.domain.library_format import CriterionDef
    from recruit_app.services.library import QuestionView

POSITIVE = "#1b5e20"
NEGATIVE = "#b00020"
MUTED = "#52606d"


def _items(lines: Sequence[str]) -> str:
    return "".join(f"<li>{escape(line)}</li>" for line in lines)


def levels_html(criterion: CriterionDef) -> str:
    parts = [f"<h3>{escape(criterion.code)}: {escape(criterion.name)}</h3>"]
    if criterion.cluster:
        parts.append(f"<p style='color:{MUTED}'>Cluster: {escape(criterion.cluster)}</p>")
    if criterion.description:
        parts.append(f"<p>{escape(criterion.description)}</p>")
    if not criterion.levels:
        parts.append(f"<p style='color:{MUTED}'>This criterion has no levels.</p>")
    for level in criterion.levels:
        title = level.title or f"Level {level.level}"
        if not title.startswith(f"Level {level.level}"):
            title = f"Level {level.level}: {title}"
        parts.append(f"<h4>{escape(title)}</h4>")
        if level.grades:
            parts.append(f"<p style='color:{MUTED}'>Grades: {escape(level.grades)}</p>")
        if level.description:
            parts.append(f"<p>{escape(level.description)}</p>")
        if level.positive_indicators:
            parts.append(f"<p style='color:{POSITIVE}'><b>Positive indicators</b></p>")
            parts.append(f"<ul>{_items(level.positive_indicators)}</ul>")
        if level.negative_indicators:
            parts.append(f"<p style='color:{NEGATIVE}'><b>Negative indicators</b></p>")
            parts.append(f"<ul>{_items(level.negative_indicators)}</ul>")
    return "".join(parts)


def questions_html(questions: Sequence[QuestionView]) -> str:
    if not questions:
        return f"<p style='color:{MUTED}'>No interview questions for this criterion yet.</p>"
    parts = []
    for question in questions:
        level = "Any level" if question.level is None else f"Level {question.level}"
        origin = "built in" if question.builtin else "added by your team"
        parts.append(
            f"<p><span style='color:{MUTED}'>{level} · {origin}</span><br>"
            f"{escape(question.text)}</p>"
        )
        if question.probes:
            parts.append(f"<ul>{_items(question.probes)}</ul>")
    return "".join(parts)
