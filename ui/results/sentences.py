"""What the results tab says in sentences: the stage, what blocks finalising, the counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from recruit_app.domain.stage_rules import scale_for
from recruit_app.errors import ValidationError
from recruit_app.vocabulary import Outcome, StageKind
from ui.results.words import headline, plural, top

if TYPE_CHECKING:
    from recruit_app.services.results import ResultsScreen
    from recruit_app.services.stages import StageView


def stage_info(stage: StageView | None) -> str:
    if stage is None:
        return "This campaign has no stages that score candidates yet."
    try:
        scale = scale_for(stage.scale, stage.custom_scale).name
    except ValidationError:
        scale = "a custom scale still being set up"
    rule = (
        top(stage.progress_count)
        if stage.progress_rule == "top_n"
        else "everyone who passes progresses"
    )
    parts = [StageKind.label_for(stage.kind), scale, rule]
    if stage.name_blind:
        parts.append("name-blind for the panel")
    return " · ".join(parts)


def finalise_state(data: ResultsScreen) -> tuple[str, str, str]:
    """("blocked" | "ready" | "final", what the box says, the blockers in full for a tooltip)."""
    view = data.results
    if view is None:
        problem = data.problem
        text = f"The results cannot be worked out: {problem}" if problem else ""
        return "blocked", text or "Choose a stage to see its results.", ""
    if not view.merit_order_shown:
        # A panel member who still owes scores: the rule itself is in the notice above the
        # table (access.py); here only what it means for the merit order.
        return "blocked", "The merit order shows once you have submitted every score you owe.", ""
    if view.finalised:
        state = "final"
        text = "The results are final: every candidate has an outcome; the scores are locked."
    elif view.blockers:
        state = "blocked"
        # Headlines only: the candidate lists behind them can run to many lines.
        text = "Before the results can be finalised:\n" + "\n".join(
            f"• {headline(b)}" for b in view.blockers
        )
    else:
        state = "ready"
        text = "Nothing blocks finalising. Check the merit order, then finalise the results."
    if view.tie_note:
        text += f"\nThe tie at the cut-off was settled: {view.tie_note}"
    detailed = any(headline(b) != b for b in view.blockers)
    return state, text, "\n\n".join(view.blockers) if detailed else ""


def moderation_hint(data: ResultsScreen, flagged: int, to_agree: int) -> str:
    stage = data.stage()
    apart = f"differ by {stage.moderation_spread} or more" if stage else "are far apart"
    if data.pairs_note:
        return data.pairs_note
    if not flagged:
        return f"No candidate's scores {apart} on any criterion: nothing to moderate."
    left = (
        f"{to_agree} still {'needs' if to_agree == 1 else 'need'} one"
        if to_agree
        else "the panel has agreed a score for each"
    )
    return (
        f"{plural(flagged, 'pair has', 'pairs have')} scores that {apart}: "
        f"{left}. Select a pair to read the evidence."
    )


def consistency_hint(data: ResultsScreen) -> str:
    if data.assessors_note:
        return data.assessors_note
    if not data.assessors:
        return "No panel member has submitted scores at this stage yet."
    return (
        "Each panel member's scores beside the others' on the same candidates. "
        "A whole point or more away, on average, is worth a conversation."
    )


def merit_summary(data: ResultsScreen) -> str:
    view = data.results
    rows = view.rows if view else ()
    if not rows:
        return "Nobody has reached this stage yet." if view else ""
    if view is not None and not view.merit_order_shown:
        shown = sum(1 for r in rows if not r.withheld)
        listed = f"{plural(len(rows), 'candidate', 'candidates')}, by candidate number"
        if not shown:
            return (
                f"{listed}. You have not submitted scores for any of them yet; the panel's "
                "scores for each show once you have."
            )
        return f"{listed}. The panel's scores show for the {shown} you have submitted for."
    going = sum(1 for r in rows if r.progresses is True)
    open_ = sum(1 for r in rows if r.progresses is None)
    text = f"{plural(len(rows), 'candidate', 'candidates')}: {going} progress"
    text += f", {len(rows) - going - open_} do not"
    if open_:
        text += f", {open_} to decide"
    # How many have each recorded outcome: "14 progressed, 1 on a reserve list".
    counts = {k: sum(1 for r in rows if r.outcome == k) for k in Outcome}
    decided = [f"{n} {k.phrase}" for k, n in counts.items() if n]
    if decided:
        text += ". Recorded outcomes: " + ", ".join(decided)
    return text + "."
