"""One bus that tells every view what changed; views refresh themselves."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

CAMPAIGNS = "campaigns"
LIBRARY = "library"
STAGES = "stages"
DATABASE = "database"
CANDIDATES = "candidates"
SCORES = "scores"
POSTS = "posts"
APPLICATIONS = "applications"  # imported, or what name-blind reading hides corrected


class ChangeBus(QObject):
    """`changed` carries a frozenset of topics such as {"campaigns"}."""

    changed = Signal(frozenset)

    def publish(self, *topics: str) -> None:
        self.changed.emit(frozenset(topics))
