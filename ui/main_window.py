"""The main window: assembles the areas and wires them; no business of its own.

Where the database asks everyone to sign in, nothing from it is shown until someone has:
the pages give way to a "Sign in to see campaigns" panel.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from recruit_app import __version__, paths
from recruit_app.vocabulary import Role
from ui import change_bus
from ui.campaigns.page import CampaignsPage
from ui.context import AppContext
from ui.sign_in.flow import SignInFlow
from ui.sign_in.opening import OpenedDatabase, describe, open_and_check
from ui.sign_in.panel import SIGNED_OUT, SignedOutPanel
from ui.widgets import keep_on_screen

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QMessageBox

    from recruit_app.services.context import Actor
    from ui.campaign.window import CampaignWindow

SETTINGS_ENTRY = "Settings"
# Pages built when first shown (or asked for): their imports would delay the first paint.
# Entry -> (module, class, the use case that may see it).
LAZY_PAGES: dict[str, tuple[str, str, str | None]] = {
    "Template library": ("ui.library.page", "LibraryPage", None),
    "People": ("ui.people.page", "PeoplePage", "people.view"),
    "Audit trail": ("ui.audit.page", "AuditPage", "audit.view"),
}
EMAIL_STATE = "sign_in/email"  # the e-mail last signed in with, offered again
SIDEBAR_STYLE = """
QListWidget { background: #eef0f3; border-right: 1px solid #d0d4da; padding-top: 8px;
              font-size: 11pt; outline: 0; }
