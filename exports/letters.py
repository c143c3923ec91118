"""Outcome letters as PDF: one file per candidate (rendered on two cores) or one merged file.

The letters' data are the plain frozen dataclasses of `recruit_app.readmodels`: strings,
numbers and dates. Worker processes receive them pickled and import only this module and
the core's plain types (ReportLab, no database layer), so they start quickly and never
touch a database or a Qt thread.
"""

from __future__ import annotations

import functools
import logging
import math
import multiprocessing
import os
import re
import shutil
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    HRFlowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from exports import glyphs
from exports.files import atomic_output, move_into_place, new_private_file, staging_folder
from exports.styles import (
    FONT,
    FONT_BOLD,
    FOOTER_BASELINE,
    FRAME_WIDTH,
    H2_NAME,
    HEADER_BASELINE,
    HEADER_RULE,
    MARGIN,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    TEXT,
    RecruitDocTemplate,
    Styles,
    Theme,
    clean,
    escape,
    linked,
    make_styles,
    paragraphs_from_text,
    register_fonts,
)
from recruit_app.domain.dates import MONTHS, plain_date
from recruit_app.errors import Cancelled
from recruit_app.readmodels import (
    IsCancelled,
    Letter,
    LettersDocument,
    NextStage,
    Progress,
    ScoreLine,
)
from recruit_app.vocabulary import Outcome, StageKind, StageMode

log = logging.getLogger(__name__)

# Fewer letters than this are rendered in the calling process: starting worker
# processes (a fresh interpreter importing ReportLab) costs more than it saves.
PARALLEL_FROM = 50
WORKERS = 2
# Chunks are small enough to report progress often and to stop soon after a cancel,
# large enough that sending them to a worker costs little next to rendering them.
CHUNK_MIN, CHUNK_MAX, CHUNKS_PER_WORKER = 5, 25, 8
# "spawn" starts a clean interpreter: forking a process that runs Qt threads (the app
# exports from a worker thread) can copy a lock held by another thread and hang.
START_METHOD = "spawn"

NOT_APPLICABLE = "—"


# --- words ---------------------------------------------------------------------------

_TITLE_WORD = re.compile(r"^[A-Z][a-z'’-]+$")
# How a stage is held, in a sentence to the candidate; and the words in a stage's name
# that already say so.
_MODE_WORDS: dict[str, tuple[str, tuple[str, ...]]] = {
    StageMode.VIDEO: ("by video", ("video",)),
    StageMode.TELEPHONE: ("by telephone", ("telephone", "phone")),
    StageMode.ONLINE: ("online", ("online",)),
    StageMode.IN_PERSON: ("in person", ("in person", "in-person", "face to face")),
}
_FINAL_KINDS = (StageKind.OFFER, StageKind.PRE_EMPLOYMENT_CHECKS)


def full_name(letter: Letter) -> str:
    return " ".join(
        p for p in (clean(letter.first_name).strip(), clean(letter.last_name).strip()) if p
    )


def addressee(letter: Letter) -> str:
    """Their name, or "Candidate 0003" when it is not known (erased, or never given)."""
    return full_name(letter) or f"Candidate {clean(letter.candidate_number)}"


def outline_title(letter: Letter) -> str:
    """The letter's bookmark in a merged file: "0003 Łukasz Nowak: Not progressed"."""
    outcome = Outcome.label_for(letter.outcome) if letter.outcome else ""
    return f"{clean(letter.candidate_number)} {addressee(letter)}: {outcome}"


def in_sentence(name: str) -> str:
    """A stage name inside a sentence: "Technical exercise" -> "technical exercise".

    Only a capital that merely starts the name is lowered; "CV sift" and "Assessment
    Centre" (an acronym, a name in title case) stay as typed.
    """
    text = clean(name).strip()
    words = text.split()
    if words and _TITLE_WORD.match(words[0]) and not any(_TITLE_WORD.match(w) for w in words[1:]):
        return text[0].lower() + text[1:]
    return text


def score_text(value: float | None, mark: float | None = None) -> str:
    """A score as every letter shows it: one decimal place at most (5, 4.7, 34.5).

    A score below its pass mark `mark` is cut, not rounded up to the mark: 3.96 against 4
    shows as 3.9, never as 4 beside a "No".
    """
    if value is None:
        return NOT_APPLICABLE
    shown = round(value, 1)
    if mark is not None and round(value, 9) < round(mark, 9) and shown >= mark:
        shown = math.floor(value * 10) / 10
    return f"{shown:.1f}".rstrip("0").rstrip(".")


