"""Small widgets shared by the areas."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLayout,
    QLayoutItem,
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


class FlowLayout(QLayout):
    """A row of buttons that wraps onto a second line when the window is narrow, rather
    than setting a minimum width no laptop can give (a 1024-wide window keeps every tab
    whole). Items keep their size hints; a stretch is not needed and not supported."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setSpacing(spacing)
        if parent is not None:
            self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        """Everything on one line."""
        width = sum(i.sizeHint().width() for i in self._visible()) + self.spacing() * max(
            0, len(self._visible()) - 1
        )
        height = max((i.sizeHint().height() for i in self._visible()), default=0)
        margins = self.contentsMargins()
        return QSize(
            width + margins.left() + margins.right(), height + margins.top() + margins.bottom()
        )

    def minimumSize(self) -> QSize:
        """As wide as the widest item: the rest wraps."""
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if not _hidden(i)]

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line = area.x(), area.y(), 0
        for item in self._visible():
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line > 0:
                x, y, line = area.x(), y + line + self.spacing(), 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self.spacing()
            line = max(line, hint.height())
        return y + line - rect.y() + margins.bottom()


def _hidden(item: QLayoutItem) -> bool:
    widget = item.widget()
    return widget is not None and widget.isHidden()
