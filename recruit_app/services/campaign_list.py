"""The campaign list in plain SQL: `recruit-app campaign list` without the table classes.

Scripts call `campaign list` often and want an answer at once, so for someone who sees
every campaign (an administrator, as the desktop's owner is) it is one SQLAlchemy Core
query that loads neither SQLModel nor pydantic nor the tables. Anyone else's list depends
on shares and panels: theirs comes from `services.campaigns.list_campaigns`, which holds
those rules. Both return the same summaries in the same order (a test compares them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Integer, String, column, select, table
from sqlalchemy.exc import DBAPIError

from db.types import UTCDateTime
from recruit_app.errors import DatabaseUnavailable
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import require
from recruit_app.vocabulary import Role


@dataclass(frozen=True)
class CampaignSummary:
    """A campaign as lists show it."""

    id: int
    reference: str
    title: str
    status: str
    archived: bool
    version: int
    created_at: datetime
    updated_at: datetime
    updated_by: str
    # What the list shows beside it: the advert's closing moment, how many candidates, and
    # the first stage whose results are not final ("" when there is none).
    closes_at: datetime | None = None
    candidates: int = 0
    stage_in_progress: str = ""

    def closed_to_applications(self, now: datetime) -> bool:
        """A live campaign whose advert has closed: its status follows the dates."""
        return self.status == "live" and self.closes_at is not None and self.closes_at <= now

    def to_json(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "title": self.title,
            "status": self.status,
            "archived": self.archived,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "updated_by": self.updated_by,
            "version": self.version,
            "closes_at": self.closes_at.isoformat() if self.closes_at else None,
            "candidates": self.candidates,
            "stage_in_progress": self.stage_in_progress,
        }


# The columns of `campaign` a summary shows, typed as the table class types them (moments
# come back as aware UTC, flags as bool), without building the table class.
_CAMPAIGN = table(
    "campaign",
    column("id", Integer),
    column("reference", String),
    column("title", String),
    column("status", String),
    column("archived", Boolean),
    column("version", Integer),
    column("created_at", UTCDateTime()),
    column("updated_at", UTCDateTime()),
    column("updated_by", String),
)


def list_campaigns(ctx: ServiceContext, *, include_archived: bool = False) -> list[CampaignSummary]:
    """Campaigns newest first, as `services.campaigns.list_campaigns` gives them."""
    require(ctx.actor, "campaign.view")
    if ctx.actor.role != Role.ADMINISTRATOR:
        # Shares and panels decide what others see: the full service applies them.
        from recruit_app.services import campaigns

        return campaigns.list_campaigns(ctx, include_archived=include_archived)
    c = _CAMPAIGN.c
    query = select(_CAMPAIGN).order_by(c.created_at.desc(), c.id.desc())
    if not include_archived:
        query = query.where(c.archived.is_(False))
    try:
        with ctx.db.reader.connect() as connection:
            rows = [dict(row._mapping) for row in connection.execute(query)]
            more = campaign_extras(connection, [row["id"] for row in rows])
            return [CampaignSummary(**row, **more.get(row["id"], {})) for row in rows]
    except DBAPIError as exc:
        from recruit_app.services.uow import not_saved

        # In the words every use case uses (`unit_of_work`): a lost or refused database.
        raise DatabaseUnavailable(not_saved(exc)) from None


_ADVERT = table("advert", column("campaign_id", Integer), column("closes_at", UTCDateTime()))
_CANDIDATE = table("candidate", column("campaign_id", Integer))
_STAGE = table(
    "stage",
    column("campaign_id", Integer),
    column("name", String),
    column("position", Integer),
    column("finalised_at", UTCDateTime()),
)


def campaign_extras(connection: Any, ids: list[int]) -> dict[int, dict[str, Any]]:
    """Each campaign's closing moment, candidate count and stage in progress, in three
    grouped queries (not one per campaign): the one home of these figures for both lists."""
    from sqlalchemy import func

    found: dict[int, dict[str, Any]] = {i: {} for i in ids}
    if not ids:
        return found
    for campaign_id, closes_at in connection.execute(
        select(_ADVERT.c.campaign_id, _ADVERT.c.closes_at).where(_ADVERT.c.campaign_id.in_(ids))
    ):
        found[campaign_id]["closes_at"] = closes_at
    for campaign_id, count in connection.execute(
        select(_CANDIDATE.c.campaign_id, func.count())
        .where(_CANDIDATE.c.campaign_id.in_(ids))
        .group_by(_CANDIDATE.c.campaign_id)
    ):
        found[campaign_id]["candidates"] = int(count)
    for campaign_id, name in connection.execute(
        select(_STAGE.c.campaign_id, _STAGE.c.name)
        .where(_STAGE.c.campaign_id.in_(ids), _STAGE.c.finalised_at.is_(None))
        .order_by(_STAGE.c.campaign_id, _STAGE.c.position)
    ):
        found[campaign_id].setdefault("stage_in_progress", name)
    return found
