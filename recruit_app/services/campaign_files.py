"""Campaign definitions: building one from a role template, and sharing one as a JSON file.

A campaign definition is its advert, criteria and stages (with the assessment matrix),
never its candidates or scores. The file format `recruit-campaign/1` is documented in
the README; export then import gives back exactly the same definition.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from db import audit
from db import library as library_rows
from db.models import Advert, AdvertCriterion, Campaign, Criterion, Framework, Stage, StageCriterion
from db.types import utcnow
from exports.library_files import write_json
from recruit_app.domain.campaigns import clean_reference, clean_title, next_reference
from recruit_app.domain.library_format import (
    ELEMENTS,
    STAGE_KINDS,
    STAGE_MODES,
    RoleTemplateDef,
    resolve_template,
)
from recruit_app.errors import NotFound, ValidationError
from recruit_app.services.access import check_campaign
from recruit_app.services.adverts import FIELDS, clean_fields
from recruit_app.services.campaigns import CampaignSummary, owner_for, summarise
from recruit_app.services.context import ServiceContext
from recruit_app.services.library import library_frameworks
from recruit_app.services.permissions import require
from recruit_app.services.textfiles import read_text
from recruit_app.services.uow import unit_of_work

CAMPAIGN_FORMAT = "recruit-campaign/1"
STAGE_FIELDS = (
    "name",
    "kind",
    "mode",
    "scale",
    "custom_scale",
    "pass_mark_total",
    "name_blind",
    "min_assessors",
    "moderation_spread",
    "progress_rule",
    "progress_count",
)
CRITERION_FIELDS = (
    "code",
    "title",
    "description",
    "element",
    "essential",
    "level",
    "weight",
    "lead",
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
    return {(f, c): cid for f, c, cid in found if (f, c) in pairs}


def apply_template(
    session: Session, ctx: ServiceContext, campaign: Campaign, definition: RoleTemplateDef
) -> None:
    fields = {k: v for k, v in definition.advert.items() if k in FIELDS}
    advert = Advert(
        campaign_id=campaign.id,
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
    by_code = {}
    for position, c in enumerate(definition.criteria):
        row = AdvertCriterion(
            advert_id=advert.id,
            criterion_id=library_ids.get((c.framework, c.criterion)),
            code=c.code,
            title=c.title,
            description=c.description,
            element=c.element,
            essential=c.essential,
            level=c.level,
            weight=c.weight,
            lead=c.lead,
            position=position,
            updated_by=ctx.actor.name,
        )
        session.add(row)
        by_code[c.code] = row
    session.flush()
    for position, s in enumerate(definition.stages):
        stage = Stage(
            campaign_id=campaign.id,
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
        for cell, code in enumerate(s.criteria):
            criterion = by_code[code]
            session.add(
                StageCriterion(
                    stage_id=stage.id,
                    advert_criterion_id=criterion.id,
                    weight=criterion.weight,
                    pass_mark=s.pass_mark,
                    position=cell,
                    updated_by=ctx.actor.name,
                )
            )


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
                **{name: getattr(stage, name) for name in STAGE_FIELDS},
                "starts_on": stage.starts_on.isoformat() if stage.starts_on else None,
                "ends_on": stage.ends_on.isoformat() if stage.ends_on else None,
                "criteria": [
                    {
                        "code": codes[c.advert_criterion_id],
                        "weight": c.weight,
                        "pass_mark": c.pass_mark,
                    }
                    for c in cells
                ],
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
    }


def _library_refs(session: Session, ids: set[int]) -> dict[int, dict[str, str]]:
    if not ids:
        return {}
    rows = session.exec(
        select(Criterion.id, Framework.code, Criterion.code)
        .join(Framework, col(Framework.id) == Criterion.framework_id)
        .where(col(Criterion.id).in_(ids))
    )
    return {cid: {"framework": f, "criterion": c} for cid, f, c in rows}


def export_campaign(ctx: ServiceContext, reference: str, path: Path) -> Path:
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx) as session:
        campaign = session.exec(select(Campaign).where(Campaign.reference == reference)).first()
        if campaign is None:
            raise NotFound(f"There is no campaign with the reference {reference!r}.")
        check_campaign(session, ctx.actor, campaign, "manage")
        data = campaign_definition(session, campaign)
    return write_json(data, path)


def import_campaign(
    ctx: ServiceContext, path: Path, *, reference: str | None = None, title: str | None = None
) -> CampaignSummary:
    """A new draft campaign from a definition file; nothing is written if any part is wrong."""
    require(ctx.actor, "campaign.manage")
    text = read_text(path, limit=20 * 1024 * 1024)
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ValidationError(
            f"{path.name} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    if not isinstance(data, dict) or data.get("format") != CAMPAIGN_FORMAT:
        raise ValidationError(
            f"{path.name} is not a Recruit campaign file (format {CAMPAIGN_FORMAT})."
        )
    with unit_of_work(ctx) as session:
        campaign = new_campaign(
            session,
            ctx,
            title or str(data.get("title", "")),
            reference or str(data.get("reference", "")),
        )
        _load_definition(session, ctx, campaign, data)
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


def _load_definition(
    session: Session, ctx: ServiceContext, campaign: Campaign, data: dict[str, Any]
) -> None:
    fields = dict(_expect(data, "advert", dict))
    for name in ("opens_at", "closes_at"):
        fields[name] = _moment(fields.get(name), f"advert.{name}")
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValidationError(f"advert has fields Recruit does not know: {', '.join(unknown)}.")
    advert = Advert(
        campaign_id=campaign.id,
        template_code=str(data.get("template_code", "")),
        updated_by=ctx.actor.name,
        **clean_fields(fields),
    )
    session.add(advert)
    session.flush()
    refs = _library_lookup(session)
    by_code: dict[str, AdvertCriterion] = {}
    for index, item in enumerate(_expect(data, "criteria", list)):
        row = _criterion(item, f"criteria[{index}]", refs)
        if row["code"] in by_code:
            raise ValidationError(f"criteria[{index}]: the code {row['code']} is used twice.")
        criterion = AdvertCriterion(
            advert_id=advert.id, position=index, updated_by=ctx.actor.name, **row
        )
        session.add(criterion)
        by_code[row["code"]] = criterion
    session.flush()
    for index, item in enumerate(_expect(data, "stages", list)):
        _stage(session, ctx, campaign, item, index, by_code)


def _expect(data: dict[str, Any], key: str, kind: type) -> Any:
    value = data.get(key, kind())
    if not isinstance(value, kind):
        raise ValidationError(f"{key} must be a {'list' if kind is list else 'object'}.")
    return value


def _moment(value: Any, where: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(f"{where} {value!r} is not a date and time.") from None
    if moment.tzinfo is None:
        raise ValidationError(f"{where} must include its time zone, e.g. +00:00.")
    return moment


def _day(value: Any, where: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(f"{where} {value!r} is not a date (YYYY-MM-DD).") from None


def _library_lookup(session: Session) -> dict[tuple[str, str], int]:
    rows = session.exec(
        select(Framework.code, Criterion.code, Criterion.id).join(
            Criterion, col(Criterion.framework_id) == Framework.id
        )
    )
    return {(f, c): cid for f, c, cid in rows}


def _criterion(item: Any, where: str, refs: dict[tuple[str, str], int]) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ValidationError(f"{where} must be an object.")
    row = {name: item.get(name) for name in CRITERION_FIELDS}
    if not isinstance(row["code"], str) or not row["code"].strip() or len(row["code"]) > 40:
        raise ValidationError(f"{where}.code must be text of up to 40 characters.")
    if not isinstance(row["title"], str) or not row["title"].strip() or len(row["title"]) > 300:
        raise ValidationError(f"{where}.title must be text of up to 300 characters.")
    if row["element"] not in ELEMENTS:
        raise ValidationError(f"{where}.element must be one of {', '.join(ELEMENTS)}.")
    for flag in ("essential", "lead"):
        if not isinstance(row[flag], bool):
            raise ValidationError(f"{where}.{flag} must be true or false.")
    if row["level"] is not None and (
        not isinstance(row["level"], int)
        or isinstance(row["level"], bool)
        or not 1 <= row["level"] <= 9
    ):
        raise ValidationError(f"{where}.level must be a whole number from 1 to 9, or null.")
    if (
        isinstance(row["weight"], bool)
        or not isinstance(row["weight"], int | float)
        or not 0 <= row["weight"] <= 100
    ):
        raise ValidationError(f"{where}.weight must be a number from 0 to 100.")
    row["weight"] = float(row["weight"])
    row["description"] = str(row["description"] or "")
    library = item.get("library")
    row["criterion_id"] = None
    if isinstance(library, dict):
        row["criterion_id"] = refs.get((library.get("framework"), library.get("criterion")))
    return row


STAGE_TYPES: dict[str, tuple[type, ...]] = {
    "name_blind": (bool,),
    "min_assessors": (int,),
    "moderation_spread": (int,),
    "progress_count": (int, type(None)),
    "pass_mark_total": (int, float, type(None)),
    "scale": (str,),
    "custom_scale": (list,),
    "progress_rule": (str,),
}


def _check_stage_types(values: dict[str, Any], where: str) -> None:
    for name, kinds in STAGE_TYPES.items():
        value = values.get(name)
        if name in values and (
            not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds)
        ):
            raise ValidationError(f"{where}.{name} has the wrong type of value.")
    if values.get("min_assessors", 1) < 1:
        raise ValidationError(f"{where}.min_assessors must be at least 1.")


def _stage(
    session: Session,
    ctx: ServiceContext,
    campaign: Campaign,
    item: Any,
    index: int,
    by_code: dict[str, AdvertCriterion],
) -> None:
    where = f"stages[{index}]"
    if not isinstance(item, dict):
        raise ValidationError(f"{where} must be an object.")
    values = {name: item.get(name) for name in STAGE_FIELDS if name in item}
    name = values.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise ValidationError(f"{where}.name must be text of up to 200 characters.")
    if values.get("kind", "custom") not in STAGE_KINDS:
        raise ValidationError(f"{where}.kind {values.get('kind')!r} is not a kind of stage.")
    if values.get("mode", "") not in STAGE_MODES:
        raise ValidationError(f"{where}.mode {values.get('mode')!r} is not a stage mode.")
    _check_stage_types(values, where)
    stage = Stage(
        campaign_id=campaign.id,
        position=index,
        updated_by=ctx.actor.name,
        starts_on=_day(item.get("starts_on"), f"{where}.starts_on"),
        ends_on=_day(item.get("ends_on"), f"{where}.ends_on"),
        **values,
    )
    if stage.starts_on and stage.ends_on and stage.ends_on < stage.starts_on:
        raise ValidationError(f"{where} ends before it starts.")
    session.add(stage)
    session.flush()
    for cell, entry in enumerate(item.get("criteria", [])):
        code = entry.get("code") if isinstance(entry, dict) else None
        if code not in by_code:
            raise ValidationError(
                f"{where}.criteria[{cell}] names {code!r}, which the campaign has no criterion for."
            )
        session.add(
            StageCriterion(
                stage_id=stage.id,
                advert_criterion_id=by_code[code].id,
                weight=float(entry.get("weight", 1.0)),
                pass_mark=entry.get("pass_mark"),
                position=cell,
                updated_by=ctx.actor.name,
            )
        )
