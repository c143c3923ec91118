"""Small widgets shared by the areas."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

ERROR_STYLE = "color: #b00020;"


def field_error_label(name: str) -> QLabel:
    """A red message shown under a form field, hidden while empty."""
    label = QLabel()
    label.setObjectName(name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def page_heading(text: str) -> QLabel:
    """The bold, larger title at the top of a side-bar page."""
    heading = QLabel(text)
    heading.setObjectName("pageHeading")
    font = heading.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setBold(True)
    heading.setFont(font)
    return heading


class _WheelGuard(QObject):
    """Lets a drop-down or number box take the wheel only once it has focus."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        wheel = event.type() == QEvent.Type.Wheel
        if wheel and isinstance(watched, QWidget) and not watched.hasFocus():
            event.ignore()  # passed on to the scroll area behind it
            return True
        return False


_wheel_guard: _WheelGuard | None = None


def guard_wheel(form: QWidget) -> None:
    """Scrolling a long form never changes a value on the way: its drop-downs, number and
    date boxes take focus only when clicked or tabbed to, and the wheel only once focused;
    until then the wheel scrolls the form. Call once the form's fields exist."""
    global _wheel_guard
    if _wheel_guard is None:
        _wheel_guard = _WheelGuard()
    for box in [*form.findChildren(QComboBox), *form.findChildren(QAbstractSpinBox)]:
        box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        box.installEventFilter(_wheel_guard)


class MessagePanel(QWidget):
    """A centred message with optional buttons: for empty, loading and error states."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messagePanel")
        self.label = QLabel()
        self.label.setObjectName("messageText")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._layout = QVBoxLayout(self)
        self._layout.addStretch(1)
        self._layout.addWidget(self.label)
        self._buttons: list[QPushButton] = []
        self._layout.addStretch(2)

    def show_message(self, text: str, buttons: list[QPushButton] | None = None) -> None:
        self.label.setText(text)
        for button in self._buttons:
            button.hide()
            self._layout.removeWidget(button)
        self._buttons = list(buttons or [])
        for offset, button in enumerate(self._buttons):
            self._layout.insertWidget(2 + offset, button, alignment=Qt.AlignmentFlag.AlignCenter)
            button.show()


class LoadWhenShown(QObject):
    """Put on a campaign window's tab: the tab reads when it is first shown, and a change
    announced while it is hidden is read when it is shown again, so that opening a big
    campaign reads the tab in front only (each tab's load() starts with `load_waits`)."""

    def __init__(self, tab: QWidget) -> None:
        super().__init__(tab)
        self.setObjectName("loadWhenShown")
        self.tab = tab
        self.waiting = False
        tab.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self.waiting:
            self.waiting = False
            load = getattr(self.tab, "load", None)
            if callable(load):
                load()
        return False


def load_waits(tab: QWidget) -> bool:
    """At the start of a tab's load(): True when it is to wait until the tab is shown
    (it has a LoadWhenShown and is hidden). Tabs on their own always load."""
    if tab.isVisible():
        return False
    gate = tab.findChild(LoadWhenShown, "loadWhenShown", Qt.FindChildOption.FindDirectChildrenOnly)
    if gate is None:
        return False
    gate.waiting = True
    return True