number = score_text  # pass marks and the scale's ends are shown the same way


def date_span(starts_on: date | None, ends_on: date | None) -> str:
    """ "on 7 December 2026", "between 7 and 11 December 2026", or "" when unknown."""
    if starts_on and ends_on and ends_on != starts_on:
        if (starts_on.year, starts_on.month) == (ends_on.year, ends_on.month):
            first = str(starts_on.day)
        elif starts_on.year == ends_on.year:
            first = f"{starts_on.day} {MONTHS[starts_on.month - 1]}"
        else:
            first = plain_date(starts_on)
        return f"between {first} and {plain_date(ends_on)}"
    day = starts_on or ends_on
    return f"on {plain_date(day)}" if day else ""


def stage_started(stage: NextStage, today: date) -> bool:
    """Whether the stage's first day (or its only date) is before `today`."""
    first = stage.starts_on or stage.ends_on
    return first is not None and first < today


def _mode_phrase(stage: NextStage) -> str:
    phrase, words = _MODE_WORDS.get(stage.mode, ("", ()))
    name = stage.name.casefold()
    # "The video interview will be held by video" says it twice.
    return "" if any(w in name for w in words) else phrase


def salutation(letter: Letter) -> str:
    first = clean(letter.first_name).strip()
    return f"Dear {first or full_name(letter) or 'applicant'},"


def subject(doc: LettersDocument, letter: Letter) -> str:
    stage = clean(doc.stage_name).strip()
    nxt = doc.next_stage
    subjects: dict[str, str] = {
        Outcome.PROGRESS: f"Invitation to the {in_sentence(nxt.name)}"
        if nxt and nxt.kind not in _FINAL_KINDS
        else f"Your {in_sentence(stage)} result",
        Outcome.REJECT: "The outcome of your application",
        Outcome.RESERVE: "A place on our reserve list",
        Outcome.APPOINT: "A provisional offer of appointment",
        Outcome.WITHDRAWN: "Withdrawal of your application",
    }
    return subjects.get(letter.outcome, f"Your {in_sentence(stage)} result")


def outcome_paragraphs(doc: LettersDocument, letter: Letter) -> list[str]:
    """The body of the letter in plain words, one string per paragraph (not markup)."""
    role = clean(doc.campaign_title).strip() or "advertised"
    stage = f"the {in_sentence(doc.stage_name)}"
    thanks = f"Thank you for applying for the {role} role."
    kind = letter.outcome
    if kind == Outcome.PROGRESS:
        return _progress(doc, thanks, stage)
    if kind == Outcome.REJECT:
        sorry = (
            f"I am sorry to tell you that you were not successful at {stage}, so your "
            "application will not go any further in this campaign. We know this news is "
            "disappointing."
        )
        if _shows_scores(doc, letter):
            sorry += " The panel's assessment is set out below; we hope you find it helpful."
        elif _shows_feedback(doc, letter):
            sorry += " The panel's feedback is set out below; we hope you find it helpful."
        return [
            f"Thank you for applying for the {role} role, and for the time and care you put "
            "into your application.",
            sorry,
        ]
    if kind == Outcome.RESERVE:
        # An expiry already passed is not told as still running.
        until = (
            f"until {plain_date(letter.reserve_expires_on)}"
            if letter.reserve_expires_on and letter.reserve_expires_on >= doc.dated
            else f"for up to {doc.reserve_list_months} months"
        )
        return [
            thanks,
            f"You reached the standard we need at {stage}, but we do not have a post to offer "
            f"you at the moment. We would like to keep you on our reserve list {until}. If a "
            "suitable post becomes free in that time, we may offer it to you in merit order, "
            "without you having to apply again.",
            "You do not need to do anything now. If you would rather not be on the reserve "
            "list, just let us know.",
        ]
    if kind == Outcome.APPOINT:
        grade = clean(doc.grade).strip()
        if grade and "grade" not in grade.casefold():
            grade += " grade"
        post = f"the post of {role}" + (f" at {grade}" if grade else "")
        clearance = clean(doc.security_clearance).strip()
        checks = f", including {clearance} security clearance" if clearance else ""
        start = (
            f" We expect the post to start around {plain_date(doc.expected_start_on)}."
            if doc.expected_start_on and doc.expected_start_on > doc.dated
            else ""
        )
        return [
            f"{thanks} I am delighted to offer you {post}.",
            "This offer is provisional: it depends on satisfactory pre-employment "
            f"checks{checks}. We will contact you soon to start the checks and to agree a "
            f"start date.{start} Please do not resign from your current job until we have "
            "confirmed the offer in writing.",
            "Congratulations, and welcome.",
        ]
    if kind == Outcome.WITHDRAWN:
        return [
            f"Thank you for letting us know that you wish to withdraw your application for the "
            f"{role} role.",
            "This letter confirms that your application has been withdrawn, and it will not be "
            "considered any further in this campaign.",
            "We are sorry you are not able to continue, and we hope you will think of us "
            "again in future.",
        ]
    return [thanks]


