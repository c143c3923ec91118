"""The dialog that adds or changes a post: its role, description and the criteria it asks for."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from recruit_app.errors import ValidationError
from recruit_app.vocabulary import Element
from ui.context import AppContext
from ui.library.dialog_base import ServiceDialog
from ui.library.fields import line_edit, lines_of, text_edit

if TYPE_CHECKING:
    from recruit_app.services.posts import PostsView, PostView

CODE_ROLE = Qt.ItemDataRole.UserRole
COUNT_LIMIT = 1000


class PostDialog(ServiceDialog):
    """Adds a post (no `post`) or changes one; stays open with the message if a save fails."""

    def __init__(
        self,
        context: AppContext,
        campaign_id: int,
        view: PostsView,
        post: PostView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = f"Change the post {post.title}" if post else "Add a post"
        super().__init__(context, title, parent)
        self.setObjectName("postDialog")
        self.setMinimumWidth(860)
        self.campaign_id = campaign_id
        self.post = post
        self.expected_version = post.version if post else None

        self.title_edit = line_edit("postTitle", post.title if post else "", limit=200)
        self.title_edit.setPlaceholderText("e.g. Senior HR Business Partner")
        self.grade_edit = line_edit("postGrade", post.grade if post else "", limit=100)
        self.grade_edit.setPlaceholderText(
            f"The advert's: {view.advert_grade}" if view.advert_grade else "e.g. Grade 7"
        )
        self.count_spin = QSpinBox()
        self.count_spin.setObjectName("postCount")
        self.count_spin.setRange(1, COUNT_LIMIT)
        self.count_spin.setValue(post.count if post else 1)
        self.locations_edit = text_edit(
            "postLocations",
            "\n".join(post.locations) if post else "",
            placeholder="One place a line. Leave empty for the advert's: "
            + (", ".join(view.advert_locations) or "none yet"),
            lines=3,
        )
        self.description_edit = text_edit(
            "postJobDescription",
            post.job_description if post else "",
            placeholder="What the post holder does. Leave empty to use the advert's.",
            lines=5,
        )
        self.responsibilities_edit = text_edit(
            "postResponsibilities",
            post.responsibilities if post else "",
            placeholder="One responsibility a line. Leave empty to use the advert's.",
            lines=4,
        )

        self.all_criteria = QCheckBox("Asks for all of the advert's criteria")
        self.all_criteria.setObjectName("postAllCriteria")
        self.criteria_list = QListWidget()
        self.criteria_list.setObjectName("postCriteria")
        self.criteria_list.setMinimumWidth(340)
        # Criteria have long titles: wrap them rather than scroll sideways.
        self.criteria_list.setWordWrap(True)
        self.criteria_list.setSpacing(2)
        self.criteria_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.criteria_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        chosen = set(post.criteria) if post else set()
        for choice in view.criteria:
            kind = Element.label_for(choice.element)
            need = "essential" if choice.essential else "desirable"
            item = QListWidgetItem(f"{choice.title} ({kind}, {need})")
            item.setData(CODE_ROLE, choice.code)
            item.setToolTip(f"{choice.code}: {choice.title}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if choice.code in chosen else Qt.CheckState.Unchecked
            )
            self.criteria_list.addItem(item)
        self.all_criteria.setChecked(not chosen)
        self.all_criteria.toggled.connect(self._all_toggled)
        if not view.criteria:
            self.all_criteria.setEnabled(False)
        self._all_toggled(self.all_criteria.isChecked())

        form = QFormLayout()
        form.addRow("&Title", self.checked("title", self.title_edit))
        form.addRow("&Grade", self.checked("grade", self.grade_edit))
        form.addRow("&Number of posts", self.checked("count", self.count_spin))
        form.addRow("&Locations", self.checked("locations", self.locations_edit))
        form.addRow("&Job description", self.checked("job_description", self.description_edit))
        form.addRow(
            "&Responsibilities", self.checked("responsibilities", self.responsibilities_edit)
        )
        right = QVBoxLayout()
        heading = QLabel("&Criteria for this post's person specification")
        heading.setBuddy(self.criteria_list)
        right.addWidget(heading)
        right.addWidget(self.all_criteria)
        right.addWidget(self.criteria_list, 1)
        self.error_label("criteria", self.criteria_list)  # shown in the dialog's message area
        hint = QLabel(
            "The post's annex in the information pack lists these criteria."
            if view.criteria
            else "The advert has no criteria yet: add them in the Advert tab."
        )
        hint.setWordWrap(True)
        hint.setEnabled(False)
        right.addWidget(hint)
        body = QHBoxLayout()
        body.addLayout(form, 3)
        body.addLayout(right, 2)
        self.finish_layout(body)
        self.save_button.setText("Save" if post else "Add")
        self.title_edit.setFocus()

    def _all_toggled(self, everything: bool) -> None:
        self.criteria_list.setEnabled(not everything)

    def chosen_codes(self) -> list[str]:
        items = (self.criteria_list.item(row) for row in range(self.criteria_list.count()))
        return [
            item.data(CODE_ROLE) for item in items if item.checkState() == Qt.CheckState.Checked
        ]

    def values(self) -> dict[str, Any]:
        """What the form says, as the posts service takes it."""
        codes: list[str] = []
        if not self.all_criteria.isChecked():
            codes = self.chosen_codes()
            if not codes:
                raise ValidationError(
                    "Tick the criteria this post asks for, or choose all of the advert's.",
                    "criteria",
                )
        return {
            "title": self.title_edit.text(),
            "grade": self.grade_edit.text(),
            "count": self.count_spin.value(),
            "locations": list(lines_of(self.locations_edit)),
            "job_description": self.description_edit.toPlainText(),
            "responsibilities": self.responsibilities_edit.toPlainText(),
            "criteria": codes,
        }

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.posts import add_post, update_post

        values = self.values()
        ctx = self.context.service_context()
        if self.post is None:
            campaign_id = self.campaign_id
            return lambda: add_post(ctx, campaign_id, values)
        post_id, version = self.post.id, self.expected_version
        return lambda: update_post(ctx, post_id, values, version)

    def reload_work(self) -> Callable[[], tuple[int, str]] | None:
        if self.post is None:
            return None
        from recruit_app.errors import NotFound
        from recruit_app.services.posts import list_posts

        ctx = self.context.service_context()
        campaign_id, post_id = self.campaign_id, self.post.id

        def read() -> tuple[int, str]:
            current = list_posts(ctx, campaign_id).post(post_id)
            if current is None:
                raise NotFound("Someone has removed this post; Cancel to close the dialog.")
            who = current.updated_by or "Someone else"
            return current.version, f"{who} saved their version of {current.title}."

        return read
