"""The campaign's posts in annex order, as a read-only table model over the service's views."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Annex", "Post", "Grade", "Number", "Locations", "Criteria")


def criteria_summary(post: Any, total: int) -> str:
    """ "All 12" or "4 of 12": how many of the advert's criteria the post asks for."""
    if not post.criteria:
        return f"All {total}" if total else "All"
    return f"{len(post.criteria)} of {total}"


class PostsModel(QAbstractTableModel):
    """One row per PostView; grade and locations left blank show the advert's, in grey."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.posts: list[Any] = []
        self.advert_grade = ""
        self.advert_locations: tuple[str, ...] = ()
        self.criteria_count = 0

    def set_view(self, view: Any) -> None:
        self.beginResetModel()
        self.posts = list(view.posts)
        self.advert_grade = view.advert_grade
        self.advert_locations = tuple(view.advert_locations)
        self.criteria_count = len(view.criteria)
        self.endResetModel()

    def row_of(self, post_id: int | None) -> int | None:
        return next((row for row, p in enumerate(self.posts) if p.id == post_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.posts)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def _inherits(self, post: Any, column: int) -> bool:
        return (column == 2 and not post.grade) or (column == 4 and not post.locations)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.posts):
            return None
        post, column = self.posts[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            grade = post.grade or self.advert_grade
            locations = post.locations or self.advert_locations
            return (
                post.annex,
                post.title,
                grade,
                str(post.count),
                ", ".join(locations),
                criteria_summary(post, self.criteria_count),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if self._inherits(post, column):
                return "Not set for this post: the advert's is used."
            if column == 5:
                return (
                    "Asks for every criterion of the advert."
                    if not post.criteria
                    else "Asks for: " + ", ".join(post.criteria)
                )
            if column == 1:
                return post.title
        if role == Qt.ItemDataRole.ForegroundRole and self._inherits(post, column):
            from PySide6.QtGui import QPalette
            from PySide6.QtWidgets import QApplication

            return QApplication.palette().brush(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 3):
            return Qt.AlignmentFlag.AlignCenter
        return None