def _progress(doc: LettersDocument, thanks: str, stage: str) -> list[str]:
    nxt = doc.next_stage
    if nxt is None or nxt.kind in _FINAL_KINDS:
        return [
            f"{thanks} I am pleased to tell you that you were successful at {stage}.",
            "We will be in touch soon about the next steps.",
        ]
    name = in_sentence(nxt.name)
    said = [
        f"{thanks} I am pleased to tell you that you were successful at {stage}, and we "
        f"would like to invite you to the next stage of the selection process: the {name}."
    ]
    how = _mode_phrase(nxt)
    # Dates are given only while they are still to come (the service warns otherwise).
    when = "" if stage_started(nxt, doc.dated) else date_span(nxt.starts_on, nxt.ends_on)
    if when or how:
        held = " ".join(p for p in ("will take place", how, when) if p)
        said.append(f"The {name} {held}.")
    said.append(
        "We will write to you soon with the arrangements. If you need any adjustments to "
        "take part, please tell us as early as you can so that we can put them in place."
    )
    return said


def closing_paragraphs(doc: LettersDocument, letter: Letter) -> list[str]:
    """What the letter says after the scores and feedback, before the contact line."""
    if letter.outcome == Outcome.REJECT:
        return ["We would be glad to see you apply for a role with us again."]
    return []


def _shows_scores(doc: LettersDocument, letter: Letter) -> bool:
    return doc.offers_feedback and letter.has_scores and letter.outcome != Outcome.WITHDRAWN


def _shows_feedback(doc: LettersDocument, letter: Letter) -> bool:
    return doc.offers_feedback and bool(clean(letter.feedback).strip())


def scores_intro(doc: LettersDocument, letter: Letter) -> str:
    low, high = doc.scale_minimum, doc.scale_maximum
    scale = (
        f"Each criterion was scored from {low} to {high}, where {high} is the highest. "
        if low is not None and high is not None
        else ""
    )
    marked = [line.pass_mark is not None for line in letter.scores]
    each = (
        "each score had to reach its pass mark"
        if all(marked)
        else "each score with a pass mark had to reach it"
    )
    total = f"the total had to reach {number(letter.total_pass_mark)}"
    if any(marked) and letter.total_pass_mark is not None:
        rule = f"To pass, {each} and {total}. "
    elif any(marked):
        rule = f"To pass, {each}. "
    elif letter.total_pass_mark is not None:
        rule = f"To pass, {total}. "
    else:
        rule = ""
    return (
        f"{scale}{rule}Where several panel members scored a criterion, your score is "
        "the average of their scores, or the score they agreed."
    )


def merit_note(letter: Letter) -> str:
    """Why a candidate who met every pass mark still goes no further, or ""."""
    met = [line.met for line in letter.scores if line.met is not None]
    if letter.total_met is not None:
        met.append(letter.total_met)
    if letter.outcome != Outcome.REJECT or not met or not all(met):
        return ""
    return (
        "You met every pass mark. There were fewer places at the next stage than candidates "
        "who did, so places went to the highest scores in merit order."
    )


def _met(value: bool | None) -> str:
    return {True: "Yes", False: "No", None: NOT_APPLICABLE}[value]


def score_rows(doc: LettersDocument, letter: Letter) -> list[list[str]]:
    """The scores table as text: a header, one row per criterion, and the total."""
    rows = [["Criterion", "Your score", "Pass mark", "Met"]]
    for line in letter.scores:
        rows.append(
            [
                _label(line),
                score_text(line.score, line.pass_mark),
                score_text(line.pass_mark),
                _met(line.met),
            ]
        )
    if letter.total is not None:
        label = "Total (weighted)" if doc.weighted else "Total"
        rows.append(
            [
                label,
                score_text(letter.total, letter.total_pass_mark),
                score_text(letter.total_pass_mark),
                _met(letter.total_met),
            ]
        )
    return rows


