"""The panel pack as a PDF: cover, schedule, candidate list, one score sheet per candidate,
each followed by the candidate's questions and, where the pack is made with applications,
the candidate's application. The question plan's timing guide comes once, after the
schedule; in the chair's copy it is part of the chair's brief, with the running order, the
welcome and close script and the departures from the plan recorded so far.

Everything printed comes from a `PanelPackDocument`; at a name-blind stage that holds no
names (and applications only as redacted text), so nothing here needs to remember to
hide them.

Score sheets are for writing on: a ruled evidence box and a score box for every panel
member under each criterion. A criterion never parts from its boxes across a page, and
where the next criterion would not fit, the boxes grow to use the rest of the page
rather than leave it blank. What repeats on every sheet (a criterion with its
indicators, an empty box, the scale, a declaration) is drawn once per file as a PDF
form and placed on each sheet: a pack for hundreds of candidates stays quick and small.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from exports import glyphs
from exports.styles import (
    FONT,
    FONT_BOLD,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    LIGHT_FILL,
    MUTED,
    RULE,
    TEXT,
    TEXT_HEX,
    Styles,
    Theme,
    build_pdf,
    bullet_list,
    clean,
    escape,
    facts_table,
    make_styles,
    paragraphs_from_text,
    table,
    text_blocks,
    title_block,
)
from recruit_app.domain.dates import long_date, short_date
from recruit_app.domain.stage_rules import Scale
from recruit_app.errors import Cancelled
from recruit_app.readmodels import (
    IsCancelled,
    PackCandidate,
    PackMember,
    PackPlanQuestion,
    PackSlot,
    PanelApplicationPart,
    PanelPackCriterion,
    PanelPackDocument,
    PlanDeviationLine,
    Progress,
)
from recruit_app.vocabulary import PanelRole, Redaction, Role

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

CANCELLED_MESSAGE = "The export was cancelled; no file was written."

# Room to write. A box never gets smaller than this (an interview note runs longer than
# a note on a written application); it grows up to BOX_MAX to fill a page.
BOX_MIN_INTERVIEW = 33 * mm
BOX_MIN_PAPER = 30 * mm
BOX_MAX = 80 * mm
LINE_SPACING = 6.5 * mm  # ruled lines as on a writing pad
SCORE_COLUMN = 30 * mm
BOX_GAP = 2.2 * mm
BLOCK_GAP = 5 * mm  # between one criterion's boxes and the next criterion
FRAME_LINE = colors.HexColor("#6f777b")  # box edges: clear when printed, quiet on screen
LABEL_SIZE = 8.5
LABEL_STRIP = 4.8 * mm  # the candidate's label above each block of a score sheet

DECLARATION_NONE = "I have no conflict of interest with this candidate."
DECLARATION_DECLARED = (
    "I know this candidate or have another conflict of interest, and have declared it to the chair."
)
NAME_BLIND_NOTICE = (
    "Candidates appear in this pack by candidate number only. Their names, contact details "
    "and other personal details stay with the recruiting manager until this stage's results "
    "are final. Do not try to find out who a candidate is; if you think you know one, tell "
    "the chair before you score."
)
NO_CANDIDATES = "No candidates have reached this stage yet, so the pack has no score sheets."
NO_CRITERIA = (
    "{stage} assesses no criteria yet, so the pack has no score sheets: "
    "add criteria to the assessment matrix first."
)
NO_APPLICATION = "No application imported."
APPLICATIONS_GUIDANCE = "Each candidate's application follows their score sheet."
REDACTED_APPLICATION = (
    f"Name-blind: the candidate's name, contact details and links are shown as "
    f"{Redaction.NAME.label}, {Redaction.EMAIL.label}, {Redaction.LINK.label} and the like."
)


# --- words ---------------------------------------------------------------------------


def stage_dates(doc: PanelPackDocument) -> str:
    """ "Monday 7 December 2026 to Friday 11 December 2026", one date, or "To be confirmed"."""
    start, end = doc.starts_on, doc.ends_on
    if start and end and start != end:
        return f"{long_date(start)} to {long_date(end)}"
    if start or end:
        only = start or end
        assert only is not None
        return long_date(only)
    return "To be confirmed"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def scale_range(doc: PanelPackDocument, criterion: PanelPackCriterion | None = None) -> str:
    """ "1 to 7": the criterion's own scale where it has one (a strength's "1 to 4")."""
    scale = (criterion.scale if criterion is not None else None) or doc.scale
    return f"{scale.minimum} to {scale.maximum}"


def own_scales(doc: PanelPackDocument) -> list[tuple[Scale, list[str]]]:
    """The scales other than the stage's that criteria are scored on, each with its codes."""
    found: dict[Scale, list[str]] = {}
    for criterion in doc.criteria:
        if criterion.scale is not None:
            found.setdefault(criterion.scale, []).append(criterion.code)
    return list(found.items())


def criterion_meta(criterion: PanelPackCriterion) -> str:
    """ "Technical · Level 4 (Enable) · Essential · Pass mark 4"."""
    parts = [criterion.element_name]
    if criterion.level_label:
        parts.append(criterion.level_label)
    parts.append("Essential" if criterion.essential else "Desirable")
    if criterion.lead:
        parts.append("Lead criterion")
    if criterion.pass_mark is not None:
        parts.append(f"Pass mark {criterion.pass_mark}")
    if criterion.weight != 1:
        parts.append(f"Weight {criterion.weight:g}")
    return " · ".join(parts)


def slot_words(slot: PackSlot, *, panels: int) -> str:
    """ "Monday 7 December 2026, 09:30 to 10:30" (and the panel where there are several)."""
    words = f"{long_date(slot.day)}, {slot.starts} to {slot.ends}"
    return f"{words}, panel {slot.panel_number}" if panels > 1 else words


def panel_words(members: Sequence[PackMember]) -> str:
    return ", ".join(m.label for m in members) or "No panel members yet"


def needs_words(candidate: PackCandidate) -> str:
    """ "Yes; 15 minutes extra time", "Yes", "15 minutes extra time" or "" for none."""
    parts = []
    if candidate.adjustments:
        parts.append("Yes")
    if candidate.extra_minutes:
        parts.append(f"{candidate.extra_minutes} minutes extra time")
    return "; ".join(parts)


def document_title(doc: PanelPackDocument) -> str:
    return f"{clean(doc.title)}, {clean(doc.campaign_reference)}"


@functools.lru_cache(maxsize=4096)
def _fit(text: str, font: str, size: float, width: float) -> str:
    """`text` on one line, shortened with an ellipsis if it is wider than `width`."""
    text = clean(text).replace("\n", " ")
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


# --- drawings shared by every sheet ----------------------------------------------------


@dataclass(frozen=True)
class _Art:
    """Something drawn the same way on many sheets: its size and how to paint it at 0, 0."""

    key: Hashable
    width: float
    height: float
    paint: Callable[[Canvas], None]


