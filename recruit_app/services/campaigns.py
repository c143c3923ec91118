"""Campaign use cases: list, show, create, rename, duplicate, archive, delete."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db import audit
from db.models import (
    Advert,
    AdvertCriterion,
    Campaign,
    CampaignShare,
    Candidate,
    PanelAssignment,
    Person,
    PlanQuestion,
    Stage,
    StageCriterion,
    id_of,
)
from db.types import utcnow
from recruit_app.domain.campaigns import clean_reference, clean_title, copy_title, next_reference
from recruit_app.errors import NotFound, ValidationError
from recruit_app.services.access import Use, campaign_for, check_campaign, visible_campaigns_clause
from recruit_app.services.campaign_list import CampaignSummary, campaign_extras
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import require
from recruit_app.services.retention import redact_orphaned_events
from recruit_app.services.uow import check_version, touch, unit_of_work


@dataclass(frozen=True)
class CampaignDetail:
    """A campaign with the counts a manager wants at a glance."""

    summary: CampaignSummary
    advert_title: str
    grade: str
    closes_at: datetime | None
    stages: tuple[str, ...]
    candidate_count: int

    def to_json(self) -> dict[str, Any]:
        data = self.summary.to_json()
        data.update(
            {
                "advert": {
                    "title": self.advert_title,
                    "grade": self.grade,
                    "closes_at": self.closes_at.isoformat() if self.closes_at else None,
                },
                "stages": list(self.stages),
                "candidate_count": self.candidate_count,
            }
        )
        return data


def summarise(campaign: Campaign) -> CampaignSummary:
    assert campaign.id is not None
    return CampaignSummary(
        id=campaign.id,
        reference=campaign.reference,
        title=campaign.title,
        status=campaign.status,
        archived=campaign.archived,
        version=campaign.version,
        created_at=campaign.created_at,
        updated_at=campaign.updated_at,
        updated_by=campaign.updated_by,
    )


def _snapshot(campaign: Campaign) -> dict[str, Any]:
    return {
        "reference": campaign.reference,
        "title": campaign.title,
        "status": campaign.status,
        "archived": campaign.archived,
    }


def _audit(
    session: Session, ctx: ServiceContext, action: str, campaign: Campaign, **kw: Any
) -> None:
    audit.record(
        session,
        actor_name=ctx.actor.name,
        actor_id=ctx.actor.person_id,
        action=action,
        entity="campaign",
        entity_id=campaign.id,
        campaign_id=campaign.id,
        campaign_reference=campaign.reference,
        **kw,
    )


def list_campaigns(ctx: ServiceContext, *, include_archived: bool = False) -> list[CampaignSummary]:
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        query = select(Campaign).order_by(col(Campaign.created_at).desc(), col(Campaign.id).desc())
        if not include_archived:
            query = query.where(col(Campaign.archived).is_(False))
        visible = visible_campaigns_clause(ctx.actor)
        if visible is not None:
            query = query.where(visible)
        found = [summarise(c) for c in session.exec(query)]
        more = campaign_extras(session.connection(), [c.id for c in found])
        return [replace(c, **more.get(c.id, {})) for c in found]


def _load(session: Session, ctx: ServiceContext, campaign_id: int, use: Use) -> Campaign:
    return campaign_for(session, ctx, campaign_id, use)


def _load_by_reference(session: Session, ctx: ServiceContext, reference: str) -> Campaign:
    campaign = session.exec(select(Campaign).where(Campaign.reference == reference)).first()
    if campaign is None:
        raise NotFound(f"There is no campaign with the reference {reference!r}.")
    check_campaign(session, ctx.actor, campaign, "view")
    return campaign


def find_campaign(ctx: ServiceContext, reference: str) -> CampaignSummary:
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        return summarise(_load_by_reference(session, ctx, reference.strip()))


def show_campaign(ctx: ServiceContext, reference: str) -> CampaignDetail:
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        campaign = _load_by_reference(session, ctx, reference.strip())
        advert = session.exec(select(Advert).where(Advert.campaign_id == campaign.id)).first()
        stages = session.exec(
            select(Stage.name).where(Stage.campaign_id == campaign.id).order_by(col(Stage.position))
        ).all()
        candidates = session.exec(
            select(func.count()).select_from(Candidate).where(Candidate.campaign_id == campaign.id)
        ).one()
        return CampaignDetail(
            summary=summarise(campaign),
            advert_title=advert.title if advert else "",
            grade=advert.grade if advert else "",
            closes_at=advert.closes_at if advert else None,
            stages=tuple(stages),
            candidate_count=candidates,
        )


def _references(session: Session) -> list[str]:
    return list(session.exec(select(Campaign.reference)).all())


def _check_reference_free(session: Session, reference: str) -> None:
    if session.exec(select(Campaign.id).where(Campaign.reference == reference)).first():
        raise _reference_taken(reference)


def _reference_taken(reference: str) -> ValidationError:
    return ValidationError(
        f"The reference {reference!r} is already used by another campaign.", field="reference"
    )


def create_campaign(
    ctx: ServiceContext, *, title: str, reference: str | None = None
) -> CampaignSummary:
    require(ctx.actor, "campaign.manage")
    title = clean_title(title)
    with unit_of_work(ctx) as session:
        if reference is None or not reference.strip():
            reference = next_reference(_references(session), utcnow().year)
        else:
            reference = clean_reference(reference)
            _check_reference_free(session, reference)
        campaign = Campaign(
            reference=reference,
            title=title,
            updated_by=ctx.actor.name,
            owner_id=owner_for(ctx),
        )
        session.add(campaign)
        try:
            session.flush()
        except IntegrityError as exc:
            # Another desktop took the reference between our check and our insert.
            if "reference" in str(exc.orig):
                raise _reference_taken(reference) from None
            raise
        session.add(Advert(campaign_id=id_of(campaign), title=title, updated_by=ctx.actor.name))
        _audit(
            session,
            ctx,
            "campaign.create",
            campaign,
            summary=f"Created {title}",
            after=_snapshot(campaign),
        )
        session.flush()
        return summarise(campaign)


def rename_campaign(
    ctx: ServiceContext, campaign_id: int, *, title: str, expected_version: int | None
) -> CampaignSummary:
    require(ctx.actor, "campaign.manage")
    title = clean_title(title)
    with unit_of_work(ctx) as session:
        campaign = _load(session, ctx, campaign_id, "manage")
        check_version(campaign, expected_version, f"The campaign {campaign.reference}")
        before = _snapshot(campaign)
        if campaign.title == title:
            return summarise(campaign)
        campaign.title = title
        touch(campaign, ctx)
        _audit(
            session,
            ctx,
            "campaign.rename",
            campaign,
            summary=f"Renamed to {title}",
            before=before,
            after=_snapshot(campaign),
        )
        session.flush()
        return summarise(campaign)


def set_archived(
    ctx: ServiceContext, campaign_id: int, *, archived: bool, expected_version: int | None
) -> CampaignSummary:
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx) as session:
        campaign = _load(session, ctx, campaign_id, "manage")
        check_version(campaign, expected_version, f"The campaign {campaign.reference}")
        if campaign.archived == archived:
            return summarise(campaign)
        before = _snapshot(campaign)
        campaign.archived = archived
        touch(campaign, ctx)
        action = "campaign.archive" if archived else "campaign.unarchive"
        _audit(
            session,
            ctx,
            action,
            campaign,
            summary=f"Archived {campaign.reference}"
            if archived
            else f"Brought {campaign.reference} back from the archive",
            before=before,
            after=_snapshot(campaign),
        )
        session.flush()
        return summarise(campaign)


def delete_campaign(ctx: ServiceContext, campaign_id: int, *, expected_version: int | None) -> None:
    """Delete a campaign and everything in it (the audit trail stays)."""
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx) as session:
        campaign = _load(session, ctx, campaign_id, "manage")
        check_version(campaign, expected_version, f"The campaign {campaign.reference}")
        _audit(
            session,
            ctx,
            "campaign.delete",
            campaign,
            summary=f"Deleted {campaign.title}",
            before=_snapshot(campaign),
        )
        session.delete(campaign)
        session.flush()
        # The trail stays, but not the personal values it recorded about the candidates
        # deleted with the campaign.
        redact_orphaned_events(session)


def duplicate_campaign(
    ctx: ServiceContext, campaign_id: int, *, title: str | None = None
) -> CampaignSummary:
    """Copy a campaign's definition (advert, criteria, stages, matrix, question plans,
    panels), not its people."""
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx) as session:
        source = _load(session, ctx, campaign_id, "view")
        taken = set(session.exec(select(Campaign.title)).all())
        new_title = clean_title(title) if title else copy_title(source.title, taken)
        copy = Campaign(
            reference=next_reference(_references(session), utcnow().year),
            title=new_title,
            updated_by=ctx.actor.name,
            owner_id=owner_for(ctx),
        )
        session.add(copy)
        session.flush()
        _copy_definition(session, ctx, source, copy)
        _audit(
            session,
            ctx,
            "campaign.duplicate",
            copy,
            summary=f"Copied from {source.reference}",
            after=_snapshot(copy),
        )
        session.flush()
        return summarise(copy)


def owner_for(ctx: ServiceContext) -> int | None:
    """A campaign belongs to the recruiting manager who makes it (administrators' campaigns
    and those made on a single desk without sign-in belong to nobody: every manager's)."""
    return ctx.actor.person_id if ctx.actor.role == "recruiting_manager" else None


# --- sharing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sharing:
    owner: str  # "" when nobody owns it
    shared_with: tuple[tuple[int, str], ...]  # (person id, name)


def campaign_sharing(ctx: ServiceContext, campaign_id: int) -> Sharing:
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx, read_only=True) as session:
        campaign = _load(session, ctx, campaign_id, "manage")
        owner = session.get(Person, campaign.owner_id) if campaign.owner_id else None
        shared = session.exec(
            select(Person.id, Person.name)
            .join(CampaignShare, col(CampaignShare.person_id) == Person.id)
            .where(CampaignShare.campaign_id == campaign_id)
            .order_by(col(Person.name))
        ).all()
        people: list[tuple[int, str]] = []
        for pid, name in shared:
            assert pid is not None  # a primary key
            people.append((pid, name))
        return Sharing(owner.name if owner else "", tuple(people))


