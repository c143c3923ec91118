"""What the slot buttons do: each use case runs off the GUI thread and reports in words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QMessageBox

from recruit_app.domain.dates import in_london, london_time, short_date
from recruit_app.errors import ConflictError, RecruitError, ValidationError
from ui.errors import error_box

if TYPE_CHECKING:
    from recruit_app.services.slots import AllocationReport, SlotsView, SlotView
    from ui.schedule.dialog import ScheduleDialog
    from ui.schedule.slots_tab import SlotsTab

LISTED_FILES = 12  # more than this and the box lists the rest under "Show details"


def _when(slot: SlotView) -> str:
    return f"{short_date(in_london(slot.starts_at).date())} at {london_time(slot.starts_at)}"


class SlotActions:
    """Belongs to one SlotsTab; dialogs and message boxes are kept on `tab.dialog`."""

    def __init__(self, tab: SlotsTab) -> None:
        self.tab = tab

    @property
    def context(self) -> Any:
        return self.tab.context

    def _run(self, work: Callable[[], SlotsView]) -> None:
        self.context.writes.start(work, self.tab.changed_to, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.tab.dialog = error_box(self.tab, exc, "Interview slots")
        if isinstance(exc, ConflictError):
            self.tab.load()  # show what someone else saved

    def _open(self, dialog: ScheduleDialog) -> None:
        dialog.saved.connect(self.tab.changed_to)
        dialog.finished.connect(lambda _r: setattr(self.tab, "dialog", None))
        self.tab.dialog = dialog
        dialog.open()

    # --- the plan ------------------------------------------------------------------------

    def save_plan(self, *, make: bool = False) -> None:
        """Save the plan (when changed, or first time); with `make`, then make its slots."""
        from recruit_app.domain.scheduling import validate_plan
        from recruit_app.services.slots import generate_slots
        from recruit_app.services.slots import save_plan as save

        view, form = self.tab.view, self.tab.plan_form
        if view is None:
            return
        form.clear_errors()
        plan = form.plan()
        try:
            validate_plan(plan)  # at once, beside the field; the service checks again
            ctx = self.context.service_context()
        except ValidationError as exc:
            form.show_error(exc)
            return
        except RecruitError as exc:
            self._failed(exc)
            return
        # The version the plan was read at: a plan changed by someone since is not overwritten.
        stage_id, version = view.stage_id, form.version
        store = form.dirty or not view.plan or not make

        def work() -> SlotsView:
            saved = save(ctx, stage_id, plan, expected_version=version) if store else view
            return generate_slots(ctx, stage_id) if make else saved

        def done(result: SlotsView) -> None:
            form.dirty = False
            self.tab.changed_to(result)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ValidationError):
                form.show_error(exc)
            elif isinstance(exc, ConflictError):
                self._plan_conflict(exc, stage_id)
            else:
                self._failed(exc)

        form.save_button.setEnabled(False)
        form.make_button.setEnabled(False)

        def finish(handler: Callable[[Any], None]) -> Callable[[Any], None]:
            def run(value: Any) -> None:
                form.save_button.setEnabled(True)
                form.make_button.setEnabled(True)
                handler(value)

            return run

        self.context.writes.start(work, finish(done), finish(failed))

    def _plan_conflict(self, exc: ConflictError, stage_id: int) -> None:
        """Keep the typed plan; take the stage's new version so a second save is knowing."""
        from recruit_app.services.slots import list_slots

        form, ctx = self.tab.plan_form, self.context.service_context()

        def update(version: int) -> None:
            form.version = version
            who = exc.changed_by or "someone else"
            form.show_error(
                ValidationError(
                    f"{who} changed this stage after you opened it. Your plan is still "
                    "here: Save plan again to replace theirs, or choose the stage again "
                    "to see it.",
                    "plan",
                )
            )

        self.context.reads.start(
            lambda: list_slots(ctx, stage_id).stage_version, update, self._failed
        )

    # --- allocation ----------------------------------------------------------------------

    def allocate(self) -> None:
        from recruit_app.services.slots import allocate_stage

        view = self.tab.view
        if view is None:
            return
        ctx, stage_id = self.context.service_context(), view.stage_id
        self.context.writes.start(
            lambda: allocate_stage(ctx, stage_id), self._allocated, self._failed
        )

    def _allocated(self, report: AllocationReport) -> None:
        self.tab.changed_to(report.view)
        box = QMessageBox(self.tab)
        box.setObjectName("allocationReport")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("Allocated automatically")
        noun = "candidate" if report.placed == 1 else "candidates"
        box.setText(f"Placed {report.placed} {noun}.")
        if report.unplaced:
            lines = [f"• {label}: {reason}" for label, reason in report.unplaced]
            box.setInformativeText("Could not be placed:\n" + "\n".join(lines))
        else:
            box.setInformativeText("Everyone who progressed has a slot.")
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        self.tab.status.setText(
            f"Allocated: {report.placed} placed, {len(report.unplaced)} could not be placed."
        )
        self._show(box)

    def _show(self, box: QMessageBox) -> None:
        box.finished.connect(lambda _r: setattr(self.tab, "dialog", None))
        self.tab.dialog = box
        box.open()

    # --- one slot ------------------------------------------------------------------------

    def _one(self) -> SlotView | None:
        chosen = self.tab.selected_slots()
        return chosen[0] if len(chosen) == 1 else None

    def add_slot(self) -> None:
        from ui.schedule.slot_dialogs import AddSlotDialog

        view = self.tab.view
        if view is None:
            return
        plan = self.tab.plan_form.plan()
        day = plan.days[0] if plan.days else in_london(view.slots[0].starts_at).date()
        self._open(
            AddSlotDialog(
                self.context,
                view.stage_id,
                day=day,
                minutes=plan.slot_minutes,
                parent=self.tab,
            )
        )

    def move(self) -> None:
        from ui.schedule.slot_dialogs import MoveSlotDialog

        slot, view = self._one(), self.tab.view
        if slot is not None and view is not None:
            self._open(MoveSlotDialog(self.context, view.stage_id, slot, self.tab))

    def give(self) -> None:
        from ui.schedule.slot_dialogs import GiveSlotDialog

        slot, view = self._one(), self.tab.view
        if slot is None or view is None:
            return
        choices = list(zip(view.waiting, view.waiting_ids, strict=True))
        self._open(GiveSlotDialog(self.context, view.stage_id, slot, choices, self.tab))

    def free(self) -> None:
        from recruit_app.services.slots import assign_slot

        slot = self._one()
        if slot is None:
            return
        ctx, slot_id, version = self.context.service_context(), slot.id, slot.version
        self._run(lambda: assign_slot(ctx, slot_id, None, expected_version=version))

    def swap(self) -> None:
        from recruit_app.services.slots import swap_slots

        chosen = self.tab.selected_slots()
        if len(chosen) != 2:
            return
        ctx, first, second = self.context.service_context(), chosen[0].id, chosen[1].id
        self._run(lambda: swap_slots(ctx, first, second))

    def ask_cancel(self) -> None:
        slot = self._one()
        if slot is None:
            return
        box = QMessageBox(self.tab)
        box.setObjectName("confirmCancelSlot")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Cancel the slot")
        if slot.candidate_id is not None:
            box.setText(f"Cancel {slot.candidate_label}'s slot on {_when(slot)}?")
            box.setInformativeText(
                "It stays in the list as cancelled, so exported calendars cancel the "
                "invitation, and the candidate waits for a new slot."
            )
        else:
            box.setText(f"Remove the open slot on {_when(slot)}, panel {slot.panel_number}?")
            box.setInformativeText("Nobody is booked in it.")
        confirm = box.addButton("Cancel slot", QMessageBox.ButtonRole.DestructiveRole)
        confirm.setObjectName("confirmCancelButton")
        box.addButton("Keep it", QMessageBox.ButtonRole.RejectRole)

        def answered(_result: int) -> None:
            self.tab.dialog = None
            if box.clickedButton() is confirm:
                self._cancel(slot)

        box.finished.connect(answered)
        self.tab.dialog = box
        box.open()

    def _cancel(self, slot: SlotView) -> None:
        from recruit_app.services.slots import cancel_slot

        ctx, slot_id, version = self.context.service_context(), slot.id, slot.version
        self._run(lambda: cancel_slot(ctx, slot_id, expected_version=version))

    # --- calendars -----------------------------------------------------------------------

    def ask_export(self) -> None:
        if self.tab.view is None:
            return
        dialog = QFileDialog(self.tab, "Export calendars to a folder", str(Path.home()))
        dialog.setObjectName("exportFolderDialog")
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.fileSelected.connect(lambda folder: self.export_to(Path(folder)))
        dialog.finished.connect(lambda _r: setattr(self.tab, "dialog", None))
        self.tab.dialog = dialog
        dialog.open()

    def export_to(self, folder: Path) -> None:
        from recruit_app.services.slots import export_calendars

        view = self.tab.view
        if view is None:
            return
        ctx, stage_id = self.context.service_context(), view.stage_id
        self.tab.status.setText("Writing the calendar files…")
        self.context.exports.start(
            lambda: export_calendars(ctx, stage_id, folder),
            lambda paths: self._exported(folder, paths),
            self._failed,
        )

    def _exported(self, folder: Path, paths: list[Path]) -> None:
        names = [p.name for p in paths]
        self.tab.status.setText(f"Wrote {len(names)} calendar files to {folder}")
        box = QMessageBox(self.tab)
        box.setObjectName("exportReport")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("Calendars exported")
        box.setText(f"Wrote {len(names)} calendar files to {folder}.")
        shown = "\n".join(names[:LISTED_FILES])
        more = len(names) - LISTED_FILES
        box.setInformativeText(shown + (f"\n… and {more} more" if more > 0 else ""))
        if more > 0:
            box.setDetailedText("\n".join(names))
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        self._show(box)
        self.tab.exported.emit(paths)
