"""Small widgets shared by the areas."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

ERROR_STYLE = "color: #b00020;"
ELLIPSIS = "…"
# A window's frame before it is shown (the title bar and borders are not known until then):
# room enough for the usual desktops.
FRAME_ALLOWANCE = QMargins(8, 32, 8, 8)
MARGIN_X, MARGIN_Y = 40, 80  # room for the window's frame and the desktop's panels


def available_area(widget: QWidget) -> QRect | None:
    """The part of the widget's screen (its parent's, else the primary) not taken by panels."""
    parent = widget.parentWidget()
    screen = (
        (parent.screen() if parent is not None else None)
        or (widget.screen() if widget.isVisible() else None)
        or QGuiApplication.primaryScreen()
    )
    return screen.availableGeometry() if screen is not None else None


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Qt opens a window at most two thirds of the screen across: too small for a dialog
    of lists on a 1366 x 768 laptop, so ask for the size wanted, as much as fits."""
    area = available_area(widget)
    if area is None:
        widget.resize(width, height)
        return
    widget.resize(
        max(widget.minimumWidth(), min(width, area.width() - MARGIN_X)),
        max(widget.minimumHeight(), min(height, area.height() - MARGIN_Y)),
    )


def keep_on_screen(window: QWidget, area: QRect | None = None) -> None:
    """Shrink a top-level window to the screen's available area and, once it has a place
    (shown, or moved by restored geometry), move it so that its whole frame, title bar
    included, is on that area: never below the screen or under the taskbar. A window not
    yet placed is left for the desktop to place."""
    area = area if area is not None else available_area(window)
    if area is None:
        return
    frame = window.frameGeometry()
    margins = QMargins(
        window.geometry().left() - frame.left(),
        window.geometry().top() - frame.top(),
        frame.right() - window.geometry().right(),
        frame.bottom() - window.geometry().bottom(),
    )
    if frame == window.geometry():
        margins = FRAME_ALLOWANCE
    extra = QSize(margins.left() + margins.right(), margins.top() + margins.bottom())
    room = area.size() - extra
    size = window.size().boundedTo(room).expandedTo(window.minimumSize())
    if size != window.size():
        window.resize(size)
    if not (window.isVisible() or window.testAttribute(Qt.WidgetAttribute.WA_Moved)):
        return
    outer = size + extra
    x = min(max(window.x(), area.left()), area.left() + area.width() - outer.width())
    y = min(max(window.y(), area.top()), area.top() + area.height() - outer.height())
    if (x, y) != (window.x(), window.y()):
        window.move(max(x, area.left()), max(y, area.top()))


class MessageLine(QLabel):
    """A message (an error, a status, "Saved") that keeps its room: with `lines` > 0 that
    many lines are reserved whether it is empty, hidden or shown, so nothing below it moves
    and the window never resizes when a message appears. A longer message ends in "…" and
    its whole text is in the tooltip. With `lines` = 0 it is an ordinary wrapped label that
    takes the room its text needs (for messages whose place is reserved by a MessageArea).
    `text()` is always the whole message."""

    def __init__(self, name: str = "", lines: int = 1, text: str = "", style: str = "") -> None:
        super().__init__()
        self._full = ""
        self.lines = lines
        if name:
            self.setObjectName(name)
        if style:
            self.setStyleSheet(style)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if lines > 0:
            policy = self.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            # A long message neither widens the window nor pushes its neighbours aside.
            policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
            self.setSizePolicy(policy)
            self.setFixedHeight(self.height_for_lines(lines))
        self.setText(text)

    def height_for_lines(self, lines: int) -> int:
        margins = self.contentsMargins()
        return lines * self.fontMetrics().lineSpacing() + margins.top() + margins.bottom() + 1

    def text(self) -> str:
        return self._full

    def setText(self, text: str) -> None:
        self._full = text or ""
        self._fit()

    def clear(self) -> None:
        self.setText("")

    def shown_text(self) -> str:
        """What is painted: the message, or as much of it as fits."""
        return super().text()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fits(self, text: str, width: int) -> bool:
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
        box = self.fontMetrics().boundingRect(QRect(0, 0, width, 100_000), flags, text)
        return box.height() <= self.lines * self.fontMetrics().lineSpacing() and (
            box.width() <= width
        )

    def _fit(self) -> None:
        text = self._full
        width = self.contentsRect().width()
        shown = text
        if self.lines > 0 and text and width > 0 and not self._fits(text, width):
            low, high = 0, len(text)  # the longest start of the message that fits with "…"
            while low < high:
                middle = (low + high + 1) // 2
                if self._fits(text[:middle].rstrip() + ELLIPSIS, width):
                    low = middle
                else:
                    high = middle - 1
            shown = text[:low].rstrip() + ELLIPSIS
        super().setText(shown)
        self.setToolTip(text if shown != text else "")


class MessageArea(QWidget):
    """One place of fixed height for a form's messages, reserved while none is shown: the
    messages (MessageLines) lie on top of each other and one is shown at a time."""

    def __init__(self, name: str = "messageArea", lines: int = 2) -> None:
        super().__init__()
        self.setObjectName(name)
        self.lines = lines
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        probe = MessageLine(lines=lines)
        self.setFixedHeight(probe.height_for_lines(lines))
        probe.deleteLater()
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        self.setSizePolicy(policy)

    def add(self, line: MessageLine) -> MessageLine:
        """Place `line` here; it takes this area's lines, however it was made."""
        line.lines = self.lines
        policy = line.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        line.setSizePolicy(policy)
        line.setFixedHeight(self.height())
        line.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._grid.addWidget(line, 0, 0)
        line.setText(line.text())
        line.installEventFilter(self)
        return line

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """One message at a time: the one shown hides the others (they lie on top of it)."""
        if event.type() == QEvent.Type.Show:
            for index in range(self._grid.count()):
                item = self._grid.itemAt(index)
                other = item.widget() if item is not None else None
                if other is not None and other is not watched and not other.isHidden():
                    other.hide()
        return False


def field_error_label(name: str, lines: int = 0) -> MessageLine:
    """A red message for a form field, hidden while empty. With `lines` it keeps that many
    lines of room while hidden (nothing below moves when it appears); without, it is to be
    put in a MessageArea, or it takes room only when shown."""
    label = MessageLine(name, lines=lines, style=ERROR_STYLE)
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