class _Forms:
    """Draws each `_Art` once per file as a form XObject, then places it wherever needed."""

    def __init__(self) -> None:
        self._names: dict[Hashable, str] = {}
        self._arts: dict[Hashable, _Art] = {}

    def art(self, key: Hashable, make: Callable[[], _Art]) -> _Art:
        """The art for `key`, made the first time it is asked for (once per file)."""
        found = self._arts.get(key)
        if found is None:
            found = self._arts[key] = make()
        return found

    def place(self, canv: Canvas, art: _Art, x: float = 0, y: float = 0) -> None:
        name = self._names.setdefault(art.key, f"PanelPack{len(self._names)}")
        # Each layout pass draws on a new canvas, so each defines its own forms.
        if not canv.hasForm(name):
            canv.beginForm(name, -2, -2, art.width + 2, art.height + 2)
            art.paint(canv)
            canv.endForm()
        canv.saveState()
        canv.translate(x, y)
        canv.doForm(name)
        canv.restoreState()


def _flowable_art(key: Hashable, flowables: Sequence[Flowable], width: float) -> _Art:
    """Flowables stacked top to bottom, laid out once at `width`."""
    sizes = []
    for flowable in flowables:
        _, height = flowable.wrap(width, FRAME_HEIGHT)
        sizes.append((flowable, height, flowable.getSpaceBefore(), flowable.getSpaceAfter()))
    # The first item's space before is the block's own business, not the art's.
    total = sum(h + b + a for _, h, b, a in sizes) - (sizes[0][2] if sizes else 0)

    def paint(canv: Canvas) -> None:
        y = total
        for index, (flowable, height, before, after) in enumerate(sizes):
            if index:
                y -= before
            y -= height
            flowable.drawOn(canv, 0, y)
            y -= after

    return _Art(key, width, total, paint)


def _evidence_art(member: str, height: float, scale_note: str, pass_note: str) -> _Art:
    """One panel member's ruled box for evidence, with a box for the score beside it."""
    width = FRAME_WIDTH
    split = width - SCORE_COLUMN
    label = _fit(member, FONT_BOLD, LABEL_SIZE, split - 50 * mm)

    def paint(canv: Canvas) -> None:
        top = height
        canv.setStrokeColor(FRAME_LINE)
        canv.setLineWidth(0.8)
        canv.rect(0, 0, width, height, stroke=1, fill=0)
        canv.line(split, 0, split, top)
        canv.setFillColor(TEXT)
        drawn = glyphs.draw_string(canv, 2.5 * mm, top - 4.5 * mm, label, FONT_BOLD, LABEL_SIZE)
        canv.setFont(FONT, 8)
        canv.setFillColor(MUTED)
        after = 2.5 * mm + drawn + 2 * mm
        canv.drawString(after, top - 4.5 * mm, "Evidence seen or heard")
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.4)
        y = top - 10.5 * mm
        path = canv.beginPath()
        while y > 2.5 * mm:
            path.moveTo(2.5 * mm, y)
            path.lineTo(split - 2.5 * mm, y)
            y -= LINE_SPACING
        canv.drawPath(path, stroke=1, fill=0)

        # The score: a box big enough for two handwritten digits.
        middle = split + SCORE_COLUMN / 2
        canv.setFillColor(TEXT)
        canv.setFont(FONT_BOLD, LABEL_SIZE)
        canv.drawCentredString(middle, top - 4.5 * mm, "Score")
        box_w, box_h = 16 * mm, 12 * mm
        box_top = top - 7 * mm
        canv.setStrokeColor(TEXT)
        canv.setLineWidth(0.9)
        canv.rect(middle - box_w / 2, box_top - box_h, box_w, box_h, stroke=1, fill=0)
        canv.setFont(FONT, 7.5)
        canv.setFillColor(MUTED)
        canv.drawCentredString(middle, box_top - box_h - 3.8 * mm, scale_note)
        if pass_note:
            canv.drawCentredString(middle, box_top - box_h - 7.2 * mm, pass_note)

    return _Art(("evidence", member, round(height), scale_note, pass_note), width, height, paint)


def _note_art(text: str, styles: Styles) -> _Art:
    """A shaded line in place of a member's box: they declared a conflict of interest."""
    paragraph = Paragraph(escape(text), styles.table_note)
    _, text_height = paragraph.wrap(FRAME_WIDTH - 6 * mm, FRAME_HEIGHT)
    height = text_height + 5 * mm

    def paint(canv: Canvas) -> None:
        canv.setFillColor(LIGHT_FILL)
        canv.setStrokeColor(FRAME_LINE)
        canv.setLineWidth(0.8)
        canv.rect(0, 0, FRAME_WIDTH, height, stroke=1, fill=1)
        paragraph.drawOn(canv, 3 * mm, 2.5 * mm)

    return _Art(("note", text), FRAME_WIDTH, height, paint)


def _declaration_art(member: str) -> _Art:
    """One member's conflict of interest declaration: two tick boxes, signature and date."""
    width, height, left = FRAME_WIDTH, 27 * mm, 2.5 * mm
    name = _fit(member, FONT_BOLD, LABEL_SIZE, width - 5 * mm)
    lines = [
        _fit(words, FONT, 8.5, width - 12 * mm)
        for words in (DECLARATION_NONE, DECLARATION_DECLARED)
    ]

    def paint(canv: Canvas) -> None:
        canv.setStrokeColor(FRAME_LINE)
        canv.setLineWidth(0.8)
        canv.rect(0, 0, width, height, stroke=1, fill=0)
        canv.setFillColor(TEXT)
        canv.setFont(FONT_BOLD, LABEL_SIZE)
        glyphs.draw_string(canv, left, height - 4.5 * mm, name, FONT_BOLD, LABEL_SIZE)
        canv.setFont(FONT, 8.5)
        canv.setStrokeColor(TEXT)
        canv.setLineWidth(0.7)
        for row, words in enumerate(lines):
            y = height - (9.5 + row * 5.5) * mm
            canv.rect(left, y - 0.6 * mm, 3.4 * mm, 3.4 * mm, stroke=1, fill=0)
            canv.drawString(left + 5.5 * mm, y, words)
        # Signature and date on ruled lines.
        y = 4 * mm
        canv.setFillColor(MUTED)
        canv.drawString(left, y, "Signature")
        sign_from = left + pdfmetrics.stringWidth("Signature", FONT, 8.5) + 2 * mm
        date_x = width * 0.66
        canv.drawString(date_x, y, "Date")
        date_from = date_x + pdfmetrics.stringWidth("Date", FONT, 8.5) + 2 * mm
        canv.setStrokeColor(FRAME_LINE)
        canv.setLineWidth(0.5)
        canv.line(sign_from, y - 0.8 * mm, date_x - 6 * mm, y - 0.8 * mm)
        canv.line(date_from, y - 0.8 * mm, width - left, y - 0.8 * mm)

    return _Art(("declaration", member), width, height, paint)


