"""Opening a dialog at a size that shows its lists, within the screen it opens on."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

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
