"""Outcome letters for a stage, and the panel's feedback to a candidate that they carry.

The letters' read model (LettersDocument, Letter, ScoreLine, NextStage) lives with the
other renderer inputs in recruit_app.readmodels: plain frozen data that worker processes
can receive without importing the database layer. It is read here in one transaction,
then rendered outside it: in this process for a handful of letters, else on two cores.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlmodel import Session, col, select

from db import audit
from db.models import Advert, Campaign, Candidate, Outcome, Stage, id_of
from db.ordering import by_number
from recruit_app.domain.dates import plain_date
from recruit_app.errors import Cancelled, NotFound, ValidationError
from recruit_app.readmodels import (
    IsCancelled,
    Letter,
    LettersDocument,
    NextStage,
    Progress,
    ScoreLine,
)
from recruit_app.services.access import stage_for
from recruit_app.services.branding import printed_name
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import require
from recruit_app.services.results import ResultCriterion, results_in
from recruit_app.services.scoring import stage_scale
from recruit_app.services.uow import check_version, select_columns, touch, unit_of_work
from recruit_app.vocabulary import Outcome as OutcomeKind

__all__ = [
    "FEEDBACK_LIMIT",
    "FeedbackView",
    "export_letters",
    "letters_document",
    "letters_warnings",
    "outcome_feedback",
    "set_feedback",
]

FEEDBACK_LIMIT = 5_000
# Marks are compared rounded, as the results are (recruit_app.domain.results).
_PLACES = 9
# NUL cannot be stored in PostgreSQL text; other control characters cannot be printed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --- the letters ---------------------------------------------------------------------


def _stage(session: Session, ctx: ServiceContext, stage_id: int) -> Stage:
    """The stage, if the person acting manages its campaign (letters hold names and
    e-mail addresses, so nobody else may print them)."""
    return stage_for(session, ctx, stage_id, "manage")


def _later_stages(session: Session, stage: Stage) -> list[Stage]:
    return list(
        session.exec(
            select(Stage)
            .where(Stage.campaign_id == stage.campaign_id, col(Stage.position) > stage.position)
            .order_by(col(Stage.position))
        )
    )


def _next_stage(later: list[Stage]) -> NextStage | None:
    if not later:
        return None
    first = later[0]
    return NextStage(first.name, first.kind, first.mode, first.starts_on, first.ends_on)


def cited_codes(text: str, codes: Iterable[str]) -> list[str]:
    """The criterion codes a piece of feedback names, as whole words, in `codes` order."""
    return [
        code for code in codes if code and re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)
    ]


def _date_warnings(later: list[Stage], today: date) -> list[str]:
    """Later stages whose first day has passed: the letters will not give their dates."""
    found = []
    for stage in later:
        first = stage.starts_on or stage.ends_on
        if first is not None and first < today:
            found.append(
                f"The {stage.name} was due to start on {plain_date(first)}, which has passed: "
                "the letters will not give its dates. If it has moved, change the stage's "
                "dates first."
            )
    return found


def _feedback_warning(number: str, codes: list[str]) -> str:
    named = ", ".join(codes)
    return (
        f"The feedback to candidate {number} names {named}, which they did not fall below: "
        "a letter's feedback cites only the criteria a candidate fell below."
    )


def _at_least(value: float, mark: float) -> bool:
    return round(value, _PLACES) >= round(mark, _PLACES)


def _titled(criterion: ResultCriterion, mixed: bool) -> str:
    """A criterion's title, with the scale it was scored on where the stage mixes scales."""
    if not mixed or criterion.low is None or criterion.high is None:
        return criterion.title
    return f"{criterion.title} (scored {criterion.low:g} to {criterion.high:g})"


def _scale_range(stage: Stage) -> tuple[int | None, int | None]:
    try:
        values = stage_scale(stage).values
    except ValidationError:  # a custom scale still being written
        return None, None
    return (min(values), max(values)) if values else (None, None)


