"""The candidate information pack: what a candidate reads before applying, as one PDF.

One short transaction reads plain columns into a frozen `InfoPackDocument`; the renderer
in `exports.info_pack` lays it out outside the transaction.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from db.models import (
    Advert,
    AdvertCriterion,
    Campaign,
    Criterion,
    CriterionLevel,
    Post,
    Stage,
    StageCriterion,
    TimetableEvent,
)
from recruit_app.domain.timetable import Timetable, TimetableEntry, entries
from recruit_app.errors import Cancelled, NotFound, ValidationError
from recruit_app.readmodels import (
    InfoPackCriterion,
    InfoPackDocument,
    IsCancelled,
    PackDate,
    PackPost,
    PackStage,
    PayZone,
    Progress,
)
from recruit_app.services.access import campaign_for
from recruit_app.services.adverts import SECTION_FIELDS
from recruit_app.services.branding import printed_name
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import require
from recruit_app.services.posts import annex_letter
from recruit_app.services.uow import select_columns, unit_of_work

CANCELLED_MESSAGE = "The export was cancelled; no file was written."


# --- reading -------------------------------------------------------------------------


def _levels(
    session: Session, wanted: dict[int, int | None]
) -> tuple[dict[int, str], dict[int, tuple[str, str, tuple[str, ...]]]]:
    """Library descriptions of the linked criteria, and their chosen level's words."""
    if not wanted:
        return {}, {}
    descriptions: dict[int, str] = {}
    for cid, description in session.exec(
        select(Criterion.id, Criterion.description).where(col(Criterion.id).in_(wanted))
    ):
        assert cid is not None  # a primary key
        descriptions[cid] = description
    pairs = [(cid, level) for cid, level in wanted.items() if level is not None]
    levels: dict[int, tuple[str, str, tuple[str, ...]]] = {}
    if pairs:
        rows = session.exec(
            select(
                CriterionLevel.criterion_id,
                CriterionLevel.title,
                CriterionLevel.description,
                CriterionLevel.positive_indicators,
            ).where(
                or_(
                    *(
                        and_(
                            col(CriterionLevel.criterion_id) == cid,
                            col(CriterionLevel.level) == level,
                        )
                        for cid, level in pairs
                    )
                )
            )
        )
        for cid, title, description, indicators in rows:
            levels[cid] = (title, description, tuple(indicators or ()))
    return descriptions, levels


def _criteria(session: Session, advert_id: int) -> tuple[tuple[int, InfoPackCriterion], ...]:
    rows = session.exec(
        select_columns(
            AdvertCriterion.id,
            AdvertCriterion.criterion_id,
            AdvertCriterion.code,
            AdvertCriterion.title,
            AdvertCriterion.element,
            AdvertCriterion.essential,
            AdvertCriterion.lead,
            AdvertCriterion.level,
            AdvertCriterion.description,
        )
        .where(AdvertCriterion.advert_id == advert_id)
        .order_by(col(AdvertCriterion.position), col(AdvertCriterion.id))
    ).all()
    linked = {row[1]: row[7] for row in rows if row[1] is not None}
    descriptions, levels = _levels(session, linked)
    result = []
    for row_id, library_id, code, title, element, essential, lead, level, description in rows:
        level_title, level_description, indicators = levels.get(library_id or -1, ("", "", ()))
        result.append(
            (
                row_id,
                InfoPackCriterion(
                    code=code,
                    title=title,
                    element=element,
                    essential=essential,
                    lead=lead,
                    level=level,
                    level_label=level_title or (f"Level {level}" if level else ""),
                    description=description.strip()
                    or descriptions.get(library_id or -1, "").strip(),
                    level_description=level_description,
                    indicators=indicators,
                ),
            )
        )
    return tuple(result)


