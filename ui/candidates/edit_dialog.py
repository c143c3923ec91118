"""Editing one candidate's details: errors beside the fields, a newer save offered to reload."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from recruit_app.domain.dates import short_date
from recruit_app.errors import NotFound
from ui.context import AppContext
from ui.library.fields import line_edit, text_edit
from ui.schedule.dates import date_edit, from_qdate, spin_box
from ui.schedule.dialog import ScheduleDialog

if TYPE_CHECKING:
    from recruit_app.services.candidates import CandidateView

DAY_ROLE = Qt.ItemDataRole.UserRole
TEXT_FIELDS = ("first_name", "last_name", "email", "phone", "adjustments")


class DatesEditor(QWidget):
    """A short list of days: pick one in the calendar box and add it, or remove the chosen."""

    def __init__(self, days: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setObjectName("unavailableDates")
        self.list.setMaximumHeight(self.list.fontMetrics().height() * 5 + 12)
        self.picker = date_edit("unavailablePicker", date.fromisoformat(days[0]) if days else None)
        self.add_button = QPushButton("&Add")
        self.add_button.setObjectName("addDate")
        self.add_button.clicked.connect(lambda: self.add(from_qdate(self.picker.date())))
        self.remove_button = QPushButton("Re&move")
        self.remove_button.setObjectName("removeDate")
        self.remove_button.clicked.connect(self._remove)
        self.list.currentRowChanged.connect(lambda _r: self._update())
        self.none = QLabel("None: available on any day.")
        self.none.setObjectName("noDates")
        row = QHBoxLayout()
        row.addWidget(self.picker, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.none)
        layout.addWidget(self.list)
        layout.addLayout(row)
        self.setFocusProxy(self.picker)
        for day in days:
            self.add(date.fromisoformat(day))
        self._update()

    def days(self) -> tuple[str, ...]:
        return tuple(self.list.item(r).data(DAY_ROLE) for r in range(self.list.count()))

    def add(self, day: date) -> None:
        if day.isoformat() in self.days():
            return
        item = QListWidgetItem(short_date(day))
        item.setData(DAY_ROLE, day.isoformat())
        # Kept in date order, which is how the service stores them.
        at = sum(1 for d in self.days() if d < day.isoformat())
        self.list.insertItem(at, item)
        self._update()

    def _remove(self) -> None:
        self.list.takeItem(self.list.currentRow())
        self._update()

    def _update(self) -> None:
        self.remove_button.setEnabled(self.list.currentRow() >= 0)
        self.list.setVisible(self.list.count() > 0)
        self.none.setVisible(self.list.count() == 0)


class CandidateDialog(ScheduleDialog):
    """Saves only what was changed, so a field someone else changed meanwhile stays theirs."""

    def __init__(
        self,
        context: AppContext,
        campaign_id: int,
        candidate: CandidateView,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, f"Candidate {candidate.candidate_number}", parent)
        self.setObjectName("candidateDialog")
        self.campaign_id = campaign_id
        self.candidate = candidate
        self.expected_version = candidate.version
        c = candidate
        self.first_name = line_edit("firstName", c.first_name, limit=200)
        self.last_name = line_edit("lastName", c.last_name, limit=200)
        self.email = line_edit("email", c.email, limit=320, placeholder="name@example.org")
        self.phone = line_edit("phone", c.phone, limit=60)
        self.guaranteed = QCheckBox("&Guaranteed interview scheme (Disability Confident)")
        self.guaranteed.setObjectName("guaranteedInterview")
        self.guaranteed.setChecked(c.guaranteed_interview)
        self.redeployment = QCheckBox("&Redeployment interview scheme")
        self.redeployment.setObjectName("redeployment")
        self.redeployment.setChecked(c.redeployment)
        self.adjustments = text_edit(
            "adjustments", c.adjustments, placeholder="What the candidate asked for, if anything"
        )
        # A few lines are plenty; left to itself the box takes half the dialog.
        self.adjustments.setMaximumHeight(self.adjustments.fontMetrics().lineSpacing() * 5 + 14)
        self.extra_minutes = spin_box("extraMinutes", 0, 240, " minutes")
        self.extra_minutes.setSpecialValueText("None")
        self.extra_minutes.setValue(c.extra_minutes)
        self.dates = DatesEditor(c.unavailable_dates)
        self.finish_layout(self._form())
        self.setMinimumWidth(520)

    def _form(self) -> QFormLayout:
        form = QFormLayout()
        status = QLabel(f"Number {self.candidate.candidate_number} · {self.candidate.status}")
        status.setObjectName("candidateStatus")
        form.addRow(status)
        form.addRow("&First name", self.checked("first_name", self.first_name))
        form.addRow("&Last name", self.checked("last_name", self.last_name))
        form.addRow("&E-mail", self.checked("email", self.email))
        form.addRow("&Phone", self.checked("phone", self.phone))
        schemes = QWidget()
        boxes = QVBoxLayout(schemes)
        boxes.setContentsMargins(0, 0, 0, 0)
        boxes.addWidget(self.guaranteed)
        boxes.addWidget(self.redeployment)
        form.addRow("Schemes", self.checked("guaranteed_interview", schemes))
        form.addRow("A&djustments", self.checked("adjustments", self.adjustments))
        form.addRow("E&xtra time", self.checked("extra_minutes", self.extra_minutes))
        form.addRow("&Unavailable on", self.checked("unavailable_dates", self.dates))
        if self.candidate.extra:
            # Columns of the imported file kept as they were: shown, not edited here.
            other = QLabel("\n".join(f"{k}: {v}" for k, v in self.candidate.extra.items()))
            other.setObjectName("otherInformation")
            other.setWordWrap(True)
            other.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow("Other information", other)
        return form

    def label_for(self, field: str | None) -> QLabel:
        # Both scheme boxes share one row, and so one place for their messages.
        return super().label_for("guaranteed_interview" if field == "redeployment" else field)

    def changes(self) -> dict[str, Any]:
        c = self.candidate
        now: dict[str, Any] = {
            "first_name": self.first_name.text().strip(),
            "last_name": self.last_name.text().strip(),
            "email": self.email.text().strip(),
            "phone": self.phone.text().strip(),
            "adjustments": self.adjustments.toPlainText().strip(),
            "guaranteed_interview": self.guaranteed.isChecked(),
            "redeployment": self.redeployment.isChecked(),
            "extra_minutes": self.extra_minutes.value(),
            "unavailable_dates": list(self.dates.days()),
        }
        before = {name: getattr(c, name) for name in now}
        before["unavailable_dates"] = list(c.unavailable_dates)
        if before["email"].lower() == now["email"].lower():
            now["email"] = before["email"]  # the service keeps e-mails in lower case anyway
        return {name: value for name, value in now.items() if value != before[name]}

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.candidates import update_candidate

        changes = self.changes()
        if not changes:
            return lambda: None  # nothing to save: close without a write
        ctx, candidate_id = self.context.service_context(), self.candidate.id
        version = self.expected_version
        return lambda: update_candidate(ctx, candidate_id, changes, expected_version=version)

    def reload_work(self) -> Callable[[], tuple[int, str]] | None:
        from recruit_app.services.candidates import list_candidates

        ctx = self.context.service_context()
        campaign_id, candidate_id = self.campaign_id, self.candidate.id

        def work() -> tuple[int, str]:
            found = [c for c in list_candidates(ctx, campaign_id) if c.id == candidate_id]
            if not found:
                raise NotFound("That candidate no longer exists; someone may have removed them.")
            theirs = found[0]
            parts = [f"{theirs.first_name} {theirs.last_name}", theirs.email]
            parts += [theirs.phone] if theirs.phone else []
            return theirs.version, f"Their version: {', '.join(parts)}."

        return work


def blank_candidate() -> CandidateView:
    """A candidate not yet added: what the new-candidate dialog starts from."""
    from recruit_app.services.candidates import CandidateView

    return CandidateView(
        id=0,
        version=0,
        candidate_number="",
        first_name="",
        last_name="",
        email="",
        phone="",
        guaranteed_interview=False,
        redeployment=False,
        adjustments="",
        extra_minutes=0,
        unavailable_dates=(),
        extra={},
        outcomes={},
        status="Applied",
    )


class NewCandidateDialog(CandidateDialog):
    """One candidate added by hand (a late or paper application), checked as an import's
    line is: errors beside the fields, and nothing added until they are put right."""

    def __init__(self, context: AppContext, campaign_id: int, parent: QWidget | None = None):
        self.number = line_edit(
            "candidateNumber", "", limit=40, placeholder="Leave blank for the next number"
        )
        super().__init__(context, campaign_id, blank_candidate(), parent)
        self.setObjectName("newCandidateDialog")
        self.setWindowTitle("Add a candidate")
        self.expected_version = None

    def _form(self) -> QFormLayout:
        form = super()._form()
        form.removeRow(0)  # no number or status yet
        form.insertRow(0, "&Number", self.checked("candidate_number", self.number))
        return form

    def values(self) -> dict[str, Any]:
        return {
            "candidate_number": self.number.text().strip(),
            "first_name": self.first_name.text().strip(),
            "last_name": self.last_name.text().strip(),
            "email": self.email.text().strip(),
            "phone": self.phone.text().strip(),
            "adjustments": self.adjustments.toPlainText().strip(),
            "guaranteed_interview": self.guaranteed.isChecked(),
            "redeployment": self.redeployment.isChecked(),
            "extra_minutes": self.extra_minutes.value(),
            "unavailable_dates": list(self.dates.days()),
        }

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.candidates import add_candidate

        ctx, campaign_id, values = self.context.service_context(), self.campaign_id, self.values()
        return lambda: add_candidate(ctx, campaign_id, values)

    def reload_work(self) -> None:
        return None  # nothing of anyone else's to reload: the candidate is new
