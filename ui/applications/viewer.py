"""One candidate's application as a manager reads it (the original), with the words
searched for highlighted and each document's original file a button away."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from recruit_app.errors import RecruitError
from ui.applications.spans import Offsets
from ui.candidates.import_pages import QUIET_STYLE, plural
from ui.context import AppContext
from ui.errors import error_box
from ui.widgets import fit_to_screen

if TYPE_CHECKING:
    from recruit_app.services.applications import ApplicationView, PartView
    from recruit_app.services.context import ServiceContext

TITLE = "Application"
FOUND_COLOUR = QColor("#ffe08a")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_file_name(name: str) -> str:
    """A file name to write the original under: no folders, nothing a system refuses."""
    cleaned = _UNSAFE.sub("_", Path(name.replace("\\", "/")).name).strip(" .")
    return cleaned[:120] or "document"


def write_original(ctx: ServiceContext, part_id: int, folder: Path) -> Path:
    """In a worker: the part's original file, written into `folder`."""
    from recruit_app.services.applications import document_file

    name, _media, data = document_file(ctx, part_id)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = folder / f"{part_id}-{safe_file_name(name)}"
    target.write_bytes(data)
    return target


def part_words(part: PartView) -> str:
    if part.no_text:
        return part.note or "No text: read the original file."
    counted = plural(part.words, "word")
    if part.over_limit:
        return f"{counted}, over the limit of {part.limit:,}"
    return counted + (f" (limit {part.limit:,})" if part.limit else "")