def _stages(session: Session, campaign_id: int, codes: dict[int, str]) -> tuple[PackStage, ...]:
    stages = session.exec(
        select_columns(Stage.id, Stage.name, Stage.kind, Stage.mode, Stage.starts_on, Stage.ends_on)
        .where(Stage.campaign_id == campaign_id)
        .order_by(col(Stage.position), col(Stage.id))
    ).all()
    assessed: dict[int, list[str]] = {}
    for stage_id, criterion_id in session.exec(
        select(StageCriterion.stage_id, StageCriterion.advert_criterion_id)
        .join(Stage, col(Stage.id) == StageCriterion.stage_id)
        .where(Stage.campaign_id == campaign_id)
        .order_by(col(StageCriterion.position), col(StageCriterion.id))
    ):
        if criterion_id in codes:
            assessed.setdefault(stage_id, []).append(codes[criterion_id])
    return tuple(
        PackStage(name, kind, mode, starts, ends, tuple(assessed.get(stage_id, ())))
        for stage_id, name, kind, mode, starts, ends in stages
    )


def _timetable(
    session: Session,
    campaign_id: int,
    advert: Advert,
    stages: tuple[PackStage, ...],
    decisions_on: date | None,
    expected_start_on: date | None,
) -> tuple[PackDate, ...]:
    """The timetable's dated list (the same entries as the Timetable tab), undated keys left out."""
    events = session.exec(
        select(TimetableEvent.title, col(TimetableEvent.starts_on), col(TimetableEvent.ends_on))
        .where(TimetableEvent.campaign_id == campaign_id)
        .order_by(col(TimetableEvent.starts_on), col(TimetableEvent.id))
    ).all()
    timetable = Timetable(
        opens_at=advert.opens_at,
        closes_at=advert.closes_at,
        stages=tuple(
            TimetableEntry(f"stage:{i}", s.name, s.starts_on, s.ends_on, "stage")
            for i, s in enumerate(stages)
        ),
        decisions_on=decisions_on,
        expected_start_on=expected_start_on,
        events=tuple(
            TimetableEntry(f"event:{i}", title, starts, ends, "event")
            for i, (title, starts, ends) in enumerate(events)
        ),
    )
    # A stage without dates is still a step the candidate goes through ("to be confirmed");
    # an opening, closing, decision or start without a date says nothing.
    return tuple(
        PackDate(e.label, e.kind, e.starts_on, e.ends_on)
        for e in entries(timetable)
        if e.starts_on is not None or e.kind in ("stage", "event")
    )


def _posts(
    session: Session, campaign_id: int, advert: Advert, codes: tuple[str, ...]
) -> tuple[PackPost, ...]:
    rows = session.exec(
        select_columns(
            Post.title,
            Post.grade,
            Post.count,
            Post.locations,
            Post.job_description,
            Post.responsibilities,
            Post.criteria,
        )
        .where(Post.campaign_id == campaign_id)
        .order_by(col(Post.position), col(Post.id))
    ).all()
    posts = []
    for index, (title, grade, count, locations, job, duties, wanted) in enumerate(rows):
        # Codes the advert no longer has are dropped; a post left with none asks for all.
        chosen = set(wanted or ())
        own = tuple(code for code in codes if code in chosen) or codes
        posts.append(
            PackPost(
                annex=annex_letter(index),
                title=title,
                grade=grade.strip() or advert.grade,
                count=count,
                locations=tuple(locations or ()) or tuple(advert.locations),
                job_description=job if job.strip() else advert.job_description,
                responsibilities=duties if duties.strip() else advert.responsibilities,
                criteria=own,
            )
        )
    return tuple(posts)


