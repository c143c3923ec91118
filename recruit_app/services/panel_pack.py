"""The panel pack for one stage: cover, schedule, candidate list and a score sheet per candidate,
each followed by the candidate's application where asked. The chair's copy adds the chair's
brief: the running order, the welcome and close script and the departures from the plan.

Read in one short transaction into a frozen read model, then rendered outside it. At a
name-blind stage the read model never holds a candidate's name, e-mail or phone, so no
renderer can print them, whoever exports the pack; their applications are the redacted
text the stage's panel reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import literal
from sqlmodel import Session, col, select

from db.models import (
    AdvertCriterion,
    Campaign,
    Candidate,
    ConflictDeclaration,
    CriterionLevel,
    InterviewSlot,
    PanelAssignment,
    Person,
    Stage,
    StageCriterion,
)
from recruit_app.domain.dates import london_date, london_time
from recruit_app.domain.stage_rules import INTERVIEW_KINDS, Scale, scale_for
from recruit_app.errors import ConflictError, NotFound, ValidationError
from recruit_app.readmodels import (
    IsCancelled,
    PackCandidate,
    PackMember,
    PackPlanCriterion,
    PackPlanQuestion,
    PackSlot,
    PanelApplication,
    PanelApplicationPart,
    PanelPackCriterion,
    PanelPackDocument,
    Progress,
)
from recruit_app.services.access import stage_for
from recruit_app.services.branding import printed_name
from recruit_app.services.candidates import at_stage_query
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import require
from recruit_app.services.plans import read_deviations, read_plan
from recruit_app.services.scoring import stage_scale
from recruit_app.services.uow import select_columns, unit_of_work
from recruit_app.vocabulary import Element, PanelRole, SlotStatus, StageKind, StageMode

if TYPE_CHECKING:
    from recruit_app.services.applications import StageApplications

# Chair first, then members, then the independent member.
_ROLE_ORDER = {code: order for order, code in enumerate(PanelRole.codes())}
# Stages where the candidate is not present: a panel has no need of their adjustments
# (DOMAIN.md 4.8: show adjustments to schedulers, not to sift panels).
_PAPER_KINDS = frozenset({StageKind.SIFT, StageKind.APPLICATION})


# --- reading -------------------------------------------------------------------------


def _stage_to_export(session: Session, ctx: ServiceContext, stage_id: int) -> Stage:
    """The stage, if the person acting manages its campaign or sits on its panel."""
    require(ctx.actor, "campaign.view")
    # A panel member reaches only the stages they sit on; a recruiting manager the
    # campaigns they own or that are shared with them; an administrator everything.
    return stage_for(session, ctx, stage_id, "view")


def _members(session: Session, stage_id: int) -> list[tuple[int, PackMember]]:
    rows = session.connection().execute(
        select(Person.id, Person.name, PanelAssignment.panel_role, PanelAssignment.panel_number)
        .join(PanelAssignment, col(PanelAssignment.person_id) == Person.id)
        .where(PanelAssignment.stage_id == stage_id)
    )
    members = [(pid, PackMember(name, role, panel)) for pid, name, role, panel in rows]
    members.sort(key=lambda m: (m[1].panel_number, _ROLE_ORDER.get(m[1].role, 9), m[1].name))
    return members


def _criteria(session: Session, stage_id: int, scale_of_stage: Scale) -> list[PanelPackCriterion]:
    rows = (
        session.connection()
        .execute(
            select_columns(
                AdvertCriterion.code,
                AdvertCriterion.title,
                AdvertCriterion.element,
                AdvertCriterion.essential,
                AdvertCriterion.lead,
                AdvertCriterion.level,
                AdvertCriterion.description,
                AdvertCriterion.criterion_id,
                StageCriterion.pass_mark,
                StageCriterion.weight,
                StageCriterion.scale,
                StageCriterion.custom_scale,
            )
            .join(AdvertCriterion, col(AdvertCriterion.id) == StageCriterion.advert_criterion_id)
            .where(StageCriterion.stage_id == stage_id)
            .order_by(col(StageCriterion.position), col(StageCriterion.id))
        )
        .all()
    )
    linked = {row.criterion_id for row in rows if row.criterion_id and row.level}
    levels: dict[tuple[int, int], Any] = {}
    if linked:
        for level in session.connection().execute(
            select_columns(
                CriterionLevel.criterion_id,
                CriterionLevel.level,
                CriterionLevel.title,
                CriterionLevel.description,
                CriterionLevel.positive_indicators,
                CriterionLevel.negative_indicators,
            ).where(col(CriterionLevel.criterion_id).in_(linked))
        ):
            levels[(level.criterion_id, level.level)] = level
    criteria = []
    for row in rows:
        found = levels.get((row.criterion_id or -1, row.level or -1))
        label = (found.title if found else "") or (f"Level {row.level}" if row.level else "")
        criteria.append(
            PanelPackCriterion(
                code=row.code,
                title=row.title,
                element=row.element,
                element_name=Element.label_for(row.element),
                essential=bool(row.essential),
                lead=bool(row.lead),
                level=row.level,
                level_label=label,
                level_description=found.description if found else "",
                pass_mark=row.pass_mark,
                weight=float(row.weight),
                indicators=tuple(found.positive_indicators or ()) if found else (),
                negative_indicators=tuple(found.negative_indicators or ()) if found else (),
                description=row.description or "",
                scale=_own_scale(row.scale, row.custom_scale, scale_of_stage),
            )
        )
    return criteria


def _own_scale(code: str | None, custom: Any, stage: Scale) -> Scale | None:
    """A cell's scale where it is not the stage's; a custom one still without points: None."""
    if not code:
        return None
    try:
        scale = scale_for(code, custom)
    except ValidationError:
        return None
    return None if scale == stage else scale


def _plan(session: Session, stage: Stage) -> tuple[tuple[PackPlanCriterion, ...], Any]:
    """The stage's plan as the pack prints it, numbered through, and the plan itself."""
    plan = read_plan(session, stage)
    number = 0
    criteria = []
    for cell in plan.cells:
        if not cell.questions:
            continue
        questions = []
        for q in cell.questions:
            number += 1
            questions.append(
                PackPlanQuestion(number, q.text, q.probes, q.minutes, q.unseen, q.sent_on)
            )
        criteria.append(PackPlanCriterion(cell.code, cell.title, tuple(questions)))
    return tuple(criteria), plan