class ApplicationViewer(QDialog):
    """Read-only: the parts on the left, the chosen part's text on the right."""

    loaded = Signal()
    file_opened = Signal(object)  # the Path of an original written out and opened

    def __init__(
        self,
        context: AppContext,
        campaign_id: int,
        candidate_number: str,
        *,
        words: str = "",
        part: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("applicationViewer")
        self.setWindowTitle(f"Application of candidate {candidate_number}")
        self.setMinimumSize(760, 480)
        self.context = context
        self.campaign_id = campaign_id
        self.candidate_number = candidate_number
        self.words = words
        self.wanted_part = part
        self.view: ApplicationView | None = None
        self.error_box: QMessageBox | None = None
        # Swapped in tests: opening a file starts another program.
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self._folder: Path | None = None

        self.heading = QLabel(f"Candidate {candidate_number}: loading…")
        self.heading.setObjectName("viewerHeading")
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.parts = QListWidget()
        self.parts.setObjectName("viewerParts")
        self.parts.setWordWrap(True)
        self.parts.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.parts.setSpacing(2)
        self.parts.currentRowChanged.connect(self._show_part)
        self.part_heading = QLabel()
        self.part_heading.setObjectName("viewerPartHeading")
        self.part_heading.setWordWrap(True)
        bold = self.part_heading.font()
        bold.setBold(True)
        self.part_heading.setFont(bold)
        self.part_words = QLabel()
        self.part_words.setObjectName("viewerPartWords")
        self.part_words.setStyleSheet(QUIET_STYLE)
        self.text = QPlainTextEdit()
        self.text.setObjectName("viewerText")
        self.text.setReadOnly(True)
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.text.setTabChangesFocus(True)
        self.open_button = QPushButton("&Open original file")
        self.open_button.setObjectName("openOriginal")
        self.open_button.setAutoDefault(False)
        self.open_button.clicked.connect(self.open_original)
        self.close_button = QPushButton("Close")
        self.close_button.setObjectName("closeButton")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.accept)
        self.finished.connect(lambda _r: self._clean_up())
        self._lay_out()
        self._update_buttons()
        fit_to_screen(self, 1060, 680)

    def _lay_out(self) -> None:
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.part_heading)
        right_layout.addWidget(self.part_words)
        right_layout.addWidget(self.text, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(self.parts)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([300, 700])
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)

    def sizeHint(self) -> QSize:
        return QSize(980, 640)

    def _context(self) -> ServiceContext | None:
        try:
            return self.context.service_context()
        except RecruitError as exc:
            self.error_box = error_box(self, exc, TITLE)
            return None

    # --- reading -------------------------------------------------------------------------

    def load(self) -> None:
        from recruit_app.services.applications import show_application

        ctx = self._context()
        if ctx is None:
            return
        campaign_id, number = self.campaign_id, self.candidate_number

        def failed(exc: BaseException) -> None:
            if isinstance(exc, RecruitError):
                self.heading.setText(f"Candidate {number}: {exc.message}")
            else:
                self.error_box = error_box(self, exc, TITLE)

        self.context.reads.start(
            lambda: show_application(ctx, campaign_id, number, redacted=False),
            self.fill,
            failed,
        )

    def fill(self, view: ApplicationView) -> None:
        self.view = view
        count = len(view.parts)
        self.heading.setText(
            f"Candidate {view.candidate_number}: {plural(count, 'part')} (the original text)"
            if count
            else f"Candidate {view.candidate_number} has no application imported."
        )
        self.parts.clear()
        for part in view.parts:
            entry = QListWidgetItem(part.heading)
            entry.setToolTip(f"{part.heading}\n{part_words(part)}")
            self.parts.addItem(entry)
        wanted = next(
            (n for n, p in enumerate(view.parts) if self.wanted_part in (p.label, p.heading)), 0
        )
        if count:
            self.parts.setCurrentRow(wanted)
        self.loaded.emit()

    @property
    def part(self) -> PartView | None:
        row = self.parts.currentRow()
        if self.view is None or not 0 <= row < len(self.view.parts):
            return None
        return self.view.parts[row]

    def _show_part(self, _row: int) -> None:
        part = self.part
        self.part_heading.setText(part.heading if part else "")
        self.part_words.setText(part_words(part) if part else "")
        self.text.setPlainText(part.text if part else "")
        if part is not None:
            self._highlight(part.text)
        self._update_buttons()

    def _highlight(self, text: str) -> None:
        """Where the words searched for appear, as the search found them (any case)."""
        wanted = self.words.split()
        if not wanted:
            self.text.setExtraSelections([])
            return
        pattern = re.compile(r"\s+".join(map(re.escape, wanted)), re.IGNORECASE)
        offsets = Offsets(text)
        selections: list[QTextEdit.ExtraSelection] = []
        first: int | None = None
        for match in pattern.finditer(text):
            if len(selections) >= 1000:
                break
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.text.document())
            cursor.setPosition(offsets.to_qt(match.start()))
            cursor.setPosition(offsets.to_qt(match.end()), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            text_format = QTextCharFormat()
            text_format.setBackground(FOUND_COLOUR)
            text_format.setForeground(QColor("#000000"))
            selection.format = text_format
            selections.append(selection)
            first = match.start() if first is None else first
        self.text.setExtraSelections(selections)
        if first is not None:
            cursor = QTextCursor(self.text.document())
            cursor.setPosition(offsets.to_qt(first))
            self.text.setTextCursor(cursor)
            self.text.ensureCursorVisible()

    def _update_buttons(self) -> None:
        part = self.part
        self.open_button.setEnabled(part is not None and part.has_file)
        self.open_button.setToolTip(
            "Open the file as the candidate sent it"
            if part is not None and part.has_file
            else "This part came as text, not as a file"
        )

    # --- the original file ---------------------------------------------------------------

    def open_original(self) -> None:
        part = self.part
        if part is None or not part.has_file:
            return
        ctx = self._context()
        if ctx is None:
            return
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="recruit-original-"))
        folder, part_id = self._folder, part.id
        self.open_button.setEnabled(False)

        def done(path: Path) -> None:
            if self._folder is None:  # closed meanwhile: nobody wants it now
                shutil.rmtree(folder, ignore_errors=True)
                return
            self._update_buttons()
            if not self.open_url(QUrl.fromLocalFile(str(path))):
                self.error_box = error_box(
                    self,
                    RecruitError(f"No program on this computer opens {path.name}."),
                    TITLE,
                )
            self.file_opened.emit(path)

        def failed(exc: BaseException) -> None:
            self._update_buttons()
            self.error_box = error_box(self, exc, TITLE)

        self.context.reads.start(lambda: write_original(ctx, part_id, folder), done, failed)

    def _clean_up(self) -> None:
        """The originals written out hold personal data: gone when the viewer closes (a
        program that still has one open keeps its copy on some systems)."""
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