def letters_document(
    ctx: ServiceContext, stage_id: int, *, today: date | None = None
) -> LettersDocument:
    """One letter for each candidate with an outcome at the stage, dated `today`.

    Letters go to the candidates themselves, so they carry names even where the stage
    was name-blind. Scores and the panel's feedback are included only where the advert
    offers feedback.
    """
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx, read_only=True) as session:
        stage = _stage(session, ctx, stage_id)
        campaign = session.get(Campaign, stage.campaign_id)
        if campaign is None:
            raise NotFound("That campaign no longer exists.")
        advert = session.exec(select(Advert).where(Advert.campaign_id == campaign.id)).first()
        rows = (
            session.connection()
            .execute(
                select_columns(
                    Outcome.candidate_id,
                    Outcome.kind,
                    Outcome.reserve_expires_on,
                    Outcome.feedback,
                    Candidate.candidate_number,
                    Candidate.first_name,
                    Candidate.last_name,
                    Candidate.email,
                )
                .join(Candidate, col(Candidate.id) == Outcome.candidate_id)
                # Nobody to write to once a candidate's details are erased.
                .where(Outcome.stage_id == stage_id, col(Candidate.erased_at).is_(None))
                .order_by(*by_number(session, Candidate.candidate_number))
            )
            .all()
        )
        if not rows:
            raise ValidationError(
                f"No outcomes are recorded for {stage.name} yet: finalise the results first."
            )
        offers = bool(advert and advert.offers_feedback)
        view = results_in(session, ctx, stage) if offers else None
        by_candidate = {r.candidate_id: r for r in view.rows} if view else {}
        criteria = view.criteria if view else ()
        low, high = _scale_range(stage)
        if any(c.own_scale for c in criteria):
            # Criteria on different scales: each line says its own, not one for them all.
            low = high = None
        today = today or date.today()
        later = _later_stages(session, stage)
        warnings = _date_warnings(later, today)
        codes = [c.code for c in criteria]
        expired = 0
        letters = []
        for cid, kind, expires, feedback, number, first, last, email in rows:
            result = by_candidate.get(cid)
            scores: tuple[ScoreLine, ...] = ()
            total = total_mark = total_met = None
            below: tuple[str, ...] = ()
            if result is not None:
                failed = set(result.failed_criteria)
                below = tuple(code for code in codes if code in failed)
                cited = [c for c in cited_codes(feedback or "", codes) if c not in failed]
                if cited:
                    warnings.append(_feedback_warning(number, cited))
                scores = tuple(
                    ScoreLine(
                        c.code,
                        _titled(c, low is None and any(k.own_scale for k in criteria)),
                        result.criterion_scores.get(c.code),
                        c.pass_mark,
                        None
                        if c.pass_mark is None or result.criterion_scores.get(c.code) is None
                        else c.code not in failed,
                    )
                    for c in criteria
                )
                total, total_mark = result.total, stage.pass_mark_total
                if total is not None and total_mark is not None:
                    total_met = _at_least(total, total_mark)
            letters.append(
                Letter(
                    candidate_id=cid,
                    candidate_number=number,
                    first_name=first,
                    last_name=last,
                    email=email,
                    outcome=kind,
                    reserve_expires_on=expires,
                    feedback=feedback if offers else "",
                    scores=scores,
                    total=total,
                    total_pass_mark=total_mark,
                    total_met=total_met,
                    below=below,
                )
            )
            if kind == OutcomeKind.RESERVE and expires is not None and expires < today:
                expired += 1
        if expired:
            warnings.append(
                f"{expired} reserve list place{'s' if expired > 1 else ''} ended before "
                f"{plain_date(today)}: {'their letters' if expired > 1 else 'its letter'} "
                "will give no end date. Extend the reserve list first if it still runs."
            )
        return LettersDocument(
            organisation=printed_name(session, ctx).strip()
            or (advert.business_area if advert else ""),
            reference=campaign.reference,
            campaign_title=(advert.title if advert else "") or campaign.title,
            stage_id=stage_id,
            stage_name=stage.name,
            dated=today,
            letters=tuple(letters),
            grade=advert.grade if advert else "",
            next_stage=_next_stage(later),
            offers_feedback=offers,
            scale_minimum=low,
            scale_maximum=high,
            weighted=any(c.weight != 1 for c in criteria),
            contact_name=advert.contact_name if advert else "",
            team_email=(advert.team_email or advert.contact_email) if advert else "",
            security_clearance=advert.security_clearance if advert else "",
            reserve_list_months=(advert.reserve_list_months if advert else 12) or 12,
            expected_start_on=campaign.expected_start_on,
            warnings=tuple(warnings),
        )


def letters_warnings(
    ctx: ServiceContext, stage_id: int, *, today: date | None = None
) -> tuple[str, ...]:
    """What to tell the manager before generating the stage's letters (empty: nothing)."""
    return letters_document(ctx, stage_id, today=today).warnings


def export_letters(
    ctx: ServiceContext,
    stage_id: int,
    out: Path,
    *,
    merge: bool = False,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    today: date | None = None,
    limit: int | None = None,
) -> list[Path]:
    """The stage's outcome letters: one PDF per candidate in the folder `out`, or with
    `merge` one PDF at `out` holding every letter. All or nothing: a cancel or an error
    leaves no new file behind. `limit` keeps only the first letters (for a preview)."""
    from exports.letters import render_merged, write_letter_folder
    from recruit_app.services.branding import document_theme

    out = Path(out)
    if merge:
        if out.suffix.lower() != ".pdf":
            given = out.suffix or "a name without one"
            raise ValidationError(f"Save the merged letters as a .pdf file, not {given}.", "path")
        if out.is_dir():
            raise ValidationError(f"{out} is a folder: name the PDF file to write.", "path")
    elif out.exists() and not out.is_dir():
        raise ValidationError(
            f"{out} is a file: choose a folder for the letters, one file each.", "path"
        )
    document = letters_document(ctx, stage_id, today=today)
    if limit is not None:
        document = replace(document, letters=document.letters[: max(limit, 1)])
    if cancelled is not None and cancelled():
        raise Cancelled("The export was cancelled; no file was written.")
    theme = document_theme(ctx)
    if merge:
        return [render_merged(document, out, theme, progress=progress, cancelled=cancelled)]
    return write_letter_folder(document, out, theme, progress=progress, cancelled=cancelled)


