"""Selection rates by group as horizontal bars, one panel per stage, drawn with QPainter
(there is no QtCharts here). A dashed line marks four fifths of the highest rate among
the groups compared; a suppressed group is an empty outline saying so, never a bar."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from recruit_app.readmodels import FairnessLine, rate_words

BAR = QColor("#1d70b8")
FLAGGED = QColor("#b25f00")
LINE = QColor("#0b0c0c")
OUTLINE = QColor("#6f777b")
TRACK = QColor("#f3f2f1")
TEXT = QColor("#0b0c0c")
FOUR_FIFTHS = 0.8
PANEL_GAP = 24
PANEL_WIDEST = 560
BAR_HEIGHT = 14
ROW_GAP = 6
RATE_ROOM = 120  # to the right of the bars: "52.9% below 0.8"


@dataclass(frozen=True)
class Bar:
    stage: str
    group: str
    rate: float | None  # None: suppressed
    flag: bool


@dataclass(frozen=True)
class Panel:
    stage: str
    bars: tuple[Bar, ...]
    line: float | None  # 0.8 x the highest rate of the groups compared, if there is one


def panels_of(lines: Sequence[FairnessLine]) -> list[Panel]:
    """One panel per stage, in order: every group with someone in it, or suppressed."""
    stages: dict[str, list[FairnessLine]] = {}
    for line in lines:
        stages.setdefault(line.stage, []).append(line)
    found = []
    for stage, group_lines in stages.items():
        bars = tuple(
            Bar(stage, line.group, None if line.suppressed else (line.rate or 0.0), line.flag)
            for line in group_lines
            if not line.total and (line.suppressed or line.entered)
        )
        rates = [
            line.rate
            for line in group_lines
            if line.compared and not line.suppressed and line.rate is not None and line.entered
        ]
        best = max(rates, default=None)
        found.append(Panel(stage, bars, FOUR_FIFTHS * best if best else None))
    return found


class FairnessChart(QWidget):
    """Set with `set_lines`; `drawn` holds what the last paint drew, for tests."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fairnessChart")
        # As tall as its rows at least, and filling the room it is given (white to the foot).
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.panels: list[Panel] = []
        self.hidden_text = ""
        self.drawn: list[tuple[str, str, float | None]] = []  # (stage, group, rate or None)
        self.lines_drawn: list[tuple[str, float]] = []  # (stage, where the dashed line is)
        self.setAccessibleName("Selection rate by group at each stage")

    def set_lines(self, lines: Sequence[FairnessLine], hidden_text: str) -> None:
        self.panels = panels_of(lines)
        self.hidden_text = hidden_text
        self.setMinimumHeight(self._height())
        self.updateGeometry()
        self.update()

    def bars(self) -> list[tuple[str, float | None]]:
        """(group, rate or None for suppressed) of every bar to draw, stage by stage."""
        return [(bar.group, bar.rate) for panel in self.panels for bar in panel.bars]

    def _row(self) -> int:
        return self.fontMetrics().height() + BAR_HEIGHT + ROW_GAP

    def _height(self) -> int:
        rows = max((len(p.bars) for p in self.panels), default=0)
        title = self.fontMetrics().height() + 8
        return title + rows * self._row() + self.fontMetrics().height() + 12

    def sizeHint(self) -> QSize:
        return QSize(600, self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self._height())

    def paintEvent(self, event: QPaintEvent) -> None:
        self.drawn = []
        self.lines_drawn = []
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.fillRect(self.rect(), QColor("white"))
            if not self.panels:
                return
            count = len(self.panels)
            # A lone stage keeps a readable width rather than bars across the whole screen.
            width = min(PANEL_WIDEST, (self.width() - PANEL_GAP * (count + 1)) / count)
            for n, panel in enumerate(self.panels):
                x = PANEL_GAP + n * (width + PANEL_GAP)
                self._panel(painter, panel, QRectF(x, 4, width, self.height() - 8))
        finally:
            painter.end()

    def _panel(self, painter: QPainter, panel: Panel, area: QRectF) -> None:
        metrics = QFontMetrics(self.font())
        text_height = metrics.height()
        bold = self.font()
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(TEXT)
        title = QFontMetrics(bold).elidedText(
            panel.stage, Qt.TextElideMode.ElideRight, int(area.width())
        )
        painter.drawText(QRectF(area.x(), area.y(), area.width(), text_height), title)
        painter.setFont(self.font())
        track = max(40.0, area.width() - RATE_ROOM)
        top = area.y() + text_height + 8
        y = top
        for bar in panel.bars:
            label = metrics.elidedText(bar.group, Qt.TextElideMode.ElideRight, int(area.width()))
            painter.setPen(TEXT)
            painter.drawText(QRectF(area.x(), y, area.width(), text_height), label)
            bar_top = y + text_height
            if bar.rate is None:
                words = self.hidden_text
                box = QRectF(area.x(), bar_top, metrics.horizontalAdvance(words) + 12, BAR_HEIGHT)
                painter.setPen(QPen(OUTLINE, 1))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(box)
                painter.setPen(OUTLINE)
                painter.drawText(box, Qt.AlignmentFlag.AlignCenter, words)
            else:
                # The track from 0% to 100%, so a short bar reads as a share of everyone.
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(TRACK)
                painter.drawRect(QRectF(area.x(), bar_top, track, BAR_HEIGHT))
                colour = FLAGGED if bar.flag else BAR
                length = max(1.0, track * bar.rate) if bar.rate > 0 else 0.0
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawRect(QRectF(area.x(), bar_top, length, BAR_HEIGHT))
                words = rate_words(bar.rate) + ("  below 0.8" if bar.flag else "")
                painter.setPen(colour if bar.flag else TEXT)
                # In a column of its own right of the bars, clear of the dashed line.
                painter.drawText(
                    QRectF(area.x() + track + 8, bar_top - 2, RATE_ROOM - 8, BAR_HEIGHT + 4),
                    Qt.AlignmentFlag.AlignVCenter,
                    words,
                )
            self.drawn.append((bar.stage, bar.group, bar.rate))
            y += self._row()
        if panel.line is not None and panel.bars:
            x = area.x() + track * panel.line
            pen = QPen(LINE, 1.2, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(int(x), int(top), int(x), int(y))
            painter.setPen(TEXT)
            painter.drawText(
                QRectF(x - 80, y, 160, text_height),
                Qt.AlignmentFlag.AlignHCenter,
                "0.8 × highest rate",
            )
            self.lines_drawn.append((panel.stage, panel.line))