# --- flowables -----------------------------------------------------------------------


class _OutlineEntry(Flowable):
    """A bookmark with no heading on the page (the cover, the score sheets as a group)."""

    def __init__(self, title: str, key: str, level: int = 0) -> None:
        super().__init__()
        self.title, self.key, self.level = title, key, level
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.key, 0, 0)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=False)
        self.canv.showOutline()


class _Checkpoint(Flowable):
    """Calls back when layout reaches it: progress, and a chance to cancel."""

    def __init__(self, reached: Callable[[Any], None]) -> None:
        super().__init__()
        self.reached = reached
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        self.reached(self.canv)


class _PageRef(Flowable):
    """ "Page 12": where a candidate's score sheet starts, known from the layout pass before."""

    def __init__(self, pages: dict[int, int], index: int, styles: Styles) -> None:
        super().__init__()
        self.pages, self.index, self.style = pages, index, styles.table_cell
        self.width, self.height = 0.0, self.style.leading

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        return availWidth, self.height

    def draw(self) -> None:
        page = self.pages.get(self.index)
        canv = self.canv
        canv.saveState()
        canv.setFont(self.style.fontName, self.style.fontSize)
        canv.setFillColor(TEXT)
        canv.drawString(0, self.height - self.style.fontSize, f"Page {page}" if page else "")
        canv.restoreState()


class _Painted(Flowable):
    """One `_Art` painted straight onto the page (inside another form, say)."""

    def __init__(self, art: _Art) -> None:
        super().__init__()
        self.art = art
        self.width, self.height = art.width, art.height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        self.art.paint(self.canv)


class _Placed(Flowable):
    """One `_Art`, under a strip naming the candidate where `label` is given."""

    def __init__(self, forms: _Forms, art: _Art, label: str = "") -> None:
        super().__init__()
        self.forms, self.art, self.label = forms, art, label
        self.width = art.width
        self.height = art.height + (LABEL_STRIP if label else 0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        self.forms.place(self.canv, self.art)
        if self.label:
            _label_strip(self.canv, self.label, self.height)


def _label_strip(canv: Canvas, text: str, top: float) -> None:
    """The candidate, over the top right of a block: a loose page still says whose it is."""
    canv.saveState()
    canv.setFont(FONT, LABEL_SIZE)
    canv.setFillColor(MUTED)
    glyphs.draw_string(
        canv,
        FRAME_WIDTH,
        top - 3.3 * mm,
        _fit(text, FONT, LABEL_SIZE, FRAME_WIDTH),
        FONT,
        LABEL_SIZE,
        align="right",
    )
    canv.restoreState()


@dataclass(frozen=True)
class _BoxSpec:
    member: str  # the member's label, "Tom Okonkwo (chair)"
    scale_note: str
    pass_note: str


class _CriterionBlock(Flowable):
    """A criterion with every member's boxes under it, never split across pages.

    Boxes are at least `box_min` tall; when what follows would not fit on the page
    anyway, they share out the rest of the page (up to BOX_MAX), so pages are not left
    half empty and panels get more room to write.
    """

    def __init__(
        self,
        forms: _Forms,
        header: _Art,
        label: str,
        items: Sequence[_BoxSpec | _Art],
        box_min: float,
    ) -> None:
        super().__init__()
        self.forms, self.header, self.label = forms, header, label
        self.items = list(items)
        self.box_min = box_min
        self.next_min = 0.0  # the least room the flowable after this one needs
        self.boxes = sum(1 for item in self.items if isinstance(item, _BoxSpec))
        self.fixed = (
            LABEL_STRIP
            + header.height
            + BOX_GAP
            + sum(item.height + BOX_GAP for item in self.items if isinstance(item, _Art))
            + self.boxes * BOX_GAP
            + BLOCK_GAP
        )
        self.width = FRAME_WIDTH
        self.box_height = box_min
        self.height = self.min_height

    @property
    def min_height(self) -> float:
        return self.fixed + self.boxes * self.box_min

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        box = self.box_min
        spare = availHeight - self.min_height
        if self.boxes and 0 < spare < self.next_min:
            # Whole millimetres: boxes of one size are drawn once and reused.
            box = math.floor(min(BOX_MAX, self.box_min + spare / self.boxes) / mm) * mm
            box = max(box, self.box_min)
        self.box_height = box
        self.height = self.fixed + self.boxes * box
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        if self.min_height <= FRAME_HEIGHT:
            return []  # the whole block goes to the next page
        # Taller than a page (a very large panel): the boxes follow on, one by one.
        parts: list[Flowable] = [_Placed(self.forms, self.header, self.label)]
        for item in self.items:
            art = item if isinstance(item, _Art) else self._box_art(item, self.box_min)
            parts.append(_Placed(self.forms, art))
        return parts

    def _box_art(self, item: _BoxSpec, height: float) -> _Art:
        return self.forms.art(
            ("evidence", item, round(height)),
            lambda: _evidence_art(item.member, height, item.scale_note, item.pass_note),
        )

    def draw(self) -> None:
        canv = self.canv
        _label_strip(canv, self.label, self.height)
        y = self.height - LABEL_STRIP - self.header.height
        self.forms.place(canv, self.header, 0, y)
        y -= BOX_GAP
        for item in self.items:
            art = item if isinstance(item, _Art) else self._box_art(item, self.box_height)
            y -= art.height
            self.forms.place(canv, art, 0, y)
            y -= BOX_GAP


def _cover(doc: PanelPackDocument, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = [_OutlineEntry("Cover", "panel-pack-cover")]
    story += title_block(
        styles,
        doc.title,
        kicker=doc.organisation or "Panel pack",
        subtitle=f"{doc.campaign_reference} {doc.campaign_title}".strip(),
    )
    facts: list[tuple[str, str | Sequence[str]]] = []
    facts.append(("Campaign", f"{doc.campaign_reference} {doc.campaign_title}".strip()))
    facts.append(("Stage", doc.stage_name))
    facts.append(("Dates", stage_dates(doc)))
    if doc.mode:
        facts.append(("Mode", doc.mode))
    if doc.location:
        facts.append(("Location", doc.location))
    if doc.video_link:
        facts.append(("Video link", doc.video_link))
    scoring = doc.scale.name
    for scale, codes in own_scales(doc):
        scoring += f"; {', '.join(codes)} on the {scale.name}"
    facts.append(("Scoring", scoring))
    if doc.pass_mark_total is not None:
        facts.append(("Total pass mark", f"{doc.pass_mark_total:g}"))
    if doc.criteria:
        facts.append(("Criteria", ", ".join(c.code for c in doc.criteria)))
    facts.append(("Candidates", str(len(doc.candidates))))
    story.append(facts_table(facts, styles))

    story.append(Paragraph("Panel", styles.h3))
    story.append(facts_table(_panel_facts(doc), styles))

    if doc.name_blind:
        story.append(_notice(styles, "Name-blind stage", NAME_BLIND_NOTICE))
    story.append(Paragraph("Using this pack", styles.h3))
    story += bullet_list(_guidance(doc), styles.bullet)
    if not doc.candidates:
        story.append(Paragraph(escape(NO_CANDIDATES), styles.body))
    elif not doc.criteria:
        story.append(Paragraph(escape(NO_CRITERIA.format(stage=doc.stage_name)), styles.body))
    return story


NAME_BLIND_NOTICE = (
    "Candidates appear in this pack by candidate number only. Their names, contact details "
    "and other personal details stay with the recruiting manager until this stage's results "
    "are final. Do not try to find out who a candidate is; if you think you know one, tell "
    "the chair before you score."
)
NO_CANDIDATES = "No candidates have reached this stage yet, so the pack has no score sheets."
NO_CRITERIA = (
    "{stage} assesses no criteria yet, so the pack has no score sheets: "
    "add criteria to the assessment matrix first."
)


def _panel_facts(doc: PanelPackDocument) -> list[tuple[str, str | Sequence[str]]]:
    if not doc.members:
        return [("Panel", "No one sits on this panel yet.")]
    if len(doc.panels) > 1:
        return [
            (
                f"Panel {number}",
                [m.label for m in doc.members if m.panel_number == number],
            )
            for number in doc.panels
        ]
    facts: list[tuple[str, str | Sequence[str]]] = []
    for role in PanelRole:
        names = [m.name for m in doc.members if m.role == role]
        if names:
            # Two chairs are still headed "Chair": the pack lists them, it does not count them.
            many = len(names) > 1 and role is not PanelRole.CHAIR
            facts.append((f"{role.label}s" if many else role.label, names))
    return facts


def _guidance(doc: PanelPackDocument) -> list[str]:
    lines = [
        "Score each candidate on your own, against each criterion and the scale on the score "
        "sheet, before the panel discusses them.",
        "Write down the evidence behind each score: what you saw or heard, not impressions. "
        "The panel agrees its scores from it, and candidates may be given feedback based on it.",
        "Each criterion shows its pass mark: a score below it does not meet the criterion.",
        (
            "Before each interview, sign the declaration on the first page of the candidate's "
            "score sheet."
            if doc.interview
            else "Sign the declaration at the end of each score sheet."
        )
        + " If you know a candidate, tell the chair and do not score them.",
        "Keep this pack secure: it holds personal information. Return it to the recruiting "
        "manager when the panel has finished.",
    ]
    if all(c.pass_mark is None for c in doc.criteria):
        del lines[2]
    if doc.with_applications and doc.criteria and doc.candidates:
        lines.insert(1, APPLICATIONS_GUIDANCE)
    return lines


def _notice(styles: Styles, heading: str, text: str) -> Table:
    """A shaded panel with a coloured edge: something every reader must see."""
    primary = colors.HexColor(styles.theme.primary)
    notice = Table(
        [
            [Paragraph(escape(heading), styles.label)],
            [Paragraph(escape(text), styles.table_cell)],
        ],
        colWidths=[FRAME_WIDTH],
        hAlign="LEFT",
        style=TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9.5),
                ("BACKGROUND", (0, 0), (-1, -1), LIGHT_FILL),
                ("LINEBEFORE", (0, 0), (0, -1), 4, primary),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, 0), 8),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
                ("TOPPADDING", (0, 1), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 1),
            ]
        ),
        spaceBefore=10,
        spaceAfter=4,
    )
    return notice


