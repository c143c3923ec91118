"""Saving drafts as they are typed, one cell at a time, off the GUI thread.

A cell has at most one save on its way; what is typed meanwhile waits and goes next with
the version the first save returned, so quick typing never trips over its own change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from recruit_app.errors import RecruitError

if TYPE_CHECKING:
    from recruit_app.services.scoring import MyScore
    from ui.context import AppContext
    from ui.scoring.sheet_model import Key

# Which sheet a save belongs to, and the cell in it.
Target = tuple[int, int, "Key"]  # (stage id, assessor id, key)


class DraftSaver(QObject):
    """`saved(target, score, settled)`; `failed(target, error)`; `idle()` when all are done."""

    saved = Signal(object, object, bool)
    failed = Signal(object, object)
    idle = Signal()

    def __init__(
        self,
        context: AppContext,
        version_of: Callable[[Target], int],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self._version_of = version_of  # the version the sheet shows for a cell
        self._latest: dict[Target, tuple[int | None, str]] = {}  # asked for, not yet saved
        self._waiting: set[Target] = set()  # asked for again while a save is on its way
        self._on_way: set[Target] = set()

    @property
    def busy(self) -> bool:
        return bool(self._latest)

    def is_saving(self, target: Target) -> bool:
        return target in self._latest

    def wanted(self, target: Target) -> tuple[int | None, str] | None:
        """The newest value and evidence asked for this cell that are not saved yet."""
        return self._latest.get(target)

    def save(self, target: Target, value: int | None, evidence: str) -> None:
        self._latest[target] = (value, evidence)
        if target in self._on_way:
            self._waiting.add(target)
        else:
            self._send(target)

    def _send(self, target: Target) -> None:
        from recruit_app.services.scoring import save_score

        self._waiting.discard(target)
        value, evidence = self._latest[target]
        stage_id, assessor_id, (candidate_id, cell_id) = target
        try:
            ctx = self.context.service_context()
        except RecruitError as exc:  # the database was closed meanwhile
            self._failed(target, exc)
            return
        version = self._version_of(target)
        self._on_way.add(target)
        self.context.writes.start(
            lambda: save_score(
                ctx,
                stage_id,
                assessor_id,
                candidate_id,
                cell_id,
                value=value,
                evidence=evidence,
                expected_version=version,
            ),
            lambda score: self._done(target, score),
            lambda exc: self._failed(target, exc),
            busy=False,  # a draft saving is shown in its cell, not with the cursor
        )

    def _done(self, target: Target, score: MyScore) -> None:
        self._on_way.discard(target)
        settled = target not in self._waiting
        if settled:
            del self._latest[target]
        self.saved.emit(target, score, settled)  # the sheet takes the new version first
        if not settled:
            self._send(target)
        elif not self.busy:
            self.idle.emit()

    def _failed(self, target: Target, exc: BaseException) -> None:
        self._on_way.discard(target)
        self._waiting.discard(target)  # what waited would fail the same way
        self._latest.pop(target, None)
        self.failed.emit(target, exc)
        if not self.busy:
            self.idle.emit()
