"""The Exports tab: pick a pack (and its stage), see its first pages, export it.

Previews and exports run in workers; an export shows a progress dialog with Cancel, and a
cancelled or failed export leaves no file behind (the services write atomically).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QStandardPaths, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from recruit_app.errors import Cancelled, RecruitError
from ui import change_bus
from ui.context import AppContext
from ui.errors import error_box
from ui.progress import JobProgress
from ui.widgets import ERROR_STYLE, load_waits

if TYPE_CHECKING:
    from collections.abc import Sequence

    from recruit_app.services.packs import PackKind
    from recruit_app.services.stages import SeatView

REFRESH_ON = frozenset(
    {
        change_bus.CAMPAIGNS,
        change_bus.STAGES,
        change_bus.CANDIDATES,
        change_bus.SCORES,
        change_bus.POSTS,
        change_bus.DATABASE,
    }
)
CHAIR_COPY_NAME = "chairs copy"  # "...-panel-pack-chairs-copy.pdf"
MEMBER_COPY_NAME = "copy for {}"  # "...-panel-pack-copy-for-hannah-lee.pdf"
WHOLE_PANEL = "The whole panel"
CHAIR_TIP = (
    "Adds the chair's brief: the running order, the welcome and close script and the "
    "departures from the question plan recorded so far. Saved under its own name."
)
MEMBER_TIP = (
    "The whole panel's pack, or one member's own copy: their score boxes only, for the "
    "candidates they assess. Saved under its own name."
)
NO_PANEL_TIP = "No one sits on this stage's panel yet: seat the panel on the Stages tab."
NAME_ROLE = Qt.ItemDataRole.UserRole + 1  # the member's name, for captions and file names
PREVIEW_DELAY_MS = 400  # after the last change, so a burst of edits makes one preview
PAGE_WIDTH_PX = 560
NOTE_STYLE = "color: #505a5f;"
WARNING_STYLE = "color: #6f4a00;"  # dark amber: 7:1 on white


class PanelSeat(NamedTuple):
    """One person on a stage's panel, as the "Copy for" choice lists them."""

    person_id: int
    name: str
    label: str  # "Tom Okonkwo (chair)", with the panel where the stage has several


Loaded = tuple[str, list[tuple[int, str]], dict[int, tuple[PanelSeat, ...]]]