def _schedule(doc: PanelPackDocument, styles: Styles) -> list[Flowable]:
    if not doc.slots:
        return []
    booked = sum(1 for s in doc.slots if s.candidate_number)
    days = sorted({s.day for s in doc.slots})
    story: list[Flowable] = [PageBreak(), Paragraph("Schedule", styles.h1)]
    story.append(
        Paragraph(
            escape(
                f"{_plural(len(doc.slots), 'slot')} on {_plural(len(days), 'day')}, "
                f"{booked} booked. Times are UK time."
            ),
            styles.body,
        )
    )
    places = {s.where for s in doc.slots}
    one_place = len(places) == 1
    place = next(iter(places))
    if one_place and place:
        label = "Video link" if place == doc.video_link or "://" in place else "Where"
        story.append(facts_table([(label, place)], styles))

    # The day on every row: a day's slots may run on to the next page.
    header: list[Any] = ["Day", "Time", "Ends", "Candidate", "Panel"]
    widths = [0.15, 0.1, 0.1, 0.25, 0.4]
    if not one_place:
        header.insert(4, "Where")
        widths = [0.14, 0.1, 0.1, 0.2, 0.18, 0.28]
    rows: list[list[Any]] = [header]
    first_of_day = []
    for day in days:
        first_of_day.append(len(rows))
        for slot in (s for s in doc.slots if s.day == day):
            candidate: Any = slot.candidate_label or Paragraph("Open", styles.table_note)
            row: list[Any] = [
                _day_words(slot.day),
                slot.starts,
                slot.ends,
                candidate,
                Paragraph(
                    escape(slot_panel_words(slot, panels=len(doc.panels))), styles.table_note
                ),
            ]
            if not one_place:
                row.insert(4, slot.where)
            rows.append(row)
    schedule = table(rows, widths, styles=styles)
    # A firmer rule where a new day starts.
    schedule.setStyle(
        TableStyle([("LINEABOVE", (0, row), (-1, row), 0.9, MUTED) for row in first_of_day[1:]])
    )
    story.append(schedule)
    return story


def _day_words(day: date) -> str:
    """ "Mon 7 Dec": the year is on the cover."""
    return short_date(day, with_year=False)


def slot_panel_words(slot: PackSlot, *, panels: int) -> str:
    """ "Tom Okonkwo (chair), Hannah Lee, Marek Kowalski (independent member)", after
    "Panel 2: " where the stage has several panels."""
    names = panel_words(slot.members)
    return f"Panel {slot.panel_number}: {names}" if panels > 1 else names