def _label(line: ScoreLine) -> str:
    title, code = clean(line.title).strip(), clean(line.code).strip()
    return f"{code}: {title}" if code and title else code or title


def reasons(doc: LettersDocument, letter: Letter) -> str:
    """Why the candidate did not pass, citing exactly the criteria they fell below."""
    # By code (or title where there is none): the table above names each in full, and
    # the letter should still fit on one page.
    by_code = {line.code: line for line in letter.scores}
    below = [
        clean(code).strip() or clean(by_code[code].title).strip()
        for code in letter.below
        if code in by_code
    ]
    said = []
    if below:
        listed = below[0] if len(below) == 1 else f"{', '.join(below[:-1])} and {below[-1]}"
        said.append(f"You scored below the pass mark for {listed}.")
    if letter.total_met is False and letter.total is not None:
        said.append(
            f"Your total of {score_text(letter.total, letter.total_pass_mark)} was below its "
            f"pass mark of {score_text(letter.total_pass_mark)}."
        )
    return " ".join(said)


# --- flowables -----------------------------------------------------------------------


@dataclass(frozen=True)
class _LetterStyles:
    base: Styles
    organisation: ParagraphStyle
    subject: ParagraphStyle
    date: ParagraphStyle
    date_note: ParagraphStyle
    address: ParagraphStyle
    signature: ParagraphStyle
    total: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle


@functools.lru_cache(maxsize=8)
def letter_styles(theme: Theme) -> _LetterStyles:
    base = make_styles(theme)
    primary = colors.HexColor(theme.primary_text)
    # A little tighter than the house body text: a letter should fit on one page.
    body = ParagraphStyle("LetterBody", parent=base.body, leading=13.5, spaceAfter=6)
    cell = ParagraphStyle("LetterCell", parent=base.table_cell, leading=12.5)
    return _LetterStyles(
        base=base,
        # Not named like the h1/h2 styles: these make no outline entry of their own.
        organisation=ParagraphStyle(
            "LetterOrganisation",
            parent=base.kicker,
            fontSize=13,
            leading=17,
            textColor=primary,
            spaceAfter=0,
        ),
        subject=ParagraphStyle(
            "LetterSubject", parent=base.h3, fontSize=12.5, leading=16, spaceBefore=6, spaceAfter=8
        ),
        date=ParagraphStyle("LetterDate", parent=body, alignment=TA_RIGHT, spaceAfter=0),
        date_note=ParagraphStyle(
            "LetterDateNote", parent=base.meta, alignment=TA_RIGHT, spaceBefore=0
        ),
        address=ParagraphStyle("LetterAddress", parent=body, spaceAfter=0),
        signature=ParagraphStyle("LetterSignature", parent=body, spaceAfter=0),
        total=ParagraphStyle("LetterTotal", parent=base.table_header),
        # Named as the house h2 so that it nests in the outline under the letter.
        heading=ParagraphStyle(H2_NAME, parent=base.h2, fontSize=11.5, leading=15, spaceBefore=9),
        body=body,
        cell=cell,
    )


@functools.cache
def _logo_size(path: Path) -> tuple[float, float] | None:
    """The logo's size, read once per process; None (and one warning) if it cannot be read."""
    try:
        width, height = ImageReader(str(path)).getSize()
    except Exception:
        # A broken logo must not stop a thousand letters; the letterhead keeps the name.
        log.warning("Cannot read the logo %s; leaving it out of the letters", path, exc_info=True)
        return None
    return float(width), float(height)


def _logo(path: Path) -> Flowable | None:
    size = _logo_size(path)
    if size is None:
        return None
    width, height = size
    scale = min(50 * mm / width, 14 * mm / height)
    logo = Image(str(path), width=width * scale, height=height * scale)
    logo.hAlign = "LEFT"
    return logo


