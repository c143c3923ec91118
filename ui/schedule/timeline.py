"""The timetable as a strip: a row per stage, event and milestone over a date axis."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QStyle, QToolTip, QWidget

from recruit_app.domain.dates import SHORT_MONTHS, short_date

LABEL_W, MONTH_H, WEEK_H, ROW_H, LEGEND_H, RIGHT = 210, 20, 18, 26, 24, 16
HEADER_H = MONTH_H + WEEK_H
MIN_DAY_PX = 5.0
PAD_DAYS = 3
# Today is drawn only when it lies near the campaign; far off it would squash the strip.
TODAY_REACH = timedelta(days=28)

COLOURS = {
    "advert": "#2e7d32",
    "stage": "#1565c0",
    "event": "#7b1fa2",
    "decision": "#ef6c00",
    "start": "#00838f",
}
WEEKEND, HOLIDAY, TODAY = QColor("#ececec"), QColor("#ffd9a8"), QColor("#d32f2f")
SEVERITY_ICONS = {
    "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
}
SEVERITY_PENS = {"error": ("#b00020", 3.0), "warning": ("#f9a825", 2.5)}


@dataclass(frozen=True)
class StripRow:
    key: str  # the list row it stands for
    label: str
    starts_on: date
    ends_on: date | None  # None: a one-day milestone, drawn as a diamond
    kind: str
    severity: str = ""  # "error", "warning" or ""
    detail: str = ""  # the tooltip


class TimelineStrip(QWidget):
    """Painted with QPainter; `row_clicked` carries the key of the row under the mouse."""

    row_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineStrip")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.rows: list[StripRow] = []
        self.holidays: dict[date, str] = {}
        self.today = date.today()
        self.selected = ""
        self.first = self.last = self.today

    # --- feeding -------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[StripRow], holidays: Mapping[date, str], today: date) -> None:
        self.rows, self.holidays, self.today = list(rows), dict(holidays), today
        days = [d for r in rows for d in (r.starts_on, r.ends_on) if d is not None]
        if days:
            first, last = min(days), max(days)
            if first - TODAY_REACH <= today <= last + TODAY_REACH:
                first, last = min(first, today), max(last, today)
            first -= timedelta(days=PAD_DAYS)
            self.first = first - timedelta(days=first.weekday())  # start on a Monday
            self.last = last + timedelta(days=PAD_DAYS)
        self.updateGeometry()
        self.update()

    def set_selected(self, key: str) -> None:
        self.selected = key
        self.update()

    # --- geometry ------------------------------------------------------------------------

    @property
    def day_count(self) -> int:
        return (self.last - self.first).days + 1

    def sizeHint(self) -> QSize:
        return QSize(LABEL_W + self.day_count * 9 + RIGHT, self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(int(LABEL_W + self.day_count * MIN_DAY_PX + RIGHT), self._height())

    def _height(self) -> int:
        return HEADER_H + max(1, len(self.rows)) * ROW_H + LEGEND_H + 6

    def _day_px(self) -> float:
        return max(MIN_DAY_PX, (self.width() - LABEL_W - RIGHT) / self.day_count)

    def x_of(self, day: date) -> float:
        return LABEL_W + (day - self.first).days * self._day_px()

    def day_at(self, x: float) -> date | None:
        if x < LABEL_W:
            return None
        day = self.first + timedelta(days=int((x - LABEL_W) // self._day_px()))
        return day if day <= self.last else None

    def row_at(self, y: float) -> StripRow | None:
        index = int((y - HEADER_H) // ROW_H)
        return self.rows[index] if y >= HEADER_H and 0 <= index < len(self.rows) else None

    def _chart_bottom(self) -> float:
        return HEADER_H + max(1, len(self.rows)) * ROW_H

    # --- painting ------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        if not self.rows:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter,
                "No dates yet: set the advert and stage dates in the list below.",
            )
            return
        self._paint_days(painter)
        self._paint_header(painter)
        self._paint_rows(painter)
        self._paint_today(painter)
        self._paint_legend(painter)
        painter.end()

    def _day_columns(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range(self.day_count)]

    def _paint_days(self, painter: QPainter) -> None:
        top, bottom, width = HEADER_H, self._chart_bottom(), self._day_px()
        for day in self._day_columns():
            colour = HOLIDAY if day in self.holidays else WEEKEND if day.weekday() >= 5 else None
            if colour is not None:
                painter.fillRect(QRectF(self.x_of(day), top, width, bottom - top), colour)
        for index in range(len(self.rows)):
            if index % 2:
                band = QRectF(0, HEADER_H + index * ROW_H, LABEL_W, ROW_H)
                painter.fillRect(band, self.palette().alternateBase())

    def _paint_header(self, painter: QPainter) -> None:
        text = self.palette().text().color()
        grid, month_line = QColor(text), QColor(text)
        grid.setAlpha(35)
        month_line.setAlpha(110)
        bottom, width = self._chart_bottom(), self._day_px()
        small = QFont(self.font())
        small.setPointSizeF(max(6.5, small.pointSizeF() * 0.85))
        for day in self._day_columns():
            x = self.x_of(day)
            if day.day == 1 or day == self.first:
                painter.setPen(QPen(month_line, 1))
                painter.drawLine(QPointF(x, 0), QPointF(x, bottom))
                painter.setPen(text)
                painter.setFont(self.font())
                name = f"{SHORT_MONTHS[day.month - 1]} {day.year}"
                painter.drawText(
                    QRectF(x + 4, 0, 140, MONTH_H), Qt.AlignmentFlag.AlignVCenter, name
                )
            elif day.weekday() == 0:
                painter.setPen(QPen(grid, 1))
                painter.drawLine(QPointF(x, MONTH_H), QPointF(x, bottom))
            box = QRectF(x + 2, MONTH_H, 22, WEEK_H)
            # The "Today" tag takes the week row where it stands.
            if day.weekday() == 0 and width * 7 >= 22 and not box.intersects(self._today_tag()):
                painter.setPen(text)
                painter.setFont(small)
                painter.drawText(box, Qt.AlignmentFlag.AlignVCenter, str(day.day))
        painter.setFont(self.font())
        painter.setPen(QPen(month_line, 1))
        painter.drawLine(QPointF(0, HEADER_H), QPointF(self.width(), HEADER_H))
        painter.drawLine(QPointF(LABEL_W, 0), QPointF(LABEL_W, bottom))

    def _paint_rows(self, painter: QPainter) -> None:
        for index, row in enumerate(self.rows):
            top = HEADER_H + index * ROW_H
            painter.setPen(self.palette().text().color())
            bold = QFont(self.font())
            bold.setBold(row.key == self.selected)
            painter.setFont(bold)
            label = painter.fontMetrics().elidedText(
                row.label, Qt.TextElideMode.ElideRight, LABEL_W - 12
            )
            painter.drawText(
                QRectF(8, top, LABEL_W - 12, ROW_H), Qt.AlignmentFlag.AlignVCenter, label
            )
            painter.setFont(self.font())
            shape = self._paint_mark(painter, row, top)
            self._paint_dates(painter, row, shape, top)

    def _paint_mark(self, painter: QPainter, row: StripRow, top: float) -> QRectF:
        colour = QColor(COLOURS.get(row.kind, COLOURS["event"]))
        pen_colour, pen_width = SEVERITY_PENS.get(row.severity, (colour.darker(130).name(), 1.0))
        if row.key == self.selected and not row.severity:
            pen_colour, pen_width = self.palette().highlight().color().name(), 2.5
        painter.setPen(QPen(QColor(pen_colour), pen_width))
        painter.setBrush(colour)
        width = self._day_px()
        if row.ends_on is None:
            middle = self.x_of(row.starts_on) + width / 2
            half = ROW_H / 2 - 6
            centre = top + ROW_H / 2
            points = [
                QPointF(middle, centre - half),
                QPointF(middle + half, centre),
                QPointF(middle, centre + half),
                QPointF(middle - half, centre),
            ]
            painter.drawPolygon(points)
            return QRectF(middle - half, centre - half, 2 * half, 2 * half)
        left = self.x_of(row.starts_on)
        right = self.x_of(max(row.ends_on, row.starts_on)) + width
        bar = QRectF(left, top + 6, max(right - left, 3.0), ROW_H - 12)
        painter.drawRoundedRect(bar, 3, 3)
        return bar

    def _paint_dates(self, painter: QPainter, row: StripRow, shape: QRectF, top: float) -> None:
        text = _span(row)
        width = painter.fontMetrics().horizontalAdvance(text) + 4
        room = width + (ROW_H if row.severity else 0)
        # Beside the mark, on whichever side has room.
        x = (
            shape.right() + 6
            if shape.right() + 6 + room <= self.width()
            else shape.left() - 6 - room
        )
        colour = self.palette().text().color()
        colour.setAlpha(170)
        painter.setPen(colour)
        painter.drawText(QRectF(x, top, width, ROW_H), Qt.AlignmentFlag.AlignVCenter, text)
        icon = SEVERITY_ICONS.get(row.severity)
        if icon is not None:
            size = ROW_H - 10
            pixmap = self.style().standardIcon(icon).pixmap(size, size)
            painter.drawPixmap(int(x + width + 2), int(top + 5), pixmap)

    def _today_tag(self) -> QRectF:
        if not self.first <= self.today <= self.last:
            return QRectF()
        x = self.x_of(self.today) + self._day_px() / 2
        width = self.fontMetrics().horizontalAdvance("Today") + 8
        return QRectF(x - width / 2, MONTH_H + 1, width, WEEK_H - 2)

    def _paint_today(self, painter: QPainter) -> None:
        tag = self._today_tag()
        if tag.isNull():
            return
        x = tag.center().x()
        painter.setPen(QPen(TODAY, 2))
        painter.drawLine(QPointF(x, tag.bottom()), QPointF(x, self._chart_bottom()))
        painter.setBrush(TODAY)
        painter.drawRoundedRect(tag, 3, 3)
        painter.setPen(QColor("white"))
        painter.setFont(self.font())
        painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, "Today")

    def _paint_legend(self, painter: QPainter) -> None:
        y = self._chart_bottom() + 6
        x = 8.0
        painter.setFont(self.font())
        for colour, words in ((WEEKEND, "Weekend"), (HOLIDAY, "Bank holiday"), (TODAY, "Today")):
            painter.fillRect(QRectF(x, y + 3, 14, 12), colour)
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(x + 20, y, 140, 18), Qt.AlignmentFlag.AlignVCenter, words)
            x += 28 + painter.fontMetrics().horizontalAdvance(words)

    # --- interaction ---------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self.tip_at(event.pos().x(), event.pos().y())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def tip_at(self, x: float, y: float) -> str:
        """What hovering at (x, y) tells: the row's dates and checks, or the day's name."""
        row, day = self.row_at(y), self.day_at(x)
        if row is not None and (day is None or _covers(row, day)):
            return row.detail or f"{row.label}: {_span(row)}"
        if day is None:
            return ""
        name = self.holidays.get(day)
        return f"{short_date(day)}: {name}" if name else short_date(day)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        row = self.row_at(event.position().y())
        if row is not None:
            self.row_clicked.emit(row.key)
        super().mousePressEvent(event)


def _covers(row: StripRow, day: date) -> bool:
    return row.starts_on <= day <= (row.ends_on or row.starts_on)


def _span(row: StripRow) -> str:
    start = f"{row.starts_on.day} {SHORT_MONTHS[row.starts_on.month - 1]}"
    if row.ends_on is None or row.ends_on == row.starts_on:
        return start
    end = row.ends_on
    return f"{start} – {end.day} {SHORT_MONTHS[end.month - 1]}"