def _candidate_list(
    doc: PanelPackDocument,
    styles: Styles,
    sheet_pages: dict[int, int] | None,
    application_pages: dict[int, int] | None = None,
) -> list[Flowable]:
    if not doc.candidates:
        return []
    story: list[Flowable] = [PageBreak(), Paragraph("Candidates", styles.h1)]
    intro = f"{_plural(len(doc.candidates), 'candidate')} reached this stage"
    if doc.name_blind:
        intro += "; this stage is name-blind, so they are shown by candidate number only"
    story.append(Paragraph(escape(intro + "."), styles.body))

    with_slots = bool(doc.slots)
    panels = len(doc.panels)
    needs = doc.shows_adjustments and any(needs_words(c) for c in doc.candidates)
    conflicts = any(c.conflicts for c in doc.candidates)
    columns: list[tuple[str, float, Callable[[int, PackCandidate], Any]]] = [
        ("Number", 0.13, lambda _, c: c.number)
    ]
    if not doc.name_blind:
        columns.append(("Name", 0.32, lambda _, c: c.name))
    if with_slots:
        columns.append((_slot_word(doc), 0.25, lambda _, c: _slot_cell(c, panels)))
    if needs:
        columns.append(("Adjustments", 0.22, lambda _, c: needs_words(c)))
    if conflicts:
        columns.append(("Conflicts declared", 0.22, lambda _, c: c.conflict_names))
    if sheet_pages is not None:
        columns.append(("Sheet", 0.12, lambda i, _: _PageRef(sheet_pages, i, styles)))
    if application_pages is not None:
        columns.append(("Application", 0.17, lambda i, _: _PageRef(application_pages, i, styles)))
    rows: list[list[Any]] = [[name for name, _, _ in columns]]
    rows += [[cell(i, c) for _, _, cell in columns] for i, c in enumerate(doc.candidates)]
    story.append(table(rows, [w for _, w, _ in columns], styles=styles))
    if needs:
        story.append(
            Paragraph(
                "The recruiting manager holds the details of each candidate's adjustments "
                "and has arranged them; ask them if you need to know more.",
                styles.small,
            )
        )
    return story


def _slot_word(doc: PanelPackDocument) -> str:
    return "Interview" if doc.interview else "Slot"


def _slot_cell(candidate: PackCandidate, panels: int) -> str:
    slot = candidate.slot
    if slot is None:
        return "Not booked"
    words = f"{_day_words(slot.day)}, {slot.starts}"
    return f"{words}, panel {slot.panel_number}" if panels > 1 else words


# --- score sheets --------------------------------------------------------------------


@dataclass(frozen=True)
class _SheetParts:
    """What every sheet of this pack shares, laid out once."""

    forms: _Forms
    scale: _Art
    own_scales: tuple[_Art, ...]  # a table for each other scale a criterion is scored on
    headers: tuple[_Art, ...]  # one per criterion, in matrix order
    box_min: float
    criterion_title: ParagraphStyle


def _scale_art(
    scale_shown: Scale, styles: Styles, heading_text: str = "", key: str = "scale"
) -> _Art:
    text_style = ParagraphStyle(
        "PanelScaleText", parent=styles.table_cell, fontSize=8.5, leading=11
    )
    rows: list[list[Any]] = [
        [Paragraph("Score", styles.table_header), Paragraph("Meaning", styles.table_header)]
    ]
    for point in scale_shown.points:
        text = f"<b>{escape(point.label)}</b>"
        if point.descriptor:
            text += f": {escape(point.descriptor)}"
        rows.append([Paragraph(str(point.value), text_style), Paragraph(text, text_style)])
    scale = Table(
        rows,
        colWidths=[FRAME_WIDTH * 0.1, FRAME_WIDTH * 0.9],
        hAlign="LEFT",
        style=TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8.5),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEBELOW", (0, 0), (-1, 0), 1, TEXT),
                ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
            ]
        ),
        spaceAfter=14,
    )
    heading = Paragraph(escape(heading_text or f"Scale: {scale_shown.name}"), styles.h3)
    return _flowable_art(key, [heading, scale], FRAME_WIDTH)


def _header_art(
    index: int, criterion: PanelPackCriterion, styles: Styles, title_style: Any
) -> _Art:
    """The criterion's band: code and title, what it is, and the indicators for its level."""
    title = f"<b>{escape(criterion.code)}</b>&nbsp;&nbsp;{escape(criterion.title)}"
    body: list[Flowable] = []
    if criterion.level_description:
        body.append(Paragraph(escape(criterion.level_description), styles.table_cell))
    if criterion.indicators:
        body.append(Paragraph("What to look for", styles.label))
        body += bullet_list(criterion.indicators, styles.table_bullet)
    if criterion.negative_indicators:
        body.append(Paragraph("Signs the level is not met", styles.label))
        body += bullet_list(criterion.negative_indicators, styles.table_bullet)
    if not body and criterion.description.strip():
        body = paragraphs_from_text(criterion.description, styles.table_cell)
    rows: list[list[Any]] = [
        [Paragraph(title, title_style)],
        [Paragraph(escape(criterion_meta(criterion)), styles.table_note)],
    ]
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, 9.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 1), LIGHT_FILL),
        ("LEFTPADDING", (0, 0), (-1, -1), 7),
        ("RIGHTPADDING", (0, 0), (-1, -1), 7),
        ("TOPPADDING", (0, 0), (-1, 0), 6),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 1),
        ("TOPPADDING", (0, 1), (-1, 1), 0),
        ("BOTTOMPADDING", (0, 1), (-1, 1), 6),
        ("LINEABOVE", (0, 0), (-1, 0), 2, colors.HexColor(styles.theme.primary)),
    ]
    if body:
        rows.append([body])
        commands += [
            ("TOPPADDING", (0, 2), (-1, 2), 5),
            ("BOTTOMPADDING", (0, 2), (-1, 2), 0),
        ]
    band = Table(
        rows,
        colWidths=[FRAME_WIDTH],
        hAlign="LEFT",
        style=TableStyle(commands),
    )
    return _flowable_art(("criterion", index), [band], FRAME_WIDTH)


def _sheet_parts(doc: PanelPackDocument, styles: Styles) -> _SheetParts:
    title_style = ParagraphStyle(
        "PanelCriterionTitle", parent=styles.h3, spaceBefore=0, spaceAfter=1, keepWithNext=0
    )
    return _SheetParts(
        forms=_Forms(),
        scale=_scale_art(doc.scale, styles),
        own_scales=tuple(
            _scale_art(
                scale,
                styles,
                f"Scale for {', '.join(codes)}: {scale.name}",
                f"scale-{index}",
            )
            for index, (scale, codes) in enumerate(own_scales(doc))
        ),
        headers=tuple(_header_art(i, c, styles, title_style) for i, c in enumerate(doc.criteria)),
        box_min=BOX_MIN_INTERVIEW if doc.interview else BOX_MIN_PAPER,
        criterion_title=title_style,
    )


def _conflict_words(member: PackMember) -> str:
    return (
        f"{member.name} has declared a conflict of interest with this candidate "
        "and does not assess them."
    )


DECLARATION_BEFORE = "Before the interview, each panel member ticks one box, then signs and dates."
DECLARATION_SIFT = (
    "Before scoring this candidate, each panel member ticks one box, then signs and dates; "
    "a member with a conflict of interest does not score them."
)


