"""The flags column: compact markers for schemes, adjustments and dates, painted as pills."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from recruit_app.domain.dates import short_date

if TYPE_CHECKING:
    from recruit_app.services.candidates import CandidateView

FLAGS_ROLE = Qt.ItemDataRole.UserRole + 1
PILL_GAP = 4
PILL_PADDING = 5
PILL_TEXT = QColor("#1f2937")  # dark on a light fill reads on light and dark themes alike


@dataclass(frozen=True, slots=True)
class Flag:
    text: str  # what the pill says: a few characters
    tip: str  # what it means, in words
    fill: str


def flags_of(view: CandidateView) -> tuple[Flag, ...]:
    """The markers a candidate's row shows, in a fixed order so columns of pills line up."""
    found: list[Flag] = []
    if view.guaranteed_interview:
        found.append(Flag("GIS", "Guaranteed interview scheme (Disability Confident)", "#cfe3ff"))
    if view.redeployment:
        found.append(Flag("RIS", "Redeployment interview scheme", "#dcd6ff"))
    if view.adjustments:
        found.append(Flag("Adj", f"Adjustments: {view.adjustments}", "#ffe8b0"))
    if view.extra_minutes:
        found.append(Flag(f"+{view.extra_minutes} min", _extra_time(view.extra_minutes), "#ffd6e7"))
    if view.unavailable_dates:
        days = [short_date(date.fromisoformat(d)) for d in view.unavailable_dates]
        count = len(days)
        found.append(Flag(f"Away ×{count}", "Unavailable: " + ", ".join(days), "#dfe3e8"))
    return tuple(found)


def _extra_time(minutes: int) -> str:
    return f"{minutes} minutes' extra time" if minutes != 1 else "1 minute's extra time"


def flags_text(flags: tuple[Flag, ...]) -> str:
    return " ".join(f.text for f in flags)


def flags_tip(flags: tuple[Flag, ...]) -> str | None:
    return "\n".join(f.tip for f in flags) or None


class FlagsDelegate(QStyledItemDelegate):
    """Paints each flag as a small rounded pill; the text stays in the model for search and sort."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        flags = index.data(FLAGS_ROLE) or ()
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.text = ""  # the pills stand in for the text
        style = item.widget.style() if item.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        if not flags:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = option.fontMetrics
        height = metrics.height() + 2
        x = option.rect.left() + PILL_GAP
        top = option.rect.top() + (option.rect.height() - height) // 2
        for flag in flags:
            width = metrics.horizontalAdvance(flag.text) + 2 * PILL_PADDING
            if x + width > option.rect.right():
                break  # the tooltip names what does not fit
            pill = QRect(x, top, width, height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(flag.fill))
            painter.drawRoundedRect(pill, height / 2, height / 2)
            painter.setPen(PILL_TEXT)
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, flag.text)
            x += width + PILL_GAP
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        flags = index.data(FLAGS_ROLE) or ()
        metrics = option.fontMetrics
        width = sum(metrics.horizontalAdvance(f.text) + 2 * PILL_PADDING + PILL_GAP for f in flags)
        return QSize(width + PILL_GAP, metrics.height() + 6)
