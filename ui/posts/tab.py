"""The Posts tab: the roles a campaign advertises together, in the order of their annexes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from recruit_app.errors import ConflictError, NotFound, RecruitError
from ui import change_bus
from ui.context import AppContext
from ui.errors import error_box
from ui.posts.model import PostsModel
from ui.stages.labels import button
from ui.stages.questions import confirm
from ui.widgets import MessageLine, MessagePanel, load_waits

if TYPE_CHECKING:
    from recruit_app.services.posts import PostsView, PostView

# Published after a post is added, changed, moved or removed.
POSTS = change_bus.POSTS
# Advert saves publish CAMPAIGNS: its grade, locations and criteria show here.
REFRESH_ON = frozenset({POSTS, change_bus.CAMPAIGNS, change_bus.DATABASE})

NO_POSTS_NOTE = (
    "No posts: the advert is the single post, and the information pack has no annexes. "
    "Add posts to advertise several roles in this campaign."
)
POSTS_NOTE = (
    "The information pack gets one annex per post, in this order (Annex A first), with the "
    "post's role, job description and person specification. Grades, locations and "
    "descriptions left empty are the advert's."
)


def _may(context: AppContext, use_case: str) -> bool:
    from recruit_app.services.permissions import ALLOWED

    return context.actor.role in ALLOWED[use_case]


class PostsTab(QWidget):
    """Reads in a worker; each change runs on the writer, then the tab reads again."""

    loaded = Signal()  # after each (re)load from the database
    changed = Signal()  # after a change is saved and the tab shows it

    def __init__(
        self, context: AppContext, campaign_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("postsTab")
        self.context = context
        self.campaign_id = campaign_id
        self.view: PostsView | None = None
        self.dialog: QWidget | None = None  # the question or dialog open now, if any
        self.may_manage = _may(context, "campaign.manage")
        self._serial = 0
        self._select_after_load: int | None = None
        self._announce = False
        self._publishing = False

        self.model = PostsModel(self)
        self.table = QTableView()
        self.table.setObjectName("postTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.table.doubleClicked.connect(lambda _index: self.ask_edit())

        self.add_button = button("&Add post…", "addPost", self.ask_add)
        self.edit_button = button("&Edit…", "editPost", self.ask_edit)
        self.up_button = button("Move &up", "movePostUp", lambda: self.move_selected(-1))
        self.down_button = button("Move do&wn", "movePostDown", lambda: self.move_selected(1))
        self.remove_button = button("&Remove…", "removePost", self.ask_remove)
        self.note = QLabel(NO_POSTS_NOTE)
        self.note.setObjectName("annexNote")
        self.note.setWordWrap(True)
        self.status = MessageLine("postsStatus")
        self.status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.failure = MessagePanel()
        self.retry_button = button("Try again", "retryPosts", self.load)
        self.body = QStackedWidget()
        self.body.addWidget(self._content())
        self.body.addWidget(self.failure)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body)
        context.bus.changed.connect(self._bus_changed)
        self._update_buttons()

    def _content(self) -> QWidget:
        content = QWidget()
        buttons = QHBoxLayout()
        for widget in (
            self.add_button,
            self.edit_button,
            self.up_button,
            self.down_button,
            self.remove_button,
        ):
            buttons.addWidget(widget)
            widget.setVisible(self.may_manage)
        buttons.addWidget(self.status, 1)
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(buttons)
        column.addWidget(self.table, 1)
        column.addWidget(self.note)
        return content

    # --- state -----------------------------------------------------------------------

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def selected_post(self) -> PostView | None:
        row = self.selected_row()
        return self.model.posts[row] if row is not None else None

    def select_post(self, post_id: int) -> None:
        row = self.model.row_of(post_id)
        if row is not None:
            self.table.selectRow(row)

    def _update_buttons(self) -> None:
        row, count = self.selected_row(), self.model.rowCount()
        self.add_button.setEnabled(self.view is not None)
        self.edit_button.setEnabled(row is not None)
        self.up_button.setEnabled(row is not None and row > 0)
        self.down_button.setEnabled(row is not None and row < count - 1)
        self.remove_button.setEnabled(row is not None)

    # --- loading ---------------------------------------------------------------------

    def _bus_changed(self, topics: frozenset[str]) -> None:
        if topics & REFRESH_ON and not self._publishing:  # our own changes reload already
            self.load()

    def load(self) -> None:
        from recruit_app.services.posts import list_posts

        if load_waits(self):  # hidden in its campaign window: read when shown
            return
        self._serial += 1
        serial, campaign_id = self._serial, self.campaign_id
        try:
            ctx = self.context.service_context()
        except RecruitError as exc:
            self._load_failed(serial, exc)
            return
        self.context.reads.start(
            lambda: list_posts(ctx, campaign_id),
            lambda view: self._loaded(serial, view),
            lambda exc: self._load_failed(serial, exc),
        )

    def _load_failed(self, serial: int, exc: BaseException) -> None:
        if serial != self._serial:
            return
        self._announce = False
        if not isinstance(exc, RecruitError):
            self.dialog = error_box(self, exc, "Posts")
        text = getattr(exc, "message", None) or "The posts could not be loaded."
        self.failure.show_message(text, [self.retry_button])
        self.body.setCurrentWidget(self.failure)

    def _loaded(self, serial: int, view: PostsView) -> None:
        if serial != self._serial:  # a newer load is on its way
            return
        keep = self._select_after_load
        if keep is None:
            chosen = self.selected_post()
            keep = chosen.id if chosen else None
        self._select_after_load = None
        self.view = view
        self.body.setCurrentIndex(0)
        self.model.set_view(view)
        if keep is not None:
            self.select_post(keep)
        self.note.setText(POSTS_NOTE if view.posts else NO_POSTS_NOTE)
        self._update_buttons()
        self.loaded.emit()
        if self._announce:
            self._announce = False
            self.changed.emit()

    def _after_change(self, message: str, select: int | None = None) -> None:
        """A change was saved: say so, tell the other views, and read the posts again."""
        self.status.setText(message)
        if select is not None:
            self._select_after_load = select
        self._announce = True
        self._publishing = True
        try:
            self.context.bus.publish(POSTS)
        finally:
            self._publishing = False
        self.load()

    # --- adding and changing -----------------------------------------------------------

    def ask_add(self) -> None:
        self._open_dialog(None)

    def ask_edit(self) -> None:
        post = self.selected_post()
        if post is not None and self.may_manage:
            self._open_dialog(post)

    def _open_dialog(self, post: PostView | None) -> None:
        from ui.posts.dialog import PostDialog

        if self.view is None:
            return
        dialog = PostDialog(self.context, self.campaign_id, self.view, post, self)
        dialog.saved.connect(self._dialog_saved)
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()

    def _dialog_closed(self, dialog: QWidget) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _dialog_saved(self, post: PostView) -> None:
        self._after_change(f"Saved {post.title} (Annex {post.annex}).", post.id)

    # --- moving and removing -----------------------------------------------------------

    def move_selected(self, step: int) -> None:
        from recruit_app.services.posts import move_post

        row = self.selected_row()
        if row is None or not 0 <= row + step < self.model.rowCount():
            return
        post, ctx = self.model.posts[row], self.context.service_context()
        self.context.writes.start(
            lambda: move_post(ctx, post.id, row + step),
            lambda _view: self._after_change(f"Moved {post.title}.", post.id),
            self._action_failed,
        )

    def ask_remove(self) -> None:
        post = self.selected_post()
        if post is None:
            return
        self.dialog = confirm(
            self,
            name="confirmRemovePost",
            title="Remove the post",
            text=f"Remove the post {post.title} (Annex {post.annex}) from this campaign?",
            detail="Its annex leaves the information pack; the posts after it move up a letter.",
            action="Remove",
            answered=lambda yes: self._remove(post, yes),
        )

    def _remove(self, post: PostView, confirmed: bool) -> None:
        from recruit_app.services.posts import remove_post

        self.dialog = None
        if not confirmed:
            return
        ctx = self.context.service_context()
        self.context.writes.start(
            lambda: remove_post(ctx, post.id, post.version),
            lambda _view: self._after_change(f"Removed {post.title}."),
            self._action_failed,
        )

    def _action_failed(self, exc: BaseException) -> None:
        self.dialog = error_box(self, exc, "Posts")
        if isinstance(exc, ConflictError | NotFound):
            self.load()  # show what changed; the user can then try again