class ExportsTab(QWidget):
    """One campaign's packs. `previewed` follows each preview; `exported` carries the paths."""

    loaded = Signal()
    previewed = Signal()
    exported = Signal(object)  # list[Path]

    def __init__(
        self, context: AppContext, campaign_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportsTab")
        self.context = context
        self.campaign_id = campaign_id
        self.reference = ""
        self.dialog: QFileDialog | None = None
        self.question: QMessageBox | None = None  # asked before generating letters
        self.job: JobProgress | None = None
        self._serial = 0
        self.panels: dict[int, tuple[PanelSeat, ...]] = {}  # by stage id
        self._build()
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.preview)
        context.bus.changed.connect(self._bus_changed)

    # --- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        from recruit_app.services.packs import PACKS
        from recruit_app.services.permissions import refusal

        self.packs = QListWidget()
        self.packs.setObjectName("packList")
        self.packs.setSpacing(4)
        bold = self.packs.font()
        bold.setBold(True)
        for kind in PACKS.values():
            item = QListWidgetItem(kind.name)
            item.setData(Qt.ItemDataRole.UserRole, kind.key)
            item.setToolTip(kind.description)
            item.setFont(bold)
            refused = refusal(self.context.actor, kind.use_case)
            if refused:  # offered to those who may make it only, saying why
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(refused)
            self.packs.addItem(item)
        # Just tall enough for the four packs: the description and choices sit below.
        rows = sum(self.packs.sizeHintForRow(i) + 2 * self.packs.spacing() for i in range(4))
        self.packs.setFixedHeight(rows + 2 * self.packs.frameWidth() + 4)
        self.description = QLabel()
        self.description.setObjectName("packDescription")
        self.description.setWordWrap(True)
        self.description.setStyleSheet(NOTE_STYLE)
        self.packs.currentRowChanged.connect(lambda _row: self._choice_changed())
        self.stage_combo = QComboBox()
        self.stage_combo.setObjectName("stageCombo")
        self.stage_combo.currentIndexChanged.connect(lambda _i: self._stage_changed())
        self.member_combo = QComboBox()
        self.member_combo.setObjectName("memberCombo")
        self.member_combo.addItem(WHOLE_PANEL, None)
        self.member_combo.currentIndexChanged.connect(lambda _i: self._choice_changed())
        self.merge_box = QCheckBox("One PDF with every letter (otherwise a file each)")
        self.merge_box.setObjectName("mergeBox")
        self.applications_box = QCheckBox("Include applications")
        self.applications_box.setObjectName("includeApplications")
        self.applications_box.setToolTip(
            "Each candidate's application after their score sheet, as the panel reads it: "
            "name-blind at a name-blind stage."
        )
        self.applications_box.toggled.connect(lambda _on: self._choice_changed())
        self.chair_box = QCheckBox("Chair's copy")
        self.chair_box.setObjectName("chairCopy")
        self.chair_box.setToolTip(CHAIR_TIP)
        self.chair_box.toggled.connect(lambda _on: self._choice_changed())
        self.export_button = QPushButton("&Export…")
        self.export_button.setObjectName("exportButton")
        self.export_button.clicked.connect(self.ask_target)
        self.status = QLabel()
        self.status.setObjectName("exportStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # After an export: open what was written, or the folder holding it.
        self.written: list[Path] = []
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self.open_button = QPushButton("&Open")
        self.open_button.setObjectName("openExport")
        self.open_button.setToolTip("Open the file just written")
        self.open_button.clicked.connect(lambda: self._open(self.written[0]))
        self.folder_button = QPushButton("Show in &folder")
        self.folder_button.setObjectName("showExportFolder")
        self.folder_button.setToolTip("Open the folder the export was written to")
        self.folder_button.clicked.connect(lambda: self._open(self.written[0].parent))
        self._show_written([])

        self.stage_label = QLabel("&Stage:")
        self.stage_label.setBuddy(self.stage_combo)
        form = QFormLayout()
        form.addRow(self.stage_label, self.stage_combo)
        self.member_label = QLabel("&Copy for:")
        self.member_label.setBuddy(self.member_combo)
        form.addRow(self.member_label, self.member_combo)
        form.addRow("", self.merge_box)
        choices = QHBoxLayout()
        choices.addWidget(self.applications_box)
        choices.addWidget(self.chair_box)
        choices.addStretch(1)
        form.addRow("", choices)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(QLabel("Pack"))
        left_layout.addWidget(self.packs)
        left_layout.addWidget(self.description)
        left_layout.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.status)
        after = QHBoxLayout()
        after.addWidget(self.open_button)
        after.addWidget(self.folder_button)
        after.addStretch(1)
        left_layout.addLayout(after)
        left_layout.addStretch(1)

        self.preview_note = QLabel("Choose a pack to see its first pages.")
        self.preview_note.setObjectName("previewNote")
        self.preview_note.setStyleSheet(NOTE_STYLE)
        self.preview_note.setWordWrap(True)
        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setObjectName("previewArea")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.pages)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.preview_note)
        right_layout.addWidget(scroll, 1)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 820])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    # --- loading -----------------------------------------------------------------------

    def load(self) -> None:
        """Read the campaign's reference and scoring stages, then preview the chosen pack."""
        if load_waits(self):  # hidden in its campaign window: read when shown
            return
        try:
            ctx = self.context.service_context()
        except RecruitError as exc:
            self._say(exc.message, error=True)
            return
        campaign_id = self.campaign_id

        def read() -> Loaded:
            from recruit_app.domain.stage_rules import SCORING_KINDS
            from recruit_app.services.stages import stages_overview

            overview = stages_overview(ctx, campaign_id)
            scoring = [s for s in overview.stages if s.kind in SCORING_KINDS]
            stages = [(s.id, s.name) for s in scoring]
            return overview.reference, stages, {s.id: _seats(s.panel) for s in scoring}

        self.context.reads.start(read, self._fill, self._load_failed)

    def _fill(self, data: Loaded) -> None:
        self.reference, stages, self.panels = data
        chosen = self.stage_combo.currentData()
        self.stage_combo.blockSignals(True)
        self.stage_combo.clear()
        for stage_id, name in stages:
            self.stage_combo.addItem(name, stage_id)
        index = self.stage_combo.findData(chosen)
        self.stage_combo.setCurrentIndex(index if index >= 0 else 0)
        self.stage_combo.blockSignals(False)
        self._fill_members()
        if self.packs.currentRow() < 0:
            self.packs.blockSignals(True)
            self.packs.setCurrentRow(0)
            self.packs.blockSignals(False)
        self._update_controls()
        self.loaded.emit()
        self.preview()

    def _load_failed(self, exc: BaseException) -> None:
        self._say(getattr(exc, "message", None) or "The campaign could not be read.", error=True)

    def _bus_changed(self, topics: frozenset[str]) -> None:
        if topics & REFRESH_ON:
            self.load()

    # --- choices -----------------------------------------------------------------------

    def kind(self) -> PackKind | None:
        from recruit_app.services.packs import PACKS

        item = self.packs.currentItem()
        return PACKS.get(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def stage_id(self) -> int | None:
        kind = self.kind()
        if kind is None or not kind.needs_stage:
            return None
        return self.stage_combo.currentData()

    def with_applications(self) -> bool:
        """Whether the panel pack is to carry the candidates' applications."""
        kind = self.kind()
        return kind is not None and kind.key == "panel" and self.applications_box.isChecked()

    def chair_copy(self) -> bool:
        """Whether the panel pack is the chair's copy."""
        kind = self.kind()
        return (
            kind is not None
            and kind.key == "panel"
            and self.chair_box.isChecked()
            and self.member() is None
        )

    def member(self) -> int | None:
        """The person whose own copy of the panel pack is chosen; None for the whole panel's."""
        kind = self.kind()
        if kind is None or kind.key != "panel" or self.stage_id() is None:
            return None
        person_id = self.member_combo.currentData()
        return person_id if isinstance(person_id, int) else None

    def member_name(self) -> str:
        return str(self.member_combo.currentData(NAME_ROLE)) if self.member() is not None else ""

    def copy_words(self, kind: PackKind) -> tuple[str, str]:
        """What is previewed and exported, as a heading and inside a sentence: "Panel pack"
        and "the panel pack", "Chair's copy of the panel pack" and "the chair's copy of the
        panel pack", "Hannah Lee's copy of the panel pack" (both ways)."""
        pack = kind.name.lower()
        if self.member() is not None:
            words = f"{self.member_name()}'s copy of the {pack}"
            return words, words
        if self.chair_copy():
            return f"Chair's copy of the {pack}", f"the chair's copy of the {pack}"
        return kind.name, f"the {pack}"

    def _stage_changed(self) -> None:
        self._fill_members()
        self._choice_changed()

    def _fill_members(self) -> None:
        """The whole panel, then each member of the chosen stage's panel; the member chosen
        stays chosen where they sit on this stage's panel too."""
        chosen = self.member_combo.currentData()
        self.member_combo.blockSignals(True)
        self.member_combo.clear()
        self.member_combo.addItem(WHOLE_PANEL, None)
        for seat in self.panels.get(self.stage_combo.currentData(), ()):
            self.member_combo.addItem(seat.label, seat.person_id)
            self.member_combo.setItemData(self.member_combo.count() - 1, seat.name, NAME_ROLE)
        index = self.member_combo.findData(chosen) if isinstance(chosen, int) else 0
        self.member_combo.setCurrentIndex(max(index, 0))
        self.member_combo.blockSignals(False)

    def _choice_changed(self) -> None:
        self._show_written([])
        self._update_controls()
        self._preview_timer.start()

    def _update_controls(self) -> None:
        kind = self.kind()
        needs_stage = kind is not None and kind.needs_stage
        self.stage_combo.setEnabled(needs_stage)
        self.stage_combo.setVisible(needs_stage)
        self.stage_label.setVisible(needs_stage)
        self.description.setText(kind.description if kind is not None else "")
        self.merge_box.setVisible(kind is not None and kind.key == "letters")
        panel_pack = kind is not None and kind.key == "panel"
        self.applications_box.setVisible(panel_pack)
        self.chair_box.setVisible(panel_pack)
        self.member_label.setVisible(panel_pack)
        self.member_combo.setVisible(panel_pack)
        seated = self.member_combo.count() > 1
        self.member_combo.setEnabled(panel_pack and seated)
        self.member_combo.setToolTip(MEMBER_TIP if seated else NO_PANEL_TIP)
        # One member's own copy, or the chair's copy of the whole panel's pack: not both.
        member_chosen = panel_pack and self.member() is not None
        if member_chosen and self.chair_box.isChecked():
            self.chair_box.blockSignals(True)
            self.chair_box.setChecked(False)
            self.chair_box.blockSignals(False)
        self.chair_box.setEnabled(not member_chosen)
        self.chair_box.setToolTip(
            f"{self.member_name()}'s own copy has their score boxes only, without the "
            f"chair's brief. For the chair's copy, choose “{WHOLE_PANEL}” under "
            "Copy for."
            if member_chosen
            else CHAIR_TIP
        )
        ready = kind is not None and (not needs_stage or self.stage_combo.currentData() is not None)
        self.export_button.setEnabled(ready and self.job is None)
        if kind is not None and needs_stage and self.stage_combo.count() == 0:
            self._say("This campaign has no scoring stage yet: add one on the Stages tab.")

    # --- preview -----------------------------------------------------------------------

    def preview(self) -> None:
        from recruit_app.services.packs import preview_pack

        self._preview_timer.stop()
        kind = self.kind()
        if kind is None or (kind.needs_stage and self.stage_id() is None):
            return
        try:
            ctx = self.context.service_context()
        except RecruitError:
            return
        self._serial += 1
        serial, key, stage_id = self._serial, kind.key, self.stage_id()
        campaign_id, with_applications = self.campaign_id, self.with_applications()
        chair_copy, member = self.chair_copy(), self.member()
        heading, words = self.copy_words(kind)
        self.preview_note.setText(f"Making a preview of {words}…")

        def done(images: list[bytes]) -> None:
            if serial == self._serial:  # a newer choice has its own preview on the way
                self._show_pages(images, heading)

        def failed(exc: BaseException) -> None:
            if serial == self._serial:
                self._clear_pages()
                message = getattr(exc, "message", None) or "The preview could not be made."
                self.preview_note.setText(message)
                self.previewed.emit()

        self.context.reads.start(
            lambda: preview_pack(
                ctx,
                campaign_id,
                key,
                stage_id=stage_id,
                width=PAGE_WIDTH_PX,
                with_applications=with_applications,
                chair_copy=chair_copy,
                member=member,
            ),
            done,
            failed,
        )

    def _clear_pages(self) -> None:
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def _show_pages(self, images: list[bytes], heading: str) -> None:
        self._clear_pages()
        for number, data in enumerate(images, start=1):
            pixmap = QPixmap()
            pixmap.loadFromData(data, "PNG")
            page = QLabel()
            page.setObjectName(f"previewPage{number}")
            page.setPixmap(pixmap)
            page.setStyleSheet("border: 1px solid #b1b4b6; background: white;")
            page.setAccessibleName(f"Page {number} of the preview")
            self.pages_layout.addWidget(page)
        shown = f"the first {len(images)} pages" if len(images) > 1 else "the first page"
        self.preview_note.setText(f"{heading}: {shown}.")
        self.previewed.emit()

    @property
    def preview_count(self) -> int:
        return self.pages_layout.count()

    # --- export ------------------------------------------------------------------------

    def ask_target(self) -> None:
        kind = self.kind()
        if kind is None:
            return
        if kind.key == "letters" and self.stage_id() is not None:
            self.check_letters()
        else:
            self.choose_target()

    def check_letters(self) -> None:
        """Before letters are generated, say what would be out of date in them (a later
        stage already started, feedback naming a met criterion) and ask to go on."""
        from recruit_app.services.letters import letters_warnings

        stage_id = self.stage_id()
        if stage_id is None:
            return
        try:
            ctx = self.context.service_context()
        except RecruitError as exc:
            self._say(exc.message, error=True)
            return

        def checked(warnings: tuple[str, ...]) -> None:
            if not warnings:
                self.choose_target()
                return
            box = QMessageBox(self)
            box.setObjectName("confirmLetters")
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle("Before the letters are generated")
            box.setText("Generate the letters anyway?")
            box.setInformativeText("\n\n".join(warnings))
            go = box.addButton("Generate anyway", QMessageBox.ButtonRole.AcceptRole)
            go.setObjectName("confirmLettersButton")
            box.addButton(QMessageBox.StandardButton.Cancel)
            box.finished.connect(lambda _r: self._letters_answered(box, go))
            self.question = box
            box.open()

        self.context.reads.start(
            lambda: letters_warnings(ctx, stage_id), checked, self._export_failed
        )

    def _letters_answered(self, box: QMessageBox, go: QAbstractButton) -> None:
        self.question = None
        if box.clickedButton() is go:
            self.choose_target()

    def choose_target(self) -> None:
        kind = self.kind()
        if kind is None:
            return
        folder_of_letters = kind.key == "letters" and not self.merge_box.isChecked()
        title = f"Export {self.copy_words(kind)[1]}"
        dialog = QFileDialog(self, title)
        dialog.setObjectName("exportPackDialog")
        dialog.setDirectory(_documents())
        if folder_of_letters:
            # A new folder by that name is made: letters never mix with other files.
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setFileMode(QFileDialog.FileMode.AnyFile)
            dialog.setNameFilter("Folder for the letters (*)")
        else:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            # The information pack can also be a web page: GOV.UK prefers HTML to PDF
            # for candidates who use assistive technology.
            dialog.setNameFilters([FORMAT_FILTERS[f] for f in kind.formats])
            dialog.setDefaultSuffix(kind.formats[0])

            def filter_chosen(chosen: str) -> None:
                fmt = _format_of(chosen)
                dialog.setDefaultSuffix(fmt)
                dialog.selectFile(self._suggested_name(kind, False, fmt))

            dialog.filterSelected.connect(filter_chosen)
        dialog.selectFile(self._suggested_name(kind, folder_of_letters))
        dialog.fileSelected.connect(
            lambda path: self.export_to(
                Path(path), None if folder_of_letters else _format_of(dialog.selectedNameFilter())
            )
        )
        self.dialog = dialog
        dialog.open()

    def _suggested_name(self, kind: PackKind, folder: bool, fmt: str = "pdf") -> str:
        parts = [self.reference or "campaign"]
        if kind.needs_stage:
            parts.append(self.stage_combo.currentText())
        parts.append(kind.name)
        if self.chair_copy():
            parts.append(CHAIR_COPY_NAME)  # never over the panel's copy of the same pack
        if self.member() is not None:
            parts.append(MEMBER_COPY_NAME.format(self.member_name()))
        name = _slug(" ".join(parts))
        return name if folder else f"{name}.{fmt}"

    def export_to(self, path: Path, fmt: str | None = None) -> None:
        """Export the chosen pack to `path`: as `fmt` if given, else by what `path` ends in."""
        from recruit_app.services.packs import export_pack

        kind = self.kind()
        if kind is None or self.job is not None:
            return
        try:
            ctx = self.context.service_context()
        except RecruitError as exc:
            self._say(exc.message, error=True)
            return
        key, stage_id, merge = kind.key, self.stage_id(), self.merge_box.isChecked()
        with_applications, chair_copy = self.with_applications(), self.chair_copy()
        member, words = self.member(), self.copy_words(kind)[1]
        job = JobProgress(self, f"Exporting {words}")
        self.job = job
        self._update_controls()
        self._say(f"Exporting {words}…")
        job.start()
        # Filled by the worker; read here only once it has finished.
        warnings: list[str] = []

        def work() -> list[Path]:
            return export_pack(
                ctx,
                self.campaign_id,
                key,
                path,
                stage_id=stage_id,
                merge=merge,
                progress=lambda done, total: job.report(done, total, "Writing"),
                cancelled=job.cancelled,
                fmt=fmt,
                on_warning=warnings.append,
                with_applications=with_applications,
                chair_copy=chair_copy,
                member=member,
            )

        self.context.exports.start(
            work, lambda written: self._exported(written, warnings), self._export_failed
        )

    def _end_job(self) -> None:
        if self.job is not None:
            self.job.finish()
            self.job = None
        self._update_controls()

    def _exported(self, written: list[Path], warnings: list[str] | None = None) -> None:
        self._end_job()
        if len(written) == 1:
            said = f"Wrote {written[0]}"
        else:
            folder = written[0].parent if written else ""
            said = f"Wrote {len(written)} files to {folder}"
        if warnings:
            # Written, but someone's name will not print in full: say whose.
            self.status.setStyleSheet(WARNING_STYLE)
            self.status.setText("\n".join([f"{said}.", *warnings]))
        else:
            self._say(said)
        self._show_written(written)
        self.exported.emit(written)

    def _show_written(self, written: list[Path]) -> None:
        """Offer Open (one file) and Show in folder for what was just written."""
        self.written = list(written)
        self.open_button.setVisible(len(written) == 1)
        self.folder_button.setVisible(bool(written))

    def _open(self, path: Path) -> None:
        if not self.open_url(QUrl.fromLocalFile(str(path))):
            self._say(f"Nothing on this computer opened {path}.", error=True)

    def _export_failed(self, exc: BaseException) -> None:
        self._end_job()
        self._show_written([])
        if isinstance(exc, Cancelled):
            self._say(exc.message)
            return
        self._say(getattr(exc, "message", None) or "The export failed.", error=True)
        if not isinstance(exc, RecruitError):
            error_box(self, exc, "Export failed")

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet(ERROR_STYLE if error else "")
        self.status.setText(text)


FORMAT_FILTERS = {
    "pdf": "PDF document (*.pdf)",
    "html": "Accessible web page (*.html)",
}


def _format_of(name_filter: str) -> str:
    """ "html" for the web page filter, else "pdf"."""
    return next((f for f, text in FORMAT_FILTERS.items() if text == name_filter), "pdf")


def _seats(panel: Sequence[SeatView]) -> tuple[PanelSeat, ...]:
    """A stage's panel in the panel pack's order: by panel, the chair first, then the
    members, then the independent member; each labelled as the pack labels them."""
    from recruit_app.readmodels import PackMember
    from recruit_app.vocabulary import PanelRole

    order = {code: n for n, code in enumerate(PanelRole.codes())}
    several = len({seat.panel_number for seat in panel}) > 1
    seats = sorted(panel, key=lambda s: (s.panel_number, order.get(s.role, 9), s.name))
    return tuple(
        PanelSeat(
            seat.person_id,
            seat.name,
            PackMember(seat.name, seat.role, seat.panel_number).label
            + (f", panel {seat.panel_number}" if several else ""),
        )
        for seat in seats
    )


def _slug(text: str) -> str:
    """A file name from words: letters, digits and hyphens ("Siân O'Brien": sian-obrien)."""
    folded = unicodedata.normalize("NFKD", re.sub(r"['’]", "", text))
    plain = folded.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^0-9A-Za-z]+", "-", plain).strip("-").lower() or "export"


def _documents() -> str:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return found or str(Path.home())