def _declaration_block(
    doc: PanelPackDocument, candidate: PackCandidate, parts: _SheetParts, styles: Styles
) -> _Placed:
    members = candidate.members
    conflicted = tuple(m in candidate.conflicts for m in members)

    def make() -> _Art:
        flowables: list[Flowable] = [
            Paragraph("Conflict of interest declaration", styles.h3),
            Paragraph(DECLARATION_BEFORE if doc.interview else DECLARATION_SIFT, styles.small),
        ]
        for member, declared in zip(members, conflicted, strict=True):
            art = (
                _note_art(_conflict_words(member), styles)
                if declared
                else _declaration_art(member.label)
            )
            flowables += [_Painted(art), Spacer(1, BOX_GAP)]
        if not members:
            flowables.append(_Painted(_declaration_art(Role.PANEL_MEMBER.label)))
        return _flowable_art(key, flowables, FRAME_WIDTH)

    key = ("declarations", members, conflicted)
    return _Placed(parts.forms, parts.forms.art(key, make), candidate.label)


def _sheet_facts(doc: PanelPackDocument, candidate: PackCandidate) -> list[tuple[str, str]]:
    facts: list[tuple[str, str]] = []
    if candidate.slot is not None:
        facts.append((_slot_word(doc), slot_words(candidate.slot, panels=len(doc.panels))))
    elif doc.slots:
        facts.append((_slot_word(doc), "Not booked yet"))
    needs = needs_words(candidate)
    if needs:
        facts.append(("Adjustments", needs))
    if candidate.conflicts:
        facts.append(("Conflicts", f"Declared by {candidate.conflict_names}"))
    return facts


def _score_sheet(
    doc: PanelPackDocument, candidate: PackCandidate, parts: _SheetParts, styles: Styles
) -> list[Flowable]:
    story: list[Flowable] = [
        Paragraph(escape(f"Score sheet · {doc.stage_name}"), styles.kicker),
        Paragraph(escape(candidate.label), styles.h2),
    ]
    facts = _sheet_facts(doc, candidate)
    if facts:
        story.append(facts_table(facts, styles))
    story.append(_Placed(parts.forms, parts.scale))
    story += [_Placed(parts.forms, art) for art in parts.own_scales]
    blocks = []
    for criterion, header in zip(doc.criteria, parts.headers, strict=True):
        pass_note = f"Pass mark {criterion.pass_mark}" if criterion.pass_mark is not None else ""
        items: list[_BoxSpec | _Art] = []
        for member in candidate.members:
            if member in candidate.conflicts:
                note = _conflict_words(member)
                items.append(
                    parts.forms.art(("note", note), functools.partial(_note_art, note, styles))
                )
            else:
                items.append(_BoxSpec(member.label, scale_range(doc, criterion), pass_note))
        if not candidate.members:
            items.append(_BoxSpec(Role.PANEL_MEMBER.label, scale_range(doc, criterion), pass_note))
        blocks.append(_CriterionBlock(parts.forms, header, candidate.label, items, parts.box_min))
    # Declared first, before any scoring, on the sheet's first page with the scale: a
    # member who knows the candidate stops there. At an interview each criterion then has
    # a page to itself for notes taken while the candidate speaks.
    story.append(_declaration_block(doc, candidate, parts, styles))
    last: Flowable | None = None
    for block, after in zip(blocks, [*blocks[1:], last], strict=True):
        if after is None:
            block.next_min = math.inf  # the next sheet starts on a new page
        elif isinstance(after, _CriterionBlock):
            block.next_min = after.min_height
        else:
            block.next_min = after.height
    story += blocks
    return story


# --- the question plan ---------------------------------------------------------------

NOTE_LINES = 5  # ruled lines for notes under each question
CHAIR_BRIEF_INTRO = (
    "For the chair: the running order, what to say at the start and the end, and how long "
    "each question is given. Every candidate is asked the same questions in the same order; "
    "record any departure from the plan."
)
PLAN_INTRO = (
    "Every candidate is asked the same questions in the same order, each given the time "
    "below; each candidate's questions follow their score sheet. Tell the chair of any "
    "departure from the plan, so that it is recorded."
)
DEVIATIONS_HEADING = "Departures from the plan so far"
DEVIATIONS_INTRO = (
    "Recorded for this stage, by candidate number. Record any further departure in Recruit "
    "(Scoring tab: Record a departure from the plan)."
)
NO_DEVIATIONS = "None recorded so far."
QUESTIONS_INTRO = (
    "Ask these questions in this order, using the probes where the answer needs more. "
    "Note what the candidate says under each question."
)


class _Ruled(Flowable):
    """Ruled lines across the frame, for handwritten notes."""

    def __init__(self, lines: int) -> None:
        super().__init__()
        self.lines = lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return FRAME_WIDTH, self.lines * LINE_SPACING

    def draw(self) -> None:
        canv = self.canv
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.4)
        for line in range(self.lines):
            y = line * LINE_SPACING + 0.5
            canv.line(0, y, FRAME_WIDTH, y)


def minutes_words(minutes: int) -> str:
    return _plural(minutes, "minute")


def question_meta(question: PackPlanQuestion) -> str:
    """ "7 minutes · unseen: not sent to candidates in advance"."""
    said = [minutes_words(question.minutes)]
    if question.unseen:
        said.append("unseen: not sent to candidates in advance")
    if question.sent_on is not None:
        said.append(f"sent to candidates on {long_date(question.sent_on)}")
    return " · ".join(said)


def timing_words(doc: PanelPackDocument) -> str:
    """ "49 minutes of questions; the slots are 60 minutes long."."""
    said = f"{minutes_words(doc.plan_minutes)} of questions"
    if doc.slot_minutes:
        said += f"; the slots are {minutes_words(doc.slot_minutes)} long"
    return said + "."


def _script(heading: str, text: str, styles: Styles) -> list[Flowable]:
    if not text.strip():
        return []
    return [Paragraph(escape(heading), styles.h3), *paragraphs_from_text(text, styles.body)]


def _timing_guide(doc: PanelPackDocument, styles: Styles) -> list[Flowable]:
    """Each question's minutes with the running total, and where the plan outruns a slot."""
    if not doc.plan:
        return []
    story: list[Flowable] = [Paragraph("Timing guide", styles.h3)]
    rows: list[list[Any]] = [["Question", "Criterion", "Minutes", "Running total"]]
    elapsed = 0
    for criterion in doc.plan:
        for question in criterion.questions:
            elapsed += question.minutes
            rows.append([str(question.number), criterion.code, str(question.minutes), str(elapsed)])
    story.append(table(rows, [0.2, 0.4, 0.2, 0.2], styles=styles))
    story.append(Paragraph(escape(timing_words(doc)), styles.small))
    for warning in doc.plan_warnings:
        story.append(_notice(styles, "Timing", warning))
    return story


def deviation_heading(line: PlanDeviationLine) -> str:
    """ "Candidate 0003 · recorded Mon 7 Dec 2026 by Marek Kowalski"."""
    by = f" by {line.recorded_by}" if line.recorded_by else ""
    return f"Candidate {line.candidate_number} · recorded {short_date(line.recorded_on)}{by}"