QListWidget::item { padding: 9px 16px; color: #1f2933; }
QListWidget::item:selected { background: #1d70b8; color: white; }
QListWidget::item:hover:!selected { background: #dde3ea; }
QListWidget::item:disabled { color: #9aa5b1; }
"""


class MainWindow(QMainWindow):
    database_opened = Signal()

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("Recruit")
        self.context = context
        self.settings_dialog: QDialog | None = None
        self.password_dialog: QDialog | None = None

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(190)
        self.navigation.setFrameShape(QFrame.Shape.NoFrame)
        self.navigation.setStyleSheet(SIDEBAR_STYLE)
        self.pages = QStackedWidget()
        self.signed_out = SignedOutPanel()
        self.signed_out.sign_in_button.clicked.connect(self.ask_sign_in)
        self.signed_out.settings_button.clicked.connect(self.open_settings)
        self.content = QStackedWidget()  # the pages, or the signed-out panel in their place
        self.content.setObjectName("content")
        self.content.addWidget(self.pages)
        self.content.addWidget(self.signed_out)
        self.campaigns = CampaignsPage(context)
        self._add_page("Campaigns", self.campaigns)
        for name in LAZY_PAGES:
            self._add_page(name, QWidget())  # a stand-in until first shown
        QListWidgetItem(SETTINGS_ENTRY, self.navigation)
        self.navigation.setCurrentRow(0)
        self.navigation.currentRowChanged.connect(self._navigate)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.content, 1)
        self.setCentralWidget(central)

        self.person_label = QLabel()
        self.person_label.setObjectName("signedInLabel")
        # A rule between who is signed in and the database, which sits beside it.
        self.person_label.setStyleSheet(
            "QLabel { border-right: 1px solid #b8bfc7; padding-right: 8px; margin-right: 4px; }"
        )
        self.person_label.hide()
        self.statusBar().addPermanentWidget(self.person_label)
        self.database_label = QLabel()
        self.database_label.setObjectName("databaseLabel")
        self.statusBar().addPermanentWidget(self.database_label)
        self._build_menus()
        self.campaigns.settings_requested.connect(self.open_settings)
        self.campaigns.open_requested.connect(self.open_campaign)
        self.campaign_windows: dict[int, CampaignWindow] = {}
        # What waits for every campaign window to close: (then, if one is kept open).
        self._after_closing: tuple[Callable[[], None], Callable[[], None] | None] | None = None
        self.question: QMessageBox | None = None
        self.sign_in = SignInFlow(context, self)
        self.sign_in.email = str(self._window_state().value(EMAIL_STATE, "") or "")
        self.sign_in.signed_in.connect(self._signed_in)
        self.sign_in.cancelled.connect(self._sign_in_cancelled)
        context.bus.changed.connect(self._on_changed)
        self._update_person()

    def _add_page(self, name: str, page: Any) -> None:
        QListWidgetItem(name, self.navigation)
        self.pages.addWidget(page)

    def _row_of(self, name: str) -> int:
        return next(
            r for r in range(self.navigation.count()) if self.navigation.item(r).text() == name
        )

    def _built_page(self, name: str) -> Any | None:
        page = self.pages.widget(self._row_of(name))
        assert page is not None  # every navigation entry has its page or a stand-in
        return page if page.objectName() else None  # stand-ins have none; pages name themselves

    def _lazy_page(self, name: str) -> Any:
        """The page for a lazy entry, built (in place of its stand-in) the first time."""
        page = self._built_page(name)
        if page is not None:
            return page
        row = self._row_of(name)
        module, class_name, _use_case = LAZY_PAGES[name]
        page = getattr(importlib.import_module(module), class_name)(self.context)
        stand_in = self.pages.widget(row)
        assert stand_in is not None
        self.pages.insertWidget(row, page)
        self.pages.removeWidget(stand_in)
        stand_in.deleteLater()
        return page

    @property
    def library(self) -> Any:
        return self._lazy_page("Template library")

    @property
    def people(self) -> Any:
        return self._lazy_page("People")

    @property
    def audit(self) -> Any:
        return self._lazy_page("Audit trail")

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        new = QAction("&New campaign…", self)
        new.setShortcut(QKeySequence.StandardKey.New)
        new.triggered.connect(self._new_campaign)
        file_menu.addAction(new)
        settings = QAction("&Settings…", self)
        settings.setShortcut(QKeySequence("Ctrl+,"))
        settings.triggered.connect(self.open_settings)
        file_menu.addAction(settings)
        file_menu.addSeparator()
        self.sign_in_action = QAction("Sign &in…", self)
        self.sign_in_action.triggered.connect(self.ask_sign_in)
        file_menu.addAction(self.sign_in_action)
        self.change_password_action = QAction("C&hange password…", self)
        self.change_password_action.triggered.connect(self.change_password)
        file_menu.addAction(self.change_password_action)
        self.sign_out_action = QAction("Sign &out", self)
        self.sign_out_action.triggered.connect(self.sign_out)
        file_menu.addAction(self.sign_out_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About Recruit", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def sizeHint(self) -> QSize:
        return QSize(1100, 700)

    # --- navigation --------------------------------------------------------------------

    def _navigate(self, row: int) -> None:
        item = self.navigation.item(row)
        if item is not None and item.text() == SETTINGS_ENTRY:
            # Settings is a dialog: keep the page the user was on.
            self.navigation.blockSignals(True)
            self.navigation.setCurrentRow(self.pages.currentIndex())
            self.navigation.blockSignals(False)
            self.open_settings()
            return
        if item is not None and item.text() in LAZY_PAGES:
            self._lazy_page(item.text())
        self.pages.setCurrentIndex(row)

    def _new_campaign(self) -> None:
        self.navigation.setCurrentRow(0)
        self.campaigns.new_campaign()

    def open_settings(self) -> None:
        # Dialogs are imported when first opened: Qt types cost time at start-up.
        from ui.settings.dialog import SettingsDialog

        dialog = SettingsDialog(
            self.context,
            self,
            before_switch=self.close_campaign_windows,
            after_switch=self._database_ready,
        )
        dialog.finished.connect(lambda _r: setattr(self, "settings_dialog", None))
        dialog.finished.connect(lambda _r: self._update_person())
        dialog.database_settings_saved.connect(
            lambda said: self.statusBar().showMessage(said, 15000)
        )
        self.settings_dialog = dialog
        dialog.open()

    def open_campaign(self, campaign_id: int, reference: str, title: str) -> CampaignWindow:
        """Open (or bring forward) the campaign's own window."""
        from ui.campaign.window import CampaignWindow

        window = self.campaign_windows.get(campaign_id)
        if window is None:
            window = CampaignWindow(self.context, campaign_id, reference, title, self)
            window.closed.connect(self._campaign_window_closed)
            self.campaign_windows[campaign_id] = window
            window.resize(window.sizeHint())
        window.show()
        keep_on_screen(window)
        window.raise_()
        window.activateWindow()
        return window

    def _campaign_window_closed(self, campaign_id: int) -> None:
        self.campaign_windows.pop(campaign_id, None)
        self._all_closed_yet()

    def close_campaign_windows(
        self, then: Callable[[], None], kept: Callable[[], None] | None = None
    ) -> None:
        """Close every campaign window, each asking about unsaved edits as it does; `then`
        runs once all have closed, `kept` if someone chose to keep one open."""
        self._after_closing = (then, kept)
        for window in list(self.campaign_windows.values()):
            window.close()
            question = getattr(window, "question", None)
            if question is not None and window.isVisible():
                question.finished.connect(lambda _r, q=question: self._closing_answered(q))
        self._all_closed_yet()

    def _closing_answered(self, question: QMessageBox) -> None:
        from PySide6.QtWidgets import QMessageBox

        clicked = question.standardButton(question.clickedButton())
        if clicked in (QMessageBox.StandardButton.Save, QMessageBox.StandardButton.Discard):
            return  # the window closes once saved, or at once
        waiting, self._after_closing = self._after_closing, None
        if waiting is not None and waiting[1] is not None:
            waiting[1]()

    def _all_closed_yet(self) -> None:
        if self._after_closing is not None and not self.campaign_windows:
            then, _kept = self._after_closing
            self._after_closing = None
            then()

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            "About Recruit",
            f"Recruit {__version__}\nCompetency-based recruitment campaigns: adverts, stages, "
            "panel scoring, merit order and PDF packs.",
        )

    # --- the database ------------------------------------------------------------------

    def open_database(self) -> None:
        """Open the configured database in a worker; the window is already on screen."""
        url = self.context.requested_database_url()
        self.statusBar().showMessage("Opening the database…")
        self.context.writes.start(
            lambda: open_and_check(url), self._database_ready, self._database_failed
        )

    def _database_ready(self, opened: OpenedDatabase) -> None:
        """A database has opened (at start or switched to in Settings): sign in, or use it."""
        if opened.backup_made:
            self.statusBar().showMessage(
                f"Upgraded the database; a copy from before is at {opened.backup_made}", 15000
            )
        else:
            self.statusBar().clearMessage()
        if opened.sign_in_required and not self.context.signed_in_by_caller:
            self.context.hold_for_sign_in(opened.database)
            self._show_signed_out()
            self.sign_in.ask(first_administrator=not opened.has_administrator)
            return
        self.context.use_database(opened.database)
        self._show_pages()
        self.context.bus.publish(change_bus.DATABASE)
        self.database_opened.emit()

    def _database_failed(self, exc: BaseException) -> None:
        self.statusBar().clearMessage()
        self.database_label.setText("No database open")
        self.campaigns.show_database_error(exc)
        library = self._built_page("Template library")
        if library is not None:
            library.show_database_error(exc)

    def _on_changed(self, topics: frozenset[str]) -> None:
        if change_bus.DATABASE in topics:
            self._update_database_label()

    def _update_database_label(self) -> None:
        database = self.context.current_database
        if database is not None:
            self.database_label.setText(describe(database))

    # --- signing in ------------------------------------------------------------------

    def ask_sign_in(self) -> None:
        """The "Sign in…" button and menu item: the dialog again, for the waiting database."""
        self.sign_in.ask()

    def _signed_in(self, actor: Actor) -> None:
        self.context.sign_in_as(actor)
        state = self._window_state()
        state.setValue(EMAIL_STATE, self.sign_in.email)
        state.sync()
        self.campaigns.show_loading("Loading campaigns…")
        self._show_pages()
        self.context.bus.publish(change_bus.DATABASE)  # every view reloads as this person
        self.database_opened.emit()

    def _sign_in_cancelled(self) -> None:
        self.statusBar().showMessage("Not signed in.", 5000)

    def sign_out(self) -> None:
        """Close the campaign windows (asking about unsaved edits), then sign in again."""
        if not self.context.signed_in:
            return
        self.close_campaign_windows(self._sign_out_now, self._sign_out_kept)

    def _sign_out_now(self) -> None:
        if self.settings_dialog is not None:
            self.settings_dialog.reject()
        name = self.context.actor.name
        self.context.sign_out()
        self._show_signed_out()
        self.statusBar().showMessage(f"{name} signed out.", 10000)
        self.sign_in.ask()

    def _sign_out_kept(self) -> None:
        self.statusBar().showMessage(
            "Still signed in: a campaign window was kept open with its changes.", 10000
        )

    def change_password(self) -> None:
        if self.context.database is None or self.context.actor.person_id is None:
            return
        from ui.sign_in.dialogs import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.context, self)
        dialog.saved.connect(
            lambda _r: self.statusBar().showMessage("Your password is changed.", 10000)
        )
        dialog.finished.connect(lambda _r: setattr(self, "password_dialog", None))
        self.password_dialog = dialog
        dialog.open()

    def _show_signed_out(self) -> None:
        """No data while nobody is signed in: the pages are emptied and put away."""
        self.campaigns.model.set_campaigns([])
        self.campaigns.show_loading(SIGNED_OUT)
        database = self.context.current_database
        self.signed_out.show_database(describe(database) if database else "This database")
        self.content.setCurrentWidget(self.signed_out)
        self._set_pages_enabled(False)
        self._update_database_label()
        self._update_person()

    def _show_pages(self) -> None:
        self.content.setCurrentWidget(self.pages)
        self._set_pages_enabled(True)
        self._update_person()

    def _set_pages_enabled(self, enabled: bool) -> None:
        for row in range(self.pages.count()):
            item = self.navigation.item(row)
            flags = item.flags()
            if enabled:
                item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled)
            else:
                item.setFlags(flags & ~Qt.ItemFlag.ItemIsEnabled)

    def _update_person(self) -> None:
        """Who is signed in, in the status bar; the sign-in items that apply now."""
        context = self.context
        actor = context.actor
        person = context.database is not None and (context.signed_in or actor.person_id)
        if person:
            role = Role.phrase_for(actor.role)
            self.person_label.setText(f"Signed in as {actor.name} ({role})")
            self.person_label.setToolTip("")
        elif context.database is not None:
            # Nobody signs in to this database: the name the audit trail records.
            self.person_label.setText(f"Working as {actor.name}")
            self.person_label.setToolTip(
                "The audit trail records this name for what you change here; give yours "
                "in Settings."
            )
        self.person_label.setVisible(context.database is not None)
        self.sign_in_action.setVisible(context.awaiting_sign_in is not None)
        self.change_password_action.setVisible(bool(person) and actor.person_id is not None)
        self.sign_out_action.setVisible(context.signed_in)
        self._show_entries_for(actor.role)

    def _show_entries_for(self, role: str) -> None:
        """Panel members see neither the people list nor the audit trail (the services
        refuse them too); if one was on screen, go back to the campaigns."""
        from recruit_app.services.permissions import ALLOWED

        for name, (_module, _class, use_case) in LAZY_PAGES.items():
            if use_case is None:
                continue
            row = self._row_of(name)
            item = self.navigation.item(row)
            item.setHidden(role not in ALLOWED[use_case])
            if item.isHidden() and self.pages.currentIndex() == row:
                self.navigation.setCurrentRow(0)

    # --- window state ------------------------------------------------------------------

    def _window_state(self) -> QSettings:
        return QSettings(str(paths.window_state_path()), QSettings.Format.IniFormat)

    def restore_window_state(self) -> None:
        state = self._window_state()
        geometry = state.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(self.sizeHint())
        keep_on_screen(self)  # saved on a bigger screen, or one no longer plugged in

    def closeEvent(self, event: QCloseEvent) -> None:
        state = self._window_state()
        state.setValue("geometry", self.saveGeometry())
        state.sync()
        super().closeEvent(event)