def share_campaign(ctx: ServiceContext, campaign_id: int, person_id: int, shared: bool) -> None:
    """Let another recruiting manager work on the campaign (or stop them)."""
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx) as session:
        campaign = _load(session, ctx, campaign_id, "manage")
        person = session.get(Person, person_id)
        if person is None or person.role != "recruiting_manager" or not person.active:
            raise ValidationError("Share a campaign with an active recruiting manager.", "person")
        row = session.exec(
            select(CampaignShare).where(
                CampaignShare.campaign_id == campaign_id, CampaignShare.person_id == person_id
            )
        ).first()
        if shared and row is None:
            session.add(
                CampaignShare(
                    campaign_id=campaign_id, person_id=person_id, shared_by=ctx.actor.name
                )
            )
        elif not shared and row is not None:
            session.delete(row)
        else:
            return
        _audit(
            session,
            ctx,
            "campaign.share" if shared else "campaign.unshare",
            campaign,
            summary=f"{'Shared with' if shared else 'No longer shared with'} {person.name}",
            after={"person": person.name, "shared": shared},
        )


_NOT_COPIED = {"id", "version", "updated_at", "updated_by"}


def _clone(row: Any, ctx: ServiceContext, **overrides: Any) -> Any:
    values = {k: v for k, v in row.model_dump().items() if k not in _NOT_COPIED}
    values.update(overrides, updated_by=ctx.actor.name)
    return type(row)(**values)