def _letterhead(doc: LettersDocument, letter: Letter, s: _LetterStyles, theme: Theme) -> list[Any]:
    parts: list[Any] = []
    if theme.logo_path is not None:
        logo = _logo(theme.logo_path)
        if logo is not None:
            parts += [logo, Spacer(1, 3 * mm)]
    organisation = clean(doc.organisation).strip() or theme.organisation
    if organisation:
        parts.append(Paragraph(escape(organisation), s.organisation))
    parts.append(
        HRFlowable(
            width="100%",
            thickness=2.5,
            color=colors.HexColor(theme.primary),
            spaceBefore=4,
            spaceAfter=9,
        )
    )
    address = [Paragraph(escape(addressee(letter)), s.address)]
    if clean(letter.email).strip():
        address.append(Paragraph(escape(letter.email.strip()), s.address))
    dated = [Paragraph(escape(plain_date(doc.dated)), s.date)]
    reference = clean(doc.reference).strip()
    if reference:
        dated.append(Paragraph(escape(f"Reference {reference}"), s.date_note))
    dated.append(
        Paragraph(escape(f"Candidate {clean(letter.candidate_number).strip()}"), s.date_note)
    )
    parts.append(
        Table(
            [[address, dated]],
            colWidths=[FRAME_WIDTH * 0.65, FRAME_WIDTH * 0.35],
            hAlign="LEFT",
            style=TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT, 10),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            ),
            spaceAfter=6,
        )
    )
    return parts


_SCORE_COLUMNS = (0.6, 0.15, 0.15, 0.1)


def _scores_table(rows: list[list[str]], s: _LetterStyles, with_total: bool) -> Table:
    """The house table look, built directly: the numbers are plain strings, right-aligned.

    Numbers and yes/no never wrap, so they need no paragraphs; a thousand letters of
    six criteria are noticeably quicker without them. Criterion titles do wrap.
    """
    last = len(rows) - 1
    data: list[list[Any]] = []
    for index, row in enumerate(rows):
        if index == 0:
            style = s.base.table_header
        elif with_total and index == last:
            style = s.total
        else:
            style = s.cell
        data.append([Paragraph(escape(row[0]), style), *row[1:]])
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, 9.5, 12.5),
        ("FONT", (1, 0), (-1, 0), FONT_BOLD, 9.5, 12.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), TEXT),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        # Tighter than the house tables, so that a letter with six criteria fits one page.
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, TEXT),
    ]
    if with_total:
        commands += [
            ("FONT", (1, -1), (-1, -1), FONT_BOLD, 9.5, 12.5),
            ("LINEABOVE", (0, -1), (-1, -1), 1, TEXT),
        ]
    return Table(
        data,
        colWidths=[FRAME_WIDTH * f for f in _SCORE_COLUMNS],
        repeatRows=1,
        splitInRow=1,
        hAlign="LEFT",
        style=TableStyle(commands),
        spaceBefore=4,
        spaceAfter=12,
    )


def letter_flowables(doc: LettersDocument, letter: Letter, theme: Theme) -> list[Flowable]:
    """Everything on one letter, from the letterhead to the signature."""
    s = letter_styles(theme)
    body = s.body
    story: list[Any] = _letterhead(doc, letter, s, theme)
    story.append(Paragraph(escape(subject(doc, letter)), s.subject))
    story.append(Paragraph(escape(salutation(letter)), body))
    story += [Paragraph(escape(text), body) for text in outcome_paragraphs(doc, letter)]
    stage = in_sentence(doc.stage_name)
    if _shows_scores(doc, letter):
        rows = score_rows(doc, letter)
        with_total = letter.total is not None
        grid = _scores_table(rows, s, with_total)
        story += [
            Paragraph(escape(f"Your scores at the {stage}"), s.heading),
            Paragraph(escape(scores_intro(doc, letter)), body),
            grid,
        ]
        note = reasons(doc, letter) or merit_note(letter)
        if note:
            story.append(Paragraph(escape(note), body))
    if _shows_feedback(doc, letter):
        story.append(Paragraph("Feedback from the panel", s.heading))
        story += paragraphs_from_text(letter.feedback, body)
    story += [Paragraph(escape(text), body) for text in closing_paragraphs(doc, letter)]
    story += _sign_off(doc, s)
    return story


def _sign_off(doc: LettersDocument, s: _LetterStyles) -> list[Flowable]:
    body = s.body
    reference = clean(doc.reference).strip()
    story: list[Flowable] = []
    email = clean(doc.team_email).strip()
    if email:
        quoting = f", quoting reference {escape(reference)}" if reference else ""
        story.append(
            Paragraph(
                f"If you have any questions, please e-mail us at {linked(email, s.base)}{quoting}.",
                body,
            )
        )
    name = clean(doc.contact_name).strip()
    organisation = clean(doc.organisation).strip()
    team = f"Recruitment team, {organisation}" if organisation else "Recruitment team"
    closing: list[Flowable] = [
        Spacer(1, 4),
        Paragraph("Yours sincerely,", body),
        Spacer(1, 5 * mm),
    ]
    if name:
        closing.append(Paragraph(f"<b>{escape(name)}</b>", s.signature))
        closing.append(Paragraph(escape(team), s.signature))
    else:
        closing.append(Paragraph(f"<b>{escape(team)}</b>", s.signature))
    # The signature never stands alone at the top of a page.
    story.append(KeepTogether(closing))
    return story