def deviation_flowables(lines: Sequence[PlanDeviationLine], styles: Styles) -> list[Flowable]:
    """Each departure: whose interview and who recorded it, then the note as typed (a note
    runs as long as it needs to, across pages if it must: no table cell to outgrow)."""
    heading = ParagraphStyle("RecruitDeviation", parent=styles.label, keepWithNext=1, spaceBefore=6)
    story: list[Flowable] = []
    for line in lines:
        story.append(Paragraph(escape(deviation_heading(line)), heading))
        story += paragraphs_from_text(line.note, styles.body)
    return story


def _plan_guide(doc: PanelPackDocument, styles: Styles) -> list[Flowable]:
    """Once, after the schedule of a panel member's copy: the plan's timing guide."""
    if not doc.plan:
        return []
    return [
        PageBreak(),
        Paragraph("Question plan", styles.h1),
        Paragraph(escape(PLAN_INTRO), styles.body),
        *_timing_guide(doc, styles),
    ]


def _chair_brief(doc: PanelPackDocument, styles: Styles) -> list[Flowable]:
    """Once, after the schedule of the chair's copy: the running order, the scripts, the
    timing guide and the departures from the plan recorded so far."""
    if not doc.has_chair_brief:
        return []
    story: list[Flowable] = [PageBreak(), Paragraph("Chair's brief", styles.h1)]
    story.append(Paragraph(escape(CHAIR_BRIEF_INTRO), styles.body))
    booked = [s for s in doc.slots if s.candidate_number]
    if booked:
        story.append(Paragraph("Running order", styles.h3))
        panels = len(doc.panels)
        rows: list[list[Any]] = [["Day", "Time", "Candidate"]]
        widths = [0.25, 0.2, 0.55]
        if panels > 1:
            rows[0].append("Panel")
            widths = [0.22, 0.16, 0.47, 0.15]
        for slot in booked:
            row = [_day_words(slot.day), f"{slot.starts}–{slot.ends}", slot.candidate_label]
            if panels > 1:
                row.append(str(slot.panel_number))
            rows.append(row)
        story.append(table(rows, widths, styles=styles))
    story += _script("Welcome", doc.welcome_script, styles)
    story += _timing_guide(doc, styles)
    story += _script("Close", doc.close_script, styles)
    if doc.plan or doc.deviations:
        story.append(Paragraph(escape(DEVIATIONS_HEADING), styles.h3))
        story.append(Paragraph(escape(DEVIATIONS_INTRO), styles.small))
        story += deviation_flowables(doc.deviations, styles) or [
            Paragraph(escape(NO_DEVIATIONS), styles.body)
        ]
    return story


def _questions(doc: PanelPackDocument, candidate: PackCandidate, styles: Styles) -> list[Flowable]:
    """The plan's questions for one candidate, in order, with probes and room for notes."""
    label = f"{candidate.label}: questions"
    # Part of the candidate's sheet: headed like it, but not a bookmark of its own.
    heading = ParagraphStyle("RecruitPlanHeading", parent=styles.h2)
    story: list[Flowable] = [
        Paragraph(escape(f"Interview questions · {doc.stage_name}"), styles.kicker),
        Paragraph(escape(label), heading),
        Paragraph(escape(QUESTIONS_INTRO + " " + timing_words(doc)), styles.small),
    ]
    for criterion in doc.plan:
        for index, question in enumerate(criterion.questions):
            # A page that starts with a question still says whose notes it holds; the
            # criterion's heading stays with its first question.
            parts: list[Flowable] = [_Continued(f"{label} (continued)")]
            if index == 0:
                parts.append(Paragraph(escape(f"{criterion.code} {criterion.title}"), styles.h3))
            parts.append(
                Paragraph(f"<b>{question.number}.</b> {escape(question.text)}", styles.body)
            )
            parts.append(Paragraph(escape(question_meta(question)), styles.small))
            if question.probes:
                parts.append(Paragraph("Probes", styles.label))
                parts += bullet_list(question.probes, styles.bullet)
            parts.append(Paragraph("Notes", styles.label))
            parts.append(_Ruled(NOTE_LINES))
            parts.append(Spacer(1, BLOCK_GAP))
            story.append(KeepTogether(parts))
    return story


# --- applications --------------------------------------------------------------------


class _Continued(Flowable):
    """Whose application a page holds, over its top right, where the page starts inside
    one: a loose page still says whose it is. Takes no room elsewhere, except that after
    a paragraph split across pages (`forced`) it claims the rest of the page, so that it
    starts the next one."""

    def __init__(self, label: str, *, forced: bool = False, keep_with_next: bool = False):
        super().__init__()
        self.label, self.forced = label, forced
        self.keepWithNext = int(keep_with_next)  # ReportLab's attribute name
        self.width, self.height = 0.0, 0.0

    def _at_top(self) -> bool:
        frame = getattr(self, "_frame", None)
        return bool(frame is not None and getattr(frame, "_atTop", False))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        if self._at_top():
            self.height = LABEL_STRIP
        elif self.forced and getattr(self, "_frame", None) is not None:
            self.height = availHeight + 1  # too tall here: goes to the next page
        else:
            self.height = 0.0
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []

    def draw(self) -> None:
        if self.height:
            _label_strip(self.canv, self.label, self.height)


class _Text(Paragraph):
    """A paragraph of a candidate's text: split across pages, its second half starts under
    the candidate's label."""

    label = ""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        parts: list[Flowable] = list(super().split(availWidth, availHeight))
        if len(parts) < 2:
            return parts
        for part in parts:
            if isinstance(part, _Text):
                part.label = self.label
        return [parts[0], _Continued(self.label, forced=True), *parts[1:]]


def _text(markup: str, style: ParagraphStyle, label: str, **kw: Any) -> _Text:
    paragraph = _Text(markup, style, **kw)
    paragraph.label = label
    return paragraph


def _part_styles(styles: Styles) -> tuple[ParagraphStyle, ParagraphStyle]:
    """The line under a part's heading (kept with it), and the text's bullets."""
    meta = ParagraphStyle(
        "PanelPartMeta", parent=styles.small, keepWithNext=1, spaceAfter=5, textColor=MUTED
    )
    bullets = ParagraphStyle(
        "PanelPartBullet",
        parent=styles.body,
        leftIndent=15,
        bulletIndent=4,
        bulletFontName=styles.body.fontName,
        spaceBefore=0,
        spaceAfter=3.5,
    )
    return meta, bullets


def part_meta_markup(part: PanelApplicationPart) -> str:
    """ "312 words; limit 250: over the limit." (in bold where over), then what else a
    reader must know: "No text: needs reading in the original." for a scanned document."""
    sentences = []
    if part.length:
        words = escape(part.length) + "."
        # Over the limit: in bold and in the text's colour, not the muted grey.
        sentences.append(
            f'<font color="{TEXT_HEX}"><b>{words}</b></font>' if part.over_limit else words
        )
    sentences += [escape(remark) + "." for remark in part.remarks]
    return " ".join(sentences)


