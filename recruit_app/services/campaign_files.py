"""Campaign definitions: building one from a role template, and sharing one as a JSON file.

A campaign definition is its advert, criteria and stages (with the assessment matrix and
the question plans), and its timetable (key dates, events and bank holiday region), never
its candidates or scores. The file format `recruit-campaign/1` is documented in the
README; export then import gives back exactly the same definition.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from db import audit
from db import library as library_rows
from db.models import (
    Advert,
    AdvertCriterion,
    Campaign,
    Criterion,
    Framework,
    PlanQuestion,
    Stage,
    StageCriterion,
    TimetableEvent,
    id_of,
)
from db.types import utcnow
from exports.library_files import write_json
from recruit_app.domain.advert_fields import FIELDS, clean_fields
from recruit_app.domain.campaign_format import (
    CAMPAIGN_FORMAT,
    STAGE_FILE_FIELDS,
    CampaignDefinition,
    parse_campaign,
)
from recruit_app.domain.campaigns import clean_reference, clean_title, next_reference
from recruit_app.domain.library_format import RoleTemplateDef, resolve_template
from recruit_app.domain.plan_format import PlanQuestionDef, plan_question_json
from recruit_app.errors import NotFound, ValidationError
from recruit_app.services.access import check_campaign
from recruit_app.services.campaigns import CampaignSummary, owner_for, summarise
from recruit_app.services.context import ServiceContext
from recruit_app.services.library import library_frameworks
from recruit_app.services.permissions import require
from recruit_app.services.textfiles import parse_json, read_text
from recruit_app.services.uow import select_columns, unit_of_work

# The largest campaign an advert can hold is well under 1 MB.
MAX_FILE_BYTES = 5 * 1024 * 1024
CRITERION_FIELDS = (
    "code",
    "title",
    "description",
    "element",
    "essential",
    "level",
    "weight",
    "lead",
    "lead_rank",
)


# --- from a role template ------------------------------------------------------------


def create_from_template(
    ctx: ServiceContext,
    template_code: str,
    *,
    title: str | None = None,
    reference: str | None = None,
) -> CampaignSummary:
    """A new draft campaign whose advert, criteria and stages come from a role template."""
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx) as session:
        template = library_rows.template_by_code(session, template_code.strip())
        if template is None or template.retired:
            raise NotFound(f"The library has no role template with the code {template_code!r}.")
        definition = resolve_template(
            library_rows.template_definition(template), library_frameworks(session)
        )
        campaign = new_campaign(session, ctx, title or definition.title, reference)
        apply_template(session, ctx, campaign, definition)
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="campaign.create",
            entity="campaign",
            entity_id=campaign.id,
            campaign_id=campaign.id,
            campaign_reference=campaign.reference,
            summary=f"Created {campaign.title} from the template {definition.code}",
        )
        session.flush()
        return summarise(campaign)


def new_campaign(
    session: Session, ctx: ServiceContext, title: str, reference: str | None
) -> Campaign:
    title = clean_title(title)
    references = list(session.exec(select(Campaign.reference)).all())
    if reference and reference.strip():
        reference = clean_reference(reference)
        if reference in references:
            raise ValidationError(
                f"The reference {reference!r} is already used by another campaign.", "reference"
            )
    else:
        reference = next_reference(references, utcnow().year)
    campaign = Campaign(
        reference=reference, title=title, updated_by=ctx.actor.name, owner_id=owner_for(ctx)
    )
    session.add(campaign)
    session.flush()
    return campaign


def _library_ids(session: Session, definition: RoleTemplateDef) -> dict[tuple[str, str], int]:
    pairs = {(c.framework, c.criterion) for c in definition.criteria if c.framework}
    if not pairs:
        return {}
    found = session.exec(
        select(Framework.code, Criterion.code, Criterion.id)
        .join(Criterion, col(Criterion.framework_id) == Framework.id)
        .where(col(Framework.code).in_({f for f, _ in pairs}))
    )
    ids: dict[tuple[str, str], int] = {}
    for f, c, cid in found:
        if (f, c) in pairs:
            assert cid is not None  # a primary key
            ids[(f, c)] = cid
    return ids


def apply_template(
    session: Session, ctx: ServiceContext, campaign: Campaign, definition: RoleTemplateDef
) -> None:
    fields = {k: v for k, v in definition.advert.items() if k in FIELDS}
    advert = Advert(
        campaign_id=id_of(campaign),
        template_code=definition.code,
        title=campaign.title,
        grade=definition.grade,
        summary=definition.summary,
        updated_by=ctx.actor.name,
        **clean_fields(fields),
    )
    session.add(advert)
    session.flush()
    library_ids = _library_ids(session, definition)
    by_code = _add_criteria(
        session,
        advert,
        [(c, library_ids.get((c.framework, c.criterion))) for c in definition.criteria],
        ctx.actor.name,
    )
    for position, s in enumerate(definition.stages):
        stage = Stage(
            campaign_id=id_of(campaign),
            position=position,
            name=s.name,
            kind=s.kind,
            mode=s.mode,
            name_blind=s.name_blind,
            min_assessors=s.min_assessors,
            updated_by=ctx.actor.name,
        )
        session.add(stage)
        session.flush()
        cell_of: dict[str, StageCriterion] = {}
        for cell, code in enumerate(s.criteria):
            # Templates stored before codes were matched this way may differ in case.
            criterion = by_code[code.casefold()]
            row = StageCriterion(
                stage_id=id_of(stage),
                advert_criterion_id=id_of(criterion),
                weight=criterion.weight,
                # The template's pass mark is for the essential criteria: a desirable
                # one counts towards the total and the tie-breaks, and fails nobody.
                pass_mark=s.pass_mark if criterion.essential else None,
                position=cell,
                updated_by=ctx.actor.name,
            )
            session.add(row)
            cell_of[code.casefold()] = row
        session.flush()
        stage.welcome_script, stage.close_script = s.welcome_script, s.close_script
        # The template's question plan; a presentation topic it says was sent was sent for
        # another campaign, so the new one's is not yet.
        _add_plan(
            session,
            stage,
            [(cell_of[entry.code.casefold()], entry.questions) for entry in s.plan],
            ctx.actor.name,
            keep_sent_on=False,
        )


def _add_criteria(
    session: Session, advert: Advert, criteria: list[tuple[Any, int | None]], actor: str
) -> dict[str, AdvertCriterion]:
    """The advert's criteria from a template or a campaign file, each with the library
    criterion it came from (or None), in order; returned by code, case folded."""
    by_code: dict[str, AdvertCriterion] = {}
    for position, (c, library_id) in enumerate(criteria):
        row = AdvertCriterion(
            advert_id=id_of(advert),
            criterion_id=library_id,
            code=c.code,
            title=c.title,
            description=c.description,
            element=c.element,
            essential=c.essential,
            level=c.level,
            weight=c.weight,
            lead=c.lead,
            lead_rank=c.lead_rank,
            position=position,
            updated_by=actor,
        )
        session.add(row)
        by_code[c.code.casefold()] = row
    session.flush()
    return by_code


# --- export and import ---------------------------------------------------------------


def campaign_definition(session: Session, campaign: Campaign) -> dict[str, Any]:
    advert = session.exec(select(Advert).where(Advert.campaign_id == campaign.id)).one()
    criteria = session.exec(
        select(AdvertCriterion)
        .where(AdvertCriterion.advert_id == advert.id)
        .order_by(col(AdvertCriterion.position), col(AdvertCriterion.id))
    ).all()
    library = _library_refs(session, {c.criterion_id for c in criteria if c.criterion_id})
    codes = {c.id: c.code for c in criteria}
    stages = []
    for stage in session.exec(
        select(Stage).where(Stage.campaign_id == campaign.id).order_by(col(Stage.position))
    ):
        cells = session.exec(
            select(StageCriterion)
            .where(StageCriterion.stage_id == stage.id)
            .order_by(col(StageCriterion.position))
        ).all()
        stages.append(
            {
                **{name: getattr(stage, name) for name in STAGE_FILE_FIELDS},
                "starts_on": stage.starts_on.isoformat() if stage.starts_on else None,
                "ends_on": stage.ends_on.isoformat() if stage.ends_on else None,
                "criteria": [_cell_entry(c, codes) for c in cells],
                "plan": _plan(session, stage, cells, codes),
                "welcome_script": stage.welcome_script,
                "close_script": stage.close_script,
            }
        )
    advert_fields = {}
    for name in FIELDS:
        value = getattr(advert, name)
        advert_fields[name] = value.isoformat() if isinstance(value, datetime) else value
    return {
        "format": CAMPAIGN_FORMAT,
        "reference": campaign.reference,
        "title": campaign.title,
        "template_code": advert.template_code,
        "advert": advert_fields,
        "criteria": [
            {
                **{name: getattr(c, name) for name in CRITERION_FIELDS},
                "library": library.get(c.criterion_id) if c.criterion_id else None,
            }
            for c in criteria
        ],
        "stages": stages,
        "timetable": _timetable(session, campaign),
    }


def _plan(
    session: Session, stage: Stage, cells: Any, codes: dict[int | None, str]
) -> list[dict[str, Any]]:
    """The stage's question plan by criterion, in the matrix's order; each criterion's
    questions in the order they are asked."""
    by_cell: dict[int, list[PlanQuestion]] = {}
    for row in session.exec(
        select(PlanQuestion)
        .where(PlanQuestion.stage_id == stage.id)
        .order_by(col(PlanQuestion.position), col(PlanQuestion.id))
    ):
        by_cell.setdefault(row.stage_criterion_id, []).append(row)
    return [
        {
            "criterion": codes[cell.advert_criterion_id],
            "questions": [
                plan_question_json(q.text, q.probes or (), q.minutes, q.unseen, q.sent_on)
                for q in by_cell[id_of(cell)]
            ],
        }
        for cell in cells
        if by_cell.get(id_of(cell))
    ]


def _timetable(session: Session, campaign: Campaign) -> dict[str, Any]:
    """The key dates after the stages, the bank holiday region and the other events."""
    events = session.exec(
        select(TimetableEvent)
        .where(TimetableEvent.campaign_id == campaign.id)
        .order_by(col(TimetableEvent.starts_on), col(TimetableEvent.id))
    )
    return {
        "holiday_region": campaign.holiday_region,
        "decisions_on": _iso(campaign.decisions_on),
        "expected_start_on": _iso(campaign.expected_start_on),
        "events": [
            {
                "title": e.title,
                "starts_on": e.starts_on.isoformat(),
                "ends_on": _iso(e.ends_on),
                "note": e.note,
            }
            for e in events
        ],
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _library_refs(session: Session, ids: set[int]) -> dict[int, dict[str, str]]:
    if not ids:
        return {}
    rows = session.exec(
        select(Criterion.id, Framework.code, Criterion.code)
        .join(Framework, col(Framework.id) == Criterion.framework_id)
        .where(col(Criterion.id).in_(ids))
    )
    refs: dict[int, dict[str, str]] = {}
    for cid, f, c in rows:
        assert cid is not None  # a primary key
        refs[cid] = {"framework": f, "criterion": c}
    return refs


def export_campaign(ctx: ServiceContext, reference: str, path: Path) -> Path:
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        campaign = session.exec(select(Campaign).where(Campaign.reference == reference)).first()
        if campaign is None:
            raise NotFound(f"There is no campaign with the reference {reference!r}.")
        check_campaign(session, ctx.actor, campaign, "manage")
        data = campaign_definition(session, campaign)
    return write_json(data, path)


def import_campaign(
    ctx: ServiceContext, path: Path, *, reference: str | None = None, title: str | None = None
) -> CampaignSummary:
    """A new draft campaign from a definition file; nothing is written if any part is wrong.

    Every value is checked by the rules the advert, stage and matrix screens apply, so the
    campaign can then be edited, scored and reported on like any other.
    """
    require(ctx.actor, "campaign.manage")
    text = read_text(path, limit=MAX_FILE_BYTES)
    data = parse_json(text, path.name)
    if not isinstance(data, dict) or data.get("format") != CAMPAIGN_FORMAT:
        raise ValidationError(
            f"{path.name} is not a Recruit campaign file (format {CAMPAIGN_FORMAT})."
        )
    with unit_of_work(ctx) as session:
        refs = library_criteria(session)
        try:
            definition = parse_campaign(data, {ref: levels for ref, (_id, levels) in refs.items()})
        except ValidationError as exc:
            raise ValidationError(f"{path.name}: {exc.message}", exc.field) from None
        campaign = new_campaign(
            session, ctx, title or definition.title, reference or definition.reference
        )
        _load_definition(session, ctx, campaign, definition, refs)
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="campaign.import",
            entity="campaign",
            entity_id=campaign.id,
            campaign_id=campaign.id,
            campaign_reference=campaign.reference,
            summary=f"Imported from {path.name}",
        )
        session.flush()
        return summarise(campaign)


def library_criteria(session: Session) -> dict[tuple[str, str], tuple[int, tuple[int, int] | None]]:
    """Library criteria by (framework, criterion) code: their id and the levels they have."""
    rows = session.exec(
        select_columns(
            Framework.code, Criterion.code, Criterion.id, Criterion.min_level, Criterion.max_level
        ).join(Criterion, col(Criterion.framework_id) == Framework.id)
    )
    return {
        (f, c): (cid, (low, high) if low is not None and high is not None else None)
        for f, c, cid, low, high in rows
    }


def _load_definition(
    session: Session,
    ctx: ServiceContext,
    campaign: Campaign,
    definition: CampaignDefinition,
    refs: dict[tuple[str, str], tuple[int, tuple[int, int] | None]],
) -> None:
    advert = Advert(
        campaign_id=id_of(campaign),
        template_code=definition.template_code,
        updated_by=ctx.actor.name,
        **definition.advert,
    )
    session.add(advert)
    timetable = definition.timetable
    campaign.holiday_region = timetable.holiday_region
    campaign.decisions_on = timetable.decisions_on
    campaign.expected_start_on = timetable.expected_start_on
    for event in timetable.events:
        session.add(
            TimetableEvent(
                campaign_id=id_of(campaign),
                title=event.title,
                starts_on=event.starts_on,
                ends_on=event.ends_on,
                note=event.note,
                updated_by=ctx.actor.name,
            )
        )
    session.flush()
    by_code = _add_criteria(
        session,
        advert,
        # A framework this database does not have leaves the criterion as free text.
        [(c, refs[c.library][0] if c.library in refs else None) for c in definition.criteria],
        ctx.actor.name,
    )
    for position, s in enumerate(definition.stages):
        stage = Stage(
            campaign_id=id_of(campaign),
            position=position,
            starts_on=s.starts_on,
            ends_on=s.ends_on,
            updated_by=ctx.actor.name,
            **s.settings,
        )
        session.add(stage)
        session.flush()
        cell_of: dict[str, StageCriterion] = {}
        for cell_position, cell in enumerate(s.cells):
            row = StageCriterion(
                stage_id=id_of(stage),
                advert_criterion_id=id_of(by_code[cell.code.casefold()]),
                weight=cell.weight,
                pass_mark=cell.pass_mark,
                scale=cell.scale,
                custom_scale=[dict(point) for point in cell.custom_scale],
                position=cell_position,
                updated_by=ctx.actor.name,
            )
            session.add(row)
            cell_of[cell.code] = row
        session.flush()
        stage.welcome_script, stage.close_script = s.welcome_script, s.close_script
        _add_plan(
            session,
            stage,
            [(cell_of[entry.code], entry.questions) for entry in s.plan],
            ctx.actor.name,
            keep_sent_on=True,
        )


def _add_plan(
    session: Session,
    stage: Stage,
    plan: list[tuple[StageCriterion, tuple[PlanQuestionDef, ...]]],
    actor: str,
    *,
    keep_sent_on: bool,
) -> None:
    """A new stage's question plan from a template or a campaign file: per cell of its
    matrix, the questions in order."""
    position = 0
    for cell, questions in plan:
        for q in questions:
            session.add(
                PlanQuestion(
                    stage_id=id_of(stage),
                    stage_criterion_id=id_of(cell),
                    position=position,
                    text=q.text,
                    probes=list(q.probes),
                    minutes=q.minutes,
                    unseen=q.unseen,
                    sent_on=q.sent_on if keep_sent_on else None,
                    updated_by=actor,
                )
            )
            position += 1


def _cell_entry(cell: StageCriterion, codes: Mapping[int | None, str]) -> dict[str, Any]:
    """A matrix cell as the campaign file holds it; its own scale only where it has one."""
    entry: dict[str, Any] = {
        "code": codes[cell.advert_criterion_id],
        "weight": cell.weight,
        "pass_mark": cell.pass_mark,
    }
    if cell.scale:
        entry["scale"] = cell.scale
        if cell.scale == "custom":
            entry["custom_scale"] = list(cell.custom_scale or [])
    return entry
