"""The advert builder: every advert field, the criteria, a live preview and the checks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from recruit_app.domain.advert_rules import (
    CONTRACT_TYPES,
    GRADES,
    SECURITY_LEVELS,
    WORKING_PATTERNS,
)
from recruit_app.domain.advert_sections import suggested_wording
from recruit_app.errors import ConflictError, ValidationError
from recruit_app.readmodels import STANDARD_SECTIONS
from recruit_app.vocabulary import Outcome
from ui import change_bus
from ui.adverts.criteria import CriteriaEditor
from ui.adverts.fields import (
    CheckField,
    CountField,
    FieldEditor,
    LineField,
    ListField,
    MomentField,
    PayZonesField,
    SectionField,
    TextField,
)
from ui.context import AppContext
from ui.errors import error_box
from ui.widgets import MessageLine, field_error_label, guard_wheel, load_waits

if TYPE_CHECKING:
    from recruit_app.domain.advert_rules import Finding
    from recruit_app.services.adverts import AdvertForm, AdvertPreview, CriterionRow

PREVIEW_DELAY_MS = 350
TEXT = 20_000

# (group, [(field, label, editor factory)]) in the order a manager fills them in.
SECTIONS: list[tuple[str, list[tuple[str, str, Any]]]] = [
    (
        "The job",
        [
            ("title", "Job title", lambda: LineField(200, "e.g. Software Developer")),
            ("grade", "Grade", lambda: LineField(100, "e.g. Senior Executive Officer", GRADES)),
            ("contract_type", "Contract type", lambda: LineField(100, "", CONTRACT_TYPES)),
            ("business_area", "Business area", lambda: LineField(200)),
            ("role_types", "Type of role", lambda: ListField(200, "e.g. Digital, Engineering")),
            (
                "working_patterns",
                "Working pattern",
                lambda: ListField(200, ", ".join(WORKING_PATTERNS[:3])),
            ),
            ("posts", "Number of posts", lambda: CountField(1, 1000)),
            ("locations", "Locations", lambda: ListField(200, "e.g. Glasgow, Manchester")),
        ],
    ),
    (
        "Pay",
        [
            ("pay_zones", "Salary by pay zone", PayZonesField),
            ("allowance", "Allowances", lambda: TextField("Any allowance, and its rules", 2)),
        ],
    ),
    (
        "Dates",
        [
            ("opens_at", "Advert opens", MomentField),
            ("closes_at", "Closing date and time", MomentField),
        ],
    ),
    (
        "About the job",
        [
            ("summary", "Job summary", lambda: TextField("Two or three sentences", 4)),
            ("job_description", "Job description", lambda: TextField("", 7)),
            (
                "responsibilities",
                "Responsibilities",
                lambda: TextField("One responsibility per line", 6),
            ),
        ],
    ),
    (
        "Person specification",
        [
            (
                "person_specification",
                "Introduction",
                lambda: TextField("Who you are looking for, before the criteria", 3),
            ),
            ("criteria", "Criteria", None),
            ("qualifications", "Qualifications", lambda: TextField("", 2)),
        ],
    ),
    (
        "How candidates are assessed and what they get",
        [
            ("selection_process", "Selection process", lambda: TextField("", 4)),
            ("benefits", "Benefits", lambda: TextField("One benefit per line", 4)),
            (
                "statement_word_limit",
                "Personal statement limit",
                lambda: CountField(0, 5_000, " words", "No limit"),
            ),
            (
                "answer_word_limit",
                "Limit per criterion answer",
                lambda: CountField(0, 2_000, " words", "No limit"),
            ),
        ],
    ),
    (
        "Things candidates need to know",
        [
            (
                "security_clearance",
                "Security clearance",
                lambda: LineField(100, "", SECURITY_LEVELS),
            ),
            (
                "reserve_list_months",
                Outcome.RESERVE.label,
                lambda: CountField(0, 60, " months"),
            ),
        ],
    ),
    (
        "Candidate information pack",
        [
            (
                "hiring_manager",
                "Hiring manager",
                lambda: LineField(200, "Signs the welcome letter"),
            ),
            (
                "welcome_letter",
                "Welcome letter",
                lambda: TextField("Opens the pack, in the hiring manager's words", 6),
            ),
            ("about_organisation", "About us", lambda: TextField("", 5)),
            ("how_to_apply", "How to apply", lambda: TextField("", 4)),
            ("terms_and_conditions", "Terms and conditions", lambda: TextField("", 4)),
            (
                "offers_feedback",
                "Feedback",
                lambda: CheckField("Outcome letters give candidates their scores and feedback"),
            ),
        ],
    ),
    (
        "What every pack says",
        [(key, heading, lambda: SectionField("", 3)) for key, heading in STANDARD_SECTIONS],
    ),
    (
        "Contact point for applicants",
        [
            ("contact_name", "Name", lambda: LineField(200)),
            ("contact_email", "E-mail", lambda: LineField(320, "name@department.gov.uk")),
            ("team_email", "Recruitment team e-mail", lambda: LineField(320)),
        ],
    ),
]

# What each finding's field is called in the checks list: the form's labels, and the
# criteria table and the advert as a whole.
FIELD_LABELS: dict[str, str] = {
    **{name: label for _group, fields in SECTIONS for name, label, _factory in fields},
    "advert": "the whole advert",
}


class AdvertBuilder(QWidget):
    """Edits one campaign's advert. Saving, publishing and exporting run off the GUI thread."""

    loaded = Signal()  # after the form is (re)filled from the database
    previewed = Signal()  # after each preview and check
    saved = Signal()
    dirty_changed = Signal(bool)

    def __init__(
        self, context: AppContext, campaign_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("advertBuilder")
        self.context = context
        self.campaign_id = campaign_id
        self.form: AdvertForm | None = None
        self.findings: tuple[Finding, ...] = ()
        self.dialog: QWidget | None = None
        self._filling = False
        self._dirty = False
        self._preview_serial = 0
        self.editors: dict[str, FieldEditor] = {}
        self.errors: dict[str, QLabel] = {}

        # Two lines kept for it: an export's warnings go on a second line.
        self.status = MessageLine("advertStatus", lines=2, text="Loading…")
        self.save_button = self._button("&Save", "saveAdvert", self.save)
        self.publish_button = self._button("&Publish…", "publishAdvert", self.ask_publish)
        self.revert_button = self._button("Revert", "revertAdvert", self.load)
        self.export_button = QToolButton()
        self.export_button.setObjectName("exportAdvert")
        self.export_button.setText("Export")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        for label, fmt, published in (
            ("PDF…", "pdf", False),
            ("Web page (HTML)…", "html", False),
            ("Plain text for job boards…", "txt", False),
            ("Last published version as PDF…", "pdf", True),
        ):
            action = menu.addAction(label)
            action.triggered.connect(lambda _c=False, f=fmt, p=published: self.ask_export(f, p))
        self.export_button.setMenu(menu)

        self.criteria = CriteriaEditor(context)
        self.criteria.edited.connect(self._edited)
        self.criteria.library_levels_added.connect(self._library_levels_added)
        form_area = self.form_area = self._build_form()
        self.preview = QTextBrowser()
        self.preview.setObjectName("advertPreview")
        self.preview.setOpenLinks(False)
        self.checks = QListWidget()
        self.checks.setObjectName("advertChecks")
        self.checks.setWordWrap(True)
        self.checks.itemActivated.connect(self._go_to_finding)
        self.side = QTabWidget()
        self.side.addTab(self.preview, "Preview")
        self.side.addTab(self.checks, "Checks")

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(form_area)
        splitter.addWidget(self.side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        for widget in (
            self.revert_button,
            self.save_button,
            self.publish_button,
            self.export_button,
        ):
            bar.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.refresh_preview)
        save = QAction(self)
        save.setShortcut(QKeySequence.StandardKey.Save)
        save.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.triggered.connect(self.save)
        self.addAction(save)
        self._publishing = False
        context.bus.changed.connect(self._on_changed)
        self._update_buttons()

    # --- building ------------------------------------------------------------------------

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _build_form(self) -> QScrollArea:
        body = QWidget()
        column = QVBoxLayout(body)
        for heading, fields in SECTIONS:
            group = QGroupBox(heading)
            form = QFormLayout(group)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for name, label, factory in fields:
                editor: QWidget = self.criteria
                if factory is not None:
                    field_editor = factory()
                    field_editor.setObjectName(f"field_{name}")
                    field_editor.edited.connect(self._edited)
                    if isinstance(field_editor, SectionField):
                        field_editor.suggest_requested.connect(
                            lambda key=name: self.suggest_wording(key)
                        )
                    self.editors[name] = field_editor
                    editor = field_editor
                # A line kept under each field: a check's message appears as the user types,
                # and the fields below stay put (the Checks tab lists every message whole).
                error = field_error_label(f"error_{name}", lines=1)
                self.errors[name] = error
                holder = QWidget()
                stack = QVBoxLayout(holder)
                stack.setContentsMargins(0, 0, 0, 0)
                stack.addWidget(editor)
                stack.addWidget(error)
                form.addRow(label, holder)
            column.addWidget(group)
        column.addStretch(1)
        guard_wheel(body)
        scroll = QScrollArea()
        scroll.setObjectName("advertForm")
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(560)
        return scroll

    # --- loading -------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self._dirty

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)
        self._update_buttons()

    def load(self) -> None:
        from recruit_app.services.adverts import get_advert

        if load_waits(self):  # hidden in its campaign window: read when shown
            return
        ctx = self.context.service_context()
        self.context.reads.start(lambda: get_advert(ctx, self.campaign_id), self.fill, self._failed)

    def fill(self, form: AdvertForm) -> None:
        """Show `form` in the editors (replacing anything typed)."""
        self.form = form
        self._filling = True
        try:
            for name, editor in self.editors.items():
                editor.set_value(form.fields[name])
            self.criteria.set_rows(form.criteria)
        finally:
            self._filling = False
        self._set_dirty(False)
        self._show_status()
        self.refresh_preview()
        self.loaded.emit()

    def _show_status(self) -> None:
        if self.form is not None:
            edits = " · unsaved changes" if self._dirty else ""
            self.status.setText(f"{self.form.status_label}{edits}")

    # --- editing -------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        return {name: editor.value() for name, editor in self.editors.items()}

    def criteria_rows(self) -> list[CriterionRow]:
        return self.criteria.rows()

    def suggest_wording(self, key: str) -> None:
        """Fill a standard section with Recruit's wording for the advert as typed so far."""
        from recruit_app.services.adverts import compose_document

        editor = self.editors.get(key)
        if self.form is None or not isinstance(editor, SectionField):
            return
        try:
            doc = compose_document(
                self.form,
                organisation=self.context.settings.get("organisation_name"),
                fields=self.values(),
                criteria=self.criteria_rows(),
            )
        except (ValueError, TypeError):  # input the preview cannot read yet
            doc = compose_document(
                self.form, organisation=self.context.settings.get("organisation_name")
            )
        editor.suggest(suggested_wording(key, doc))

    def _edited(self) -> None:
        if self._filling or self.form is None:
            return
        self._set_dirty(
            self.values() != self._saved_values()
            or self.criteria_rows() != list(self.form.criteria)
        )
        self._show_status()
        self._preview_timer.start()

    def _saved_values(self) -> dict[str, Any]:
        assert self.form is not None
        saved = {name: self.form.fields[name] for name in self.editors}
        # Compare like with like: editors return stripped, minute-precise values.
        for name, editor in self.editors.items():
            if isinstance(editor, MomentField) and saved[name] is not None:
                saved[name] = saved[name].replace(second=0, microsecond=0)
        return saved

    def _library_levels_added(self, criterion_id: int, levels: dict[int, Any]) -> None:
        if self.form is not None:
            merged = {**self.form.library_levels, criterion_id: levels}
            self.form = replace(self.form, library_levels=merged)

    # --- preview and checks --------------------------------------------------------------

    def refresh_preview(self) -> None:
        from recruit_app.services.adverts import preview_advert

        if self.form is None:
            return
        self._preview_serial += 1
        serial, form = self._preview_serial, self.form
        fields, rows = self.values(), self.criteria_rows()
        organisation = self.context.settings.get("organisation_name")

        def work() -> AdvertPreview:
            return preview_advert(form, organisation=organisation, fields=fields, criteria=rows)

        def done(result: AdvertPreview) -> None:
            if serial == self._preview_serial:  # a newer preview is on its way otherwise
                self._show_preview(result)

        self.context.reads.start(work, done, self._preview_failed, busy=False)

    def _preview_failed(self, exc: BaseException) -> None:
        # Unsaved input the preview cannot show yet (a bad salary, say) is reported by Save.
        self.checks.clear()
        self.checks.addItem(f"The preview cannot be shown: {getattr(exc, 'message', exc)}")

    def _show_preview(self, result: AdvertPreview) -> None:
        bar = self.preview.verticalScrollBar()
        position = bar.value()
        self.preview.setHtml(result.html)
        bar.setValue(position)
        self.findings = result.findings
        self._show_findings()
        self._update_buttons()
        self.previewed.emit()

    def _show_findings(self) -> None:
        for label in self.errors.values():
            label.hide()
        self.checks.clear()
        errors = [f for f in self.findings if f.severity == "error"]
        warnings = [f for f in self.findings if f.severity != "error"]
        for finding in errors:
            shown = self.errors.get(finding.field)
            if shown is not None:
                text = (
                    shown.text() + "\n" + finding.message if shown.isVisible() else finding.message
                )
                shown.setText(text)
                shown.show()
        for finding in [*errors, *warnings]:
            mark = "Must fix" if finding.severity == "error" else "Consider"
            where = FIELD_LABELS.get(finding.field)
            quoted = f"“{finding.text}”"
            said = finding.kind == "long-sentence" or quoted in finding.message
            words = f" {quoted}" if finding.text and not said else ""
            item = QListWidgetItem(
                f"{mark}, in {where}:{words} {finding.message}"
                if where
                else f"{mark}:{words} {finding.message}"
            )
            item.setData(Qt.ItemDataRole.UserRole, finding)
            self.checks.addItem(item)
        if not self.findings:
            self.checks.addItem("No problems found.")
        self.side.setTabText(1, f"Checks ({len(errors)} to fix, {len(warnings)} to consider)")

    def _go_to_finding(self, item: QListWidgetItem) -> None:
        """To the finding's field, scrolled into view, with the words flagged selected."""
        finding = item.data(Qt.ItemDataRole.UserRole)
        if finding is None:  # "No problems found."
            return
        editor = self.editors.get(finding.field)
        if editor is not None:
            self.form_area.ensureWidgetVisible(editor)
            editor.focus(finding.start, finding.end, finding.text)
        elif finding.field == "criteria":
            self.form_area.ensureWidgetVisible(self.criteria)
            self.criteria.table.setFocus()

    def _update_buttons(self) -> None:
        loaded = self.form is not None
        blocking = any(f.severity == "error" for f in self.findings)
        self.save_button.setEnabled(loaded and self._dirty)
        self.revert_button.setEnabled(loaded and self._dirty)
        unchanged = (
            self.form is not None
            and self.form.published_version > 0
            and not self.form.changed_since_published
        )
        self.publish_button.setEnabled(
            loaded and not self._dirty and not blocking and not unchanged
        )
        if self._dirty:
            tip = "Save first"
        elif blocking:
            tip = "Fix the checks marked 'Must fix' first"
        elif unchanged:
            tip = "Nothing has changed since it was published"
        else:
            tip = "Freeze this advert as the version candidates see"
        self.publish_button.setToolTip(tip)

    # --- saving --------------------------------------------------------------------------

    def save(self, *, overwrite: bool = False) -> None:
        from recruit_app.services.adverts import get_advert, save_advert

        if self.form is None or not (self._dirty or overwrite):
            return
        ctx = self.context.service_context()
        fields, rows, version = self.values(), self.criteria_rows(), self.form.version

        def work() -> AdvertForm:
            expected = get_advert(ctx, self.campaign_id).version if overwrite else version
            return save_advert(
                ctx, self.campaign_id, fields=fields, criteria=rows, expected_version=expected
            )

        self.save_button.setEnabled(False)
        self.context.writes.start(work, self._saved, self._save_failed)

    def _saved(self, form: AdvertForm) -> None:
        self.fill(form)
        self._publishing = True  # our own news needs no reload
        try:
            self.context.bus.publish(change_bus.CAMPAIGNS)
        finally:
            self._publishing = False
        self.saved.emit()

    def _on_changed(self, topics: frozenset[str]) -> None:
        """Dates changed on the timetable tab (say): show them, unless edits are pending."""
        relevant = topics & {change_bus.CAMPAIGNS, change_bus.STAGES, change_bus.DATABASE}
        if relevant and not self._publishing and not self._dirty and self.form is not None:
            self.load()

    def _save_failed(self, exc: BaseException) -> None:
        self._update_buttons()
        if isinstance(exc, ValidationError):
            label = self.errors.get(exc.field or "")
            if label is not None:
                label.setText(exc.message)
                label.show()
                if exc.field in self.editors:
                    self.editors[exc.field].focus()
                return
        if isinstance(exc, ConflictError):
            self._ask_about_conflict(exc)
            return
        self.dialog = error_box(self, exc, "Saving the advert")

    def _ask_about_conflict(self, exc: ConflictError) -> None:
        box = QMessageBox(self)
        box.setObjectName("advertConflict")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Someone else changed this advert")
        box.setText(exc.message)
        box.setInformativeText(
            "Keep your version (it replaces theirs), or load theirs "
            "(your unsaved changes are discarded)."
        )
        mine = box.addButton("Keep mine", QMessageBox.ButtonRole.AcceptRole)
        theirs = box.addButton("Load theirs", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)

        def answered(_result: int) -> None:
            self.dialog = None
            if box.clickedButton() is mine:
                self.save(overwrite=True)
            elif box.clickedButton() is theirs:
                self.load()

        box.finished.connect(answered)
        self.dialog = box
        box.open()

    def _failed(self, exc: BaseException) -> None:
        self.dialog = error_box(self, exc, "The advert")

    # --- publishing and exporting --------------------------------------------------------

    def ask_publish(self) -> None:
        if self.form is None:
            return
        box = QMessageBox(self)
        box.setObjectName("confirmPublish")
        box.setWindowTitle("Publish the advert")
        number = self.form.published_version + 1
        box.setText(f"Publish this advert as version {number}?")
        box.setInformativeText(
            "It is frozen as candidates will see it; later edits make a "
            "new version. The audit trail keeps every version."
        )
        publish = box.addButton("Publish", QMessageBox.ButtonRole.AcceptRole)
        publish.setObjectName("confirmPublishButton")
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _r: self._publish_answered(box, publish))
        self.dialog = box
        box.open()

    def _publish_answered(self, box: QMessageBox, publish: QPushButton) -> None:
        from recruit_app.services.adverts import publish_advert

        self.dialog = None
        if box.clickedButton() is not publish or self.form is None:
            return
        ctx, version = self.context.service_context(), self.form.version
        self.context.writes.start(
            lambda: publish_advert(ctx, self.campaign_id, expected_version=version),
            self._saved,
            self._save_failed,
        )

    def ask_export(self, fmt: str, published: bool = False) -> None:
        if self.form is None:
            return
        suffix = {
            "pdf": "PDF files (*.pdf)",
            "html": "Web pages (*.html)",
            "txt": "Text files (*.txt)",
        }[fmt]
        name = f"{self.form.reference} advert{' (published)' if published else ''}.{fmt}"
        path, _chosen = QFileDialog.getSaveFileName(
            self, "Export the advert", str(Path.home() / name), suffix
        )
        if path:
            self.export_to(Path(path), fmt, published=published)

    def export_to(self, path: Path, fmt: str, *, published: bool = False) -> None:
        from recruit_app.services.adverts import export_advert

        if self._dirty:
            self.status.setText("Exporting the last saved version (save to include your changes).")
        ctx = self.context.service_context()
        # Filled by the worker; read only once it has finished.
        warnings: list[str] = []
        self.context.exports.start(
            lambda: export_advert(
                ctx, self.campaign_id, path, fmt, published=published, on_warning=warnings.append
            ),
            # A name that will not print in full is named under the path.
            lambda written: self.status.setText("\n".join([f"Exported to {written}", *warnings])),
            self._failed,
        )