def _part_text(
    text: str, styles: Styles, bullet_style: ParagraphStyle, label: str
) -> list[Flowable]:
    """The candidate's words as typed, paragraph by paragraph (see `text_blocks`), each
    ready to carry the label on to a new page."""
    flowables: list[Flowable] = []

    def add(markup: str, style: ParagraphStyle, **kw: Any) -> None:
        if flowables:
            # Kept with the paragraph after it, so it is laid out on that paragraph's page.
            flowables.append(_Continued(label, keep_with_next=True))
        flowables.append(_text(markup, style, label, **kw))

    for kind, pieces in text_blocks(text):
        if kind == "bullets":
            for item in pieces:
                add(escape(item), bullet_style, bulletText="•")
            flowables.append(Spacer(1, 4))
        else:
            add("<br/>".join(escape(line) for line in pieces), styles.body)
    if flowables and isinstance(flowables[0], _Text):
        flowables[0] = _whole_if_short(flowables[0])
    return flowables


SHORT_MARKUP = 600  # characters: more than three lines' worth, even of the widest letters


def _whole_if_short(paragraph: _Text) -> Flowable:
    """The paragraph under a part's heading, kept whole where it has three lines or fewer.

    Such a paragraph cannot split (no widows, no orphans), yet the keeping of a heading
    with the start of what follows (exports.styles) counts two lines as enough: kept
    whole, it goes to the next page with its heading instead of leaving the heading behind.
    """
    if len(paragraph.text) > SHORT_MARKUP:
        return paragraph
    _, height = paragraph.wrap(FRAME_WIDTH, FRAME_HEIGHT)
    return _Whole(paragraph) if height <= 3 * paragraph.style.leading + 1 else paragraph


class _Whole(Flowable):
    """A paragraph that never splits. Not a KeepTogether: ReportLab leaves containers out
    of a heading's keep-with-next group."""

    def __init__(self, paragraph: Paragraph) -> None:
        super().__init__()
        self.paragraph = paragraph

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = self.paragraph.wrap(availWidth, availHeight)
        return self.width, self.height

    def getSpaceBefore(self) -> float:  # noqa: N802 (ReportLab's name)
        return float(self.paragraph.getSpaceBefore())

    def getSpaceAfter(self) -> float:  # noqa: N802 (ReportLab's name)
        return float(self.paragraph.getSpaceAfter())

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []

    def draw(self) -> None:
        self.paragraph.drawOn(self.canv, 0, 0)


def _application(
    doc: PanelPackDocument, candidate: PackCandidate, styles: Styles
) -> list[Flowable]:
    """The candidate's application as the panel reads it, part by part under its heading."""
    label = f"{candidate.label}: application"
    story: list[Flowable] = [
        Paragraph(escape(f"Application · {doc.stage_name}"), styles.kicker),
        Paragraph(escape(label), styles.h2),
    ]
    application = candidate.application
    if application is None or not application.parts:
        story.append(Paragraph(escape(NO_APPLICATION), styles.body))
        return story
    if application.redacted:
        story.append(Paragraph(escape(REDACTED_APPLICATION), styles.small))
    continued = f"{label} (continued)"
    meta_style, bullet_style = _part_styles(styles)
    for index, part in enumerate(application.parts):
        if index:
            story.append(_Continued(continued, keep_with_next=True))
        story.append(Paragraph(escape(part.heading), styles.h3))
        meta = part_meta_markup(part)
        if meta:
            story.append(Paragraph(meta, meta_style))
        story += _part_text(part.text, styles, bullet_style, continued)
    return story


# --- the document --------------------------------------------------------------------


def panel_pack_flowables(
    doc: PanelPackDocument,
    styles: Styles,
    *,
    reached: Callable[[int, Any], None] | None = None,
    sheet_pages: dict[int, int] | None = None,
    application_pages: dict[int, int] | None = None,
) -> list[Flowable]:
    """The whole pack as flowables; `reached(index, canvas)` is called as each sheet is laid
    out, and `sheet_pages` and `application_pages` (filled in by the caller as sheets and
    applications are placed) give the candidate list columns of page numbers."""
    sheets = bool(doc.criteria and doc.candidates)
    applications = sheets and doc.with_applications
    story = _cover(doc, styles)
    story += _schedule(doc, styles)
    story += _chair_brief(doc, styles) if doc.chair_copy else _plan_guide(doc, styles)
    story += _candidate_list(
        doc,
        styles,
        sheet_pages if sheets else None,
        application_pages if applications else None,
    )
    if not sheets:
        return story
    parts = _sheet_parts(doc, styles)
    for index, candidate in enumerate(doc.candidates):
        story.append(PageBreak())
        if index == 0:
            story.append(_OutlineEntry("Score sheets", "panel-pack-sheets"))
        if reached is not None:
            story.append(_Checkpoint(functools.partial(reached, index)))
        story += _score_sheet(doc, candidate, parts, styles)
        if doc.plan:
            story.append(PageBreak())
            story += _questions(doc, candidate, styles)
        if applications:
            story.append(PageBreak())
            if application_pages is not None:
                story.append(_Checkpoint(functools.partial(_note_page, application_pages, index)))
            story += _application(doc, candidate, styles)
    return story


def _note_page(pages: dict[int, int], index: int, canv: Any) -> None:
    pages[index] = canv.getPageNumber()


def render_panel_pack(
    doc: PanelPackDocument,
    path: Path,
    theme: Theme,
    *,
    author: str = "",
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> Path:
    """Write the pack to `path` atomically; a cancel leaves no file (and any old one as it was)."""
    styles = make_styles(theme)
    total = max(len(doc.candidates), 1)
    # Layout runs twice (the second pass knows the page count), so progress spans both.
    passes = 2
    state: dict[str, Any] = {"canvas": None, "pass": -1}
    # Where each sheet (and application) starts; a pass reads what the pass before found.
    sheet_pages: dict[int, int] = {}
    application_pages: dict[int, int] = {}

    def reached(index: int, canv: Any) -> None:
        if state["canvas"] is not canv:
            state["canvas"] = canv
            state["pass"] += 1
        sheet_pages[index] = canv.getPageNumber()
        if cancelled is not None and cancelled():
            raise Cancelled(CANCELLED_MESSAGE)
        if progress is not None:
            progress(min(state["pass"], passes - 1) * total + index, total * passes)

    if cancelled is not None and cancelled():
        raise Cancelled(CANCELLED_MESSAGE)
    story = panel_pack_flowables(
        doc,
        styles,
        reached=reached,
        sheet_pages=sheet_pages,
        application_pages=application_pages,
    )
    written = build_pdf(
        path,
        story,
        theme,
        title=document_title(doc),
        subject=f"Panel pack for {clean(doc.stage_name)}: schedule, candidates and score sheets"
        + (", with their applications" if doc.with_applications else "")
        + ("; the chair's copy, with the chair's brief" if doc.chair_copy else ""),
        author=clean(doc.organisation).strip() or theme.organisation or author,
    )
    if progress is not None:
        progress(total * passes, total * passes)
    return written