# --- the page layout -----------------------------------------------------------------


class _LetterStart(Flowable):
    """Marks the start of the first letter; takes no room."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        pass


class _LetterBreak(PageBreak):
    """Starts letter `index` on a new page.

    The document hears of it before that page begins, so the page's header and footer
    already know whose letter it holds (and are drawn first, in reading order).
    """

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index


class LetterDocTemplate(RecruitDocTemplate):
    """The house page with "Page X of Y" counted per letter, not per file.

    The first page of a letter carries the letterhead, so the running header (who the
    letter is to) starts on its second page. Every letter is guessed to fill one page:
    then one layout pass is enough; a letter that runs on costs a second pass.
    """

    def __init__(
        self,
        file: Any,
        theme: Theme,
        letters: Sequence[Letter],
        *,
        reference: str,
        title: str,
        subject: str,
        author: str,
        on_letter: Callable[[int, int], None] | None = None,
    ) -> None:
        super().__init__(file, theme, title=title, subject=subject, author=author)
        self.letters = list(letters)
        self.reference = clean(reference).strip()
        self.on_letter = on_letter
        self._counted = [1] * len(self.letters)
        self._pages = [0] * len(self.letters)
        self._current = 0
        self._pass = 0
        for template in self.pageTemplates:
            template.onPageEnd = self._footer

    def beforeDocument(self) -> None:  # noqa: N802 (ReportLab's hook name)
        super().beforeDocument()
        self._pages = [0] * len(self.letters)
        self._current = 0
        self._pass += 1

    def _allSatisfied(self) -> int:  # noqa: N802 (ReportLab's hook name)
        happy = self._pages == self._counted
        self._counted = list(self._pages)
        # A private hook of BaseDocTemplate (not in its stubs): the multi-pass build's test.
        satisfied = BaseDocTemplate._allSatisfied(self)  # type: ignore[attr-defined]
        return int(happy and bool(satisfied))

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (ReportLab's hook name)
        if not isinstance(flowable, _LetterStart | _LetterBreak):
            super().afterFlowable(flowable)
            return
        index = self._current = flowable.index
        if self.on_letter is not None:
            self.on_letter(index, self._pass)
        # After a break the canvas is already on the letter's first page.
        key = f"letter-{index}"
        self.canv.bookmarkHorizontal(key, 0, PAGE_HEIGHT)
        self.canv.addOutlineEntry(
            outline_title(self.letters[index]), key, level=0, closed=len(self.letters) > 1
        )
        if index == 0:
            self.canv.showOutline()
        # Headings inside a letter nest under it.
        self._outline_has_top = True

    def _furniture(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """Instead of the house header: who the letter is to, from its second page on."""
        if not self.letters:
            return
        index = self._current
        self._pages[index] += 1
        if self._pages[index] == 1:
            return  # the letterhead says it
        letter = self.letters[index]
        who = addressee(letter)
        half = FRAME_WIDTH / 2 - 6
        organisation = clean(self.theme.organisation)
        canv.saveState()
        canv.setFont(FONT, 8)
        canv.setFillColor(MUTED)
        if organisation:
            canv.drawString(MARGIN, HEADER_BASELINE, _fit(organisation, half))
        canv.drawRightString(
            PAGE_WIDTH - MARGIN,
            HEADER_BASELINE,
            _fit(f"Letter to {who}, continued", half if organisation else FRAME_WIDTH),
        )
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN, HEADER_RULE, PAGE_WIDTH - MARGIN, HEADER_RULE)
        canv.restoreState()

    def _footer(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """Drawn as the page ends, so that it is read after the page's text."""
        if not self.letters:
            return
        index = self._current
        page = self._pages[index]
        total = max(self._counted[index], page)
        ref = f"Reference {self.reference} · " if self.reference else ""
        number = clean(self.letters[index].candidate_number)
        canv.saveState()
        canv.setFont(FONT, 8)
        canv.setFillColor(MUTED)
        canv.drawString(
            MARGIN, FOOTER_BASELINE, _fit(f"{ref}Candidate {number}", FRAME_WIDTH / 2 - 6)
        )
        canv.drawRightString(PAGE_WIDTH - MARGIN, FOOTER_BASELINE, f"Page {page} of {total}")
        canv.restoreState()


