"""Subject access: everything held about one candidate, as JSON and as a PDF."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from db import audit
from db.models import (
    AdvertCriterion,
    ApplicationPart,
    AuditEvent,
    Campaign,
    Candidate,
    ConflictDeclaration,
    InterviewSlot,
    ModeratedScore,
    Outcome,
    Person,
    Score,
    Stage,
    StageCriterion,
    id_of,
)
from exports.files import write_text_atomic
from recruit_app.domain.dates import LONDON
from recruit_app.errors import ValidationError
from recruit_app.readmodels import CandidateRecord, ScoreEntry, StageEntry
from recruit_app.services.access import candidate_for
from recruit_app.services.branding import document_theme
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import require
from recruit_app.services.retention import events_about
from recruit_app.services.uow import select_columns, unit_of_work
from recruit_app.vocabulary import PartKind, SlotStatus


def candidate_record(ctx: ServiceContext, candidate_id: int) -> CandidateRecord:
    require(ctx.actor, "data.protect")
    with unit_of_work(ctx, read_only=True) as session:
        candidate = candidate_for(session, ctx, candidate_id, "manage")
        campaign = session.get(Campaign, candidate.campaign_id)
        assert campaign is not None
        return CandidateRecord(
            produced_at=datetime.now(LONDON).isoformat(timespec="seconds"),
            campaign_reference=campaign.reference,
            campaign_title=campaign.title,
            details=_details(session, candidate),
            stages=tuple(_stages(session, candidate)),
            scores=tuple(_scores(session, candidate)),
            agreed_scores=tuple(_agreed(session, candidate)),
            conflicts_declared=len(
                session.exec(
                    select(ConflictDeclaration.id).where(
                        ConflictDeclaration.candidate_id == candidate.id
                    )
                ).all()
            ),
            history=tuple(_history(session, candidate)),
            application=tuple(_application(session, candidate)),
        )


def _details(session: Session, candidate: Candidate) -> dict[str, object]:
    from recruit_app.services.equality import own_answers

    assert candidate.id is not None
    return {
        "candidate_number": candidate.candidate_number,
        "first_name": candidate.first_name,
        "last_name": candidate.last_name,
        "email": candidate.email,
        "phone": candidate.phone,
        "guaranteed_interview_scheme": candidate.guaranteed_interview,
        "redeployment_scheme": candidate.redeployment,
        "reasonable_adjustments": candidate.adjustments,
        "extra_minutes": candidate.extra_minutes,
        "unavailable_dates": list(candidate.unavailable_dates),
        "other_information": dict(candidate.extra),
        "added_on": candidate.created_at.astimezone(LONDON).date().isoformat(),
        "erased_on": candidate.erased_at.astimezone(LONDON).date().isoformat()
        if candidate.erased_at
        else "",
        # Their own equality monitoring answers (question: answer), theirs alone.
        "equality_monitoring": own_answers(session, candidate.id),
    }


def _stages(session: Session, candidate: Candidate) -> list[StageEntry]:
    slots = {
        stage_id: (start, end, panel)
        for stage_id, start, end, panel in session.exec(
            select(
                InterviewSlot.stage_id,
                InterviewSlot.starts_at,
                InterviewSlot.ends_at,
                InterviewSlot.panel_number,
            ).where(
                InterviewSlot.candidate_id == candidate.id,
                InterviewSlot.status == SlotStatus.BOOKED,
            )
        )
    }
    entries = []
    for stage, outcome in session.exec(
        select(Stage, Outcome)
        .join(
            Outcome,
            (col(Outcome.stage_id) == Stage.id) & (Outcome.candidate_id == candidate.id),
            isouter=True,
        )
        .where(Stage.campaign_id == candidate.campaign_id)
        .order_by(col(Stage.position))
    ):
        slot = slots.get(id_of(stage))
        if outcome is None and slot is None:
            continue
        interview = ""
        if slot is not None:
            start, end, panel = slot
            interview = (
                f"{start.astimezone(LONDON):%Y-%m-%d %H:%M} to "
                f"{end.astimezone(LONDON):%H:%M}, panel {panel}"
            )
        entries.append(
            StageEntry(
                stage=stage.name,
                outcome=outcome.kind if outcome else "",
                decided_on=outcome.decided_on.isoformat() if outcome and outcome.decided_on else "",
                reason=outcome.reason if outcome else "",
                feedback=outcome.feedback if outcome else "",
                reserve_expires_on=outcome.reserve_expires_on.isoformat()
                if outcome and outcome.reserve_expires_on
                else "",
                interview=interview,
            )
        )
    return entries


def _scores(session: Session, candidate: Candidate) -> list[ScoreEntry]:
    rows = session.exec(
        select_columns(
            Stage.name, AdvertCriterion.code, Person.name, Score.value, Score.status, Score.evidence
        )
        .join(StageCriterion, col(StageCriterion.id) == Score.stage_criterion_id)
        .join(Stage, col(Stage.id) == StageCriterion.stage_id)
        .join(AdvertCriterion, col(AdvertCriterion.id) == StageCriterion.advert_criterion_id)
        .join(Person, col(Person.id) == Score.assessor_id)
        .where(Score.candidate_id == candidate.id)
        .order_by(col(Stage.position), col(StageCriterion.position), col(Person.name))
    )
    return [ScoreEntry(*row) for row in rows]


def _agreed(session: Session, candidate: Candidate) -> list[dict[str, object]]:
    rows = session.exec(
        select(Stage.name, AdvertCriterion.code, ModeratedScore.value, ModeratedScore.rationale)
        .join(StageCriterion, col(StageCriterion.id) == ModeratedScore.stage_criterion_id)
        .join(Stage, col(Stage.id) == StageCriterion.stage_id)
        .join(AdvertCriterion, col(AdvertCriterion.id) == StageCriterion.advert_criterion_id)
        .where(ModeratedScore.candidate_id == candidate.id)
        .order_by(col(Stage.position), col(StageCriterion.position))
    )
    return [
        {"stage": stage, "criterion": code, "agreed_score": value, "rationale": rationale}
        for stage, code, value, rationale in rows
    ]


def _application(session: Session, candidate: Candidate) -> list[dict[str, object]]:
    """What they sent, as sent (the original text; the files by name)."""
    rows = session.exec(
        select_columns(
            ApplicationPart.kind,
            ApplicationPart.label,
            ApplicationPart.text,
            ApplicationPart.file_name,
            AdvertCriterion.code,
        )
        .outerjoin(AdvertCriterion, col(AdvertCriterion.id) == ApplicationPart.advert_criterion_id)
        .where(ApplicationPart.candidate_id == candidate.id)
        .order_by(col(ApplicationPart.kind), col(ApplicationPart.position), col(ApplicationPart.id))
    )
    return [
        {
            "part": PartKind.label_for(kind) if file_name or kind != PartKind.ANSWER else label,
            "criterion": code or "",
            "text": text,
            "file": file_name,
        }
        for kind, label, text, file_name, code in rows
    ]


def _history(session: Session, candidate: Candidate) -> list[dict[str, object]]:
    # Every event about them: filed under them, their outcomes or their agreed scores
    # (the same events their erasure blanks).
    assert candidate.id is not None
    rows = session.exec(
        select(AuditEvent)
        .where(events_about([candidate.id]))
        .order_by(col(AuditEvent.occurred_at), col(AuditEvent.id))
    )
    return [
        {
            "when": e.occurred_at.astimezone(LONDON).isoformat(timespec="minutes"),
            "what": e.summary,
            "before": e.before,
            "after": e.after,
        }
        for e in rows
    ]


def export_candidate_record(ctx: ServiceContext, candidate_id: int, path: Path) -> Path:
    """Write the record as .json or .pdf (by the suffix); the export itself is audited."""
    suffix = path.suffix.lower()
    if suffix not in (".json", ".pdf"):
        raise ValidationError(
            f"Save the record as a .json or .pdf file, not {suffix or 'no suffix'}.", "path"
        )
    record = candidate_record(ctx, candidate_id)
    if suffix == ".json":
        written = write_text_atomic(
            path, json.dumps(record.to_json(), indent=2, ensure_ascii=False) + "\n"
        )
    else:
        from exports.subject_access import render_candidate_record

        written = render_candidate_record(record, path, document_theme(ctx, personal=True))
    with unit_of_work(ctx) as session:
        candidate = session.get(Candidate, candidate_id)
        assert candidate is not None
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="candidate.subject_access",
            entity="candidate_export",
            entity_id=candidate_id,
            campaign_id=candidate.campaign_id,
            campaign_reference=record.campaign_reference,
            summary=f"Exported everything held about candidate {candidate.candidate_number}",
        )
    return written
