"""Opening a dialog at a size that shows its lists, within the screen it opens on; the
read-only row tables those lists are."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

MARGIN_X, MARGIN_Y = 40, 80  # room for the window's frame and the desktop's panels


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Qt opens a window at most two thirds of the screen across: too small for a dialog
    of lists on a 1366 x 768 laptop, so ask for the size wanted, as much as fits."""
    parent = widget.parentWidget()
    screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
    if screen is None:
        widget.resize(width, height)
        return
    area = screen.availableGeometry()
    widget.resize(
        max(widget.minimumWidth(), min(width, area.width() - MARGIN_X)),
        max(widget.minimumHeight(), min(height, area.height() - MARGIN_Y)),
    )


def row_table(name: str, model: QAbstractItemModel, stretch: int) -> QTableView:
    """A read-only table of whole rows, one chosen at a time, with the `stretch` column
    taking the room left: the review's parts and the search's hits."""
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)
    rows = table.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table