def _fit(text: str, width: float) -> str:
    if stringWidth(text, FONT, 8) <= width:
        return text
    while text and stringWidth(text + "…", FONT, 8) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _theme_for(doc: LettersDocument, theme: Theme) -> Theme:
    organisation = clean(doc.organisation).strip()
    if theme.organisation or not organisation:
        return theme
    return replace(theme, organisation=organisation)


def _subject_line(doc: LettersDocument) -> str:
    title, reference = clean(doc.campaign_title).strip(), clean(doc.reference).strip()
    return ", ".join(p for p in (title, f"reference {reference}" if reference else "") if p)


def _build(
    target: str | BinaryIO,
    doc: LettersDocument,
    letters: Sequence[Letter],
    theme: Theme,
    *,
    title: str,
    on_letter: Callable[[int, int], None] | None = None,
) -> None:
    theme = _theme_for(doc, theme)
    story: list[Flowable] = []
    for index, letter in enumerate(letters):
        story.append(_LetterBreak(index) if index else _LetterStart(index))
        story += letter_flowables(doc, letter, theme)
    template = LetterDocTemplate(
        target,
        theme,
        letters,
        reference=doc.reference,
        title=title,
        subject=_subject_line(doc),
        author=clean(doc.organisation).strip() or theme.organisation or "Recruit",
        on_letter=on_letter,
    )
    template.multiBuild(story, maxPasses=4)


def letter_title(doc: LettersDocument, letter: Letter) -> str:
    return f"{clean(doc.stage_name).strip()} outcome: {addressee(letter)}"


def render_letter(
    doc: LettersDocument, letter: Letter, target: str | BinaryIO, theme: Theme
) -> None:
    """One candidate's letter as a PDF, written to `target` (a path or an open file)."""
    _build(target, doc, [letter], theme, title=letter_title(doc, letter))