def _name(first: str, last: str, name_blind: bool) -> str:
    return "" if name_blind else f"{first} {last}".strip()


def _label(number: str, name: str) -> str:
    """ "Candidate 0003" where the name is hidden, else "0003 Łukasz Nowak"."""
    return f"{number} {name}" if name else f"Candidate {number}"


def _where(slot_room: str, slot_link: str, stage: Stage) -> str:
    return slot_room or stage.location or slot_link or stage.video_link


def read_panel_pack(
    session: Session,
    stage: Stage,
    organisation: str,
    applications: Mapping[int, PanelApplication] | None = None,
    *,
    chair_copy: bool = False,
    for_person: int | None = None,
) -> PanelPackDocument:
    """The pack's read model from an open session (no permission check: callers check).
    With `for_person` (a person on the panel) it is that member's own copy: their score boxes
    only, for the candidates they assess.
    With `applications` (by candidate id, as `as_the_panel_reads` gives them) each
    candidate carries theirs, and the pack prints them. The `chair_copy` also carries the
    departures from the plan recorded so far."""
    assert stage.id is not None
    campaign = session.get(Campaign, stage.campaign_id)
    if campaign is None:
        raise NotFound("That stage's campaign no longer exists.")
    blind = stage.name_blind
    shows_adjustments = not blind and stage.kind not in _PAPER_KINDS
    seated = _members(session, stage.id)
    members = tuple(m for _, m in seated)
    by_panel: dict[int, tuple[PackMember, ...]] = {}
    for member in members:
        by_panel[member.panel_number] = (*by_panel.get(member.panel_number, ()), member)
    member_of_person = dict(seated)

    # Plain column rows: a pack for hundreds of candidates must not build an object each.
    # At a name-blind stage the names are not even read.
    name_columns: tuple[Any, Any] = (
        (Candidate.first_name, Candidate.last_name)
        if not blind
        else (literal("").label("first_name"), literal("").label("last_name"))
    )
    people = (
        session.connection()
        .execute(
            at_stage_query(
                session,
                stage,
                select_columns(
                    Candidate.id,
                    Candidate.candidate_number,
                    *name_columns,
                    Candidate.adjustments,
                    Candidate.extra_minutes,
                ),
                False,
            )
        )
        .all()
    )

    slot_rows = (
        session.connection()
        .execute(
            select_columns(
                InterviewSlot.starts_at,
                InterviewSlot.ends_at,
                InterviewSlot.panel_number,
                InterviewSlot.room,
                InterviewSlot.video_link,
                InterviewSlot.candidate_id,
            )
            .where(InterviewSlot.stage_id == stage.id, InterviewSlot.status != SlotStatus.CANCELLED)
            .order_by(col(InterviewSlot.starts_at), col(InterviewSlot.panel_number))
        )
        .all()
    )
    # In the schedule a candidate is their number, with their name where it may be shown.
    labels = {
        cid: (number, f"{number} {_name(first, last, blind)}".strip())
        for cid, number, first, last, *_ in people
    }
    missing = {r.candidate_id for r in slot_rows if r.candidate_id and r.candidate_id not in labels}
    if missing:
        # Booked but no longer at the stage (a late withdrawal, say): still on the day's list.
        for cid, number, first, last in session.connection().execute(
            select(Candidate.id, Candidate.candidate_number, *name_columns).where(
                col(Candidate.id).in_(missing)
            )
        ):
            labels[cid] = (number, f"{number} {_name(first, last, blind)}".strip())
    slots = []
    slot_of: dict[int, PackSlot] = {}
    for row in slot_rows:
        number, label = labels.get(row.candidate_id, ("", "")) if row.candidate_id else ("", "")
        slot = PackSlot(
            day=london_date(row.starts_at),
            starts=london_time(row.starts_at),
            ends=london_time(row.ends_at),
            panel_number=row.panel_number,
            where=_where(row.room, row.video_link, stage),
            candidate_number=number,
            candidate_label=label,
            members=by_panel.get(row.panel_number, ()),
        )
        slots.append(slot)
        if row.candidate_id and row.candidate_id not in slot_of:
            slot_of[row.candidate_id] = slot

    conflicts: dict[int, list[PackMember]] = {}
    if member_of_person:
        for candidate_id, person_id in session.connection().execute(
            select(ConflictDeclaration.candidate_id, ConflictDeclaration.person_id)
            .join(Candidate, col(Candidate.id) == ConflictDeclaration.candidate_id)
            .where(
                Candidate.campaign_id == stage.campaign_id,
                col(ConflictDeclaration.person_id).in_(list(member_of_person)),
            )
        ):
            conflicts.setdefault(candidate_id, []).append(member_of_person[person_id])

    candidates = []
    for cid, number, first, last, adjustments, extra in people:
        name = _name(first, last, blind)
        booked = slot_of.get(cid)
        candidates.append(
            PackCandidate(
                number=number,
                name=name,
                label=_label(number, name),
                slot=booked,
                adjustments=shows_adjustments and bool((adjustments or "").strip()),
                extra_minutes=int(extra or 0) if shows_adjustments else 0,
                conflicts=tuple(m for m in members if m in conflicts.get(cid, ())),
                members=booked.members if booked is not None and booked.members else members,
                application=applications.get(cid) if applications is not None else None,
            )
        )

    member_copy = ""
    if for_person is not None:
        own = member_of_person.get(for_person)
        if own is None:
            raise NotFound("That person is not on this stage's panel.")
        member_copy = own.name
        candidates = [replace(c, members=(own,)) for c in candidates if own in c.members]
    plan_criteria, plan = _plan(session, stage)
    deviations = (
        tuple(d.as_line() for d in read_deviations(session, [stage.id]).get(stage.id, []))
        if chair_copy
        else ()
    )
    return PanelPackDocument(
        organisation=organisation,
        campaign_reference=campaign.reference,
        campaign_title=campaign.title,
        stage_name=stage.name,
        stage_kind=stage.kind,
        mode=StageMode.label_if_set(stage.mode),
        starts_on=stage.starts_on,
        ends_on=stage.ends_on,
        location=stage.location,
        video_link=stage.video_link,
        name_blind=blind,
        interview=stage.kind in INTERVIEW_KINDS,
        shows_adjustments=shows_adjustments,
        scale=stage_scale(stage),
        pass_mark_total=stage.pass_mark_total,
        members=members,
        criteria=tuple(_criteria(session, stage.id, stage_scale(stage))),
        slots=tuple(slots),
        candidates=tuple(candidates),
        with_applications=applications is not None,
        plan=plan_criteria,
        welcome_script=plan.welcome_script,
        close_script=plan.close_script,
        slot_minutes=plan.slot_minutes,
        plan_warnings=tuple(f.message for f in plan.findings if f.kind == "timing"),
        chair_copy=chair_copy,
        deviations=deviations,
        member_copy=member_copy,
    )


