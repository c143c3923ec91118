"""A campaign in its own window: one tab per part of the campaign."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QMainWindow, QMessageBox, QTabWidget, QWidget

from recruit_app.errors import RecruitError
from ui.adverts.builder import AdvertBuilder
from ui.candidates.tab import CandidatesTab
from ui.context import AppContext
from ui.exports.tab import ExportsTab
from ui.fairness.tab import FairnessTab
from ui.posts import PostsTab
from ui.results.tab import ResultsTab
from ui.schedule.slots_tab import SlotsTab
from ui.schedule.timetable_tab import TimetableTab
from ui.scoring.scoring_tab import ScoringTab
from ui.stages.matrix_tab import MatrixTab
from ui.stages.stages_tab import StagesTab
from ui.widgets import LoadWhenShown


class CampaignWindow(QMainWindow):
    """Opened from the campaign list; closing it with unsaved edits asks first."""

    closed = Signal(int)

    def __init__(
        self,
        context: AppContext,
        campaign_id: int,
        reference: str,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("campaignWindow")
        self.context = context
        self.campaign_id = campaign_id
        self.heading = f"{reference} – {title}"
        self.question: QMessageBox | None = None
        self._closing_confirmed = False
        self._saving: set[Any] = set()
        self.advert = AdvertBuilder(context, campaign_id)
        self.posts = PostsTab(context, campaign_id)
        self.stages = StagesTab(context, campaign_id)
        self.matrix = MatrixTab(context, campaign_id)
        self.timetable = TimetableTab(context, campaign_id)
        self.candidates = CandidatesTab(context, campaign_id)
        self.scoring = ScoringTab(context, campaign_id)
        self.results = ResultsTab(context, campaign_id)
        self.slots = SlotsTab(context, campaign_id)
        self.exports = ExportsTab(context, campaign_id)
        self.fairness: FairnessTab | None = None  # only for those who may monitor
        self.tabs = QTabWidget()
        self.tabs.setObjectName("campaignTabs")
        for tab, label in (
            (self.advert, "Advert"),
            (self.posts, "Posts"),
            (self.stages, "Stages"),
            (self.matrix, "Assessment matrix"),
            (self.timetable, "Timetable"),
            (self.candidates, "Candidates"),
            (self.scoring, "Scoring"),
            (self.results, "Results"),
            (self.slots, "Interview slots"),
            (self.exports, "Exports"),
        ):
            self.tabs.addTab(tab, label)
        self.setCentralWidget(self.tabs)
        self._shape_by_role()
        self._offer_fairness()
        # Tabs holding typed but unsaved edits: the window asks before closing.
        self.editable = (self.advert, self.stages, self.matrix)
        for tab in self.editable:
            tab.dirty_changed.connect(self._update_title)
        self._update_title()
        # Scores save as they are typed, so the scoring tab never holds unsaved edits.
        # Each tab reads when first shown (the one in front as the window opens), and what
        # changes while it is hidden is read when it is shown again: a campaign of 10,000
        # candidates opens on one tab's read, not ten.
        for tab in self.all_tabs():
            LoadWhenShown(tab)
            tab.load()

    # Tabs whose every use is a manager's (services.permissions "campaign.manage"): the
    # advert, its posts, the stages, the assessment matrix and the timetable.
    MANAGERS_TABS = ("advert", "posts", "stages", "matrix", "timetable")

    def _shape_by_role(self) -> None:
        """Someone who may not manage the campaign (a panel member) is not shown the tabs
        only a manager can use, and starts on the scoring sheet: what the core's permission
        table allows decides, so the screen and the core never disagree."""
        from recruit_app.services.permissions import may

        if may(self.context.actor, "campaign.manage"):
            return
        for name in self.MANAGERS_TABS:
            self.tabs.setTabVisible(self.tabs.indexOf(getattr(self, name)), False)
        self.tabs.setCurrentWidget(self.scoring)

    def _offer_fairness(self) -> None:
        """The Fairness tab, for those who may see equality monitoring figures: an
        administrator at once; a recruiting manager once the core says they were given
        equality monitoring (services.equality.may_monitor, asked in a worker); a panel
        member never (the permission table refuses them without asking)."""
        from recruit_app.services.permissions import may
        from recruit_app.vocabulary import Role

        actor = self.context.actor
        if not may(actor, "equality.monitor"):
            return
        if actor.role == Role.ADMINISTRATOR:
            self._add_fairness()
            return
        try:
            ctx = self.context.service_context()
        except RecruitError:
            return
        from recruit_app.services.equality import equality_settings

        # Refused (PermissionDenied) for a manager without the permission: no tab.
        self.context.reads.start(
            lambda: equality_settings(ctx), self._fairness_allowed, self._fairness_refused
        )

    def _fairness_allowed(self, _settings: object) -> None:
        if self.fairness is None:
            tab = self._add_fairness()
            LoadWhenShown(tab)
            tab.load()

    def _fairness_refused(self, _exc: BaseException) -> None:
        """Not allowed (or the database could not say): the tab stays away."""

    def _add_fairness(self) -> FairnessTab:
        tab = FairnessTab(self.context, self.campaign_id)
        self.fairness = tab
        self.tabs.insertTab(self.tabs.indexOf(self.results) + 1, tab, "Fairness")
        return tab

    def all_tabs(self) -> list[Any]:
        return [self.tabs.widget(index) for index in range(self.tabs.count())]

    def sizeHint(self) -> QSize:
        """1280 x 820, or less on a smaller screen: the window never opens past its edges
        (a 1366 x 768 laptop keeps the bottom of every tab in view)."""
        wanted = QSize(1280, 820)
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return wanted
        room = screen.availableGeometry().size()
        # Room for the title bar and frame, which the size hint does not include.
        return wanted.boundedTo(QSize(room.width() - 16, room.height() - 48))

    def _dirty_tabs(self) -> list[Any]:
        return [tab for tab in self.editable if tab.dirty]

    def _update_title(self) -> None:
        mark = " *" if self._dirty_tabs() else ""
        self.setWindowTitle(f"{self.heading}{mark} – Recruit")

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._dirty_tabs() and not self._closing_confirmed:
            event.ignore()
            self._ask_before_closing()
            return
        self.closed.emit(self.campaign_id)
        super().closeEvent(event)

    def _ask_before_closing(self) -> None:
        dirty = self._dirty_tabs()
        names = ", ".join(self.tabs.tabText(self.tabs.indexOf(tab)) for tab in dirty)
        box = QMessageBox(self)
        box.setObjectName("unsavedChanges")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Unsaved changes")
        box.setText(f"There are changes that are not saved ({names}).")
        box.setStandardButtons(
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)

        def answered(_result: int) -> None:
            self.question = None
            button = box.standardButton(box.clickedButton())
            if button == QMessageBox.StandardButton.Discard:
                self._closing_confirmed = True
                self.close()
            elif button == QMessageBox.StandardButton.Save:
                self._save_then_close(dirty)

        box.finished.connect(answered)
        self.question = box
        box.open()

    def _save_then_close(self, tabs: list[Any]) -> None:
        """Save each tab with edits; close once every one has saved (a failure keeps it open)."""
        self._saving = set(tabs)
        for tab in tabs:
            tab.saved.connect(self._one_saved)
            tab.save()

    def _one_saved(self) -> None:
        tab: Any = self.sender()  # one of the tabs being saved: it has a `saved` signal
        if tab in self._saving:
            tab.saved.disconnect(self._one_saved)
            self._saving.discard(tab)
        if not self._saving:
            self.close()
