"""Which campaigns, stages and candidates the person acting may reach.

`permissions.require` says what a role may do at all; this module says on which rows:
- an administrator reaches everything;
- a recruiting manager reaches the campaigns they own, those shared with them, and those
  nobody owns (made on a single desk before anyone signed in, or by an administrator);
- a panel member reaches, read-only, the campaigns and stages they sit on a panel of.

A row out of reach is refused with PermissionDenied naming what was asked for, never
with a hint about what it holds.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select

from db.models import Campaign, CampaignShare, Candidate, PanelAssignment, Stage, id_of
from recruit_app.errors import NotFound, PermissionDenied, RecruitError
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.vocabulary import Role

Use = Literal["view", "manage"]


def campaign_for(session: Session, ctx: ServiceContext, campaign_id: int, use: Use) -> Campaign:
    """The campaign, if the person acting may `use` it."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise _missing(session, ctx.actor, "That campaign no longer exists.", "that campaign")
    check_campaign(session, ctx.actor, campaign, use)
    return campaign


def _missing(session: Session, actor: Actor, gone: str, what: str) -> RecruitError:
    """A row the session cannot see. On a shared PostgreSQL server the server's own rules
    hide what a person may not reach, so there it may exist: refused, without saying."""
    if session.get_bind().dialect.name != "postgresql" or actor.role == "administrator":
        return NotFound(gone)
    refused = _refused(actor, what)
    return PermissionDenied(f"{refused.message} (Or it no longer exists.)")


def stage_for(session: Session, ctx: ServiceContext, stage_id: int, use: Use) -> Stage:
    """The stage, if the person acting may `use` it (a panel member: only stages they sit on)."""
    stage = session.get(Stage, stage_id)
    if stage is None:
        raise _missing(session, ctx.actor, "That stage no longer exists.", "that stage")
    actor = ctx.actor
    if actor.role == "panel_member":
        if use == "manage" or not sits_on(session, actor, id_of(stage)):
            raise _refused(actor, f"the stage {stage.name!r}")
        return stage
    campaign = session.get(Campaign, stage.campaign_id)
    assert campaign is not None
    check_campaign(session, actor, campaign, use)
    return stage


def candidate_for(session: Session, ctx: ServiceContext, candidate_id: int, use: Use) -> Candidate:
    candidate = session.get(Candidate, candidate_id)
    if candidate is None:
        raise _missing(
            session, ctx.actor, "That candidate is no longer in the campaign.", "that candidate"
        )
    campaign = session.get(Campaign, candidate.campaign_id)
    assert campaign is not None
    check_campaign(session, ctx.actor, campaign, use)
    return candidate


def check_campaign(session: Session, actor: Actor, campaign: Campaign, use: Use) -> None:
    if actor.role == "administrator":
        return
    if actor.role == "recruiting_manager" and manages(session, actor, campaign):
        return
    if (
        actor.role == "panel_member"
        and use == "view"
        and _on_a_panel_of(session, actor, id_of(campaign))
    ):
        return
    raise _refused(actor, f"the campaign {campaign.reference}")


def manages(session: Session, actor: Actor, campaign: Campaign) -> bool:
    """Whether a recruiting manager owns the campaign, or it is shared with them or unowned."""
    if campaign.owner_id is None or campaign.owner_id == actor.person_id:
        return True
    if actor.person_id is None:
        return False
    shared = session.exec(
        select(CampaignShare.id).where(
            CampaignShare.campaign_id == campaign.id, CampaignShare.person_id == actor.person_id
        )
    ).first()
    return shared is not None


def sits_on(session: Session, actor: Actor, stage_id: int) -> bool:
    if actor.person_id is None:
        return False
    seat = session.exec(
        select(PanelAssignment.id).where(
            PanelAssignment.stage_id == stage_id, PanelAssignment.person_id == actor.person_id
        )
    ).first()
    return seat is not None


def _on_a_panel_of(session: Session, actor: Actor, campaign_id: int) -> bool:
    if actor.person_id is None:
        return False
    seat = session.exec(
        select(PanelAssignment.id)
        .join(Stage, col(Stage.id) == PanelAssignment.stage_id)
        .where(Stage.campaign_id == campaign_id, PanelAssignment.person_id == actor.person_id)
    ).first()
    return seat is not None


def visible_campaigns_clause(actor: Actor) -> ColumnElement[bool] | None:
    """A WHERE clause limiting a campaign query to those the person acting may see (None for
    an administrator, who sees them all)."""
    if actor.role == "administrator":
        return None
    if actor.role == "recruiting_manager":
        shared = select(CampaignShare.campaign_id).where(CampaignShare.person_id == actor.person_id)
        return or_(
            col(Campaign.owner_id).is_(None),
            col(Campaign.owner_id) == actor.person_id,
            col(Campaign.id).in_(shared),
        )
    seats = (
        select(Stage.campaign_id)
        .join(PanelAssignment, col(PanelAssignment.stage_id) == Stage.id)
        .where(PanelAssignment.person_id == actor.person_id)
    )
    return col(Campaign.id).in_(seats)


def _refused(actor: Actor, what: str) -> PermissionDenied:
    role = Role.phrase_for(actor.role)
    return PermissionDenied(
        f"As a {role}, {actor.name} may not work on {what}. "
        "Ask its owner or an administrator to share it."
        if actor.role == Role.RECRUITING_MANAGER
        else f"As a {role}, {actor.name} may only see the stages they sit on a panel of, "
        f"not {what}."
    )