def render_merged(
    doc: LettersDocument,
    path: Path,
    theme: Theme,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> Path:
    """Every letter in one PDF, each on a new page with its own outline entry (atomic)."""
    letters = doc.letters
    total = len(letters)

    def on_letter(index: int, layout_pass: int) -> None:
        if cancelled is not None and cancelled():
            raise Cancelled("The export was cancelled; no file was written.")
        if progress is not None and layout_pass == 1 and index:
            progress(index, total)

    title = f"Outcome letters: {clean(doc.stage_name).strip()}"
    with atomic_output(path) as handle:
        _build(handle, doc, letters, theme, title=title, on_letter=on_letter)
    if progress is not None:
        progress(total, total)
    return Path(path)


# --- one file per letter, on two cores -----------------------------------------------

_SAFE = re.compile(r"[^0-9A-Za-z]+")


def letter_file_names(letters: Sequence[Letter]) -> list[str]:
    """ "0003-outcome-letter.pdf" for each letter; a clash gets the candidate's id added."""
    names: list[str] = []
    used: set[str] = set()
    for letter in letters:
        stem = _SAFE.sub("-", clean(letter.candidate_number)).strip("-")[:40] or "candidate"
        name = f"{stem}-outcome-letter.pdf"
        if name.casefold() in used:
            name = f"{stem}-{letter.candidate_id}-outcome-letter.pdf"
        used.add(name.casefold())
        names.append(name)
    return names


def chunk_size_for(count: int, workers: int = WORKERS) -> int:
    """Letters per chunk: about eight chunks per worker, within sensible bounds."""
    return max(CHUNK_MIN, min(CHUNK_MAX, -(-count // (workers * CHUNKS_PER_WORKER))))


def write_letter_folder(
    doc: LettersDocument,
    out: Path,
    theme: Theme,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    workers: int = WORKERS,
    parallel_from: int = PARALLEL_FROM,
    chunk_size: int | None = None,
) -> list[Path]:
    """One owner-only PDF per letter in the folder `out`, all or nothing.

    The letters are written into a private staging folder beside `out` and moved into
    place only when every one succeeded; a cancel or an error removes the staging folder,
    and so does each worker if this process is killed (see `_watch_parent`).
    """
    out = Path(out)
    names = letter_file_names(doc.letters)
    # Letters drawn in worker processes cannot tell this one what would not print.
    for letter in doc.letters:
        glyphs.note(full_name(letter))
    with staging_folder(out) as temp:
        jobs = list(zip(doc.letters, names, strict=True))
        if workers > 1 and len(jobs) >= parallel_from:
            size = chunk_size or chunk_size_for(len(jobs), workers)
            try:
                _render_in_workers(doc, jobs, temp, theme, progress, cancelled, workers, size)
            except BrokenProcessPool:
                # A worker could not start or died (a frozen build without
                # freeze_support, say, or memory running out): slower, but the letters
                # still get written.
                log.warning("Letter workers failed; rendering here instead", exc_info=True)
                # Every letter again, from an empty folder: a dying worker may have left
                # one half-written (and the pool has ended the others by now).
                for leftover in temp.iterdir():
                    leftover.unlink()
                _render_here(doc, jobs, temp, theme, progress, cancelled)
        else:
            _render_here(doc, jobs, temp, theme, progress, cancelled)
        return move_into_place(temp, out, names)


def _check(cancelled: IsCancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled("The export was cancelled; no letter was written.")


def _render_here(
    doc: LettersDocument,
    jobs: Sequence[tuple[Letter, str]],
    folder: Path,
    theme: Theme,
    progress: Progress | None,
    cancelled: IsCancelled | None,
) -> None:
    for done, (letter, name) in enumerate(jobs, start=1):
        _check(cancelled)
        _write_letter(doc, letter, folder / name, theme)
        if progress is not None:
            progress(done, len(jobs))


def _render_in_workers(
    doc: LettersDocument,
    jobs: Sequence[tuple[Letter, str]],
    folder: Path,
    theme: Theme,
    progress: Progress | None,
    cancelled: IsCancelled | None,
    workers: int,
    size: int,
) -> None:
    chunks = iter([tuple(jobs[i : i + size]) for i in range(0, len(jobs), size)])
    total, done = len(jobs), 0
    # The parts every letter shares travel once per worker, not with every chunk.
    shared = replace(doc, letters=())
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context(START_METHOD),
        initializer=_start_worker,
        initargs=(shared, theme, str(folder)),
    )
    running: set[Future[int]] = set()

    def submit() -> None:
        chunk = next(chunks, None)
        if chunk is not None:
            running.add(pool.submit(_render_chunk, chunk))

    try:
        # Two chunks queued per worker keep both busy; the rest wait here, so a cancel
        # has little to throw away.
        for _ in range(workers * 2):
            submit()
        while running:
            _check(cancelled)
            finished, _ = wait(running, timeout=0.1, return_when=FIRST_COMPLETED)
            for future in finished:
                running.discard(future)
                done += future.result()  # a worker's error is raised here
                if progress is not None:
                    progress(done, total)
                _check(cancelled)
                submit()
    finally:
        # Cancelled or failed: pending chunks are dropped and the running ones finish, so
        # no worker writes into the folder after it is removed.
        for future in running:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def _write_letter(doc: LettersDocument, letter: Letter, path: Path, theme: Theme) -> None:
    with new_private_file(path) as handle:
        render_letter(doc, letter, handle, theme)


_SHARED: tuple[LettersDocument, Theme, Path] | None = None


def _start_worker(shared: LettersDocument, theme: Theme, folder: str) -> None:
    global _SHARED
    _watch_parent(folder)
    _SHARED = (shared, theme, Path(folder))
    register_fonts()
    letter_styles(_theme_for(shared, theme))


def _watch_parent(folder: str) -> None:
    """End this worker, and remove the staging folder, as soon as its parent has gone.

    A worker waits on a queue whose pipe it holds both ends of, so a parent killed
    outright (SIGKILL, Task Manager) would leave it waiting forever with personal data on
    disk. multiprocessing gives every child a sentinel for its parent, portably: the read
    end of a pipe only the parent writes to (POSIX), or a handle on the parent process
    (Windows); it becomes ready when the parent ends, however it ends. Linux's
    PR_SET_PDEATHSIG would fire when the thread that started the worker ends, not the
    process (a pool thread in the app), and exists nowhere else.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()  # returns once the parent process has ended
        shutil.rmtree(folder, ignore_errors=True)
        # Straight out: no exit handlers, no waiting on the queue's feeder thread.
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _render_chunk(chunk: Sequence[tuple[Letter, str]]) -> int:
    assert _SHARED is not None, "the worker was not started with _start_worker"
    doc, theme, folder = _SHARED
    for letter, name in chunk:
        _write_letter(doc, letter, folder / name, theme)
    return len(chunk)