# --- use cases -----------------------------------------------------------------------


CHANGED_WHILE_READING = (
    "The stage was made name-blind while the export was being made. "
    "Nothing was written: export it again."
)


def as_the_panel_reads(found: StageApplications) -> dict[int, PanelApplication]:
    """`stage_applications(..., for_panel=True)` as the read models of the packs and
    workbooks made for a panel, by candidate id (no reading here: the use case read them)."""
    return {
        candidate_id: PanelApplication(
            view.redacted,
            tuple(
                PanelApplicationPart(
                    kind=part.kind,
                    criterion=part.criterion,
                    heading=part.heading,
                    text=part.text,
                    words=part.words,
                    limit=part.limit,
                    no_text=part.no_text,
                    note=part.note,
                )
                for part in view.parts
            ),
        )
        for candidate_id, view in found.by_candidate.items()
    }


def panel_pack_document(
    ctx: ServiceContext,
    stage_id: int,
    *,
    with_applications: bool = False,
    chair_copy: bool = False,
    member: int | None = None,
) -> PanelPackDocument:
    """The panel pack's content for a stage, for a manager or a member of its panel;
    `with_applications` adds each candidate's application as the panel reads it, and
    `chair_copy` the chair's brief (whoever may have the pack may have the chair's copy:
    the plan, its scripts and its departures are the whole panel's to read)."""
    from recruit_app.services.applications import stage_applications

    applications: dict[int, PanelApplication] | None = None
    redacted = False
    if with_applications:
        # Read first, in its own transaction (the applications service's one read): at a
        # name-blind stage the redacted text, whoever exports the pack.
        found = stage_applications(ctx, stage_id, for_panel=True)
        redacted, applications = found.redacted, as_the_panel_reads(found)
    with unit_of_work(ctx, read_only=True) as session:
        stage = _stage_to_export(session, ctx, stage_id)
        document = read_panel_pack(
            session,
            stage,
            printed_name(session, ctx),
            applications,
            chair_copy=chair_copy,
            for_person=member,
        )
    if applications is not None and document.name_blind and not redacted:
        # Made name-blind in between: the applications were read with names in them.
        raise ConflictError(CHANGED_WHILE_READING)
    return document


def export_panel_pack(
    ctx: ServiceContext,
    stage_id: int,
    path: Path,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    with_applications: bool = False,
    chair_copy: bool = False,
    member: int | None = None,
) -> Path:
    """Write the stage's panel pack as a PDF at `path` (atomically: all or nothing); with
    `with_applications`, each score sheet is followed by the candidate's application; the
    `chair_copy` adds the running order, the scripts and the departures from the plan."""
    from exports.panel_pack import render_panel_pack
    from recruit_app.services.branding import document_theme

    document = panel_pack_document(
        ctx, stage_id, with_applications=with_applications, chair_copy=chair_copy, member=member
    )
    return render_panel_pack(
        document,
        Path(path),
        document_theme(ctx, personal=True),
        author=ctx.actor.name,
        progress=progress,
        cancelled=cancelled,
    )
