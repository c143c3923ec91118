"""Searching a campaign's applications (a required qualification, say), for managers:
each hit with the candidate's number, the part and the words around it; opening one
shows that candidate's application."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from recruit_app.errors import RecruitError
from ui.applications.sizing import row_table
from ui.applications.viewer import ApplicationViewer
from ui.candidates.import_pages import QUIET_STYLE, plural
from ui.context import AppContext
from ui.errors import error_box
from ui.widgets import fit_to_screen

if TYPE_CHECKING:
    from recruit_app.services.applications import SearchHit

Index = QModelIndex | QPersistentModelIndex
TITLE = "Search applications"
NUMBER, PART, SNIPPET = range(3)
HEADERS = ("Candidate", "Part", "Where the words appear")


class HitsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.hits: list[SearchHit] = []

    def set_hits(self, hits: Sequence[SearchHit]) -> None:
        self.beginResetModel()
        self.hits = list(hits)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.hits)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if role == Qt.ItemDataRole.ToolTipRole and index.column() == NUMBER:
                return None
            return (hit.candidate_number, hit.part, hit.snippet)[index.column()]
        return None


class SearchDialog(QDialog):
    searched = Signal()  # each time hits are shown (or the search failed)

    def __init__(
        self, context: AppContext, campaign_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("searchApplicationsDialog")
        self.setWindowTitle(TITLE)
        self.setMinimumSize(720, 440)
        self.context = context
        self.campaign_id = campaign_id
        self.error_box: QMessageBox | None = None
        self.viewer: ApplicationViewer | None = None
        self.searched_for = ""
        self._serial = 0

        fit_to_screen(self, 980, 620)
        self.words = QLineEdit()
        self.words.setObjectName("searchWords")
        self.words.setPlaceholderText("Words to find, such as a qualification: “PRINCE2”")
        self.words.setClearButtonEnabled(True)
        self.words.returnPressed.connect(self.search)
        self.search_button = QPushButton("&Search")
        self.search_button.setObjectName("searchButton")
        self.search_button.setAutoDefault(False)
        self.search_button.clicked.connect(self.search)
        self.count = QLabel(
            "Searches the original text of every answer, statement and document of this "
            "campaign's applications."
        )
        self.count.setObjectName("searchCount")
        self.count.setWordWrap(True)
        self.model = HitsModel(self)
        self.table = self._build_table()
        self.hint = QLabel("Open a line (double-click or Enter) to read that application.")
        self.hint.setStyleSheet(QUIET_STYLE)
        close = QPushButton("Close")
        close.setObjectName("closeButton")
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        top = QHBoxLayout()
        find = QLabel("&Find:")
        find.setBuddy(self.words)
        top.addWidget(find)
        top.addWidget(self.words, 1)
        top.addWidget(self.search_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.hint, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    def _build_table(self) -> QTableView:
        table = row_table("searchHits", self.model, SNIPPET)
        header = table.horizontalHeader()
        metrics = table.fontMetrics()
        header.resizeSection(NUMBER, metrics.horizontalAdvance("Candidate") + 24)
        header.resizeSection(PART, metrics.horizontalAdvance("M" * 16))
        table.activated.connect(lambda index: self.open_hit(index.row()))
        return table

    def sizeHint(self) -> QSize:
        return QSize(960, 600)

    def search(self) -> None:
        from recruit_app.services.applications import SEARCH_LIMIT, search_applications

        words = " ".join(self.words.text().split())
        if not words:
            self.count.setText("Type what to look for.")
            self.words.setFocus()
            return
        try:
            ctx = self.context.service_context()
        except RecruitError as exc:
            self.error_box = error_box(self, exc, TITLE)
            return
        self._serial += 1
        serial, campaign_id = self._serial, self.campaign_id
        self.count.setText(f"Looking for “{words}”…")

        def done(hits: list[SearchHit]) -> None:
            if serial != self._serial:
                return
            self.searched_for = words
            self.model.set_hits(hits)
            if not hits:
                self.count.setText(f"“{words}” appears in no application.")
            else:
                people = len({h.candidate_id for h in hits})
                found = f"“{words}” is in {plural(len(hits), 'part')} of the "
                found += "application" if people == 1 else "applications"
                found += f" of {plural(people, 'candidate')}"
                if len(hits) >= SEARCH_LIMIT:
                    found += f" (the first {SEARCH_LIMIT:,} shown: add words to narrow it)"
                self.count.setText(found + ".")
                self.table.selectRow(0)
                self.table.setFocus()
            self.searched.emit()

        def failed(exc: BaseException) -> None:
            if serial != self._serial:
                return
            if isinstance(exc, RecruitError):
                self.count.setText(exc.message)
            else:
                self.error_box = error_box(self, exc, TITLE)
            self.searched.emit()

        self.context.reads.start(lambda: search_applications(ctx, campaign_id, words), done, failed)

    def open_hit(self, row: int) -> None:
        if not 0 <= row < len(self.model.hits) or self.viewer is not None:
            return
        hit = self.model.hits[row]
        viewer = ApplicationViewer(
            self.context,
            self.campaign_id,
            hit.candidate_number,
            words=self.searched_for,
            part=hit.part,
            parent=self,
        )
        viewer.finished.connect(lambda _r: self._viewer_closed(viewer))
        self.viewer = viewer
        viewer.open()
        viewer.load()

    def _viewer_closed(self, viewer: ApplicationViewer) -> None:
        if self.viewer is viewer:
            self.viewer = None
        viewer.deleteLater()
