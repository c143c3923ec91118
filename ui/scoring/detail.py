"""Beside the sheet: the current cell's criterion, the scale, the evidence note, others' scores."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape as _escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from recruit_app.domain.stage_rules import Scale
    from recruit_app.services.scoring import OtherScore, SheetCriterion

HIGHLIGHT = "#fff3c4"
MUTED = "#5f6368"
EVIDENCE_LIMIT = 10_000  # the scoring service's limit on an evidence note
WRITE_NOTE = "What the candidate showed for this criterion, in your words. Saved as you type."
NO_NOTE = "No evidence note."


@dataclass(frozen=True)
class CellView:
    """What the panel shows for one cell of the sheet."""

    candidate: str
    criterion: SheetCriterion
    scale: Scale
    value: int | None
    evidence: str
    locked: str | None  # in a few words, why nothing can be typed; None when it can
    others: tuple[OtherScore, ...] | None  # None until this member has submitted
    others_reading: bool = False  # submitted, and the others' scores are being read


def escape(text: str) -> str:
    """Text for rich-text labels: markup characters made safe, apostrophes left as typed."""
    return _escape(text, quote=False)


def _plain(label: QLabel) -> str:
    if label.textFormat() != Qt.TextFormat.RichText:
        return label.text()
    document = QTextDocument()
    document.setHtml(label.text())
    return document.toPlainText()


def _label(name: str, *, rich: bool = False) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


def scale_html(scale: Scale, value: int | None) -> str:
    rows = []
    for point in scale.points:
        here = point.value == value
        back = f' bgcolor="{HIGHLIGHT}"' if here else ""
        label = f"<b>{escape(point.label)}</b>" if here else escape(point.label)
        words = f'<br><span style="color:{MUTED}">{escape(point.descriptor)}</span>'
        rows.append(
            f'<tr><td{back} align="right"><b>{point.value}</b></td>'
            f"<td{back}>{label}{words if point.descriptor else ''}</td></tr>"
        )
    return f'<table cellspacing="0" cellpadding="3" width="100%">{"".join(rows)}</table>'


def others_html(others: tuple[OtherScore, ...], scale: Scale) -> str:
    labels = {p.value: p.label for p in scale.points}
    parts = []
    for other in others:
        score = "not scored"
        if other.value is not None:
            score = f"{other.value} {labels.get(other.value, '')}"
        note = f"<br><i>{escape(other.evidence)}</i>" if other.evidence else ""
        parts.append(f"<p><b>{escape(other.assessor)}</b>: {escape(score.strip())}{note}</p>")
    return "".join(parts)


class DetailPanel(QWidget):
    """`evidence_edited` fires as the note is typed (not when a cell is shown)."""

    evidence_edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scoringDetail")
        self.candidate = _label("detailCandidate")
        self.candidate.setStyleSheet(f"color: {MUTED};")
        self.heading = _label("criterionHeading")
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.heading.setFont(font)
        self.facts = _label("criterionFacts")
        self.indicators = _label("criterionIndicators", rich=True)
        self.scale_title = _label("scaleTitle")
        self.scale_title.setStyleSheet("font-weight: bold;")
        self.scale = _label("scaleText", rich=True)
        self.evidence = QPlainTextEdit()
        self.evidence.setObjectName("evidenceEdit")
        self.evidence.setTabChangesFocus(True)
        self.evidence.setPlaceholderText(WRITE_NOTE)
        self.evidence.textChanged.connect(self._typed)
        self.evidence_state = _label("evidenceState")
        self.evidence_state.setStyleSheet(f"color: {MUTED};")
        self.others = _label("othersText", rich=True)
        self._showing = False  # text set by code, not typed
        self._cell: CellView | None = None
        self._lay_out()
        self.show_cell(None)

    def _lay_out(self) -> None:
        about = QWidget()
        column = QVBoxLayout(about)
        column.setContentsMargins(0, 0, 4, 0)
        self.others_box = QGroupBox("Other assessors")
        QVBoxLayout(self.others_box).addWidget(self.others)
        # Others' scores sit near the top: once submitted, comparing is what the member is here for.
        for widget in (
            self.candidate,
            self.heading,
            self.facts,
            self.others_box,
            self.indicators,
            self.scale_title,
            self.scale,
        ):
            column.addWidget(widget)
        column.addStretch(1)
        scroller = QScrollArea()
        scroller.setObjectName("criterionArea")
        scroller.setWidget(about)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.evidence_box = QGroupBox("Evidence for this score")
        evidence = QVBoxLayout(self.evidence_box)
        evidence.addWidget(self.evidence)
        evidence.addWidget(self.evidence_state)
        # About five lines: room to write, while the scale above stays in view.
        self.evidence.setFixedHeight(self.evidence.fontMetrics().lineSpacing() * 5 + 12)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroller, 1)
        layout.addWidget(self.evidence_box)

    # --- showing -------------------------------------------------------------------------

    def show_cell(self, cell: CellView | None, hint: str = "") -> None:
        self._cell = cell
        self._showing = True
        try:
            if cell is None:
                self._show_nothing(hint)
                return
            criterion = cell.criterion
            self.candidate.setText(cell.candidate)
            self.heading.setText(f"{criterion.code} · {criterion.title}")
            facts = [f"Level {criterion.level}"] if criterion.level else []
            if criterion.pass_mark is not None:
                facts.append(f"pass mark {criterion.pass_mark}")
            if criterion.lead:
                facts.append("lead criterion")
            self.facts.setText(" · ".join(facts))
            self.facts.setVisible(bool(facts))
            self.indicators.setText(
                "<b>Indicators</b><ul style='margin-left:-20px'>"
                + "".join(f"<li>{escape(i)}</li>" for i in criterion.indicators)
                + "</ul>"
                if criterion.indicators
                else ""
            )
            self.indicators.setVisible(bool(criterion.indicators))
            self.scale_title.setText(cell.scale.name)
            self.scale_title.show()
            self.scale.setText(scale_html(cell.scale, cell.value))
            self.evidence.setPlainText(cell.evidence)
            self.evidence.moveCursor(QTextCursor.MoveOperation.End)  # notes grow at the end
            self.evidence.setReadOnly(cell.locked is not None)
            self.evidence.setPlaceholderText(NO_NOTE if cell.locked else WRITE_NOTE)
            self.evidence_box.setEnabled(True)
            self.evidence_state.setText(cell.locked or "")
            self._show_others(cell)
        finally:
            self._showing = False

    def _show_nothing(self, hint: str) -> None:
        self.candidate.setText("")
        self.heading.setText(hint or "Choose a score cell to see its criterion and the scale.")
        for label in (self.facts, self.indicators, self.scale_title):
            label.hide()
        self.scale.setText("")
        self.evidence.setPlainText("")
        self.evidence_box.setEnabled(False)
        self.evidence_state.setText("")
        self.others_box.hide()

    def _show_others(self, cell: CellView) -> None:
        # Independence: nothing about anyone else's scoring until this member has submitted.
        if cell.others_reading:
            self.others_box.show()
            self.others.setText("<i>Reading the other assessors' scores…</i>")
            return
        if cell.others is None:
            self.others_box.hide()
            self.others.setText("")
            return
        self.others_box.show()
        self.others.setText(
            others_html(cell.others, cell.scale)
            or "<i>Nobody else has submitted a score for this yet.</i>"
        )

    def show_value(self, value: int | None) -> None:
        """Move the scale's highlight to a newly typed score."""
        if self._cell is not None:
            self.scale.setText(scale_html(self._cell.scale, value))

    def set_evidence_state(self, text: str) -> None:
        self.evidence_state.setText(text)

    def evidence_text(self) -> str:
        return self.evidence.toPlainText()

    def set_evidence(self, text: str) -> None:
        """Put a note back (after a failed save) without it counting as typing."""
        self._showing = True
        try:
            self.evidence.setPlainText(text)
        finally:
            self._showing = False

    def shown_text(self) -> str:
        """Everything the panel shows, for checks that something is not there."""
        labels = (self.candidate, self.heading, self.facts, self.others, self.indicators)
        parts = [_plain(label) for label in (*labels, self.scale_title, self.scale)]
        return "\n".join([*parts, self.evidence_text(), self.evidence_state.text()])

    def _typed(self) -> None:
        if self._showing:
            return
        text = self.evidence.toPlainText()
        if len(text) > EVIDENCE_LIMIT:
            self.evidence_state.setText(f"Keep the note to {EVIDENCE_LIMIT:,} characters.")
            return
        self.evidence_edited.emit()
