"""Advert use cases: read and save the advert form, check it, publish it, export it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, func, select

from db import audit
from db.models import (
    Advert,
    AdvertCriterion,
    AdvertPublication,
    Campaign,
    Criterion,
    CriterionLevel,
    Framework,
    Score,
    Stage,
    StageCriterion,
    id_of,
)
from db.types import utcnow
from recruit_app.domain.advert_fields import FIELDS, clean_fields
from recruit_app.domain.advert_rules import Finding, check_advert
from recruit_app.domain.dates import london_date, plain_date
from recruit_app.domain.library_format import clean_criterion, lower_first
from recruit_app.domain.timetable import bank_holidays, closing_day_finding
from recruit_app.errors import NotFound, ValidationError
from recruit_app.readmodels import (
    STANDARD_SECTIONS,
    AdvertCriterionView,
    AdvertDocument,
    PayZone,
    StageSummary,
    advert_document_from_dict,
    advert_document_to_dict,
)
from recruit_app.services.access import Use, campaign_for, check_campaign
from recruit_app.services.branding import printed_name
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import require
from recruit_app.services.uow import check_version, touch, unit_of_work

TEXT_SECTIONS = (
    "summary",
    "job_description",
    "responsibilities",
    "person_specification",
    "qualifications",
    "benefits",
    "selection_process",
)
# Standard sections stored as advert fields of their own (the Disability Confident and
# nationality statements were fields before them).
SECTION_FIELDS = tuple(
    key
    for key, _heading in STANDARD_SECTIONS
    if key not in ("guaranteed_interview_statement", "nationality_statement")
)


# --- read models ---------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionRow:
    """An advert criterion as the form edits it; id None for a new one."""

    code: str
    title: str
    element: str
    essential: bool = True
    level: int | None = None
    description: str = ""
    weight: float = 1.0
    lead: bool = False
    criterion_id: int | None = None  # the library criterion it came from, if any
    framework: str = ""
    level_range: tuple[int, int] | None = None
    id: int | None = None
    # Among several lead criteria, their order for tie-breaks: 1 first, 2 next; 0 after the
    # ordered ones, in the advert's order (the Home Office pack's "two lead competencies").
    lead_rank: int = 0


LEAD_RANK_MAX = 20


@dataclass(frozen=True)
class AdvertForm:
    campaign_id: int
    reference: str
    campaign_title: str
    version: int
    fields: dict[str, Any]
    criteria: tuple[CriterionRow, ...]
    stages: tuple[StageSummary, ...]
    published_version: int
    published_at: datetime | None
    changed_since_published: bool
    updated_by: str
    updated_at: datetime
    # Library criterion id -> level -> (level title, positive indicators), for previews.
    library_levels: dict[int, dict[int, tuple[str, tuple[str, ...]]]]
    # Whose bank holidays the closing day is checked against (the campaign's timetable's).
    holiday_region: str = "england-and-wales"

    @property
    def status_label(self) -> str:
        if not self.published_version or self.published_at is None:
            return "Draft"
        moment = self.published_at.astimezone()
        label = f"Published (version {self.published_version}), {plain_date(moment.date())}"
        return label + (" – changed since" if self.changed_since_published else "")


# --- loading -------------------------------------------------------------------------


def _campaign(
    session: Session, ctx: ServiceContext, campaign_id: int, use: Use
) -> tuple[Campaign, Advert]:
    campaign = campaign_for(session, ctx, campaign_id, use)
    advert = session.exec(select(Advert).where(Advert.campaign_id == campaign_id)).first()
    if advert is None:  # campaigns always get one; repair rather than fail
        advert = Advert(campaign_id=campaign_id, title=campaign.title, updated_by="Recruit")
        session.add(advert)
        session.flush()
    return campaign, advert


def campaign_id_for(ctx: ServiceContext, reference: str) -> int:
    """The id of the campaign with this reference, if the person acting may see it."""
    with unit_of_work(ctx, read_only=True) as session:
        found = session.exec(select(Campaign).where(Campaign.reference == reference.strip()))
        campaign = found.first()
        if campaign is None:
            raise NotFound(f"There is no campaign with the reference {reference!r}.")
        check_campaign(session, ctx.actor, campaign, "view")
        assert campaign.id is not None
        return campaign.id


def _criteria(session: Session, advert: Advert) -> list[AdvertCriterion]:
    return list(
        session.exec(
            select(AdvertCriterion)
            .where(AdvertCriterion.advert_id == advert.id)
            .order_by(col(AdvertCriterion.position), col(AdvertCriterion.id))
        )
    )


def _library_info(session: Session, ids: set[int]) -> dict[int, tuple[str, int, int]]:
    """Framework code and level range of each library criterion."""
    if not ids:
        return {}
    rows = session.exec(
        select(Criterion.id, Framework.code, Criterion.min_level, Criterion.max_level)
        .join(Framework, col(Framework.id) == Criterion.framework_id)
        .where(col(Criterion.id).in_(ids))
    )
    info: dict[int, tuple[str, int, int]] = {}
    for cid, code, low, high in rows:
        assert cid is not None  # a primary key
        info[cid] = (code, low, high)
    return info


def _stage_summaries(session: Session, campaign_id: int) -> tuple[StageSummary, ...]:
    stages = session.exec(
        select(Stage).where(Stage.campaign_id == campaign_id).order_by(col(Stage.position))
    )
    result = []
    for stage in stages:
        codes = session.exec(
            select(AdvertCriterion.code)
            .join(StageCriterion, col(StageCriterion.advert_criterion_id) == AdvertCriterion.id)
            .where(StageCriterion.stage_id == stage.id)
            .order_by(col(StageCriterion.position))
        ).all()
        result.append(
            StageSummary(
                stage.name, stage.kind, stage.mode, stage.starts_on, stage.ends_on, tuple(codes)
            )
        )
    return tuple(result)


def _fields(advert: Advert) -> dict[str, Any]:
    values = {name: getattr(advert, name) for name in FIELDS}
    for name in ("role_types", "working_patterns", "locations"):
        values[name] = list(values[name])
    values["pay_zones"] = [dict(z) for z in advert.pay_zones]
    return values


def _last_publication(session: Session, advert: Advert) -> AdvertPublication | None:
    return session.exec(
        select(AdvertPublication)
        .where(AdvertPublication.advert_id == advert.id)
        .order_by(col(AdvertPublication.number).desc())
    ).first()


def _form(session: Session, campaign: Campaign, advert: Advert) -> AdvertForm:
    criteria = _criteria(session, advert)
    info = _library_info(session, {c.criterion_id for c in criteria if c.criterion_id})
    rows = tuple(
        CriterionRow(
            id=c.id,
            code=c.code,
            title=c.title,
            element=c.element,
            essential=c.essential,
            level=c.level,
            description=c.description,
            weight=c.weight,
            lead=c.lead,
            lead_rank=c.lead_rank,
            criterion_id=c.criterion_id,
            framework=info[c.criterion_id][0] if c.criterion_id in info else "",
            level_range=info[c.criterion_id][1:] if c.criterion_id in info else None,
        )
        for c in criteria
    )
    last = _last_publication(session, advert)
    changed = last is not None and last.snapshot.get("advert_version") != advert.version
    assert campaign.id is not None
    levels: dict[int, dict[int, tuple[str, tuple[str, ...]]]] = {}
    linked = {c.criterion_id for c in criteria if c.criterion_id}
    if linked:
        for row in session.exec(
            select(CriterionLevel).where(col(CriterionLevel.criterion_id).in_(linked))
        ):
            levels.setdefault(row.criterion_id, {})[row.level] = (
                row.title,
                tuple(row.positive_indicators),
            )
    return AdvertForm(
        campaign_id=campaign.id,
        reference=campaign.reference,
        campaign_title=campaign.title,
        version=advert.version,
        fields=_fields(advert),
        criteria=rows,
        stages=_stage_summaries(session, campaign.id),
        published_version=advert.published_version,
        published_at=advert.published_at,
        changed_since_published=changed,
        updated_by=advert.updated_by,
        updated_at=advert.updated_at,
        library_levels=levels,
        holiday_region=campaign.holiday_region,
    )


def get_advert(ctx: ServiceContext, campaign_id: int) -> AdvertForm:
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        campaign, advert = _campaign(session, ctx, campaign_id, "view")
        return _form(session, campaign, advert)


# --- saving --------------------------------------------------------------------------


def clean_criteria(
    criteria: list[CriterionRow], ranges: dict[int, tuple[int, int]]
) -> list[CriterionRow]:
    cleaned, codes = [], set()
    for row in criteria:
        where = row.code.strip() or " ".join(row.title.split()) or "A criterion"
        try:
            code, title, weight = clean_criterion(
                row.code,
                row.title,
                row.element,
                level=row.level,
                weight=row.weight,
                description=row.description,
                level_range=ranges.get(row.criterion_id or -1),
            )
        except ValidationError as exc:
            raise ValidationError(f"{where}: {lower_first(exc.message)}", "criteria") from None
        if code.casefold() in codes:
            raise ValidationError(f"The code {code} is used by two criteria.", "criteria")
        codes.add(code.casefold())
        cleaned.append(replace(row, code=code, title=title, weight=weight))
    return _check_lead_order(cleaned)


def _check_lead_order(rows: list[CriterionRow]) -> list[CriterionRow]:
    """Several criteria may be lead, each with its place in the tie-break order (or none:
    after the ordered ones). A criterion that is not lead has no place."""
    seen: dict[int, str] = {}
    cleaned = []
    for row in rows:
        rank = row.lead_rank
        if isinstance(rank, bool) or not isinstance(rank, int) or not 0 <= rank <= LEAD_RANK_MAX:
            raise ValidationError(
                f"{row.code}: the lead order must be a whole number from 0 to {LEAD_RANK_MAX}.",
                "criteria",
            )
        if not row.lead:
            cleaned.append(replace(row, lead_rank=0) if rank else row)
            continue
        if rank and rank in seen:
            raise ValidationError(
                f"{seen[rank]} and {row.code} are both lead criterion {rank}; give each "
                "lead its own place in the order.",
                "criteria",
            )
        if rank:
            seen[rank] = row.code
        cleaned.append(row)
    return cleaned


def save_advert(
    ctx: ServiceContext,
    campaign_id: int,
    *,
    fields: dict[str, Any],
    criteria: list[CriterionRow] | None,
    expected_version: int | None,
) -> AdvertForm:
    """Save the form: changed fields and, when given, the whole list of criteria."""
    require(ctx.actor, "campaign.manage")
    values = clean_fields(fields)
    with unit_of_work(ctx) as session:
        campaign, advert = _campaign(session, ctx, campaign_id, "manage")
        check_version(advert, expected_version, f"The advert for {campaign.reference}")
        before = _fields(advert)
        if criteria is not None:  # first: it flushes, and the advert should update once
            ids = {r.criterion_id for r in criteria if r.criterion_id}
            ranges = {
                cid: (low, high) for cid, (_c, low, high) in _library_info(session, ids).items()
            }
            _replace_criteria(session, ctx, advert, clean_criteria(criteria, ranges))
        for name, value in values.items():
            setattr(advert, name, value)
        touch(advert, ctx)
        session.flush()
        after = _fields(advert)
        changed = {k: v for k, v in after.items() if before.get(k) != v}
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="advert.save",
            entity="advert",
            entity_id=advert.id,
            campaign_id=campaign.id,
            campaign_reference=campaign.reference,
            summary="Saved the advert",
            before=_jsonable({k: before[k] for k in changed}),
            after=_jsonable(changed),
        )
        return _form(session, campaign, advert)


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()}


def _replace_criteria(
    session: Session, ctx: ServiceContext, advert: Advert, rows: list[CriterionRow]
) -> None:
    existing = {c.id: c for c in _criteria(session, advert)}
    kept = {r.id for r in rows if r.id is not None}
    for removed_id in set(existing) - kept:
        scored = session.exec(
            select(func.count())
            .select_from(Score)
            .join(StageCriterion, col(StageCriterion.id) == Score.stage_criterion_id)
            .where(StageCriterion.advert_criterion_id == removed_id)
        ).one()
        if scored:
            raise ValidationError(
                f"{existing[removed_id].code} already has scores, so it cannot be removed.",
                "criteria",
            )
        session.delete(existing[removed_id])
    session.flush()
    # Codes are unique per advert: park kept rows on temporary codes before renaming.
    for row in rows:
        if row.id in existing:
            existing[row.id].code = f"~{row.id}"
    session.flush()
    for position, row in enumerate(rows):
        target = existing.get(row.id) if row.id is not None else None
        if target is None:
            if row.id is not None:
                raise NotFound(f"{row.code} was removed by someone else; reload the advert.")
            target = AdvertCriterion(
                advert_id=id_of(advert),
                code=row.code,
                title=row.title,
                element=row.element,
                updated_by=ctx.actor.name,
            )
            session.add(target)
        for name in (
            "code",
            "title",
            "element",
            "essential",
            "level",
            "description",
            "weight",
            "lead",
            "lead_rank",
            "criterion_id",
        ):
            setattr(target, name, getattr(row, name))
        target.position = position
        touch(target, ctx)


# --- the document, checks and publishing ---------------------------------------------


def compose_document(
    form: AdvertForm,
    *,
    organisation: str,
    fields: dict[str, Any] | None = None,
    criteria: list[CriterionRow] | tuple[CriterionRow, ...] | None = None,
    status_label: str | None = None,
) -> AdvertDocument:
    """The advert as a candidate would read it, from the form and any unsaved edits.

    Pure: the live preview calls it as the manager types.
    """
    values = {**form.fields, **(fields or {})}
    rows = form.criteria if criteria is None else criteria
    views = []
    for c in rows:
        title, indicators = form.library_levels.get(c.criterion_id or -1, {}).get(
            c.level or -1, ("", ())
        )
        label = title or (f"Level {c.level}" if c.level else "")
        views.append(
            AdvertCriterionView(
                code=c.code,
                title=c.title,
                element=c.element,
                essential=c.essential,
                description=c.description,
                level=c.level,
                level_label=label,
                lead=c.lead,
                weight=c.weight,
                indicators=indicators,
            )
        )
    zones = tuple(
        PayZone(str(z.get("zone", "")), int(z.get("min") or 0), int(z.get("max") or 0))
        for z in values["pay_zones"]
    )
    return AdvertDocument(
        organisation=organisation,
        reference=form.reference,
        title=values["title"] or form.campaign_title,
        grade=values["grade"],
        pay_zones=zones,
        allowance=values["allowance"],
        contract_type=values["contract_type"],
        business_area=values["business_area"],
        role_types=tuple(values["role_types"]),
        working_patterns=tuple(values["working_patterns"]),
        posts=values["posts"],
        locations=tuple(values["locations"]),
        summary=values["summary"],
        job_description=values["job_description"],
        responsibilities=values["responsibilities"],
        person_specification=values["person_specification"],
        qualifications=values["qualifications"],
        benefits=values["benefits"],
        selection_process=values["selection_process"],
        opens_at=values["opens_at"],
        closes_at=values["closes_at"],
        contact_name=values["contact_name"],
        contact_email=values["contact_email"],
        team_email=values["team_email"],
        security_clearance=values["security_clearance"],
        nationality_statement=values["nationality_statement"],
        guaranteed_interview_statement=values["guaranteed_interview_statement"],
        reserve_list_months=values["reserve_list_months"],
        hiring_manager=values["hiring_manager"],
        welcome_letter=values["welcome_letter"],
        about_organisation=values["about_organisation"],
        how_to_apply=values["how_to_apply"],
        terms_and_conditions=values["terms_and_conditions"],
        offers_feedback=values["offers_feedback"],
        **{key: values[key] for key in SECTION_FIELDS},
        criteria=tuple(views),
        stages=form.stages,
        status_label=status_label or form.status_label,
    )


def _document(
    session: Session, campaign: Campaign, advert: Advert, organisation: str
) -> AdvertDocument:
    return compose_document(_form(session, campaign, advert), organisation=organisation)


def advert_document(
    ctx: ServiceContext, campaign_id: int, *, published: bool = False
) -> AdvertDocument:
    """The advert as a candidate reads it: the working copy, or the last published one."""
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        campaign, advert = _campaign(session, ctx, campaign_id, "view")
        if published:
            last = _last_publication(session, advert)
            if last is None:
                raise NotFound(f"The advert for {campaign.reference} has not been published.")
            return advert_document_from_dict(last.snapshot["document"])
        return _document(session, campaign, advert, printed_name(session, ctx))


def findings_for(
    doc: AdvertDocument, *, now: datetime, published: bool, holiday_region: str
) -> list[Finding]:
    """Content checks plus wording flags, in the order a manager would fix them."""
    from recruit_app.domain.advert_language import check_language, gender_lean, keep_leaning_side
    from recruit_app.library.wordlists import load_word_lists

    findings = check_advert(doc, now=now, published=published)
    findings += _closing_day(doc, holiday_region)
    sections = {"title": doc.title, **{name: getattr(doc, name) for name in TEXT_SECTIONS}}
    flags = check_language(sections, load_word_lists())
    lean, masculine, feminine = gender_lean(flags)
    if lean is not None:
        findings.append(
            Finding(
                "warning",
                "gender-balance",
                "advert",
                f"The wording leans {lean.split('-')[0]} ({masculine} masculine-coded and "
                f"{feminine} feminine-coded words). Consider neutral words for those marked.",
            )
        )
    for flag in keep_leaning_side(flags):
        findings.append(
            Finding(
                "warning", flag.kind, flag.section, flag.message, flag.text, flag.start, flag.end
            )
        )
    return findings


@dataclass(frozen=True)
class AdvertPreview:
    html: str
    findings: tuple[Finding, ...]


def preview_advert(
    form: AdvertForm,
    *,
    organisation: str,
    fields: dict[str, Any],
    criteria: list[CriterionRow],
    now: datetime | None = None,
) -> AdvertPreview:
    """What the live preview and the checks panel show for unsaved edits (no database)."""
    from exports.advert import advert_html
    from exports.styles import Theme

    doc = compose_document(
        form,
        organisation=organisation,
        fields=fields,
        criteria=criteria,
        status_label=form.status_label,
    )
    findings = findings_for(
        doc,
        now=now or utcnow(),
        published=form.published_version > 0,
        holiday_region=form.holiday_region,
    )
    return AdvertPreview(advert_html(doc, Theme(organisation=organisation)), tuple(findings))


def check_campaign_advert(
    ctx: ServiceContext, campaign_id: int, now: datetime | None = None
) -> list[Finding]:
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        campaign, advert = _campaign(session, ctx, campaign_id, "view")
        doc = _document(session, campaign, advert, printed_name(session, ctx))
        published = advert.published_version > 0
        region = campaign.holiday_region
    return findings_for(doc, now=now or utcnow(), published=published, holiday_region=region)


def _closing_day(doc: AdvertDocument, region: str) -> list[Finding]:
    """A closing day at a weekend or on a bank holiday: the timetable's own rule and words."""
    if doc.closes_at is None:
        return []
    holidays = bank_holidays(region, [london_date(doc.closes_at).year])
    found = closing_day_finding(doc.closes_at, holidays)
    return [found] if found is not None else []


