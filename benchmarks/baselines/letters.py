"""The letters baseline's worker: ReportLab drawing each letter's flowables into its own
file, in a worker process that imports only what it renders with.

A spawned worker imports this module, ReportLab, the letters' flowables
(exports.letters, on ReportLab) and the plain types the letters arrive as; not the
database layer, not the app's services, not Qt (`render_letters` reports any that got
in). Each letter is one ReportLab document: the house page, its running header from the
second page, an outline entry, and "Page X of Y" with the reference and candidate number
in the footer, drawn by the NumberedCanvas recipe (no second layout pass).
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate

from benchmarks.baselines.pdf import BareDocTemplate, numbered_canvas
from exports.letters import addressee, letter_flowables, letter_title, outline_title
from exports.styles import (
    FONT,
    HEADER_BASELINE,
    HEADER_RULE,
    MARGIN,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    register_fonts,
)

HEAVY = ("sqlalchemy", "sqlmodel", "db", "recruit_app.services", "PySide6")


def _opener(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)  # owner-only, as the app writes letters


def render_letters(job: tuple[Any, Any, Any, str]) -> tuple[int, list[str]]:
    """Write each letter of `job` (document, letters, theme, folder) as a PDF; returns how
    many, and which of HEAVY this worker has imported (none, if it is a fair baseline)."""
    document, letters, theme, folder = job
    register_fonts()
    organisation = (document.organisation or "").strip()
    if organisation and not theme.organisation:
        theme = replace(theme, organisation=organisation)
    reference = (document.reference or "").strip()
    ref = f"Reference {reference} · " if reference else ""
    for letter in letters:
        path = os.path.join(folder, f"{letter.candidate_number}-outcome-letter.pdf")
        continued = f"Letter to {addressee(letter)}, continued"
        title = outline_title(letter)

        def furniture(
            canv: Canvas, doc: BaseDocTemplate, title: str = title, continued: str = continued
        ) -> None:
            assert isinstance(doc, BareDocTemplate)
            if canv.getPageNumber() == 1:  # the letterhead says who it is to
                doc.outline(title, 0, PAGE_HEIGHT)
                doc._has_top = True  # the letter's headings nest under it
                return
            canv.saveState()
            canv.setFont(FONT, 8)
            canv.setFillColor(MUTED)
            canv.drawString(MARGIN, HEADER_BASELINE, theme.organisation)
            canv.drawRightString(PAGE_WIDTH - MARGIN, HEADER_BASELINE, continued)
            canv.setStrokeColor(RULE)
            canv.setLineWidth(0.5)
            canv.line(MARGIN, HEADER_RULE, PAGE_WIDTH - MARGIN, HEADER_RULE)
            canv.restoreState()

        with open(path, "wb", opener=_opener) as handle:
            BareDocTemplate(handle, title=letter_title(document, letter), on_page=furniture).build(
                letter_flowables(document, letter, theme),
                canvasmaker=numbered_canvas(f"{ref}Candidate {letter.candidate_number}"),
            )
    return len(letters), [name for name in HEAVY if name in sys.modules]
