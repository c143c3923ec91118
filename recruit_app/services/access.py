"""Which campaigns, stages and candidates the person acting may reach.

`permissions.require` says what a role may do at all; this module says on which rows:
- an administrator reaches everything;
- a recruiting manager reaches the campaigns they own, those shared with them, and those
  nobody owns (made on a single desk before anyone signed in, or by an administrator);
- a panel member reaches, read-only, the campaigns and stages they sit on a panel of.

And what of those rows a panel member may see (the same rules PostgreSQL's row-level
security applies on a shared server, db/migrations/versions/0008):
- name-blind (`details_hidden`): at a name-blind stage no personal detail of a candidate,
  only their number;
- independence (`score_sight`): another assessor's scores for a candidate, and anything
  worked out from them, only once they have submitted their own for that candidate; the
  merit order of a stage only once they owe no score there. The stage's chair, recruiting
  managers and administrators see everything.

A row out of reach is refused with PermissionDenied naming what was asked for, never
with a hint about what it holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from db.models import (
    Campaign,
    CampaignShare,
    Candidate,
    ConflictDeclaration,
    InterviewSlot,
    PanelAssignment,
    Score,
    Stage,
    StageCriterion,
    id_of,
)
from recruit_app.errors import NotFound, PermissionDenied, RecruitError
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.vocabulary import PanelRole, Role, SlotStatus

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


# --- name-blind ------------------------------------------------------------------------

# What a panel member never sees of a candidate at a name-blind stage: who they are, and
# anything that could identify or prejudice (DOMAIN.md 4.7, 4.8). These still drive the
# rules (the guaranteed interview rule, slot allocation) and stay visible to managers.
HIDDEN_DETAILS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "guaranteed_interview",
    "redeployment",
    "adjustments",
    "extra_minutes",
    "unavailable_dates",
    "extra",
)

NAME_BLIND_RULE = (
    "This stage is name-blind: you see each candidate's number only, not their name, "
    "contact details, scheme flags, adjustments, availability or other information."
)


def details_hidden(ctx: ServiceContext, stage: Stage | None) -> bool:
    """Whether the person acting sees no personal detail of a stage's candidates (listed in
    HIDDEN_DETAILS): a panel member at a name-blind stage, or outside any one stage."""
    if ctx.actor.role != Role.PANEL_MEMBER:
        return False
    return stage is None or stage.name_blind


# --- independence ----------------------------------------------------------------------

INDEPENDENCE_RULE = (
    "You score on your own: you see the other assessors' scores for a candidate, and the "
    "means, totals, pass or fail and flags worked out from them, only once you have "
    "submitted your own scores for that candidate. The merit order (ranks, who progresses "
    "and outcomes) shows once you have submitted every score you owe at this stage."
)


@dataclass(frozen=True)
class ScoreSight:
    """What of a stage's scores the person acting may see."""

    everything: bool  # managers, administrators, the chair, a member who owes nothing
    unlocked: frozenset[int] = frozenset()  # candidates whose scores they have submitted
    owed: int = 0  # candidates they still owe scores for

    def sees(self, candidate_id: int) -> bool:
        """Others' scores for the candidate, and what is worked out from them."""
        return self.everything or candidate_id in self.unlocked

    @property
    def merit_order(self) -> bool:
        """Ranks, who progresses, outcomes, tie-breaks: the whole stage."""
        return self.everything

    @property
    def notice(self) -> str:
        """The rule in plain words, for a panel member who does not see everything yet."""
        if self.everything:
            return ""
        left = "candidate" if self.owed == 1 else "candidates"
        return f"{INDEPENDENCE_RULE} You still owe scores for {self.owed} {left}."


def score_sight(session: Session, ctx: ServiceContext, stage: Stage) -> ScoreSight:
    """Independence: what of the stage's scores the person acting may see.

    The same rule as the server's recruit_unlocked_scores and recruit_completed_stages: a
    candidate is unlocked once the member has submitted a score on every criterion of the
    stage for them; the stage once every candidate who reached it (not withdrawn, not in
    conflict with them, and where interviews are booked, booked on their panel) is
    unlocked. The chair sees the whole stage.
    """
    actor = ctx.actor
    if actor.role != Role.PANEL_MEMBER:
        return ScoreSight(everything=True)
    chair = session.exec(
        select(PanelAssignment.id).where(
            PanelAssignment.stage_id == stage.id,
            PanelAssignment.person_id == actor.person_id,
            PanelAssignment.panel_role == PanelRole.CHAIR,
        )
    ).first()
    if chair is not None:
        return ScoreSight(everything=True)
    cells = select(StageCriterion.id).where(StageCriterion.stage_id == stage.id)
    criteria = session.exec(select(func.count()).select_from(cells.subquery())).one()
    unlocked: frozenset[int] = frozenset()
    if criteria and actor.person_id is not None:
        unlocked = frozenset(
            candidate
            for candidate, done in session.exec(
                select(Score.candidate_id, func.count())
                .where(
                    col(Score.stage_criterion_id).in_(cells),
                    Score.assessor_id == actor.person_id,
                    Score.status == "submitted",
                )
                .group_by(col(Score.candidate_id))
            )
            if done == criteria
        )
    if not criteria:
        return ScoreSight(everything=True)
    # Imported here: candidates.py reads this module's rules.
    from recruit_app.services.candidates import at_stage_query

    reached = set(session.exec(at_stage_query(session, stage, select(Candidate.id), False)).all())
    conflicted = set(
        session.exec(
            select(ConflictDeclaration.candidate_id).where(
                ConflictDeclaration.person_id == actor.person_id
            )
        )
    )
    booked = session.exec(
        select(InterviewSlot.candidate_id, InterviewSlot.panel_number).where(
            InterviewSlot.stage_id == stage.id, InterviewSlot.status == SlotStatus.BOOKED
        )
    ).all()
    if booked:  # where interviews are booked, a member owes only those on their panels
        panels = set(
            session.exec(
                select(PanelAssignment.panel_number).where(
                    PanelAssignment.stage_id == stage.id,
                    PanelAssignment.person_id == actor.person_id,
                )
            )
        )
        reached &= {candidate for candidate, panel in booked if panel in panels}
    owed = reached - conflicted - unlocked
    return ScoreSight(everything=not owed, unlocked=unlocked, owed=len(owed))


def _refused(actor: Actor, what: str) -> PermissionDenied:
    role = Role.phrase_for(actor.role)
    return PermissionDenied(
        f"As a {role}, {actor.name} may not work on {what}. "
        "Ask its owner or an administrator to share it."
        if actor.role == Role.RECRUITING_MANAGER
        else f"As a {role}, {actor.name} may only see the stages they sit on a panel of, "
        f"not {what}."
    )
