"""The head of the detail side: what the selected entry is, and the buttons that act on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from recruit_app.services.library import LibraryEntry
    from ui.library.snapshot import LibrarySnapshot

BUILTIN_NOTE = "Built in: duplicate it to make your own version."
BADGE_STYLE = (
    "QLabel { background: #e8f1fa; color: #1d70b8; border: 1px solid #a9c8e8;"
    " border-radius: 8px; padding: 1px 8px; }"
)
RETIRED_STYLE = (
    "QLabel { background: #f3f2f1; color: #6b7280; border: 1px solid #c8c8c8;"
    " border-radius: 8px; padding: 1px 8px; }"
)
MUTED_STYLE = "color: #52606d;"


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


class EntryHeader(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entryHeader")
        self.name_label = QLabel()
        self.name_label.setObjectName("entryName")
        self.name_label.setWordWrap(True)
        font = self.name_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.name_label.setFont(font)
        self.builtin_badge = QLabel("Built in")
        self.builtin_badge.setObjectName("builtinBadge")
        self.builtin_badge.setStyleSheet(BADGE_STYLE)
        self.retired_badge = QLabel("Retired")
        self.retired_badge.setObjectName("retiredBadge")
        self.retired_badge.setStyleSheet(RETIRED_STYLE)
        self.facts = QLabel()
        self.facts.setObjectName("entryFacts")
        self.facts.setStyleSheet(MUTED_STYLE)
        self.description = QLabel()
        self.description.setObjectName("entryDescription")
        self.description.setWordWrap(True)
        self.note = QLabel(BUILTIN_NOTE)
        self.note.setObjectName("builtinNote")
        self.note.setStyleSheet(MUTED_STYLE + " font-style: italic;")
        self.note.setWordWrap(True)

        self.edit_button = self._button("&Edit…", "editButton")
        self.duplicate_button = self._button("D&uplicate…", "duplicateButton")
        self.retire_button = self._button("Re&tire", "retireButton")
        self.export_button = self._button("E&xport…", "exportButton")

        title = QHBoxLayout()
        title.addWidget(self.name_label, 1)
        title.addWidget(self.builtin_badge)
        title.addWidget(self.retired_badge)
        buttons = QHBoxLayout()
        for button in (
            self.edit_button,
            self.duplicate_button,
            self.retire_button,
            self.export_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.addLayout(title)
        layout.addWidget(self.facts)
        layout.addWidget(self.description)
        layout.addWidget(self.note)
        layout.addLayout(buttons)

    @staticmethod
    def _button(text: str, name: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        return button

    def show_entry(self, entry: LibraryEntry, snapshot: LibrarySnapshot) -> None:
        self.name_label.setText(entry.name)
        self.builtin_badge.setVisible(entry.builtin)
        self.retired_badge.setVisible(entry.retired)
        self.note.setVisible(entry.builtin)
        if entry.kind == "framework":
            view = snapshot.frameworks.get(entry.code)
            facts = ["Framework", entry.code]
            if entry.detail:
                facts.append(f"Edition {entry.detail}")
            facts.append(plural(entry.count, "criterion", "criteria"))
            text = view.definition.description if view else ""
        else:
            template = snapshot.templates.get(entry.code)
            facts = ["Role template", entry.code]
            if entry.detail:
                facts.append(entry.detail)
            facts.append(plural(entry.count, "criterion", "criteria"))
            if template:
                facts.append(plural(len(template.definition.stages), "stage", "stages"))
            text = template.definition.summary if template else ""
        self.facts.setText(" · ".join(facts))
        self.description.setText(text)
        self.description.setVisible(bool(text))
        self.retire_button.setText("Rest&ore" if entry.retired else "Re&tire")
