"""Beside the sheet: the current candidate's application, or only their answer to the
criterion being scored (sift by criterion), name-blind where the stage is.

Candidates wrote every word shown here, so every word is escaped before it becomes rich
text. Moving between cells must feel instant: the stage's applications are read once (the
tab does that in a worker) and each candidate's page is built from memory, the last few
kept.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from html import escape as _escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTextBrowser, QVBoxLayout, QWidget

from recruit_app.vocabulary import PartKind

if TYPE_CHECKING:
    from recruit_app.services.applications import ApplicationView, PartView, StageApplications

HIGHLIGHT = "#fff3c4"  # as the scale's chosen point in the detail panel
MUTED = "#5f6368"
WARNING = "#b00020"
BADGE_STYLE = (
    "background: #e8eaed; color: #202124; border: 1px solid #c4c7c5; border-radius: 8px; "
    "padding: 1px 8px; font-weight: bold;"
)
ANCHOR = "selected"  # the answer to the criterion being scored
BOX_PADDING = 8  # pixels round the highlighted answer
CACHED_PAGES = 64  # pages kept: the way back along a row or column is instant too

NONE_IMPORTED = "No applications have been imported for this stage's candidates."
NO_TEXT = "No text: needs reading in the original"
OVER = "over the limit"
SCORING = "The criterion you are scoring"
NAME_BLIND_TIP = (
    "This stage is name-blind: names, contact details and other details that could say "
    "who the candidate is are hidden, so you read what every panel member reads."
)
KEYS_TIP = "Alt+Page Down and Alt+Page Up scroll the application without leaving the sheet."
# The whole application in this order; within a kind, as the service gives them (answers in
# the advert's order), and typed text before files.
KIND_ORDER: dict[str, int] = {
    kind: n
    for n, kind in enumerate(
        (
            PartKind.STATEMENT,
            PartKind.CV,
            PartKind.ANSWER,
            PartKind.ELIGIBILITY,
            PartKind.DOCUMENT,
        )
    )
}
_BLANK_LINES = re.compile(r"\n\s*\n")

PageKey = tuple[int, str | None, bool]  # candidate id, criterion code, one criterion only


def escape(text: str) -> str:
    return _escape(text, quote=True)


def text_html(text: str) -> str:
    """A candidate's text as paragraphs: blank lines part them, single breaks are kept."""
    blocks = (b.strip() for b in _BLANK_LINES.split(text.strip()))
    return "".join("<p>" + escape(b).replace("\n", "<br>") + "</p>" for b in blocks if b)


def words_line(part: PartView) -> str:
    """ "312 words (limit 250): over the limit", "1 word", or that a file has no text."""
    if part.no_text:
        return NO_TEXT
    line = f"{part.words:,} word{'' if part.words == 1 else 's'}"
    if part.limit:
        line += f" (limit {part.limit:,})"
    return f"{line}: {OVER}" if part.over_limit else line


def _words_html(part: PartView) -> str:
    line = escape(words_line(part))
    if part.over_limit:
        line = line.replace(OVER, f'<b style="color:{WARNING}">{OVER}</b>')
    elif part.no_text:
        line = f'<b style="color:{WARNING}">{line}</b>'
    note = f"<br>{escape(part.note)}" if part.note else ""
    return f'<p style="color:{MUTED}">{line}{note}</p>'


def part_html(part: PartView) -> str:
    return f"<h4>{escape(part.heading)}</h4>{_words_html(part)}{text_html(part.text)}"


def _highlighted(part: PartView) -> str:
    # A one-cell table: the rich-text engine paints a cell's background edge to edge.
    return (
        f'<table width="100%" cellspacing="0" cellpadding="{BOX_PADDING}" '
        f'bgcolor="{HIGHLIGHT}"><tr><td>'
        f'<p style="color:{MUTED}"><a name="{ANCHOR}"><b>{SCORING}</b></a></p>'
        f"{part_html(part)}</td></tr></table>"
    )


def _muted(text: str) -> str:
    return f'<p style="color:{MUTED}"><i>{escape(text)}</i></p>'


def in_reading_order(parts: tuple[PartView, ...]) -> list[PartView]:
    return sorted(parts, key=lambda p: (KIND_ORDER.get(p.kind, len(KIND_ORDER)), p.has_file))


def page_html(view: ApplicationView, criterion: str | None, *, one_criterion: bool) -> str:
    """The rich text for one candidate: all of it with the criterion's answer highlighted,
    or with `one_criterion` that answer alone."""
    answer = view.answer_for(criterion) if criterion else None
    if one_criterion and criterion:
        if answer is None:
            return _muted(f"No answer to this criterion ({criterion}).")
        return part_html(answer)
    if not view.parts:
        return _muted("This application has nothing in it.")
    page = []
    if criterion and answer is None:
        page.append(_muted(f"No answer to this criterion ({criterion}) in this application."))
    for part in in_reading_order(view.parts):
        page.append(_highlighted(part) if part is answer else part_html(part))
    return "".join(page)


