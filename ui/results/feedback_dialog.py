"""The panel's feedback to one candidate, kept with their outcome and printed in their letter."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from recruit_app.vocabulary import Outcome
from ui.context import AppContext
from ui.library.fields import text_edit
from ui.results.dialog import ResultsDialog, note

if TYPE_CHECKING:
    from recruit_app.services.letters import FeedbackView

# The service's limit, repeated so the dialog can count without importing the database layer.
LIMIT = 5_000
QUOTE_LIMIT = 300  # how much of someone else's newer feedback to quote after a conflict


def outcome_words(view: FeedbackView) -> str:
    return f"{Outcome.label_for(view.outcome)} at {view.stage_name}"


class FeedbackDialog(ResultsDialog):
    """Opened with the feedback as read just now; saving passes on the version it showed."""

    def __init__(
        self, context: AppContext, view: FeedbackView, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, "Feedback to the candidate", parent)
        self.setObjectName("feedbackDialog")
        self.view = view
        self.expected_version = view.version
        self.text = text_edit(
            "feedbackText",
            view.feedback,
            placeholder="What the panel saw, in words the candidate can act on",
            lines=8,
        )
        self.count = QLabel()
        self.count.setObjectName("feedbackCount")
        self.text.textChanged.connect(self._count)
        self._count()
        form = QFormLayout()
        form.addRow("Candidate", note(view.label, "feedbackCandidate"))
        form.addRow("Outcome", note(outcome_words(view), "feedbackOutcome"))
        if not view.offers_feedback:
            form.addRow(
                note(
                    "The advert does not offer feedback, so the outcome letters leave this "
                    "out. It is still kept with the outcome.",
                    "feedbackNotOffered",
                )
            )
        form.addRow("&Feedback", self.checked("feedback", self.text))
        form.addRow("", self.count)
        self.finish_layout(form)
        self.resize(max(self.sizeHint().width(), 560), self.sizeHint().height())

    def _count(self) -> None:
        used = len(self.text.toPlainText().strip())
        self.count.setText(f"{used:,} of {LIMIT:,} characters")

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.letters import set_feedback

        ctx, view = self.context.service_context(), self.view
        text, version = self.text.toPlainText(), self.expected_version
        return lambda: set_feedback(
            ctx, view.stage_id, view.candidate_id, text, expected_version=version
        )

    def reload_work(self) -> Callable[[], tuple[int, str]]:
        from recruit_app.services.letters import outcome_feedback

        ctx, view = self.context.service_context(), self.view

        def work() -> tuple[int, str]:
            now = outcome_feedback(ctx, view.stage_id, view.candidate_id)
            said = now.feedback
            if len(said) > QUOTE_LIMIT:
                said = said[:QUOTE_LIMIT].rstrip() + "…"
            theirs = (
                f"Their feedback reads: “{said}”." if said else "Their change left no feedback."
            )
            return now.version, f"The outcome is now: {outcome_words(now)}. {theirs}"

        return work