# --- the panel's feedback ------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackView:
    """A candidate's outcome at a stage and the feedback that goes with it."""

    stage_id: int
    stage_name: str
    candidate_id: int
    candidate_number: str
    label: str  # "0004 Niamh O'Brien"
    outcome: str
    feedback: str
    version: int  # of the outcome row, for saving over it knowingly
    offers_feedback: bool  # whether the advert lets letters carry it


def _outcome(session: Session, stage: Stage, candidate_id: int) -> tuple[Outcome, Candidate]:
    candidate = session.get(Candidate, candidate_id)
    if candidate is None or candidate.campaign_id != stage.campaign_id:
        raise NotFound("That candidate no longer exists.")
    outcome = session.exec(
        select(Outcome).where(Outcome.stage_id == stage.id, Outcome.candidate_id == candidate_id)
    ).first()
    if outcome is None:
        raise ValidationError(
            f"Candidate {candidate.candidate_number} has no outcome at {stage.name} yet. "
            "Feedback goes with an outcome: finalise the results or record an outcome first.",
            "feedback",
        )
    return outcome, candidate


def _view(session: Session, stage: Stage, outcome: Outcome, candidate: Candidate) -> FeedbackView:
    advert = session.exec(select(Advert).where(Advert.campaign_id == stage.campaign_id)).first()
    name = f"{candidate.first_name} {candidate.last_name}".strip()
    return FeedbackView(
        stage_id=id_of(stage),
        stage_name=stage.name,
        candidate_id=id_of(candidate),
        candidate_number=candidate.candidate_number,
        label=f"{candidate.candidate_number} {name}".strip(),
        outcome=outcome.kind,
        feedback=outcome.feedback,
        version=outcome.version,
        offers_feedback=bool(advert and advert.offers_feedback),
    )


def outcome_feedback(ctx: ServiceContext, stage_id: int, candidate_id: int) -> FeedbackView:
    """The candidate's outcome and feedback at the stage, as they are now."""
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx, read_only=True) as session:
        stage = _stage(session, ctx, stage_id)
        outcome, candidate = _outcome(session, stage, candidate_id)
        return _view(session, stage, outcome, candidate)


def clean_feedback(text: str) -> str:
    """Feedback as it is stored: newlines normalised, control characters and NULs removed."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def _check_cited(
    session: Session, ctx: ServiceContext, stage: Stage, candidate: Candidate, feedback: str
) -> None:
    """Refuse feedback naming a criterion the candidate did not fall below."""
    view = results_in(session, ctx, stage)
    codes = [c.code for c in view.criteria]
    named = cited_codes(feedback, codes)
    if not named:
        return
    result = next((r for r in view.rows if r.candidate_id == candidate.id), None)
    failed = set(result.failed_criteria) if result is not None else set()
    cited = [code for code in named if code not in failed]
    if cited:
        raise ValidationError(
            f"The feedback names {', '.join(cited)}, but candidate "
            f"{candidate.candidate_number} did not fall below "
            f"{'its pass mark' if len(cited) == 1 else 'their pass marks'}. A letter's "
            "feedback cites only the criteria a candidate fell below: describe strengths "
            "without the code, or correct it.",
            "feedback",
        )


def set_feedback(
    ctx: ServiceContext,
    stage_id: int,
    candidate_id: int,
    text: str,
    *,
    expected_version: int | None,
) -> FeedbackView:
    """Record the panel's feedback to a candidate on their outcome at a stage."""
    require(ctx.actor, "campaign.manage")
    feedback = clean_feedback(text)
    if len(feedback) > FEEDBACK_LIMIT:
        raise ValidationError(
            f"Keep the feedback to {FEEDBACK_LIMIT:,} characters; it has {len(feedback):,}.",
            "feedback",
        )
    with unit_of_work(ctx) as session:
        stage = _stage(session, ctx, stage_id)
        outcome, candidate = _outcome(session, stage, candidate_id)
        check_version(outcome, expected_version, "The feedback")
        _check_cited(session, ctx, stage, candidate, feedback)
        if outcome.feedback != feedback:
            before = outcome.feedback
            outcome.feedback = feedback
            touch(outcome, ctx)
            session.flush()
            campaign = session.get(Campaign, stage.campaign_id)
            audit.record(
                session,
                actor_name=ctx.actor.name,
                actor_id=ctx.actor.person_id,
                action="outcome.feedback",
                entity="outcome",
                entity_id=outcome.id,
                campaign_id=stage.campaign_id,
                campaign_reference=campaign.reference if campaign else "",
                summary=f"Feedback for candidate {candidate.candidate_number} at {stage.name}",
                before={"feedback": before},
                after={"feedback": feedback},
            )
        return _view(session, stage, outcome, candidate)