class ApplicationReader(QWidget):
    """Shows what `show_candidate` asks for from the applications `set_applications` gave."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("applicationReader")
        self.heading = QLabel()
        self.heading.setObjectName("readerHeading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.heading.setFont(font)
        self.heading.setToolTip(KEYS_TIP)
        self.badge = QLabel("name-blind")
        self.badge.setObjectName("nameBlindBadge")
        self.badge.setStyleSheet(BADGE_STYLE)
        self.badge.setToolTip(NAME_BLIND_TIP)
        self.badge.hide()
        self.text = QTextBrowser()
        self.text.setObjectName("applicationText")
        self.text.setAccessibleName("Application")
        self.text.setOpenLinks(False)  # nothing in a candidate's text is followed
        self.text.setOpenExternalLinks(False)
        self.text.setReadOnly(True)
        # Always there: a bar appearing after a page is set would narrow the page and move
        # the highlighted answer from where it was scrolled to.
        self.text.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.heading, 1)
        top.addWidget(self.badge)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.text, 1)
        self.applications: StageApplications | None = None
        self._message = ""
        self._wanted: tuple[PageKey | None, str] = (None, "")  # the last asked for, and label
        self._shown: tuple[object, ...] | None = None  # what the browser holds now
        self._pages: OrderedDict[PageKey, str] = OrderedDict()
        self._generation = 0  # applications given so far: a page of older ones is stale
        self._render()

    # --- what to show --------------------------------------------------------------------

    def set_applications(self, applications: StageApplications | None) -> None:
        """The stage's applications as read (None: none yet); the page asked for last is
        shown again from them."""
        self.applications = applications
        self._message = ""
        self._generation += 1
        self._pages.clear()
        self._render()

    def show_message(self, text: str) -> None:
        """A word in place of the application: reading, or why it could not be read.
        Whatever was read before is dropped with it."""
        self.applications = None
        self._message = text
        self._generation += 1
        self._pages.clear()
        self._render()

    def show_candidate(
        self,
        candidate_id: int | None,
        criterion_code: str | None,
        *,
        one_criterion: bool,
        label: str = "",
    ) -> None:
        """The candidate's application, the answer to `criterion_code` highlighted; with
        `one_criterion`, that answer only. `label` names a candidate with no application."""
        key = None if candidate_id is None else (candidate_id, criterion_code, one_criterion)
        self._wanted = (key, label)
        self._render()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._render()  # skipped while hidden

    # --- reading back (tests and the tab) --------------------------------------------------

    def shown_text(self) -> str:
        """The application's text as shown, without markup."""
        return self.text.toPlainText()

    @property
    def has_applications(self) -> bool:
        return self.applications is not None and bool(self.applications.by_candidate)

    # --- rendering -------------------------------------------------------------------------

    def _render(self) -> None:
        key, label = self._wanted
        applications = self.applications
        view = applications.get(key[0]) if applications is not None and key else None
        redacted = applications.redacted if applications is not None else False
        if self._message or applications is None:
            state: tuple[object, ...] = ("message", self._message)
        elif not applications.by_candidate:
            state = ("message", NONE_IMPORTED)
        elif key is None:
            state = ("message", "Choose a cell of the sheet to read the candidate's application.")
        elif view is None:
            state = ("none", label, self._generation)
        else:
            state = ("page", key, self._generation)
        if state == self._shown or (state[0] == "page" and not self.isVisible()):
            return  # a page nobody sees is made when shown; a message, at once
        self._shown = state
        if state[0] == "page":
            assert view is not None and key is not None
            self._set_heading(f"Candidate {view.candidate_number}", view.redacted)
            self.text.setHtml(self._page(view, key))
            if not key[2] and key[1] and view.answer_for(key[1]) is not None:
                self._scroll_to_highlight()
            return
        if state[0] == "none":
            self._set_heading(label, redacted)
            self.text.setHtml(_muted("No application has been imported for this candidate."))
            return
        self._set_heading("", False)
        self.text.setHtml(_muted(str(state[1])) if state[1] else "")

    def _scroll_to_highlight(self) -> None:
        """The highlighted answer's box at the top of the view (the page's only table)."""
        document = self.text.document()
        boxes = document.rootFrame().childFrames()
        if not boxes:
            self.text.scrollToAnchor(ANCHOR)
            return
        # Places are laid out on asking: the whole box first (the block after it), since a
        # table's place is settled only once all of it is laid out.
        layout, box = document.documentLayout(), boxes[0]
        layout.blockBoundingRect(document.findBlock(box.lastPosition() + 1))
        top = layout.blockBoundingRect(box.firstCursorPosition().block()).top() - BOX_PADDING
        self.text.verticalScrollBar().setValue(max(0, round(top)))

    def _set_heading(self, text: str, redacted: bool) -> None:
        self.heading.setText(text)
        self.badge.setVisible(redacted)

    def _page(self, view: ApplicationView, key: PageKey) -> str:
        page = self._pages.get(key)
        if page is None:
            page = page_html(view, key[1], one_criterion=key[2])
            self._pages[key] = page
            if len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(key)
        return page