def _copy_definition(
    session: Session, ctx: ServiceContext, source: Campaign, copy: Campaign
) -> None:
    advert = session.exec(select(Advert).where(Advert.campaign_id == source.id)).first()
    criterion_ids: dict[int, int] = {}
    if advert is not None:
        new_advert = _clone(
            advert,
            ctx,
            campaign_id=copy.id,
            published_at=None,
            published_version=0,
            title=advert.title,
        )
        session.add(new_advert)
        session.flush()
        for criterion in session.exec(
            select(AdvertCriterion).where(AdvertCriterion.advert_id == advert.id)
        ):
            new_criterion = _clone(criterion, ctx, advert_id=new_advert.id)
            session.add(new_criterion)
            session.flush()
            criterion_ids[id_of(criterion)] = id_of(new_criterion)
    for stage in session.exec(select(Stage).where(Stage.campaign_id == source.id)):
        new_stage = _clone(stage, ctx, campaign_id=copy.id, finalised_at=None)
        session.add(new_stage)
        session.flush()
        cell_ids: dict[int, int] = {}
        for cell in session.exec(select(StageCriterion).where(StageCriterion.stage_id == stage.id)):
            new_cell = _clone(
                cell,
                ctx,
                stage_id=new_stage.id,
                advert_criterion_id=criterion_ids[cell.advert_criterion_id],
            )
            session.add(new_cell)
            session.flush()
            cell_ids[id_of(cell)] = id_of(new_cell)
        # The question plan goes with the matrix (the scripts with the stage); a presentation
        # topic sent to the source's candidates is not yet sent to the copy's.
        for question in session.exec(select(PlanQuestion).where(PlanQuestion.stage_id == stage.id)):
            session.add(
                _clone(
                    question,
                    ctx,
                    stage_id=new_stage.id,
                    stage_criterion_id=cell_ids[question.stage_criterion_id],
                    sent_on=None,
                )
            )
        for seat in session.exec(
            select(PanelAssignment).where(PanelAssignment.stage_id == stage.id)
        ):
            session.add(_clone(seat, ctx, stage_id=new_stage.id))