def _read(session: Session, campaign_id: int, organisation: str) -> InfoPackDocument:
    found = session.exec(
        select(
            Campaign.reference,
            Campaign.title,
            col(Campaign.decisions_on),
            col(Campaign.expected_start_on),
        ).where(Campaign.id == campaign_id)
    ).first()
    if found is None:
        raise NotFound("That campaign no longer exists; someone may have deleted it.")
    reference, campaign_title, decisions_on, expected_start_on = found
    advert = session.exec(select(Advert).where(Advert.campaign_id == campaign_id)).first()
    if advert is None:
        advert = Advert(campaign_id=campaign_id, title=campaign_title)
        criteria: tuple[tuple[int, InfoPackCriterion], ...] = ()
    else:
        assert advert.id is not None
        criteria = _criteria(session, advert.id)
    stages = _stages(session, campaign_id, {row_id: c.code for row_id, c in criteria})
    codes = tuple(c.code for _row_id, c in criteria)
    posts = _posts(session, campaign_id, advert, codes)
    return InfoPackDocument(
        organisation=organisation,
        reference=reference,
        title=advert.title.strip() or campaign_title,
        grade=advert.grade,
        pay_zones=tuple(
            PayZone(str(z.get("zone", "")), int(z.get("min") or 0), int(z.get("max") or 0))
            for z in advert.pay_zones
        ),
        allowance=advert.allowance,
        contract_type=advert.contract_type,
        business_area=advert.business_area,
        working_patterns=tuple(advert.working_patterns),
        number_of_posts=sum(p.count for p in posts) if posts else advert.posts,
        locations=tuple(advert.locations),
        summary=advert.summary,
        job_description=advert.job_description,
        responsibilities=advert.responsibilities,
        person_specification=advert.person_specification,
        qualifications=advert.qualifications,
        benefits=advert.benefits,
        selection_process=advert.selection_process,
        opens_at=advert.opens_at,
        closes_at=advert.closes_at,
        contact_name=advert.contact_name,
        contact_email=advert.contact_email,
        team_email=advert.team_email,
        security_clearance=advert.security_clearance,
        nationality_statement=advert.nationality_statement,
        guaranteed_interview_statement=advert.guaranteed_interview_statement,
        hiring_manager=advert.hiring_manager,
        welcome_letter=advert.welcome_letter,
        about_organisation=advert.about_organisation,
        how_to_apply=advert.how_to_apply,
        terms_and_conditions=advert.terms_and_conditions,
        **{key: getattr(advert, key) for key in SECTION_FIELDS},
        criteria=tuple(c for _row_id, c in criteria),
        stages=stages,
        timetable=_timetable(session, campaign_id, advert, stages, decisions_on, expected_start_on),
        posts=posts,
    )


# An accessible web page besides the PDF (GOV.UK prefers HTML for assistive technology).
INFO_PACK_FORMATS = ("pdf", "html")


def info_pack_document(ctx: ServiceContext, campaign_id: int) -> InfoPackDocument:
    """Everything the campaign's candidate information pack says, read in one transaction."""
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        campaign_for(session, ctx, campaign_id, "view")
        return _read(session, campaign_id, printed_name(session, ctx))


def export_info_pack(
    ctx: ServiceContext,
    campaign_id: int,
    path: Path,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    fmt: str = "pdf",
) -> Path:
    """Write the campaign's candidate information pack to `path` (atomically).

    `fmt` is "pdf", or "html" for one accessible web page with the same sections.
    `progress(done, total)` follows the reading and each part of the layout; `cancelled()`
    is asked between them, and a cancelled export leaves no file behind.
    """
    from exports.info_pack import render_info_pack
    from recruit_app.services.branding import document_theme

    if fmt not in INFO_PACK_FORMATS:
        choices = " or ".join(INFO_PACK_FORMATS)
        raise ValidationError(f"Export the information pack as {choices}, not {fmt!r}.", "format")

    def check() -> None:
        if cancelled is not None and cancelled():
            raise Cancelled(CANCELLED_MESSAGE)

    check()
    doc = info_pack_document(ctx, campaign_id)
    check()
    steps = [0, 1]  # done, total: grows once the renderer says how many parts there are

    def step(done: int, total: int) -> None:
        # ReportLab lays the pack out more than once (for "Page X of Y" and the contents);
        # the bar only ever moves forward.
        check()
        steps[1] = max(steps[1], total + 1)
        steps[0] = max(steps[0], min(done + 1, steps[1]))
        if progress is not None:
            progress(steps[0], steps[1])

    if progress is not None:
        progress(0, 1)
    if fmt == "html":
        from exports.html import write_info_pack_html

        written = write_info_pack_html(doc, Path(path), document_theme(ctx))
    else:
        written = render_info_pack(doc, Path(path), document_theme(ctx), on_part=step)
    if progress is not None:
        progress(steps[1], steps[1])
    return written