def publish_advert(
    ctx: ServiceContext,
    campaign_id: int,
    *,
    expected_version: int | None,
    now: datetime | None = None,
) -> AdvertForm:
    """Freeze the advert as a new published version; refused while errors remain."""
    require(ctx.actor, "campaign.manage")
    now = now or utcnow()
    with unit_of_work(ctx) as session:
        campaign, advert = _campaign(session, ctx, campaign_id, "manage")
        check_version(advert, expected_version, f"The advert for {campaign.reference}")
        doc = _document(session, campaign, advert, printed_name(session, ctx))
        errors = [f for f in check_advert(doc, now=now, published=False) if f.severity == "error"]
        if errors:
            listed = "\n".join(f"- {f.message}" for f in errors)
            raise ValidationError(f"The advert cannot be published yet:\n{listed}")
        freeze_publication(session, ctx, campaign, advert, now)
        session.flush()
        return _form(session, campaign, advert)


def freeze_publication(
    session: Session, ctx: ServiceContext, campaign: Campaign, advert: Advert, now: datetime
) -> AdvertPublication:
    """Record the advert as published now: a new version number and a frozen copy."""
    advert.published_version += 1
    advert.published_at = now
    if campaign.status == "draft":
        campaign.status = "live"
        touch(campaign, ctx)
    touch(advert, ctx)
    session.flush()
    document = advert_document_to_dict(
        _document(session, campaign, advert, printed_name(session, ctx))
    )
    publication = AdvertPublication(
        advert_id=id_of(advert),
        number=advert.published_version,
        published_at=now,
        published_by=ctx.actor.name,
        snapshot={"advert_version": advert.version, "document": document},
    )
    session.add(publication)
    audit.record(
        session,
        actor_name=ctx.actor.name,
        actor_id=ctx.actor.person_id,
        action="advert.publish",
        entity="advert",
        entity_id=advert.id,
        campaign_id=campaign.id,
        campaign_reference=campaign.reference,
        summary=f"Published version {advert.published_version}",
        after=document,
    )
    return publication


def export_advert(
    ctx: ServiceContext,
    campaign_id: int,
    path: Path,
    fmt: str,
    *,
    published: bool = False,
    on_warning: Callable[[str], None] | None = None,
) -> Path:
    """Write the advert; `on_warning(sentence)` hears of text no PDF font can print in full."""
    from exports.advert import write_advert
    from exports.glyphs import glyph_report
    from recruit_app.services.branding import document_theme

    fmt = fmt.lower()
    if fmt not in ("pdf", "html", "txt"):
        raise ValidationError(f"Export the advert as pdf, html or txt, not {fmt!r}.", "format")
    doc = advert_document(ctx, campaign_id, published=published)
    with glyph_report() as report:
        written = write_advert(doc, path, fmt, document_theme(ctx))
    if on_warning is not None:
        for warning in report.warnings:
            on_warning(warning)
    return written
