"""Settings: which database is in use, testing and switching it; your name at this desk;
the database's own settings (sign-in, how long personal data is kept) and the organisation's
name, colour, logo and marking (printed alike on every desk), set by administrators."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from recruit_app import paths
from recruit_app.errors import RecruitError, ValidationError
from recruit_app.services.branding import MARKING_LIMIT, Organisation
from recruit_app.services.branding import NAME_LIMIT as ORGANISATION_NAME_LIMIT
from recruit_app.services.context import NAME_LIMIT
from recruit_app.settings import DB_ENV, check_database_setting, default_database_url
from ui import change_bus
from ui.context import AppContext
from ui.sign_in.opening import OpenedDatabase, open_and_check
from ui.widgets import ERROR_STYLE, field_error_label

OK_STYLE = "color: #1b5e20;"
HINT_STYLE = "color: #52606d;"
SIGN_IN_HINT = (
    "Without it, Recruit opens as this computer's user, an administrator. Before switching it "
    "on, give an administrator a password on the People screen."
)
SHARED_SERVER = "Everyone signs in on a shared server"
MONTHS_MAX = 120
DIALOG_WIDTH = 720


class SettingsDialog(QDialog):
    """Switching database opens the new one first; on failure the current one stays in use.

    `before_switch(proceed, kept)` may close what depends on the current database first (the
    campaign windows) and call `proceed`, or `kept` if the person chose to keep it; with
    `after_switch(opened)` the newly opened database goes through sign-in there.
    """

    database_settings_loaded = Signal()
    database_settings_saved = Signal(str)  # what changed, in words
    organisation_loaded_signal = Signal()

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        before_switch: Callable[[Callable[[], None], Callable[[], None]], None] | None = None,
        after_switch: Callable[[OpenedDatabase], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.setMinimumWidth(560)
        self.context = context
        self.before_switch = before_switch
        self.after_switch = after_switch
        # (sign-in required, retention months) as read from the database; None until read.
        self.database_values: tuple[bool, int] | None = None
        self.error_box: QWidget | None = None

        self.current_label = QLabel(self._current_text())
        self.current_label.setObjectName("currentDatabase")
        self.current_label.setWordWrap(True)
        self.database_edit = QLineEdit(context.settings.get("database_url"))
        self.database_edit.setObjectName("databaseEdit")
        self.database_edit.setPlaceholderText(
            f"Empty: the file in your data folder ({paths.default_database_path()})"
        )
        browse = QPushButton("Choose file…")
        browse.setObjectName("browseButton")
        browse.clicked.connect(self._browse)
        self.test_button = QPushButton("Test connection")
        self.test_button.setObjectName("testButton")
        self.test_button.clicked.connect(self.test_connection)
        self.test_result = QLabel()
        self.test_result.setObjectName("testResult")
        self.test_result.setWordWrap(True)
        self.switch_error = field_error_label("switchError")
        override = QLabel()
        override.setWordWrap(True)
        if context.db_url_override or _env_database():
            override.setText(
                f"This session was started with --db or {DB_ENV}, which takes precedence over "
                "the database saved here until Recruit is started without it."
            )
        else:
            override.hide()

        row = QHBoxLayout()
        row.addWidget(self.database_edit, 1)
        row.addWidget(browse)
        row.addWidget(self.test_button)
        database_box = QGroupBox("Database")
        database_form = QFormLayout()
        database_form.addRow("In use:", self.current_label)
        database_form.addRow("Use:", row)
        hint = QLabel(
            "A SQLite file path, or a PostgreSQL URL such as "
            "postgresql://user:password@server:5432/recruit for team mode."
        )
        hint.setWordWrap(True)
        database_layout = QVBoxLayout(database_box)
        database_layout.addLayout(database_form)
        # Wrapped lines sit below the forms, full width: in a form row Qt gives them more
        # height than their lines need.
        database_layout.addWidget(hint)
        # Messages sit below the form, full width, so long ones wrap instead of being cut.
        for label in (self.test_result, self.switch_error, override):
            database_layout.addWidget(label)

        you_box = self._you_box()
        self.database_group = self._this_database_box()
        self.organisation_loaded: Organisation | None = None
        organisation_box = self._organisation_box()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        # The groups scroll, the buttons stay: on a small screen the dialog is cut to fit
        # it and scrolls, rather than squeezing wrapped lines into each other.
        body = QWidget()
        groups = QVBoxLayout(body)
        groups.setContentsMargins(0, 0, 0, 0)
        for box in (database_box, you_box, self.database_group, organisation_box):
            groups.addWidget(box)
        groups.addStretch(1)
        self.groups_scroll = QScrollArea()
        self.groups_scroll.setObjectName("settingsScroll")
        self.groups_scroll.setWidgetResizable(True)
        self.groups_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.groups_scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.groups_scroll, 1)
        layout.addWidget(self.buttons)
        self._fit_to_screen(body)

    def _fit_to_screen(self, body: QWidget) -> None:
        """As tall as the groups need at this width, but no taller than the screen."""
        screen = self.screen().availableGeometry() if self.screen() else None
        width = DIALOG_WIDTH
        height = body.heightForWidth(width) if body.hasHeightForWidth() else -1
        height = max(height, body.sizeHint().height()) + self.buttons.sizeHint().height() + 40
        if screen is not None:
            width = min(width, screen.width() - 40)
            height = min(height, screen.height() - 60)
        self.resize(width, height)

    # --- this database's own settings, for administrators --------------------------------

    def _this_database_box(self) -> QGroupBox:
        """Sign-in and retention: stored in the database, so they hold on every desktop."""
        self.sign_in_check = QCheckBox("Ask everyone to sign in")
        self.sign_in_check.setObjectName("signInCheck")
        self.sign_in_hint = _hint(SIGN_IN_HINT)
        self.sign_in_hint.setObjectName("signInHint")
        self.sign_in_error = field_error_label("signInError")
        self.retention_spin = QSpinBox()
        self.retention_spin.setObjectName("retentionSpin")
        self.retention_spin.setRange(1, MONTHS_MAX)
        self.retention_spin.setValue(24)
        self.retention_error = field_error_label("retentionError")
        self.database_status = QLabel("Reading this database's settings…")
        self.database_status.setObjectName("databaseSettingsStatus")
        self.database_status.setWordWrap(True)
        retention = QHBoxLayout()
        retention.addWidget(QLabel("Keep candidates' personal data for"))
        retention.addWidget(self.retention_spin)
        retention.addWidget(QLabel("months after a campaign closes"))
        retention.addStretch(1)
        retention_hint = _hint(
            "Then unsuccessful candidates' names and contact details are erased; their scores "
            "stay, without names. Reserve lists are kept until they expire."
        )

        box = QGroupBox("This database")
        box.setObjectName("databaseGroup")
        layout = QVBoxLayout(box)
        layout.addWidget(self.database_status)
        layout.addWidget(self.sign_in_check)
        layout.addWidget(self.sign_in_hint)
        layout.addWidget(self.sign_in_error)
        layout.addSpacing(6)
        layout.addLayout(retention)
        layout.addWidget(retention_hint)
        layout.addWidget(self.retention_error)
        self._set_database_fields_enabled(False)
        if self._may_change_database():
            self._read_database_settings()
        else:
            box.hide()
        return box

    def _may_change_database(self) -> bool:
        from recruit_app.services.permissions import ALLOWED

        return (
            self.context.database is not None
            and self.context.actor.role in ALLOWED["settings.manage"]
            and self.context.actor.role in ALLOWED["people.manage"]
        )

    def _set_database_fields_enabled(self, enabled: bool) -> None:
        shared = self.context.database is not None and self.context.database.backend != "sqlite"
        self.sign_in_check.setEnabled(enabled and not shared)
        self.retention_spin.setEnabled(enabled)

    def _read_database_settings(self) -> None:
        from recruit_app.services.auth import sign_in_required
        from recruit_app.services.retention import retention_months

        ctx = self.context.service_context()
        self.context.reads.start(
            lambda: (sign_in_required(ctx.db), retention_months(ctx)),
            self._database_settings_read,
            self._database_settings_failed,
        )

    def _database_settings_read(self, values: tuple[bool, int]) -> None:
        self.database_values = values
        required, months = values
        shared = self.context.database is not None and self.context.database.backend != "sqlite"
        if shared:
            self.sign_in_check.setText(SHARED_SERVER)
            self.sign_in_hint.hide()
        self.sign_in_check.setChecked(required)
        self.retention_spin.setValue(months)
        self.database_status.hide()
        self._set_database_fields_enabled(True)
        self.database_settings_loaded.emit()

    def _database_settings_failed(self, exc: BaseException) -> None:
        message = getattr(exc, "message", None) or "They could not be read."
        self.database_status.setText(f"This database's settings cannot be changed now: {message}")
        self.database_status.setStyleSheet(ERROR_STYLE)

    def _database_changes(self) -> tuple[bool | None, int | None]:
        """(sign-in wanted, months wanted), each None where nothing changed."""
        if self.database_values is None or self.database_group.isHidden():
            return None, None
        required, months = self.database_values
        wanted_required: bool | None = self.sign_in_check.isChecked()
        if wanted_required == required or not self.sign_in_check.isEnabled():
            wanted_required = None
        wanted_months: int | None = self.retention_spin.value()
        if wanted_months == months:
            wanted_months = None
        return wanted_required, wanted_months

    def _you_box(self) -> QGroupBox:
        """The name the audit trail records for what is done at this desk without sign-in."""
        from recruit_app.services.context import computer_user

        self.your_name_edit = QLineEdit(self.context.settings.get("your_name"))
        self.your_name_edit.setObjectName("yourNameEdit")
        self.your_name_edit.setMaxLength(NAME_LIMIT)
        self.your_name_edit.setPlaceholderText(f"Empty: this computer's user, {computer_user()}")
        hint = _hint(
            "Recorded in the audit trail as the person who made each change, where the "
            "database does not ask anyone to sign in (there, the person signed in is recorded)."
        )
        box = QGroupBox("You, at this desk")
        layout = QVBoxLayout(box)
        form = QFormLayout()
        form.addRow("Your name:", self.your_name_edit)
        layout.addLayout(form)
        layout.addWidget(hint)
        return box

    def _organisation_box(self) -> QGroupBox:
        """The name, colour, logo and marking printed on adverts, packs and letters: kept in
        the database, so every desk prints the same; administrators change them."""
        self.organisation_edit = QLineEdit()
        self.organisation_edit.setObjectName("organisationEdit")
        self.organisation_edit.setMaxLength(ORGANISATION_NAME_LIMIT)
        self.colour_edit = QLineEdit()
        self.colour_edit.setObjectName("colourEdit")
        self.colour_edit.setPlaceholderText("#1d70b8 (empty: the house blue)")
        self.colour_edit.setMaxLength(7)
        self.pick_colour_button = QPushButton("Choose…")
        self.pick_colour_button.setObjectName("pickColourButton")
        self.pick_colour_button.clicked.connect(self._pick_colour)
        self.colour_error = field_error_label("colourError")
        self.logo_edit = QLineEdit()
        self.logo_edit.setObjectName("logoEdit")
        self.logo_edit.setPlaceholderText("A PNG or JPEG file (empty: no logo)")
        self.browse_logo_button = QPushButton("Choose file…")
        self.browse_logo_button.setObjectName("browseLogoButton")
        self.browse_logo_button.clicked.connect(self._browse_logo)
        self.logo_error = field_error_label("logoError")
        self.marking_edit = QLineEdit()
        self.marking_edit.setObjectName("markingEdit")
        self.marking_edit.setPlaceholderText("Empty: no marking")
        self.marking_edit.setMaxLength(MARKING_LIMIT)
        self.marking_error = field_error_label("markingError")
        self.organisation_status = QLabel("Reading the organisation's settings…")
        self.organisation_status.setObjectName("organisationStatus")
        self.organisation_status.setWordWrap(True)
        self.organisation_status.setStyleSheet(HINT_STYLE)
        box = QGroupBox("Organisation, on adverts, packs and letters (the same on every desk)")
        box.setObjectName("organisationGroup")
        layout = QVBoxLayout(box)
        layout.addWidget(self.organisation_status)
        form = QFormLayout()
        layout.addLayout(form)
        form.addRow("Name:", self.organisation_edit)
        form.addRow("Colour:", _row(self.colour_edit, self.pick_colour_button))
        form.addRow("", self.colour_error)
        form.addRow("Logo:", _row(self.logo_edit, self.browse_logo_button))
        form.addRow("", self.logo_error)
        form.addRow("Marking:", self.marking_edit)
        marking_hint = _hint(
            "Printed at the top and bottom of each page of documents holding personal data "
            "(panel packs, campaign reports, subject access records), like OFFICIAL-SENSITIVE."
        )
        layout.addWidget(marking_hint)
        layout.addWidget(self.marking_error)
        self._set_organisation_editable(False)
        if self.context.database is None:
            self.organisation_status.setText("Sign in to see the organisation's settings.")
        else:
            self._read_organisation()
        return box

    def _may_set_organisation(self) -> bool:
        from recruit_app.services.permissions import may

        return self.context.database is not None and may(self.context.actor, "settings.manage")

    def _set_organisation_editable(self, editable: bool) -> None:
        for edit in (self.organisation_edit, self.colour_edit, self.logo_edit, self.marking_edit):
            edit.setReadOnly(not editable)
        self.pick_colour_button.setEnabled(editable)
        self.browse_logo_button.setEnabled(editable)

    def _read_organisation(self) -> None:
        from recruit_app.services.branding import organisation_settings

        ctx = self.context.service_context()
        self.context.reads.start(
            lambda: organisation_settings(ctx), self._organisation_read, self._organisation_failed
        )

    def _organisation_read(self, organisation: Organisation) -> None:
        self.organisation_loaded = organisation
        self.organisation_edit.setText(organisation.name)
        self.colour_edit.setText(organisation.colour)
        self.logo_edit.setText(organisation.logo_name)
        self.marking_edit.setText(organisation.marking)
        editable = self._may_set_organisation()
        self._set_organisation_editable(editable)
        if not editable:
            self.organisation_status.setText(
                "An administrator sets these for every desk."
                if organisation.in_database
                else "An administrator has not set these for every desk yet: this desk's own "
                "settings are printed meanwhile."
            )
        elif organisation.in_database:
            self.organisation_status.hide()
        else:
            self.organisation_status.setText(
                "Not yet set for every desk: saving stores them in the database, so every "
                "desk prints the same."
            )
        self.organisation_loaded_signal.emit()

    def _organisation_failed(self, exc: BaseException) -> None:
        message = getattr(exc, "message", None) or "They could not be read."
        self.organisation_status.setText(f"The organisation's settings cannot be read: {message}")
        self.organisation_status.setStyleSheet(ERROR_STYLE)

    def _pick_colour(self) -> None:
        from PySide6.QtGui import QColor
        from PySide6.QtWidgets import QColorDialog

        start = QColor(self.colour_edit.text().strip() or "#1d70b8")
        chosen = QColorDialog.getColor(start, self, "Organisation colour")
        if chosen.isValid():
            self.colour_edit.setText(chosen.name())

    def _browse_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "Choose a logo", "", "Images (*.png *.jpg *.jpeg)"
        )
        if path:
            self.logo_edit.setText(path)

    def _organisation_change(self) -> OrganisationChange | None:
        """What to store for the organisation: None where nothing changed (or it may not be
        changed here). Raises _Wrong, with the reasons shown beside the fields, where
        something typed is wrong."""
        from recruit_app.services.branding import check_brand_colour, check_logo, check_marking

        loaded = self.organisation_loaded
        if loaded is None or not self._may_set_organisation():
            return None
        logo_text = self.logo_edit.text().strip()
        name = " ".join(self.organisation_edit.text().split())
        typed = (name, self.colour_edit.text().strip(), self.marking_edit.text().strip())
        if typed == (loaded.name, loaded.colour, loaded.marking) and logo_text == loaded.logo_name:
            return None
        # A new file, or (first stored from this desk's settings) the desk's logo file.
        upload = bool(logo_text) and (logo_text != loaded.logo_name or not loaded.in_database)
        checks: list[tuple[QLabel, Callable[[], str]]] = [
            (self.colour_error, lambda: check_brand_colour(self.colour_edit.text())),
            (self.logo_error, lambda: check_logo(logo_text) if upload else ""),
            (self.marking_error, lambda: check_marking(self.marking_edit.text())),
        ]
        values = []
        for error, check in checks:
            try:
                values.append(check())
                error.hide()
            except ValidationError as exc:
                error.setText(exc.message)
                error.show()
        if len(values) != len(checks):
            raise _Wrong
        colour, logo, marking = values
        return OrganisationChange(
            name=name,
            colour=colour,
            marking=marking,
            logo=Path(logo) if upload else None,
            clear_logo=not logo_text and loaded.logo_size > 0,
            seen=loaded,
        )

    def _current_text(self) -> str:
        database = self.context.current_database
        if database is None:
            return "None open"
        kind = "SQLite file" if database.backend == "sqlite" else "PostgreSQL"
        waiting = " (waiting for someone to sign in)" if self.context.database is None else ""
        return f"{kind}: {database.target.display}{waiting}"

    def _browse(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            "Choose or create a database file",
            str(paths.data_dir()),
            "Recruit databases (*.sqlite3 *.db);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.database_edit.setText(path)

    def _typed_url(self) -> str:
        return self.database_edit.text().strip() or default_database_url()

    def test_connection(self) -> None:
        from recruit_app.services.database import test_connection

        url = self._typed_url()
        self.test_button.setEnabled(False)
        self.test_result.setStyleSheet("")
        self.test_result.setText("Testing…")
        self.context.reads.start(lambda: test_connection(url), self._tested, self._test_failed)

    def _tested(self, message: str) -> None:
        self._show_result(message, OK_STYLE)

    def _test_failed(self, exc: BaseException) -> None:
        self._show_result(getattr(exc, "message", None) or "The test failed.", ERROR_STYLE)

    def _show_result(self, message: str, style: str) -> None:
        self.test_button.setEnabled(True)
        self.test_result.setStyleSheet(style)
        self.test_result.setText(message)
        self.adjustSize()  # long messages wrap onto more lines: let the dialog grow

    def save(self) -> None:
        """Check everything, save the database's settings, then this desktop's; nothing is
        saved if anything is refused."""
        for label in (self.switch_error, self.sign_in_error, self.retention_error):
            label.hide()
        try:
            organisation = self._organisation_change()
        except _Wrong:
            return  # what is wrong is shown beside the field, and nothing is saved
        required, months = self._database_changes()
        if required is None and months is None and organisation is None:
            self._save_desktop()
            return
        ctx = self.context.service_context()
        was_months = self.database_values[1] if self.database_values else None
        self.buttons.setEnabled(False)
        self.context.writes.start(
            lambda: save_database_settings(
                ctx,
                required=required,
                months=months,
                organisation=organisation,
                was_months=was_months,
            ),
            lambda stored: self._database_saved(required, months, stored),
            self._database_refused,
        )

    def _database_saved(
        self, required: bool | None, months: int | None, stored: Organisation | None
    ) -> None:
        self.buttons.setEnabled(True)
        old_required, old_months = self.database_values or (False, 0)
        self.database_values = (
            old_required if required is None else required,
            old_months if months is None else months,
        )
        said = []
        if required is not None:
            said.append(
                "Sign-in switched on: from the next start everyone signs in."
                if required
                else "Sign-in switched off."
            )
        if months is not None:
            said.append(f"Personal data is kept for {months} months after a campaign closes.")
        if stored is not None:
            self.organisation_loaded = stored
            said.append("Every desk now prints the organisation's name, colour, logo and marking.")
        self.database_settings_saved.emit(" ".join(said))
        self._save_desktop()

    def _database_refused(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        beside = {
            "sign_in": self.sign_in_error,
            "months": self.retention_error,
            "brand_colour": self.colour_error,
            "logo_path": self.logo_error,
            "marking": self.marking_error,
            "name": self.marking_error,
        }
        if isinstance(exc, ValidationError) and exc.field in beside:
            label = beside[exc.field]
            label.setText(exc.message)
            label.show()
            self.adjustSize()
            return
        from ui.errors import error_box

        self.error_box = error_box(self, exc, "Settings")

    def _save_desktop(self) -> None:
        """This desktop's settings, then the database to use (switching goes through
        sign-in where the new database asks for it)."""
        settings = self.context.settings
        your_name = " ".join(self.your_name_edit.text().split())
        if your_name != settings.get("your_name"):
            settings.set("your_name", your_name)
            self.context.rename_desk_owner()
        wanted = self.database_edit.text().strip()
        try:
            check_database_setting(wanted)
        except ValidationError as exc:
            self.switch_error.setText(exc.message)
            self.switch_error.show()
            self.adjustSize()
            return
        if wanted == settings.get("database_url") and self.context.current_database is not None:
            settings.save()
            self.accept()
            return
        url = self._typed_url()
        self.buttons.setEnabled(False)

        def proceed() -> None:
            self.context.writes.start(
                lambda: open_and_check(url),
                lambda opened: self._switched(opened, wanted),
                self._switch_failed,
            )

        if self.before_switch is not None:
            self.before_switch(proceed, self._switch_kept)
        else:
            proceed()

    def _switch_kept(self) -> None:
        self.buttons.setEnabled(True)
        self.switch_error.setText(
            "Not switched: a campaign window was kept open with changes not saved. "
            f"Still using {self._current_text()}."
        )
        self.switch_error.show()
        self.adjustSize()

    def _switched(self, opened: OpenedDatabase, wanted: str) -> None:
        self.buttons.setEnabled(True)
        self.context.settings.set("database_url", wanted)
        self.context.settings.save()
        self.accept()
        if self.after_switch is not None:
            self.after_switch(opened)
        else:
            self.context.use_database(opened.database)
            self.context.bus.publish(change_bus.DATABASE)

    def _switch_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        message = getattr(exc, "message", None) or "The database could not be opened."
        still = self._current_text()
        self.switch_error.setText(f"Could not switch: {message} Still using {still}.")
        self.switch_error.show()
        self.adjustSize()


class _Wrong(Exception):
    """Something typed is wrong; the reason is shown beside its field."""


@dataclass(frozen=True)
class OrganisationChange:
    """The organisation as typed on the settings screen, checked, to store for every desk."""

    name: str
    colour: str
    marking: str
    logo: Path | None  # a new logo to store
    clear_logo: bool
    seen: Organisation  # as the screen read it: saving over someone's later change is refused


def save_database_settings(
    ctx: Any,
    *,
    required: bool | None,
    months: int | None,
    organisation: OrganisationChange | None = None,
    was_months: int | None = None,
) -> Organisation | None:
    """In a worker: switch sign-in, set the retention period and store the organisation,
    each where it changed. Returns the organisation stored, if it was.

    Errors come back naming the field they belong beside ("sign_in", "months", the
    organisation's fields). Everything typed is checked before anything is saved, and a
    later refusal puts back what was saved before it (sign-in, the retention period), so
    nothing is half-saved."""
    from recruit_app.domain.retention import check_months
    from recruit_app.services.auth import set_sign_in_required
    from recruit_app.services.branding import set_organisation
    from recruit_app.services.retention import set_retention_months

    if months is not None:
        try:
            check_months(months)
        except ValidationError as exc:
            raise ValidationError(exc.message, "months") from exc
    if required is not None:
        try:
            set_sign_in_required(ctx, required)
        except RecruitError as exc:
            raise ValidationError(exc.message, "sign_in") from exc
    if months is not None:
        try:
            set_retention_months(ctx, months)
        except RecruitError as exc:
            if required is not None:
                set_sign_in_required(ctx, not required)
            raise ValidationError(exc.message, "months") from exc
    if organisation is None:
        return None
    try:
        return set_organisation(
            ctx,
            name=organisation.name,
            colour=organisation.colour,
            marking=organisation.marking,
            logo=organisation.logo,
            clear_logo=organisation.clear_logo,
            expected=organisation.seen,
        )
    except RecruitError:
        if months is not None and was_months is not None:
            set_retention_months(ctx, was_months)
        if required is not None:
            set_sign_in_required(ctx, not required)
        raise


def _hint(text: str) -> QLabel:
    """A grey line of explanation, wrapped."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    return label


def _row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for index, widget in enumerate(widgets):
        row.addWidget(widget, 1 if index == 0 else 0)
    return row


def _env_database() -> str:
    import os

    return os.environ.get(DB_ENV, "")
