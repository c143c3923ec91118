"""Post use cases: the several roles a campaign advertises together, in annex order.

A campaign without posts is a single role (the advert is the post). With posts, the
candidate information pack gets one annex per post, holding its role, job description and
person specification for the criteria it lists (none listed means all of the advert's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from db import audit
from db.models import Advert, AdvertCriterion, Campaign, Post, id_of
from recruit_app.errors import NotFound, ValidationError
from recruit_app.services.access import Use, check_campaign
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import require
from recruit_app.services.uow import check_version, touch, unit_of_work

TITLE_LIMIT = 200
GRADE_LIMIT = 100
COUNT_LIMIT = 1000
LOCATIONS_LIMIT = 50
LOCATION_LIMIT = 200
TEXT_LIMIT = 20_000
POST_FIELDS = (
    "title",
    "grade",
    "count",
    "locations",
    "job_description",
    "responsibilities",
    "criteria",
)
_LABELS = {
    "title": "title",
    "grade": "grade",
    "job_description": "job description",
    "responsibilities": "responsibilities",
}


# --- read models ---------------------------------------------------------------------


@dataclass(frozen=True)
class PostView:
    id: int
    version: int
    position: int
    title: str
    grade: str
    count: int
    locations: tuple[str, ...]
    job_description: str
    responsibilities: str
    criteria: tuple[str, ...]  # advert criterion codes; empty means all of them
    updated_by: str
    updated_at: datetime

    @property
    def annex(self) -> str:
        """The annex letter the post gets in the information pack: A, B, ... Z, AA, AB..."""
        return annex_letter(self.position)


@dataclass(frozen=True)
class CriterionChoice:
    """An advert criterion a post can ask for (the dialog's checklist)."""

    code: str
    title: str
    element: str
    essential: bool


@dataclass(frozen=True)
class PostsView:
    campaign_id: int
    reference: str
    advert_grade: str
    advert_locations: tuple[str, ...]
    posts: tuple[PostView, ...]
    criteria: tuple[CriterionChoice, ...]

    def post(self, post_id: int) -> PostView | None:
        return next((p for p in self.posts if p.id == post_id), None)


def annex_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA": spreadsheet-style letters, so no annex is unnamed."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# --- loading -------------------------------------------------------------------------


def _campaign(session: Session, ctx: ServiceContext, campaign_id: int, use: Use) -> Campaign:
    """The campaign, if the person acting may `use` it (its posts go with it)."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound("That campaign no longer exists; someone may have deleted it.")
    check_campaign(session, ctx.actor, campaign, use)
    return campaign


def _post(session: Session, post_id: int) -> Post:
    post = session.get(Post, post_id)
    if post is None:
        raise NotFound("That post no longer exists; someone may have removed it.")
    return post


def _posts(session: Session, campaign_id: int) -> list[Post]:
    return list(
        session.exec(
            select(Post)
            .where(Post.campaign_id == campaign_id)
            .order_by(col(Post.position), col(Post.id))
        )
    )


def _choices(session: Session, campaign_id: int) -> tuple[CriterionChoice, ...]:
    rows = session.exec(
        select(
            AdvertCriterion.code,
            AdvertCriterion.title,
            AdvertCriterion.element,
            AdvertCriterion.essential,
        )
        .join(Advert, col(Advert.id) == AdvertCriterion.advert_id)
        .where(Advert.campaign_id == campaign_id)
        .order_by(col(AdvertCriterion.position), col(AdvertCriterion.id))
    )
    return tuple(CriterionChoice(*row) for row in rows)


def _view(post: Post) -> PostView:
    assert post.id is not None
    return PostView(
        id=post.id,
        version=post.version,
        position=post.position,
        title=post.title,
        grade=post.grade,
        count=post.count,
        locations=tuple(post.locations),
        job_description=post.job_description,
        responsibilities=post.responsibilities,
        criteria=tuple(post.criteria),
        updated_by=post.updated_by,
        updated_at=post.updated_at,
    )


def _overview(session: Session, campaign: Campaign) -> PostsView:
    assert campaign.id is not None
    advert = session.exec(
        select(Advert.grade, Advert.locations).where(Advert.campaign_id == campaign.id)
    ).first()
    grade, locations = advert if advert is not None else ("", [])
    return PostsView(
        campaign_id=campaign.id,
        reference=campaign.reference,
        advert_grade=grade,
        advert_locations=tuple(locations or ()),
        posts=tuple(_view(p) for p in _posts(session, campaign.id)),
        criteria=_choices(session, campaign.id),
    )


def list_posts(ctx: ServiceContext, campaign_id: int) -> PostsView:
    """The campaign's posts in annex order, with the advert criteria they can ask for."""
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        return _overview(session, _campaign(session, ctx, campaign_id, "view"))


# --- checking ------------------------------------------------------------------------


def _text(name: str, value: Any, limit: int, *, one_line: bool) -> str:
    label = _LABELS[name]
    if not isinstance(value, str):
        raise ValidationError(f"The {label} must be text.", name)
    if "\x00" in value:
        raise ValidationError(f"The {label} contains a NUL character; retype it.", name)
    value = " ".join(value.split()) if one_line else value.strip("\n\r ")
    if len(value) > limit:
        raise ValidationError(
            f"The {label} is {len(value):,} characters long; keep it to {limit:,} or fewer.",
            name,
        )
    return value


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= COUNT_LIMIT:
        raise ValidationError(
            f"The number of posts must be a whole number from 1 to {COUNT_LIMIT}.", "count"
        )
    return value


def _locations(value: Any) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ValidationError("Give the locations as a list, one place each.", "locations")
    items: list[str] = []
    for raw in value:
        if not isinstance(raw, str):
            raise ValidationError("Each location must be text.", "locations")
        if "\x00" in raw:
            raise ValidationError("A location contains a NUL character; retype it.", "locations")
        item = " ".join(raw.split())
        if not item:
            continue
        if len(item) > LOCATION_LIMIT:
            raise ValidationError(
                f"Keep each location to {LOCATION_LIMIT} characters or fewer.", "locations"
            )
        if item.casefold() not in {i.casefold() for i in items}:
            items.append(item)
    if len(items) > LOCATIONS_LIMIT:
        raise ValidationError(f"Give at most {LOCATIONS_LIMIT} locations.", "locations")
    return items


def _criteria(value: Any, choices: tuple[CriterionChoice, ...]) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ValidationError("Give the criteria as a list of their codes.", "criteria")
    known = {c.code.casefold(): c.code for c in choices}
    wanted: set[str] = set()
    for raw in value:
        if not isinstance(raw, str) or "\x00" in raw:
            raise ValidationError("Each criterion must be given by its code.", "criteria")
        code = raw.strip()
        if code.casefold() not in known:
            raise ValidationError(
                f"{code or 'An empty code'} is not one of the advert's criteria; "
                "choose from the advert's list (reload if someone changed it).",
                "criteria",
            )
        wanted.add(known[code.casefold()])
    # Kept in the advert's order, so every list reads the same way.
    return [c.code for c in choices if c.code in wanted]


def clean_post_values(
    values: dict[str, Any], choices: tuple[CriterionChoice, ...]
) -> dict[str, Any]:
    """Each given field checked and tidied; a bad one is refused with the field it names."""
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name == "title":
            cleaned[name] = _text(name, value, TITLE_LIMIT, one_line=True)
            if not cleaned[name]:
                raise ValidationError("Give the post a title.", name)
        elif name == "grade":
            cleaned[name] = _text(name, value, GRADE_LIMIT, one_line=True)
        elif name in ("job_description", "responsibilities"):
            cleaned[name] = _text(name, value, TEXT_LIMIT, one_line=False)
        elif name == "count":
            cleaned[name] = _count(value)
        elif name == "locations":
            cleaned[name] = _locations(value)
        elif name == "criteria":
            cleaned[name] = _criteria(value, choices)
        else:
            raise ValidationError(f"{name} is not something a post has.", name)
    return cleaned


def _unique_title(session: Session, campaign_id: int, title: str, post_id: int | None) -> None:
    for other_id, other in session.exec(
        select(Post.id, Post.title).where(Post.campaign_id == campaign_id)
    ):
        if other_id != post_id and other.casefold() == title.casefold():
            raise ValidationError(f"The campaign already has a post called {other}.", "title")


def _snapshot(post: Post) -> dict[str, Any]:
    return {name: getattr(post, name) for name in POST_FIELDS}


def _audit(
    session: Session,
    ctx: ServiceContext,
    campaign: Campaign,
    action: str,
    post_id: int | None,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    audit.record(
        session,
        actor_name=ctx.actor.name,
        actor_id=ctx.actor.person_id,
        action=action,
        entity="post",
        entity_id=post_id,
        campaign_id=campaign.id,
        campaign_reference=campaign.reference,
        summary=summary,
        before=before,
        after=after,
    )


# --- changing ------------------------------------------------------------------------


def add_post(ctx: ServiceContext, campaign_id: int, values: dict[str, Any]) -> PostView:
    """A new post at the end of the list (the next annex)."""
    require(ctx.actor, "campaign.manage")
    if "title" not in values:
        raise ValidationError("Give the post a title.", "title")
    with unit_of_work(ctx) as session:
        campaign = _campaign(session, ctx, campaign_id, "manage")
        cleaned = clean_post_values(values, _choices(session, campaign_id))
        _unique_title(session, campaign_id, cleaned["title"], None)
        existing = _posts(session, campaign_id)
        post = Post(
            campaign_id=campaign_id,
            position=len(existing),
            title=cleaned["title"],
            updated_by=ctx.actor.name,
        )
        for name, value in cleaned.items():
            setattr(post, name, value)
        session.add(post)
        session.flush()
        _audit(
            session,
            ctx,
            campaign,
            "post.add",
            post.id,
            f"Added the post {post.title}",
            after=_snapshot(post),
        )
        return _view(post)


def update_post(
    ctx: ServiceContext, post_id: int, values: dict[str, Any], expected_version: int | None
) -> PostView:
    """Change the given fields of a post; refused if someone saved it since it was read."""
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx) as session:
        post = _post(session, post_id)
        campaign = _campaign(session, ctx, post.campaign_id, "manage")
        check_version(post, expected_version, f"The post {post.title}")
        cleaned = clean_post_values(values, _choices(session, post.campaign_id))
        if "title" in cleaned:
            _unique_title(session, post.campaign_id, cleaned["title"], post.id)
        before = _snapshot(post)
        for name, value in cleaned.items():
            setattr(post, name, value)
        after = _snapshot(post)
        changed = [name for name in POST_FIELDS if before[name] != after[name]]
        if not changed:
            return _view(post)
        touch(post, ctx)
        session.flush()
        _audit(
            session,
            ctx,
            campaign,
            "post.update",
            post.id,
            f"Changed the post {post.title}",
            {name: before[name] for name in changed},
            {name: after[name] for name in changed},
        )
        return _view(post)


def _renumber(session: Session, ctx: ServiceContext, posts: list[Post]) -> None:
    for position, item in enumerate(posts):
        if item.position != position:
            item.position = position
            touch(item, ctx)


def remove_post(ctx: ServiceContext, post_id: int, expected_version: int | None) -> PostsView:
    """Remove a post; those after it move up a letter."""
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx) as session:
        post = _post(session, post_id)
        campaign = _campaign(session, ctx, post.campaign_id, "manage")
        check_version(post, expected_version, f"The post {post.title}")
        _audit(
            session,
            ctx,
            campaign,
            "post.remove",
            post.id,
            f"Removed the post {post.title}",
            before=_snapshot(post),
        )
        session.delete(post)
        session.flush()
        _renumber(session, ctx, _posts(session, id_of(campaign)))
        session.flush()
        return _overview(session, campaign)


def move_post(ctx: ServiceContext, post_id: int, new_index: int) -> PostsView:
    """Put a post at `new_index` (0 is Annex A); the others keep their order around it."""
    require(ctx.actor, "campaign.manage")
    if isinstance(new_index, bool) or not isinstance(new_index, int):
        raise ValidationError("Say where the post goes, as a whole number.", "position")
    with unit_of_work(ctx) as session:
        post = _post(session, post_id)
        campaign = _campaign(session, ctx, post.campaign_id, "manage")
        posts = [p for p in _posts(session, post.campaign_id) if p.id != post_id]
        new_index = max(0, min(new_index, len(posts)))
        old_index = post.position
        posts.insert(new_index, post)
        _renumber(session, ctx, posts)
        if old_index != new_index:
            _audit(
                session,
                ctx,
                campaign,
                "post.move",
                post.id,
                f"Moved the post {post.title} to Annex {annex_letter(new_index)}",
                {"position": old_index},
                {"position": new_index},
            )
        session.flush()
        return _overview(session, campaign)
