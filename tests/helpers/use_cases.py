"""Every public use case of recruit_app.services, who may do it, and a world to run it in.

One row per use case (module-level functions in `recruit_app/services/*.py` taking
`ctx: ServiceContext` first), shared by the permission table and the audit tests, so a
use case added without a row fails a test.

The world is the demo campaign (built for 25 November 2026: the sift is final, the video
interviews are a fortnight away) with an owner, a recruiting manager it is shared with, a
recruiting manager who owns another campaign, and panel members on and off its stages.
"""

from __future__ import annotations

import csv
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import SQLModel, col, select

from db.models import (
    Advert,
    AuditEvent,
    Campaign,
    CampaignShare,
    Candidate,
    Outcome,
    PanelAssignment,
    Person,
    Stage,
    TimetableEvent,
)
from recruit_app.services.context import Actor, ServiceContext

TODAY = date(2026, 11, 25)
PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "another long pass phrase"
SETUP = Actor("Recruit set-up", "administrator")

# --- who acts ------------------------------------------------------------------------

POSITIONS = (
    "admin",
    "rm_owner",
    "rm_shared",
    "rm_other",
    "panel_on",
    "panel_elsewhere",
    "panel_outsider",
)
POSITION_WORDS = {
    "admin": "administrator",
    "rm_owner": "recruiting manager who owns the campaign",
    "rm_shared": "recruiting manager it is shared with",
    "rm_other": "recruiting manager of someone else's unshared campaign",
    "panel_on": "panel member sitting on the stage",
    "panel_elsewhere": "panel member on another stage of the same campaign, not this one",
    "panel_outsider": "panel member on no stage of this campaign (on another campaign's)",
}
ROLE_WORDS = {
    "administrator": "administrator",
    "recruiting_manager": "recruiting manager",
    "panel_member": "panel member",
}

# key: (name, e-mail, role); the demo's own panel members are found by e-mail.
OUR_PEOPLE = {
    "admin": ("Ada Admin", "ada.admin@example.org", "administrator"),
    "rm_owner": ("Olu Owner", "olu.owner@example.org", "recruiting_manager"),
    "rm_shared": ("Sita Shared", "sita.shared@example.org", "recruiting_manager"),
    "rm_other": ("Rory Other", "rory.other@example.org", "recruiting_manager"),
    "panel_elsewhere": ("Pat Elsewhere", "pat.elsewhere@example.org", "panel_member"),
    "panel_outsider": ("Nell Outsider", "nell.outsider@example.org", "panel_member"),
    "spare_panel": ("Sam Spare", "sam.spare@example.org", "panel_member"),
    "spare_manager": ("Rita Spare", "rita.spare@example.org", "recruiting_manager"),
}
DEMO_PEOPLE = {
    "panel_on": "tom.okonkwo@example.gov.uk",  # member at the sift, chair at the interviews
    "hannah": "hannah.lee@example.gov.uk",  # chair at the sift, member at the interviews
    "marek": "marek.kowalski@example.org",  # independent member at the sift and interviews
}


@dataclass(frozen=True)
class WorldIds:
    """What a use case needs to name, the same in every copy of the world's database."""

    campaign_id: int
    reference: str
    other_campaign_id: int
    sift_id: int  # name-blind, final, every candidate has an outcome
    exercise_id: int  # final; Pat Elsewhere sits on it and nowhere else
    interview_id: int  # open: slots booked, two of three panel members have scored
    extra_id: int  # "Presentation", last, no scores: Tom chairs it
    actors: dict[str, Actor]
    interviewees: tuple[int, ...]  # candidates at the interview stage, by number
    cells: tuple[tuple[int, str], ...]  # the interview stage's criteria: (cell id, code)
    booked_slots: tuple[int, ...]
    open_slots: tuple[int, ...]
    posts: tuple[int, ...]
    event_id: int
    reserve_outcome_id: int
    sift_candidate_id: int  # has an outcome at the sift
    template_code: str  # the built-in role template the demo is made from
    framework_code: str  # a user framework with one criterion and one question
    criterion_id: int
    user_template_code: str


@dataclass
class World:
    """The world's ids, one fresh copy of its database, and a folder for files."""

    ids: WorldIds
    db: Any
    folder: Path
    prepared: dict[str, Any] = field(default_factory=dict)

    def ctx(self, who: str) -> ServiceContext:
        return ServiceContext(db=self.db, actor=self.ids.actors[who])

    @property
    def admin(self) -> ServiceContext:
        return self.ctx("admin")

    def person(self, who: str) -> int:
        person_id = self.ids.actors[who].person_id
        assert person_id is not None
        return person_id


def build_world(db: Any) -> WorldIds:
    """Fill a freshly migrated database with the world; return its ids."""
    from recruit_app.domain.library_format import CriterionDef, LevelDef
    from recruit_app.library import load_json
    from recruit_app.services import campaigns, library, posts, scoring, slots, stages
    from recruit_app.services.auth import hash_password
    from recruit_app.services.demo import DEMO_FILE, build_demo

    report = build_demo(ServiceContext(db, SETUP), today=TODAY)
    hashed = hash_password(PASSWORD)
    actors: dict[str, Actor] = {}
    with db.session() as session:
        campaign = session.exec(
            select(Campaign).where(Campaign.reference == report.reference)
        ).one()
        by_name = {
            s.name: s for s in session.exec(select(Stage).where(Stage.campaign_id == campaign.id))
        }
        for key, (name, email, role) in OUR_PEOPLE.items():
            person = Person(
                name=name, email=email, role=role, password_hash=hashed, updated_by=SETUP.name
            )
            session.add(person)
            session.flush()
            actors[key] = Actor(name, role, person.id)
        for key, email in DEMO_PEOPLE.items():
            person = session.exec(select(Person).where(Person.email == email)).one()
            person.password_hash = hashed
            actors[key] = Actor(person.name, person.role, person.id)
        campaign.owner_id = actors["rm_owner"].person_id
        session.add(
            CampaignShare(
                campaign_id=campaign.id,
                person_id=actors["rm_shared"].person_id,
                shared_by="Olu Owner",
            )
        )
        session.add(
            PanelAssignment(
                stage_id=by_name["Technical exercise"].id,
                person_id=actors["panel_elsewhere"].person_id,
                panel_role="member",
                updated_by=SETUP.name,
            )
        )
        rejected = session.exec(
            select(Outcome)
            .where(Outcome.stage_id == by_name["Technical exercise"].id, Outcome.kind == "reject")
            .order_by(col(Outcome.id))
        ).first()
        assert rejected is not None, "the demo's technical exercise should reject someone"
        rejected.kind, rejected.reserve_expires_on = "reserve", date(2027, 5, 28)
        reserve_outcome_id = rejected.id
        session.commit()
        campaign_id, reference = campaign.id, campaign.reference
        sift, exercise, interview = (
            by_name["CV sift"],
            by_name["Technical exercise"],
            by_name["Video interview"],
        )
    assert campaign_id is not None and reserve_outcome_id is not None
    seats = _seats(db)
    assert seats[sift.id] >= {actors["panel_on"].person_id, actors["hannah"].person_id}
    assert actors["panel_elsewhere"].person_id not in seats[sift.id] | seats[interview.id]
    assert sift.name_blind and sift.finalised_at is not None and interview.finalised_at is None

    admin = ServiceContext(db, actors["admin"])
    rory = ServiceContext(db, actors["rm_other"])
    other = campaigns.create_campaign(rory, title="Policy Adviser", reference="OTHER-1")
    other_stage = stages.add_stage(rory, other.id, name="Interview", kind="panel_interview")
    stages.set_panel(
        rory,
        other_stage.id,
        [stages.SeatChoice(actors["panel_outsider"].person_id or 0, "chair")],
        expected_version=None,
    )
    extra = stages.add_stage(admin, campaign_id, name="Presentation", kind="presentation")
    stages.set_panel(
        admin,
        extra.id,
        [stages.SeatChoice(actors["panel_on"].person_id or 0, "chair")],
        expected_version=None,
    )
    # Two assessors are enough to finalise; Hannah and Marek have scored everyone, Tom nobody.
    assert interview.id is not None
    stages.update_stage(admin, interview.id, {"min_assessors": 2}, expected_version=None)
    sheet = scoring.scoring_sheet(admin, interview.id, actors["panel_on"].person_id or 0)
    cells = tuple((c.cell_id, c.code) for c in sheet.criteria)
    # 3 to 6 on the 1 to 7 scale; the same standing on a criterion's own scale (the
    # strength's 1 to 4: 2, 3, 4, 4), so the same candidates pass and fail.
    tops = {c.code: sheet.scale_of(c).maximum for c in sheet.criteria}
    interviewees = tuple(c.id for c in sorted(sheet.candidates, key=lambda c: c.number))
    numbers = {c.id: c.number for c in sheet.candidates}
    rows = [
        (
            line,
            {
                "candidate_number": numbers[cid],
                "criterion": code,
                "assessor": DEMO_PEOPLE[who],
                "score": str(3 + rank % 4 if tops[code] == 7 else min(tops[code], 2 + rank % 4)),
                "evidence": f"Seen at interview: {code}.",
            },
        )
        for line, (rank, cid, (_cell, code), who) in enumerate(
            (
                (rank, cid, cell, who)
                for rank, cid in enumerate(interviewees)
                for cell in cells
                for who in ("hannah", "marek")
            ),
            start=2,
        )
    ]
    scoring.import_scores(admin, interview.id, rows, source="interview-notes.csv")
    listed = slots.list_slots(admin, interview.id)
    booked = tuple(s.id for s in listed.slots if s.status == "booked")
    open_ = tuple(s.id for s in listed.slots if s.status == "open")
    assert len(booked) >= 2 and open_, "the demo should book some interview slots, not all"
    made = [
        posts.add_post(admin, campaign_id, {"title": "Developer, Leeds"}),
        posts.add_post(admin, campaign_id, {"title": "Developer, Newport"}),
    ]
    library.create_framework(admin, code="TEST-FW", name="Team framework")
    framework = library.save_criterion(
        admin,
        "TEST-FW",
        CriterionDef("TC1", "Testing", "TEC", levels=(LevelDef(3, "Level 3"),)),
    )
    library.save_question(
        admin,
        "TEST-FW",
        "TC1",
        text="Tell us about a time you tested something well.",
        probes=["What did you find?"],
    )
    template_code = load_json(DEMO_FILE)["template"]
    library.duplicate_template(admin, template_code, new_code="TEST-TPL")
    with db.session() as session:
        event_id = session.exec(
            select(TimetableEvent.id).where(TimetableEvent.campaign_id == campaign_id)
        ).first()
        sift_candidate = session.exec(
            select(Outcome.candidate_id)
            .where(Outcome.stage_id == sift.id)
            .order_by(col(Outcome.candidate_id))
        ).first()
    assert event_id is not None and sift_candidate is not None
    return WorldIds(
        campaign_id=campaign_id,
        reference=reference,
        other_campaign_id=other.id,
        sift_id=sift.id,
        exercise_id=exercise.id,
        interview_id=interview.id,
        extra_id=extra.id,
        actors=actors,
        interviewees=interviewees,
        cells=cells,
        booked_slots=booked,
        open_slots=open_,
        posts=tuple(p.id for p in made),
        event_id=event_id,
        reserve_outcome_id=reserve_outcome_id,
        sift_candidate_id=sift_candidate,
        template_code=template_code,
        framework_code="TEST-FW",
        criterion_id=framework.criteria[0].id,
        user_template_code="TEST-TPL",
    )


def _seats(db: Any) -> dict[int, set[int]]:
    with db.session() as session:
        found: dict[int, set[int]] = {}
        for stage_id, person_id in session.exec(
            select(PanelAssignment.stage_id, PanelAssignment.person_id)
        ):
            found.setdefault(stage_id, set()).add(person_id)
        return found


def candidate_names(db: Any, campaign_id: int, only: tuple[int, ...] = ()) -> set[str]:
    """Every first and last name of the campaign's candidates (or of those `only`), to look
    for leaks, but for those a member of staff shares: a candidate called Hannah must not
    flag Hannah Lee."""
    query = select(Candidate.first_name, Candidate.last_name).where(
        Candidate.campaign_id == campaign_id
    )
    if only:
        query = query.where(col(Candidate.id).in_(only))
    with db.session() as session:
        rows = session.exec(query).all()
        staff = {part for name in session.exec(select(Person.name)) for part in name.split()}
    return {
        part
        for first, last in rows
        for part in (first, last)
        if len(part) >= 3 and part not in staff
    }


# --- name-blind: what a panel member sees of a stage's candidates, by every path ----------

# Where a panel member looks: the final name-blind sift, the open video interview made
# name-blind (so that slots, drafts and workbooks are there to see), and the same
# interview as it is, which shows names: proof that the search finds a name when shown.
BLIND_STAGES = ("sift", "blind interview")
SHOWING_STAGE = "interview"
CHAIRS = {"sift": "hannah", "blind interview": "panel_on", "interview": "panel_on"}


def stage_to_look_at(w: World, stage: str) -> int:
    """The stage's id, made name-blind first for the "blind interview"."""
    from recruit_app.services.stages import update_stage

    if stage == "sift":
        return w.ids.sift_id
    if stage == "blind interview":
        update_stage(w.admin, w.ids.interview_id, {"name_blind": True}, expected_version=None)
    return w.ids.interview_id


def _stage_name(w: World, stage_id: int) -> str:
    with w.db.session() as session:
        found = session.get(Stage, stage_id)
        assert found is not None
        return found.name


def file_text(path: Path, *, sheets: str = "") -> str:
    """The words in an exported file: PDF text, CSV text, or the cells of XLSX sheets
    (those whose title starts with `sheets`, if given)."""
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(path).pages)
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        try:  # a read-only workbook keeps its file open until closed
            chosen = [s for s in book.worksheets if s.title.startswith(sheets[:31])]
            return "\n".join(
                " ".join(str(v) for v in row if v is not None)
                for sheet in chosen
                for row in sheet.iter_rows(values_only=True)
            )
        finally:
            book.close()
    return path.read_text(encoding="utf-8-sig")


def _others_text(w: World, ctx: ServiceContext, stage_id: int) -> str:
    """Every cell of the looker's own sheet as the screen reads it beside the sheet."""
    from recruit_app.services import scoring

    person = ctx.actor.person_id or 0
    sheet = scoring.scoring_sheet(ctx, stage_id, person)
    return "\n".join(
        repr(scoring.other_scores(ctx, stage_id, person, c.id, cell.cell_id))
        for c in sheet.candidates
        for cell in sheet.criteria
    )


def _seeing_paths() -> dict[str, Callable[[World, ServiceContext, int], str]]:
    """Every service path that shows a stage's candidates to a panel member, as text."""
    from recruit_app.services import (
        applications,
        candidates,
        packs,
        panel_pack,
        plans,
        results,
        scoring,
        slots,
    )

    def every_application(w: World, ctx: ServiceContext, stage_id: int) -> str:
        """Each application at the stage, one by one, as the reader sees it."""
        listed = candidates.list_candidates(ctx, w.ids.campaign_id, stage_id=stage_id)
        return "\n".join(
            repr(
                applications.show_application(
                    ctx, w.ids.campaign_id, c.candidate_number, stage_id=stage_id
                ).to_json()
            )
            for c in listed
        )

    def workbook(w: World, ctx: ServiceContext, stage_id: int) -> str:
        path = w.folder / "mine.xlsx"
        assert ctx.actor.person_id is not None
        scoring.export_workbook(ctx, w.ids.campaign_id, ctx.actor.person_id, path)
        return file_text(path, sheets=_stage_name(w, stage_id))

    def applications_sheet(w: World, ctx: ServiceContext, stage_id: int) -> str:
        path = w.folder / "mine-applications.xlsx"
        assert ctx.actor.person_id is not None
        scoring.export_workbook(ctx, w.ids.campaign_id, ctx.actor.person_id, path)
        return file_text(path, sheets=f"Applications – {_stage_name(w, stage_id)}")

    def calendars(w: World, ctx: ServiceContext, stage_id: int) -> str:
        written = slots.export_calendars(ctx, stage_id, w.folder / "calendars")
        return "\n".join(f"{p.name}\n{p.read_text(encoding='utf-8')}" for p in written)

    def pack(w: World, ctx: ServiceContext, stage_id: int) -> str:
        out = w.folder / "pack.pdf"
        written = packs.export_pack(ctx, w.ids.campaign_id, "panel", out, stage_id=stage_id)
        return "\n".join(file_text(p) for p in written)

    def chair_copy(w: World, ctx: ServiceContext, stage_id: int) -> str:
        """The chair's copy, its brief listing a departure where the stage has a plan."""
        if plans.stage_plan(w.admin, stage_id).questions:
            first = candidates.list_candidates(w.admin, w.ids.campaign_id, stage_id=stage_id)[0]
            plans.record_deviation(w.admin, stage_id, first.id, "The second question was skipped.")
        return file_text(
            panel_pack.export_panel_pack(ctx, stage_id, w.folder / "chair.pdf", chair_copy=True)
        )

    return {
        "candidates.list_candidates": lambda w, ctx, sid: repr(
            candidates.list_candidates(ctx, w.ids.campaign_id, stage_id=sid)
        ),
        "applications.stage_applications": lambda w, ctx, sid: repr(
            applications.stage_applications(ctx, sid)
        ),
        "applications.show_application": every_application,
        "scoring.scoring_sheet": lambda w, ctx, sid: repr(
            scoring.scoring_sheet(ctx, sid, ctx.actor.person_id or 0)
        ),
        "scoring.export_workbook": workbook,
        "scoring.export_workbook[applications sheet]": applications_sheet,
        "results.stage_results": lambda w, ctx, sid: repr(results.stage_results(ctx, sid)),
        "results.export_results[csv]": lambda w, ctx, sid: file_text(
            results.export_results(ctx, sid, w.folder / "results.csv")
        ),
        "results.export_results[xlsx]": lambda w, ctx, sid: file_text(
            results.export_results(ctx, sid, w.folder / "results.xlsx")
        ),
        "panel_pack.panel_pack_document": lambda w, ctx, sid: repr(
            panel_pack.panel_pack_document(ctx, sid)
        ),
        "panel_pack.export_panel_pack": lambda w, ctx, sid: file_text(
            panel_pack.export_panel_pack(ctx, sid, w.folder / "panel.pdf")
        ),
        "panel_pack.export_panel_pack[with applications]": lambda w, ctx, sid: file_text(
            panel_pack.export_panel_pack(
                ctx, sid, w.folder / "panel-applications.pdf", with_applications=True
            )
        ),
        "packs.export_pack": pack,
        "panel_pack.export_panel_pack[chair copy]": chair_copy,
        "slots.list_slots": lambda w, ctx, sid: repr(slots.list_slots(ctx, sid)),
        "slots.export_calendars": calendars,
        "results.results_screen": lambda w, ctx, sid: repr(
            results.results_screen(ctx, w.ids.campaign_id, sid, every_pair=True)
        ),
        "scoring.scoring_screen": lambda w, ctx, sid: repr(
            scoring.scoring_screen(ctx, w.ids.campaign_id, sid, ctx.actor.person_id, False)
        ),
        # The chair's own view (a member is refused it, see the table).
        "results.moderation_view": lambda w, ctx, sid: repr(results.moderation_view(ctx, sid)),
        "results.moderation_pair": lambda w, ctx, sid: "\n".join(
            repr(results.moderation_pair(ctx, sid, p.candidate_id, p.cell_id))
            for p in results.moderation_view(ctx, sid)
        ),
    }


SEEING_PATHS = _seeing_paths()


def seer(path: str, stage: str) -> str:
    """Who looks: Tom, who sits on both stages, or for the pairs to moderate the chair."""
    chairs_only = ("results.moderation_view", "results.moderation_pair")
    return CHAIRS[stage] if path in chairs_only else "panel_on"


def names_seen(text: str, names: set[str]) -> set[str]:
    """The candidates' names that appear in `text` as whole words, in any case (so in
    e-mail addresses and file names too)."""
    return {name for name in names if re.search(rf"(?i)\b{re.escape(name)}\b", text)}


# --- name-blind means more than the name ---------------------------------------------

# Personal details beyond the name, set on every candidate by `mark_personal_details`, each
# with a marker no other text of the world carries. At a name-blind stage a panel member
# must meet none of them on any path (DOMAIN.md 4.7, 4.8).
DETAIL_MARKERS = {
    "adjustments": ("Quillramp access", "adjustments=True"),
    "other information": ("Quillfeather College", "Place of study"),
    "unavailable dates": ("2027-02-03", "3 February 2027"),
    "extra time": ("37 minutes", "extra_minutes=37", "+37"),
    "guaranteed interview": ("guaranteed_interview=True", "Guaranteed interview", "GIS"),
    "redeployment": ("redeployment=True", "Redeployment", "RIS"),
}


def mark_personal_details(w: World) -> None:
    """Give every candidate of the world's campaign each personal detail, marked."""
    with w.db.session() as session:
        for candidate in session.exec(
            select(Candidate).where(Candidate.campaign_id == w.ids.campaign_id)
        ):
            candidate.adjustments = "Quillramp access to the building"
            candidate.extra = {"Place of study": "Quillfeather College"}
            candidate.unavailable_dates = ["2027-02-03"]
            candidate.extra_minutes = 37
            candidate.guaranteed_interview = True
            candidate.redeployment = True
            session.add(candidate)
        session.commit()


def details_seen(text: str) -> set[str]:
    """Which personal details (DETAIL_MARKERS) appear in `text`."""
    return {
        detail
        for detail, markers in DETAIL_MARKERS.items()
        if any(re.search(rf"(?<![\w-]){re.escape(m)}(?![\w-])", text) for m in markers)
    }


# --- independence: what a panel member sees of others' scores, by every path ------------

SPARE = "spare_panel"  # Sam Spare: seated on a stage by `seat_spare`, scores nothing at first


def seat_spare(w: World, stage_id: int, role: str = "member") -> int:
    """Seat Sam Spare on the stage's first panel beside its members; his person id."""
    from recruit_app.services import scoring, stages

    seats = [
        stages.SeatChoice(m.person_id, m.role, m.panel_number)
        for m in scoring.panel_members(w.admin, stage_id)
    ]
    sam = w.person(SPARE)
    stages.set_panel(
        w.admin, stage_id, [*seats, stages.SeatChoice(sam, role)], expected_version=None
    )
    return sam


def submit_as(w: World, who: str, stage_id: int, candidate_ids: tuple[int, ...]) -> None:
    """`who` scores the candidates 4 on every criterion, with evidence, and submits."""
    from recruit_app.services import scoring

    ctx = w.ctx(who)
    person = w.person(who)
    sheet = scoring.scoring_sheet(ctx, stage_id, person)
    for candidate_id in candidate_ids:
        for criterion in sheet.criteria:
            scoring.save_score(
                ctx,
                stage_id,
                person,
                candidate_id,
                criterion.cell_id,
                value=4,
                evidence=f"{who}'s own note",
                expected_version=sheet.score(candidate_id, criterion.cell_id).version,
            )
    scoring.submit_scores(ctx, stage_id, person, list(candidate_ids))


# What the other assessors' scores leave behind, by kind: their evidence notes ("Seen at
# interview: ..." in the world), and anything worked out from their values.
_WORKED_OUT = {
    "evidence": re.compile(r"Seen at interview"),
    "mean or total": re.compile(r"(?:total=|criterion_scores=\{[^}]*?: )\d"),
    "rank": re.compile(r"rank=\d"),
    "pass or fail": re.compile(r"passed=True|failed_criteria=\('|'passed': (?:true|false)"),
    "progression": re.compile(r"progresses=(?:True|False)"),
    "outcome": re.compile(r"outcome='|'outcome': '"),
    "flags": re.compile(r"flags=\('|needs an agreed score"),
}


def scores_seen(text: str) -> set[str]:
    """Which kinds of others' scores, or of what is worked out from them, `text` shows."""
    return {kind for kind, pattern in _WORKED_OUT.items() if pattern.search(text)}


def _table_text(path: Path) -> str:
    """A results table as "column=value" pairs, row by row, to look for worked-out values."""
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        try:  # a read-only workbook keeps its file open until closed
            table = [
                ["" if v is None else str(v) for v in row]
                for row in book.worksheets[0].iter_rows(values_only=True)
            ]
        finally:
            book.close()
    else:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            table = list(csv.reader(handle))
    headers, rows = table[0], table[1:]
    names = {"Rank": "rank", "Total": "total", "Passed": "passed", "Progresses": "progresses"}
    names |= {"Outcome": "outcome", "Flags": "flags"}
    lines = []
    for row in rows:
        cells = dict(zip(headers, row, strict=False))
        parts = []
        for header, value in cells.items():
            key = names.get(header)
            if key is None or not value:
                continue
            if key in ("rank", "total") and value[:1].isdigit():
                parts.append(f"{key}={value}")
            elif key == "passed" and value in ("yes", "no"):
                parts.append("passed=True")
            elif key == "progresses" and value in ("yes", "no"):
                parts.append("progresses=True")
            elif key == "outcome":
                parts.append(f"outcome='{value}'")
            elif key == "flags":
                parts.append(f"flags=('{value}'")
        scores = [v for h, v in cells.items() if h not in names and h != "Candidate" and v]
        if any(v[:1].isdigit() for v in scores):
            parts.append("total=0")  # a criterion's mean is a worked-out value too
        lines.append(" ".join(parts))
    return "\n".join(lines)


def _score_paths() -> dict[str, Callable[[World, ServiceContext, int], str]]:
    """Every service path that shows a panel member scores of a stage, as text."""
    from recruit_app.services import candidates, results, scoring

    def workbook(w: World, ctx: ServiceContext, stage_id: int) -> str:
        path = w.folder / "mine.xlsx"
        assert ctx.actor.person_id is not None
        scoring.export_workbook(ctx, w.ids.campaign_id, ctx.actor.person_id, path)
        return file_text(path, sheets=_stage_name(w, stage_id))

    def outcomes(w: World, ctx: ServiceContext, stage_id: int) -> str:
        name = _stage_name(w, stage_id)
        listed = candidates.list_candidates(ctx, w.ids.campaign_id, stage_id=stage_id)
        return "\n".join(f"outcome='{c.outcomes[name]}'" for c in listed if name in c.outcomes)

    return {
        "results.stage_results": lambda w, ctx, sid: repr(results.stage_results(ctx, sid)),
        "results.export_results[csv]": lambda w, ctx, sid: _table_text(
            results.export_results(ctx, sid, w.folder / "results.csv")
        ),
        "results.export_results[xlsx]": lambda w, ctx, sid: _table_text(
            results.export_results(ctx, sid, w.folder / "results.xlsx")
        ),
        "scoring.scoring_sheet": lambda w, ctx, sid: repr(
            scoring.scoring_sheet(ctx, sid, ctx.actor.person_id or 0)
        ),
        "scoring.export_workbook": workbook,
        "candidates.list_candidates": outcomes,
        "results.results_screen": lambda w, ctx, sid: repr(
            results.results_screen(ctx, w.ids.campaign_id, sid, every_pair=True)
        ),
        "scoring.scoring_screen": lambda w, ctx, sid: repr(
            scoring.scoring_screen(ctx, w.ids.campaign_id, sid, ctx.actor.person_id, False)
        ),
        "scoring.other_scores": _others_text,
    }


SCORE_PATHS = _score_paths()


# --- the table -----------------------------------------------------------------------

WORKS, REFUSED, HIDDEN = "works", "refused", "hidden"


@dataclass(frozen=True)
class Seen:
    """What a list use case returned: whether the world's campaign was in it."""

    campaign: bool


def _cells(*works: str, hidden: tuple[str, ...] = ()) -> dict[str, str]:
    return {p: WORKS if p in works else HIDDEN if p in hidden else REFUSED for p in POSITIONS}


MANAGERS = ("admin", "rm_owner", "rm_shared")
# Reading a campaign: its managers, and panel members sitting on any of its stages.
VIEW_CAMPAIGN = _cells(*MANAGERS, "panel_on", "panel_elsewhere")
# Reading a stage: its managers, and the panel members sitting on that stage.
VIEW_STAGE = _cells(*MANAGERS, "panel_on")
# Changing a campaign or stage, or reading what only its managers see.
MANAGE = _cells(*MANAGERS)
# Not tied to one campaign: anyone who makes campaigns (every recruiting manager).
ANY_MANAGER = _cells(*MANAGERS, "rm_other")
EVERYONE = _cells(*POSITIONS)
ADMINISTRATOR = _cells("admin")
# The audit trail: every recruiting manager reads it, but only their campaigns' events.
SEES_AUDIT = _cells(*MANAGERS, hidden=("rm_other",))


@dataclass(frozen=True)
class UseCase:
    """One row: a use case, how to perform it with sensible arguments, who may."""

    key: str  # "module.function", with "[variant]" for extra rows of the same function
    act: Callable[[World, ServiceContext], Any]
    cells: dict[str, str]
    writes: bool = False  # changes data (an audit event is then required)
    # What the audit event must carry: "after" (something made), "before" (something
    # removed), "both" (something changed, the two differing), or "" (no values needed).
    values: str = ""
    prepare: Callable[[World], None] | None = None  # as the administrator, before acting
    where: str = ""  # which stage or row it is performed on
    acting: dict[str, str] = field(default_factory=dict)  # position -> someone else acts
    postgres: bool = False  # in the representative subset run on PostgreSQL too
    sqlite_only: bool = False

    @property
    def function(self) -> str:
        return self.key.split("[", 1)[0]


def _first_pair(w: World) -> tuple[int, int]:
    """The first interviewee's first criterion at the video interview (as the owner sees)."""
    from recruit_app.services import results

    pair = results.moderation_view(w.admin, w.ids.interview_id)[0]
    return pair.candidate_id, pair.cell_id


def _assessor(w: World, ctx: ServiceContext) -> int:
    """Panel members score as themselves; managers enter scores for Tom, who has none yet."""
    if ctx.actor.role == "panel_member":
        assert ctx.actor.person_id is not None
        return ctx.actor.person_id
    return w.person("panel_on")


def _csv(path: Path, headers: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def _candidates_file(w: World) -> None:
    w.prepared["candidates"] = _csv(
        w.folder / "more-candidates.csv",
        ["First name", "Last name", "Email"],
        [["Ffion", "Pryce", "ffion.pryce@example.com"], ["Jonah", "Reyes", "jonah@example.com"]],
    )


def _applications_file(w: World) -> None:
    number = number_of(w, w.ids.interviewees[0])
    w.prepared["applications"] = _csv(
        w.folder / "applications.csv",
        ["Candidate number", "Personal statement"],
        [[number, "I have built services in Python for six years."]],
    )


def _equality_file(w: World) -> None:
    w.prepared["equality"] = _csv(
        w.folder / "monitoring.csv",
        ["Candidate number", "Sex", "Ethnic group"],
        [[number_of(w, cid), "Female", "White"] for cid in w.ids.interviewees],
    )


def _equality_answers(w: World) -> None:
    from recruit_app.services.equality import import_answers

    _equality_file(w)
    import_answers(w.admin, w.ids.campaign_id, w.prepared["equality"])


def _application_document(w: World) -> None:
    from recruit_app.services.applications import import_applications

    folder = w.folder / "documents"
    folder.mkdir(exist_ok=True)
    (folder / f"{number_of(w, w.ids.interviewees[0])} CV.txt").write_text(
        "A CV as a text file.", encoding="utf-8"
    )
    import_applications(w.admin, w.ids.campaign_id, None, documents=folder)
    view_of = next(p for p in _application_of(w, w.ids.interviewees[0]).parts if p.has_file)
    w.prepared["document"] = view_of.id


def _statement_part(w: World) -> None:
    from recruit_app.services.applications import redaction_review

    item = next(
        i
        for i in redaction_review(w.admin, w.ids.campaign_id)
        if i.candidate_id == w.ids.interviewees[0] and i.label == "Personal statement"
    )
    assert item.spans, "the demo statement names its writer"
    w.prepared["part"] = (item.id, item.version)


def _application_of(w: World, candidate_id: int) -> Any:
    from recruit_app.services.applications import show_application

    return show_application(w.admin, w.ids.campaign_id, number_of(w, candidate_id))


def number_of(w: World, candidate_id: int) -> str:
    with w.db.session() as session:
        candidate = session.get(Candidate, candidate_id)
        assert candidate is not None
        return candidate.candidate_number


def _score_rows(w: World) -> list[tuple[int, dict[str, str]]]:
    number = number_of(w, w.ids.interviewees[0])
    return [
        (
            line,
            {
                "candidate_number": number,
                "criterion": code,
                "assessor": DEMO_PEOPLE["panel_on"],
                "score": "4",  # on every criterion's scale: the strength's runs 1 to 4
                "evidence": "From the paper form.",
            },
        )
        for line, (_cell, code) in enumerate(w.ids.cells, start=2)
    ]


def _scores_file(w: World) -> None:
    rows = _score_rows(w)
    headers = list(rows[0][1])
    w.prepared["scores"] = _csv(
        w.folder / "paper-scores.csv", headers, [[r[h] for h in headers] for _line, r in rows]
    )


def _workbook(w: World) -> None:
    from openpyxl import load_workbook

    from recruit_app.services.scoring import export_workbook

    path = w.folder / "tom.xlsx"
    export_workbook(w.admin, w.ids.campaign_id, w.person("panel_on"), path)
    book = load_workbook(path)
    sheet = next(s for s in book.worksheets if s.title.startswith("Video"))
    headers = [c.value for c in sheet[1]]
    _cell, code = w.ids.cells[0]
    sheet.cell(row=2, column=headers.index(f"{code} score") + 1, value=5)
    book.save(path)
    w.prepared["workbook"] = path


def _drafts(w: World) -> None:
    from recruit_app.services.scoring import save_score

    for cell_id, _code in w.ids.cells:
        save_score(
            w.admin,
            w.ids.interview_id,
            w.person("panel_on"),
            w.ids.interviewees[0],
            cell_id,
            value=4,
            evidence="Draft.",
            expected_version=None,
        )


def _campaign_file(w: World) -> None:
    from recruit_app.services.campaign_files import export_campaign

    w.prepared["campaign"] = export_campaign(w.admin, w.ids.reference, w.folder / "c.json")


def _library_file(w: World) -> None:
    from recruit_app.services.library_files import export_entry

    path = export_entry(w.admin, w.ids.framework_code, w.folder / "fw.json")
    text = path.read_text(encoding="utf-8").replace(w.ids.framework_code, "IMPORTED-FW")
    path.write_text(text, encoding="utf-8")
    w.prepared["library"] = path


def _archive_for_purge(w: World) -> None:
    with w.db.session() as session:
        campaign = session.get(Campaign, w.ids.campaign_id)
        assert campaign is not None
        campaign.archived = True
        session.commit()


def _opens_at(w: World) -> None:
    with w.db.session() as session:
        advert = session.exec(select(Advert).where(Advert.campaign_id == w.ids.campaign_id)).one()
        assert advert.opens_at is not None
        w.prepared["now"] = advert.opens_at + timedelta(minutes=5)


def _matrix(w: World) -> None:
    from recruit_app.services.stages import CellChoice, stages_overview

    overview = stages_overview(w.admin, w.ids.campaign_id)
    cells = [
        CellChoice(
            stage.id, cell.criterion_id, cell.weight, cell.pass_mark, cell.scale, cell.custom_scale
        )
        for stage in overview.stages
        for cell in stage.cells
    ]
    cells.append(CellChoice(w.ids.extra_id, overview.criteria[0].id, 1.0, None))
    w.prepared["matrix"] = cells


def _plan(w: World) -> None:
    from recruit_app.services.slots import list_slots, plan_from_json

    w.prepared["plan"] = plan_from_json(list_slots(w.admin, w.ids.interview_id).plan)


def _template(w: World) -> None:
    from recruit_app.services.library import get_template

    definition = get_template(w.admin, w.ids.user_template_code).definition
    w.prepared["template"] = replace(definition, code="NEW-TPL", title="New role")


def _slot_time(day: int, hour: int) -> datetime:
    return datetime(2026, 12, day, hour, tzinfo=UTC)


def _use_cases() -> list[UseCase]:
    from recruit_app.domain.library_format import CriterionDef, LevelDef
    from recruit_app.domain.plans import PlanItem
    from recruit_app.services import (
        adverts,
        applications,
        audit_trail,
        auth,
        branding,
        campaign_files,
        campaign_list,
        campaign_report,
        campaigns,
        candidate_data,
        candidates,
        database,
        demo,
        equality,
        info_pack,
        letters,
        library,
        library_files,
        packs,
        panel_pack,
        people,
        plans,
        posts,
        results,
        retention,
        score_files,
        scoring,
        slots,
        stages,
        timetable,
    )

    def list_campaigns(w: World, ctx: ServiceContext) -> Seen:
        found = campaigns.list_campaigns(ctx, include_archived=True)
        return Seen(any(c.id == w.ids.campaign_id for c in found))

    def list_campaigns_plain(w: World, ctx: ServiceContext) -> Seen:
        found = campaign_list.list_campaigns(ctx, include_archived=True)
        return Seen(any(c.id == w.ids.campaign_id for c in found))

    def audit_events(w: World, ctx: ServiceContext) -> Seen:
        page = audit_trail.audit_events(ctx, limit=5000)
        return Seen(any(row.campaign_id == w.ids.campaign_id for row in page.rows))

    def audit_filters(w: World, ctx: ServiceContext) -> Seen:
        choices = audit_trail.audit_filters(ctx).campaigns
        return Seen(any(choice.id == w.ids.campaign_id for choice in choices))

    def export_audit_csv(w: World, ctx: ServiceContext) -> Seen:
        path = audit_trail.export_audit_csv(ctx, w.folder / "audit.csv")
        with path.open(encoding="utf-8-sig", newline="") as handle:
            references = {row["Campaign"] for row in csv.DictReader(handle)}
        return Seen(w.ids.reference in references)

    rows = [
        # --- adverts (the campaign's advert) ---------------------------------------------
        UseCase(
            "adverts.advert_document",
            lambda w, ctx: adverts.advert_document(ctx, w.ids.campaign_id),
            VIEW_CAMPAIGN,
        ),
        UseCase(
            "adverts.campaign_id_for",
            lambda w, ctx: adverts.campaign_id_for(ctx, w.ids.reference),
            VIEW_CAMPAIGN,
        ),
        UseCase(
            "adverts.check_campaign_advert",
            lambda w, ctx: adverts.check_campaign_advert(ctx, w.ids.campaign_id),
            VIEW_CAMPAIGN,
        ),
        UseCase(
            "adverts.export_advert",
            lambda w, ctx: adverts.export_advert(
                ctx, w.ids.campaign_id, w.folder / "advert.html", "html"
            ),
            VIEW_CAMPAIGN,
        ),
        UseCase(
            "adverts.get_advert",
            lambda w, ctx: adverts.get_advert(ctx, w.ids.campaign_id),
            VIEW_CAMPAIGN,
            postgres=True,
        ),
        UseCase(
            "adverts.publish_advert",
            lambda w, ctx: adverts.publish_advert(
                ctx, w.ids.campaign_id, expected_version=None, now=w.prepared["now"]
            ),
            MANAGE,
            writes=True,
            values="after",
            prepare=_opens_at,
        ),
        UseCase(
            "adverts.save_advert",
            lambda w, ctx: adverts.save_advert(
                ctx,
                w.ids.campaign_id,
                fields={"title": "Software Developer (two posts)"},
                criteria=None,
                expected_version=None,
            ),
            MANAGE,
            writes=True,
            values="both",
            postgres=True,
        ),
        # --- the audit trail: managers read their campaigns' events and their own ---------
        UseCase("audit_trail.audit_events", audit_events, SEES_AUDIT),
        UseCase("audit_trail.audit_filters", audit_filters, SEES_AUDIT),
        UseCase("audit_trail.export_audit_csv", export_audit_csv, SEES_AUDIT),
        # --- auth --------------------------------------------------------------------------
        UseCase(
            "auth.change_password",
            lambda w, ctx: auth.change_password(ctx, PASSWORD, NEW_PASSWORD),
            EVERYONE,
            writes=True,
            where="their own password",
        ),
        UseCase(
            "auth.reset_password",
            lambda w, ctx: auth.reset_password(ctx, w.person("spare_panel"), NEW_PASSWORD),
            ADMINISTRATOR,
            writes=True,
            where="a panel member's password",
        ),
        UseCase(
            "auth.set_sign_in_required",
            lambda w, ctx: auth.set_sign_in_required(ctx, True),
            ADMINISTRATOR,
            writes=True,
            values="both",
            sqlite_only=True,  # PostgreSQL always asks: refused in words for everyone
        ),
        # --- branding ----------------------------------------------------------------------
        UseCase("branding.document_theme", lambda w, ctx: branding.document_theme(ctx), EVERYONE),
        # --- campaign files ----------------------------------------------------------------
        UseCase(
            "campaign_files.create_from_template",
            lambda w, ctx: campaign_files.create_from_template(ctx, w.ids.template_code),
            ANY_MANAGER,
            writes=True,
        ),
        UseCase(
            "campaign_files.export_campaign",
            lambda w, ctx: campaign_files.export_campaign(
                ctx, w.ids.reference, w.folder / "out.json"
            ),
            MANAGE,
        ),
        UseCase(
            "campaign_files.import_campaign",
            lambda w, ctx: campaign_files.import_campaign(
                ctx, w.prepared["campaign"], reference="IMPORTED-1"
            ),
            ANY_MANAGER,
            writes=True,
            prepare=_campaign_file,
        ),
        # --- campaign report ---------------------------------------------------------------
        UseCase(
            "campaign_report.campaign_report_document",
            lambda w, ctx: campaign_report.campaign_report_document(
                ctx, w.ids.campaign_id, today=TODAY
            ),
            MANAGE,
        ),
        UseCase(
            "campaign_report.export_campaign_report",
            lambda w, ctx: campaign_report.export_campaign_report(
                ctx, w.ids.campaign_id, w.folder / "report.pdf", today=TODAY
            ),
            MANAGE,
        ),
        # --- campaigns ---------------------------------------------------------------------
        UseCase(
            "campaigns.campaign_sharing",
            lambda w, ctx: campaigns.campaign_sharing(ctx, w.ids.campaign_id),
            MANAGE,
        ),
        UseCase(
            "campaigns.create_campaign",
            lambda w, ctx: campaigns.create_campaign(ctx, title="Data Analyst"),
            ANY_MANAGER,
            writes=True,
            values="after",
        ),
        UseCase(
            "campaigns.delete_campaign",
            lambda w, ctx: campaigns.delete_campaign(ctx, w.ids.campaign_id, expected_version=None),
            MANAGE,
            writes=True,
            values="before",
            postgres=True,
        ),
        UseCase(
            "campaigns.duplicate_campaign",
            lambda w, ctx: campaigns.duplicate_campaign(ctx, w.ids.campaign_id),
            MANAGE,
            writes=True,
            values="after",
        ),
        UseCase(
            "campaigns.find_campaign",
            lambda w, ctx: campaigns.find_campaign(ctx, w.ids.reference),
            VIEW_CAMPAIGN,
        ),
        UseCase(
            "campaigns.list_campaigns",
            list_campaigns,
            _cells(*MANAGERS, "panel_on", "panel_elsewhere", hidden=("rm_other", "panel_outsider")),
            postgres=True,
        ),
        UseCase(  # the command line's plain-SQL list: the same cells
            "campaign_list.list_campaigns",
            list_campaigns_plain,
            _cells(*MANAGERS, "panel_on", "panel_elsewhere", hidden=("rm_other", "panel_outsider")),
            postgres=True,
        ),
        UseCase(
            "campaigns.rename_campaign",
            lambda w, ctx: campaigns.rename_campaign(
                ctx, w.ids.campaign_id, title="Software Developer 2026", expected_version=None
            ),
            MANAGE,
            writes=True,
            values="both",
        ),
        UseCase(
            "campaigns.set_archived",
            lambda w, ctx: campaigns.set_archived(
                ctx, w.ids.campaign_id, archived=True, expected_version=None
            ),
            MANAGE,
            writes=True,
            values="both",
        ),
        UseCase(
            "campaigns.share_campaign",
            lambda w, ctx: campaigns.share_campaign(
                ctx, w.ids.campaign_id, w.person("spare_manager"), True
            ),
            MANAGE,
            writes=True,
            values="after",
        ),
        UseCase(
            "campaigns.show_campaign",
            lambda w, ctx: campaigns.show_campaign(ctx, w.ids.reference),
            VIEW_CAMPAIGN,
        ),
        # --- equality monitoring: administrators (nobody in the world is given it) --------
        UseCase(
            "equality.equality_settings",
            lambda w, ctx: equality.equality_settings(ctx),
            ADMINISTRATOR,
        ),
        UseCase(
            "equality.fairness_figures",
            lambda w, ctx: equality.fairness_figures(ctx, w.ids.campaign_id),
            ADMINISTRATOR,
            prepare=_equality_answers,
            postgres=True,
        ),
        UseCase(
            "equality.fairness_figures[one stage]",
            lambda w, ctx: equality.fairness_figures(ctx, w.ids.campaign_id, w.ids.sift_id, "sex"),
            ADMINISTRATOR,
            where="the CV sift",
        ),
        UseCase(
            "equality.organisation_funnel",
            lambda w, ctx: equality.organisation_funnel(
                ctx, date(2020, 1, 1), date(2030, 12, 31), characteristic="sex"
            ),
            ADMINISTRATOR,
            prepare=_equality_answers,
        ),
        UseCase(
            "equality.import_answers",
            lambda w, ctx: equality.import_answers(ctx, w.ids.campaign_id, w.prepared["equality"]),
            ADMINISTRATOR,
            writes=True,
            values="after",
            prepare=_equality_file,
        ),
        UseCase(
            "equality.set_equality_settings",
            lambda w, ctx: equality.set_equality_settings(ctx, threshold=3),
            ADMINISTRATOR,
            writes=True,
            values="both",
        ),
        # --- applications -------------------------------------------------------------------
        UseCase(
            "applications.import_applications",
            lambda w, ctx: applications.import_applications(
                ctx, w.ids.campaign_id, w.prepared["applications"]
            ),
            MANAGE,
            writes=True,
            values="after",
            prepare=_applications_file,
        ),
        UseCase(
            "applications.preview_applications",
            lambda w, ctx: applications.preview_applications(
                ctx, w.ids.campaign_id, w.prepared["applications"]
            ),
            MANAGE,
            prepare=_applications_file,
        ),
        UseCase(
            "applications.mapping_choices",
            lambda w, ctx: applications.mapping_choices(ctx, w.ids.campaign_id),
            MANAGE,
        ),
        UseCase(
            "applications.show_application",
            lambda w, ctx: applications.show_application(
                ctx,
                w.ids.campaign_id,
                number_of(w, w.ids.interviewees[0]),
                stage_id=w.ids.interview_id,
            ),
            VIEW_STAGE,
            where="the video interview",
            postgres=True,
        ),
        UseCase(
            "applications.show_application[no stage named]",
            lambda w, ctx: applications.show_application(
                ctx, w.ids.campaign_id, number_of(w, w.ids.interviewees[0])
            ),
            VIEW_CAMPAIGN,
            where="an interviewee, who reached every stage of the campaign's panels",
        ),
        UseCase(
            "applications.stage_applications",
            lambda w, ctx: applications.stage_applications(ctx, w.ids.interview_id),
            VIEW_STAGE,
            where="the video interview",
            postgres=True,
        ),
        UseCase(
            "applications.document_file",
            lambda w, ctx: applications.document_file(ctx, w.prepared["document"]),
            VIEW_CAMPAIGN,
            where="an interviewee's CV file, at stages without name-blinding",
            prepare=_application_document,
        ),
        UseCase(
            "applications.redaction_review",
            lambda w, ctx: applications.redaction_review(ctx, w.ids.campaign_id),
            MANAGE,
        ),
        UseCase(
            "applications.correct_redaction",
            lambda w, ctx: applications.correct_redaction(
                ctx, w.prepared["part"][0], [], expected_version=w.prepared["part"][1]
            ),
            MANAGE,
            writes=True,
            values="both",
            prepare=_statement_part,
        ),
        UseCase(
            "applications.search_applications",
            lambda w, ctx: applications.search_applications(ctx, w.ids.campaign_id, "Git"),
            MANAGE,
            where="no stage named: panel members search at a stage without name-blinding",
        ),
        UseCase(
            "applications.search_applications[at a stage]",
            lambda w, ctx: applications.search_applications(
                ctx, w.ids.campaign_id, "Git", stage_id=w.ids.interview_id
            ),
            VIEW_STAGE,
            where="the video interview",
        ),
        # --- question plans (the video interview: Tom chairs it) ----------------------------
        UseCase(
            "plans.stage_plan",
            lambda w, ctx: plans.stage_plan(ctx, w.ids.interview_id),
            VIEW_STAGE,
            where="the video interview",
            postgres=True,
        ),
        UseCase(
            "plans.bank_questions",
            lambda w, ctx: plans.bank_questions(ctx, w.ids.interview_id, w.ids.cells[0][0]),
            VIEW_STAGE,
            where="the video interview's first criterion",
        ),
        UseCase(
            "plans.save_plan",
            lambda w, ctx: plans.save_plan(
                ctx,
                w.ids.interview_id,
                [
                    PlanItem(
                        w.ids.cells[0][0],
                        "Tell us about a piece of work you are proud of.",
                        ("What was your part?",),
                        10,
                    )
                ],
                welcome_script="Welcome.",
                close_script="Thank you.",
                expected_version=None,
            ),
            MANAGE,
            writes=True,
            values="both",
            where="the video interview",
            postgres=True,
        ),
        UseCase(
            "plans.record_deviation",
            lambda w, ctx: plans.record_deviation(
                ctx, w.ids.interview_id, w.ids.interviewees[0], "The second question was skipped."
            ),
            VIEW_STAGE,
            writes=True,
            values="after",
            where="the video interview",
            postgres=True,
        ),
        UseCase(
            "plans.stage_deviations",
            lambda w, ctx: plans.stage_deviations(ctx, w.ids.interview_id),
            VIEW_STAGE,
            where="the video interview",
            postgres=True,
        ),
        # --- candidate data (subject access) -----------------------------------------------
        UseCase(
            "candidate_data.candidate_record",
            lambda w, ctx: candidate_data.candidate_record(ctx, w.ids.interviewees[0]),
            MANAGE,
        ),
        UseCase(
            "candidate_data.export_candidate_record",
            lambda w, ctx: candidate_data.export_candidate_record(
                ctx, w.ids.interviewees[0], w.folder / "record.json"
            ),
            MANAGE,
            writes=True,  # the export itself is audited
        ),
        # --- candidates --------------------------------------------------------------------
        UseCase(
            "candidates.import_candidates",
            lambda w, ctx: candidates.import_candidates(
                ctx, w.ids.campaign_id, w.prepared["candidates"]
            ),
            MANAGE,
            writes=True,
            values="after",
            prepare=_candidates_file,
        ),
        UseCase(
            "candidates.list_candidates",
            lambda w, ctx: candidates.list_candidates(
                ctx, w.ids.campaign_id, stage_id=w.ids.interview_id
            ),
            VIEW_STAGE,
            where="the video interview",
            postgres=True,
        ),
        UseCase(
            "candidates.list_candidates[whole campaign]",
            lambda w, ctx: candidates.list_candidates(ctx, w.ids.campaign_id),
            MANAGE,
            where="no stage named: panel members must choose one of theirs",
        ),
        UseCase(
            "candidates.preview_import",
            lambda w, ctx: candidates.preview_import(
                ctx, w.ids.campaign_id, w.prepared["candidates"]
            ),
            MANAGE,
            prepare=_candidates_file,
        ),
        UseCase(
            "candidates.add_candidate",
            lambda w, ctx: candidates.add_candidate(
                ctx,
                w.ids.campaign_id,
                {"first_name": "Late", "last_name": "Applicant", "email": "late@example.org"},
            ),
            MANAGE,
            writes=True,
        ),
        UseCase(
            "candidates.update_candidate",
            lambda w, ctx: candidates.update_candidate(
                ctx, w.ids.interviewees[0], {"phone": "07700 900999"}, expected_version=None
            ),
            MANAGE,
            writes=True,
            values="both",
        ),
        # --- database, demo ----------------------------------------------------------------
        UseCase(
            "database.backup_database",
            lambda w, ctx: database.backup_database(ctx, w.folder / "backup.sqlite3"),
            ADMINISTRATOR,
            sqlite_only=True,  # PostgreSQL: refused in words for everyone (use pg_dump)
        ),
        UseCase(
            "demo.build_demo",
            lambda w, ctx: demo.build_demo(ctx, today=TODAY, reset=True),
            ADMINISTRATOR,
            writes=True,
        ),
        # --- information pack --------------------------------------------------------------
        UseCase(
            "info_pack.export_info_pack",
            lambda w, ctx: info_pack.export_info_pack(ctx, w.ids.campaign_id, w.folder / "i.pdf"),
            VIEW_CAMPAIGN,
        ),
        UseCase(
            "info_pack.info_pack_document",
            lambda w, ctx: info_pack.info_pack_document(ctx, w.ids.campaign_id),
            VIEW_CAMPAIGN,
        ),
        # --- outcome letters and feedback (the name-blind, final sift) ---------------------
        UseCase(
            "letters.export_letters",
            lambda w, ctx: letters.export_letters(
                ctx, w.ids.sift_id, w.folder / "letters.pdf", merge=True, today=TODAY, limit=1
            ),
            MANAGE,
            where="the sift",
        ),
        UseCase(
            "letters.letters_document",
            lambda w, ctx: letters.letters_document(ctx, w.ids.sift_id, today=TODAY),
            MANAGE,
            where="the sift",
        ),
        UseCase(
            "letters.letters_warnings",
            lambda w, ctx: letters.letters_warnings(ctx, w.ids.sift_id, today=TODAY),
            MANAGE,
            where="the sift",
        ),
        UseCase(
            "letters.outcome_feedback",
            lambda w, ctx: letters.outcome_feedback(ctx, w.ids.sift_id, w.ids.sift_candidate_id),
            MANAGE,
            where="the sift",
        ),
        UseCase(
            "letters.set_feedback",
            lambda w, ctx: letters.set_feedback(
                ctx,
                w.ids.sift_id,
                w.ids.sift_candidate_id,
                "Strong evidence of testing; less of working with users.",
                expected_version=None,
            ),
            MANAGE,
            writes=True,
            values="both",  # feedback is part of the outcome
            where="the sift",
        ),
        # --- the template library ----------------------------------------------------------
        UseCase(
            "library.create_framework",
            lambda w, ctx: library.create_framework(ctx, code="NEW-FW", name="New framework"),
            ANY_MANAGER,
            writes=True,
        ),
        UseCase(
            "library.duplicate_framework",
            lambda w, ctx: library.duplicate_framework(
                ctx, w.ids.framework_code, new_code="COPY-FW"
            ),
            ANY_MANAGER,
            writes=True,
        ),
        UseCase(
            "library.duplicate_template",
            lambda w, ctx: library.duplicate_template(
                ctx, w.ids.user_template_code, new_code="COPY-TPL"
            ),
            ANY_MANAGER,
            writes=True,
            values="after",
        ),
        UseCase(
            "library.find_entry",
            lambda w, ctx: library.find_entry(ctx, w.ids.framework_code),
            EVERYONE,
        ),
        UseCase(
            "library.get_framework",
            lambda w, ctx: library.get_framework(ctx, w.ids.framework_code),
            EVERYONE,
        ),
        UseCase(
            "library.get_template",
            lambda w, ctx: library.get_template(ctx, w.ids.template_code),
            EVERYONE,
        ),
        UseCase("library.list_library", lambda w, ctx: library.list_library(ctx), EVERYONE),
        UseCase(
            "library.list_questions",
            lambda w, ctx: library.list_questions(ctx, w.ids.framework_code),
            EVERYONE,
        ),
        UseCase(
            "library.save_criterion",
            lambda w, ctx: library.save_criterion(
                ctx,
                w.ids.framework_code,
                CriterionDef("TC2", "Reviewing", "TEC", levels=(LevelDef(3, "Level 3"),)),
            ),
            ANY_MANAGER,
            writes=True,
            values="after",
        ),
        UseCase(
            "library.save_question",
            lambda w, ctx: library.save_question(
                ctx,
                w.ids.framework_code,
                "TC1",
                text="How do you decide what to test first?",
                probes=[],
            ),
            ANY_MANAGER,
            writes=True,
        ),
        UseCase(
            "library.save_template",
            lambda w, ctx: library.save_template(ctx, w.prepared["template"], create=True),
            ANY_MANAGER,
            writes=True,
            values="after",
            prepare=_template,
        ),
        UseCase(
            "library.set_criterion_retired",
            lambda w, ctx: library.set_criterion_retired(
                ctx, w.ids.criterion_id, retired=True, expected_version=None
            ),
            ANY_MANAGER,
            writes=True,
        ),
        UseCase(
            "library.set_framework_retired",
            lambda w, ctx: library.set_framework_retired(
                ctx, w.ids.framework_code, retired=True, expected_version=None
            ),
            ANY_MANAGER,
            writes=True,
        ),
        UseCase(
            "library.set_template_retired",
            lambda w, ctx: library.set_template_retired(
                ctx, w.ids.user_template_code, retired=True, expected_version=None
            ),
            ANY_MANAGER,
            writes=True,
        ),
        UseCase(
            "library.update_framework",
            lambda w, ctx: library.update_framework(
                ctx,
                w.ids.framework_code,
                name="Team skills",
                description="Ours.",
                edition="2026",
                expected_version=None,
            ),
            ANY_MANAGER,
            writes=True,
            values="both",
        ),
        UseCase(
            "library_files.export_entry",
            lambda w, ctx: library_files.export_entry(
                ctx, w.ids.framework_code, w.folder / "entry.json"
            ),
            EVERYONE,
        ),
        UseCase(
            "library_files.import_file",
            lambda w, ctx: library_files.import_file(ctx, w.prepared["library"]),
            ANY_MANAGER,
            writes=True,
            prepare=_library_file,
        ),
        # --- packs (PDF) -------------------------------------------------------------------
        UseCase(
            "packs.export_pack",
            lambda w, ctx: packs.export_pack(
                ctx, w.ids.campaign_id, "panel", w.folder / "p.pdf", stage_id=w.ids.interview_id
            ),
            VIEW_STAGE,
            where="the panel pack of the video interview",
        ),
        UseCase(
            "packs.export_pack[chair copy]",
            lambda w, ctx: packs.export_pack(
                ctx,
                w.ids.campaign_id,
                "panel",
                w.folder / "chair.pdf",
                stage_id=w.ids.interview_id,
                chair_copy=True,
            ),
            VIEW_STAGE,
            where="the chair's copy of the video interview's panel pack",
        ),
        UseCase(
            "packs.export_pack[report]",
            lambda w, ctx: packs.export_pack(ctx, w.ids.campaign_id, "report", w.folder / "r.pdf"),
            MANAGE,
            where="the campaign report",
        ),
        UseCase(
            "packs.preview_pack",
            lambda w, ctx: packs.preview_pack(
                ctx, w.ids.campaign_id, "panel", stage_id=w.ids.interview_id, pages=1, width=120
            ),
            VIEW_STAGE,
            where="the panel pack of the video interview",
        ),
        UseCase(
            "panel_pack.export_panel_pack",
            lambda w, ctx: panel_pack.export_panel_pack(
                ctx, w.ids.interview_id, w.folder / "panel.pdf"
            ),
            VIEW_STAGE,
            where="the video interview",
        ),
        UseCase(
            "panel_pack.panel_pack_document",
            lambda w, ctx: panel_pack.panel_pack_document(ctx, w.ids.interview_id),
            VIEW_STAGE,
            where="the video interview",
        ),
        # --- people ------------------------------------------------------------------------
        UseCase(
            "people.create_person",
            lambda w, ctx: people.create_person(
                ctx, name="Priti Panel", email="priti.panel@example.org", role="panel_member"
            ),
            ANY_MANAGER,
            writes=True,
            values="after",
            where="a panel member",
            postgres=True,
        ),
        UseCase(
            "people.create_person[recruiting manager]",
            lambda w, ctx: people.create_person(
                ctx, name="Rob Manager", email="rob.manager@example.org", role="recruiting_manager"
            ),
            ADMINISTRATOR,
            writes=True,
            values="after",
            where="a recruiting manager",
        ),
        UseCase("people.list_people", lambda w, ctx: people.list_people(ctx), ANY_MANAGER),
        UseCase(
            "people.set_equality_monitoring",
            lambda w, ctx: people.set_equality_monitoring(
                ctx, w.person("spare_manager"), True, expected_version=None
            ),
            ADMINISTRATOR,
            writes=True,
            values="both",
            where="a recruiting manager",
        ),
        UseCase(
            "people.set_active",
            lambda w, ctx: people.set_active(
                ctx, w.person("spare_panel"), False, expected_version=None
            ),
            ANY_MANAGER,
            writes=True,
            values="both",
            where="a panel member",
        ),
        UseCase(
            "people.set_active[recruiting manager]",
            lambda w, ctx: people.set_active(
                ctx, w.person("spare_manager"), False, expected_version=None
            ),
            ADMINISTRATOR,
            writes=True,
            values="both",
            where="a recruiting manager",
        ),
        UseCase(
            "people.update_person",
            lambda w, ctx: people.update_person(
                ctx,
                w.person("spare_panel"),
                name="Sam Spare-Jones",
                email="sam.spare@example.org",
                role="panel_member",
                expected_version=None,
            ),
            ANY_MANAGER,
            writes=True,
            values="both",
            where="a panel member",
        ),
        UseCase(
            "people.update_person[make a manager]",
            lambda w, ctx: people.update_person(
                ctx,
                w.person("spare_panel"),
                name="Sam Spare",
                email="sam.spare@example.org",
                role="recruiting_manager",
                expected_version=None,
            ),
            ADMINISTRATOR,
            writes=True,
            values="both",
            where="a panel member made a recruiting manager",
        ),
        UseCase(
            "people.update_person[with equality monitoring]",
            lambda w, ctx: people.update_person(
                ctx,
                w.person("spare_manager"),
                name="Rita Spare",
                email="rita.spare@example.org",
                role="recruiting_manager",
                expected_version=None,
                equality_monitoring=True,
            ),
            ADMINISTRATOR,
            writes=True,
            values="both",
            where="a recruiting manager given equality monitoring with their details",
        ),
        # --- posts -------------------------------------------------------------------------
        UseCase(
            "posts.add_post",
            lambda w, ctx: posts.add_post(ctx, w.ids.campaign_id, {"title": "Developer, Glasgow"}),
            MANAGE,
            writes=True,
            values="after",
        ),
        UseCase(
            "posts.list_posts",
            lambda w, ctx: posts.list_posts(ctx, w.ids.campaign_id),
            VIEW_CAMPAIGN,
        ),
        UseCase(
            "posts.move_post",
            lambda w, ctx: posts.move_post(ctx, w.ids.posts[0], 1),
            MANAGE,
            writes=True,
            values="both",
        ),
        UseCase(
            "posts.remove_post",
            lambda w, ctx: posts.remove_post(ctx, w.ids.posts[1], None),
            MANAGE,
            writes=True,
            values="before",
        ),
        UseCase(
            "posts.update_post",
            lambda w, ctx: posts.update_post(
                ctx, w.ids.posts[0], {"title": "Developer, York"}, None
            ),
            MANAGE,
            writes=True,
            values="both",
        ),
        # --- results (the video interview) -------------------------------------------------
        UseCase(
            "results.assessor_consistency",
            lambda w, ctx: results.assessor_consistency(ctx, w.ids.interview_id),
            MANAGE,
            where="the video interview",
        ),
        UseCase(
            "results.expire_reserves",
            lambda w, ctx: results.expire_reserves(ctx, w.ids.campaign_id, today=date(2030, 1, 1)),
            MANAGE,
            writes=True,
            values="both",
            where="a reserve list entry past its date",
        ),
        UseCase(
            "results.export_results",
            lambda w, ctx: results.export_results(ctx, w.ids.interview_id, w.folder / "r.csv"),
            VIEW_STAGE,
            where="the video interview",
        ),
        UseCase(
            "results.extend_reserve",
            lambda w, ctx: results.extend_reserve(
                ctx,
                w.ids.reserve_outcome_id,
                new_expiry=date(2027, 11, 26),
                approved_by="Head of Recruitment",
                expected_version=None,
            ),
            MANAGE,
            writes=True,
            values="both",
            where="a reserve list entry of the technical exercise",
        ),
        UseCase(
            "results.finalise_stage",
            lambda w, ctx: results.finalise_stage(
                ctx, w.ids.interview_id, expected_version=None, today=TODAY
            ),
            MANAGE,
            writes=True,
            values="after",
            where="the video interview",
        ),
        UseCase(
            "results.moderation_view",
            lambda w, ctx: results.moderation_view(ctx, w.ids.interview_id),
            VIEW_STAGE,
            where="the video interview, Tom chairs it",
        ),
        UseCase(
            "results.moderation_pair",
            lambda w, ctx: results.moderation_pair(ctx, w.ids.interview_id, *_first_pair(w)),
            VIEW_STAGE,
            where="the video interview, Tom chairs it",
        ),
        UseCase(
            "results.moderation_pair[member]",
            lambda w, ctx: results.moderation_pair(ctx, w.ids.interview_id, *_first_pair(w)),
            MANAGE,
            where="the video interview, Hannah is a member, not the chair",
            acting={"panel_on": "hannah"},
        ),
        UseCase(
            "results.moderation_view[member]",
            lambda w, ctx: results.moderation_view(ctx, w.ids.interview_id),
            MANAGE,
            where="the video interview, Hannah is a member, not the chair",
            acting={"panel_on": "hannah"},
        ),
        UseCase(
            "results.record_agreed_score",
            lambda w, ctx: results.record_agreed_score(
                ctx,
                w.ids.interview_id,
                w.ids.interviewees[0],
                w.ids.cells[0][0],
                value=5,
                rationale="The panel agreed the example showed more than the level.",
                expected_version=None,
            ),
            VIEW_STAGE,
            writes=True,
            values="after",
            where="the video interview, Tom chairs it",
            postgres=True,
        ),
        UseCase(
            "results.record_agreed_score[member]",
            lambda w, ctx: results.record_agreed_score(
                ctx,
                w.ids.interview_id,
                w.ids.interviewees[0],
                w.ids.cells[0][0],
                value=5,
                rationale="Agreed.",
                expected_version=None,
            ),
            MANAGE,
            writes=True,
            values="after",
            where="the video interview, Hannah is a member, not the chair",
            acting={"panel_on": "hannah"},
        ),
        UseCase(
            "results.resolve_tie",
            lambda w, ctx: results.resolve_tie(
                ctx,
                w.ids.interview_id,
                note="Settled by the chair on the lead criterion.",
                progress=[],
                expected_version=None,
            ),
            VIEW_STAGE,
            writes=True,
            values="after",
            where="the video interview, Tom chairs it",
        ),
        UseCase(
            "results.override_overall",
            lambda w, ctx: results.override_overall(
                ctx,
                w.ids.interview_id,
                w.ids.interviewees[0],
                5,
                "The chair weighed the presentation above the interview scores.",
            ),
            VIEW_STAGE,
            writes=True,
            values="after",
            where="the video interview, Tom chairs it",
            postgres=True,
        ),
        UseCase(
            "results.override_overall[member]",
            lambda w, ctx: results.override_overall(
                ctx, w.ids.interview_id, w.ids.interviewees[0], 5, "Overridden."
            ),
            MANAGE,
            writes=True,
            values="after",
            where="the video interview, Hannah is a member, not the chair",
            acting={"panel_on": "hannah"},
        ),
        UseCase(
            "results.clear_override",
            lambda w, ctx: results.clear_override(ctx, w.ids.interview_id, w.ids.interviewees[0]),
            VIEW_STAGE,
            writes=True,
            values="before",
            prepare=lambda w: results.override_overall(
                w.admin, w.ids.interview_id, w.ids.interviewees[0], 5, "Prepared."
            ),
            where="the video interview, Tom chairs it",
        ),
        UseCase(
            "results.set_outcome",
            lambda w, ctx: results.set_outcome(
                ctx,
                w.ids.interview_id,
                w.ids.interviewees[0],
                kind="withdrawn",
                reason="Accepted another post.",
                today=TODAY,
            ),
            MANAGE,
            writes=True,
            values="after",
            where="the video interview",
            postgres=True,
        ),
        UseCase(
            "results.results_screen",
            lambda w, ctx: results.results_screen(ctx, w.ids.campaign_id, w.ids.interview_id),
            VIEW_CAMPAIGN,
            where="the video interview (elsewhere: the stage they sit on)",
            postgres=True,
        ),
        UseCase(
            "results.stage_results",
            lambda w, ctx: results.stage_results(ctx, w.ids.interview_id),
            VIEW_STAGE,
            where="the video interview",
            postgres=True,
        ),
        # --- retention ---------------------------------------------------------------------
        UseCase(
            "retention.erase_candidate",
            lambda w, ctx: retention.erase_candidate(
                ctx, w.ids.interviewees[0], reason="Asked us to erase their data."
            ),
            MANAGE,
            writes=True,
        ),
        UseCase(
            "retention.purge",
            lambda w, ctx: retention.purge(ctx, dry_run=False, today=date(2031, 1, 6)),
            ADMINISTRATOR,
            writes=True,
            values="after",
            prepare=_archive_for_purge,
            where="the demo campaign archived, five years on",
        ),
        UseCase(
            "retention.retention_months", lambda w, ctx: retention.retention_months(ctx), EVERYONE
        ),
        UseCase(
            "branding.organisation_settings",
            lambda w, ctx: branding.organisation_settings(ctx),
            EVERYONE,
        ),
        UseCase(
            "branding.set_organisation",
            lambda w, ctx: branding.set_organisation(
                ctx, name="Home Office", colour="#00703c", marking="OFFICIAL-SENSITIVE"
            ),
            ADMINISTRATOR,
            writes=True,
        ),
        UseCase(
            "retention.set_retention_months",
            lambda w, ctx: retention.set_retention_months(ctx, 36),
            ADMINISTRATOR,
            writes=True,
            values="both",
        ),
        # --- scores (the video interview) --------------------------------------------------
        UseCase(
            "score_files.import_scores_file",
            lambda w, ctx: score_files.import_scores_file(
                ctx, w.ids.campaign_id, w.ids.interview_id, w.prepared["scores"]
            ),
            MANAGE,
            writes=True,
            values="after",
            prepare=_scores_file,
            where="paper scores for Tom at the video interview",
        ),
        UseCase(
            "scoring.declare_conflict",
            lambda w, ctx: scoring.declare_conflict(
                ctx,
                w.ids.interview_id,
                _assessor(w, ctx),
                w.ids.interviewees[1],
                "We worked together until 2024.",
            ),
            VIEW_STAGE,
            writes=True,
            where="the video interview, as themselves (managers for Tom)",
        ),
        UseCase(
            "scoring.export_workbook",
            lambda w, ctx: scoring.export_workbook(
                ctx, w.ids.campaign_id, _assessor(w, ctx), w.folder / "scores.xlsx"
            ),
            # Pat's own workbook for her own stage (the exercise) is hers to take.
            VIEW_CAMPAIGN,
            where="their own workbook (managers: Tom's)",
        ),
        UseCase(
            "scoring.import_workbook",
            lambda w, ctx: scoring.import_workbook(ctx, w.ids.campaign_id, w.prepared["workbook"]),
            VIEW_STAGE,
            writes=True,
            values="after",
            prepare=_workbook,
            where="Tom's workbook with one score",
        ),
        UseCase(
            "scoring.import_scores",
            lambda w, ctx: scoring.import_scores(
                ctx, w.ids.interview_id, _score_rows(w), source="paper.csv"
            ),
            MANAGE,
            writes=True,
            values="after",
            where="paper scores for Tom at the video interview",
        ),
        UseCase(
            "scoring.list_conflicts",
            lambda w, ctx: scoring.list_conflicts(ctx, w.ids.campaign_id),
            MANAGE,
        ),
        UseCase(
            "scoring.panel_members",
            lambda w, ctx: scoring.panel_members(ctx, w.ids.interview_id),
            VIEW_STAGE,
            where="the video interview",
        ),
        UseCase(
            "scoring.save_score",
            lambda w, ctx: scoring.save_score(
                ctx,
                w.ids.interview_id,
                _assessor(w, ctx),
                w.ids.interviewees[0],
                w.ids.cells[0][0],
                value=5,
                evidence="Explained how they would test the change.",
                expected_version=None,
            ),
            VIEW_STAGE,
            writes=True,
            values="after",
            where="the video interview, as themselves (managers for Tom)",
            postgres=True,
        ),
        UseCase(
            "scoring.save_score[a draft again]",
            lambda w, ctx: scoring.save_score(
                ctx,
                w.ids.interview_id,
                _assessor(w, ctx),
                w.ids.interviewees[0],
                w.ids.cells[0][0],
                value=5,
                evidence="Explained how they would test the change, with an example.",
                expected_version=None,
            ),
            VIEW_STAGE,
            writes=True,
            values="both",
            prepare=_drafts,
            where="Tom's draft at the video interview, changed",
        ),
        UseCase(
            "scoring.other_scores",
            lambda w, ctx: scoring.other_scores(
                ctx, w.ids.interview_id, _assessor(w, ctx), *_first_pair(w)
            ),
            VIEW_STAGE,
            where="the video interview, a cell of their own sheet (managers: Tom's)",
            postgres=True,
        ),
        UseCase(
            "scoring.scoring_screen",
            lambda w, ctx: scoring.scoring_screen(
                ctx, w.ids.campaign_id, w.ids.interview_id, _assessor(w, ctx), False
            ),
            VIEW_CAMPAIGN,
            where="the video interview, their own sheet (elsewhere: the stage they sit on)",
            postgres=True,
        ),
        UseCase(
            "scoring.scoring_sheet",
            lambda w, ctx: scoring.scoring_sheet(ctx, w.ids.interview_id, _assessor(w, ctx)),
            VIEW_STAGE,
            where="the video interview, their own sheet (managers: Tom's)",
            postgres=True,
        ),
        UseCase(
            "scoring.submit_scores",
            lambda w, ctx: scoring.submit_scores(
                ctx, w.ids.interview_id, _assessor(w, ctx), [w.ids.interviewees[0]]
            ),
            VIEW_STAGE,
            writes=True,
            values="after",
            prepare=_drafts,
            where="the video interview, Tom's drafts for one candidate",
        ),
        # --- interview slots (the video interview) -----------------------------------------
        UseCase(
            "slots.add_slot",
            lambda w, ctx: slots.add_slot(
                ctx, w.ids.interview_id, starts_at=_slot_time(14, 9), minutes=45
            ),
            MANAGE,
            writes=True,
        ),
        UseCase(
            "slots.allocate_stage",
            lambda w, ctx: slots.allocate_stage(ctx, w.ids.interview_id),
            MANAGE,
            writes=True,
        ),
        UseCase(
            "slots.assign_slot",
            lambda w, ctx: slots.assign_slot(
                ctx, w.ids.booked_slots[0], None, expected_version=None
            ),
            MANAGE,
            writes=True,
        ),
        UseCase(
            "slots.cancel_slot",
            lambda w, ctx: slots.cancel_slot(ctx, w.ids.open_slots[0], expected_version=None),
            MANAGE,
            writes=True,
        ),
        UseCase(
            "slots.export_calendars",
            lambda w, ctx: slots.export_calendars(ctx, w.ids.interview_id, w.folder / "ics"),
            VIEW_STAGE,
        ),
        UseCase(
            "slots.generate_slots",
            lambda w, ctx: slots.generate_slots(ctx, w.ids.interview_id),
            MANAGE,
            writes=True,
        ),
        UseCase(
            "slots.list_slots",
            lambda w, ctx: slots.list_slots(ctx, w.ids.interview_id),
            VIEW_STAGE,
        ),
        UseCase(
            "slots.move_slot",
            lambda w, ctx: slots.move_slot(
                ctx,
                w.ids.open_slots[0],
                starts_at=_slot_time(15, 9),
                panel_number=1,
                expected_version=None,
            ),
            MANAGE,
            writes=True,
        ),
        UseCase(
            "slots.save_plan",
            lambda w, ctx: slots.save_plan(
                ctx,
                w.ids.interview_id,
                replace(w.prepared["plan"], gap_minutes=20),
                expected_version=None,
            ),
            MANAGE,
            writes=True,
            values="after",
            prepare=_plan,
        ),
        UseCase(
            "slots.swap_slots",
            lambda w, ctx: slots.swap_slots(ctx, w.ids.booked_slots[0], w.ids.booked_slots[1]),
            MANAGE,
            writes=True,
        ),
        # --- stages ------------------------------------------------------------------------
        UseCase(
            "stages.add_stage",
            lambda w, ctx: stages.add_stage(
                ctx, w.ids.campaign_id, name="Final interview", kind="panel_interview"
            ),
            MANAGE,
            writes=True,
            values="after",
        ),
        UseCase("stages.list_people", lambda w, ctx: stages.list_people(ctx), ANY_MANAGER),
        UseCase(
            "stages.move_stage",
            lambda w, ctx: stages.move_stage(ctx, w.ids.extra_id, 2),
            MANAGE,
            writes=True,
            values="both",
            where="the presentation (no scores), Tom chairs it",
        ),
        UseCase(
            "stages.remove_stage",
            lambda w, ctx: stages.remove_stage(ctx, w.ids.extra_id, expected_version=None),
            MANAGE,
            writes=True,
            values="before",
            where="the presentation (no scores), Tom chairs it",
        ),
        UseCase(
            "stages.save_matrix",
            lambda w, ctx: stages.save_matrix(
                ctx, w.ids.campaign_id, w.prepared["matrix"], expected_versions={}
            ),
            MANAGE,
            writes=True,
            values="both",
            prepare=_matrix,
        ),
        UseCase(
            "stages.set_panel",
            lambda w, ctx: stages.set_panel(
                ctx,
                w.ids.extra_id,
                [
                    stages.SeatChoice(w.person("panel_on"), "chair"),
                    stages.SeatChoice(w.person("hannah"), "member"),
                ],
                expected_version=None,
            ),
            MANAGE,
            writes=True,
            values="both",
            where="the presentation, Tom chairs it",
            postgres=True,
        ),
        UseCase(
            "stages.stages_overview",
            lambda w, ctx: stages.stages_overview(ctx, w.ids.campaign_id),
            VIEW_CAMPAIGN,
        ),
        UseCase(
            "stages.update_stage",
            lambda w, ctx: stages.update_stage(
                ctx, w.ids.interview_id, {"location": "Room 4.12"}, expected_version=None
            ),
            MANAGE,
            writes=True,
            values="both",
            where="the video interview",
            postgres=True,
        ),
        # --- timetable ---------------------------------------------------------------------
        UseCase(
            "timetable.delete_event",
            lambda w, ctx: timetable.delete_event(ctx, w.ids.event_id),
            MANAGE,
            writes=True,
        ),
        UseCase(
            "timetable.get_timetable",
            lambda w, ctx: timetable.get_timetable(ctx, w.ids.campaign_id),
            VIEW_CAMPAIGN,
        ),
        UseCase(
            "timetable.save_event",
            lambda w, ctx: timetable.save_event(
                ctx, w.ids.campaign_id, title="Offers made", starts_on=date(2027, 1, 11)
            ),
            MANAGE,
            writes=True,
        ),
        UseCase(
            "timetable.update_key_dates",
            lambda w, ctx: timetable.update_key_dates(
                ctx,
                w.ids.campaign_id,
                region="scotland",
                decisions_on=date(2027, 1, 8),
                expected_start_on=date(2027, 3, 1),
                expected_version=None,
            ),
            MANAGE,
            writes=True,
            values="both",
        ),
    ]
    return rows


USE_CASES: tuple[UseCase, ...] = tuple(_use_cases())
BY_KEY = {u.key: u for u in USE_CASES}
assert len(BY_KEY) == len(USE_CASES), "two rows share a key"

# Public functions taking ctx first that are not use cases a person performs.
NOT_USE_CASES = {
    "uow.unit_of_work": "the transaction every use case opens",
    "candidates.names_hidden_for": "the name-blind rule itself, given a stage row",
    "access.details_hidden": "the name-blind rule itself, given a stage row",
    "campaigns.owner_for": "who will own a new campaign (a rule, no data read)",
}


def public_use_cases() -> set[str]:
    """Module-level functions of recruit_app/services/*.py whose first parameter is ctx."""
    import recruit_app.services as package

    found = set()
    for module_info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            parameters = list(inspect.signature(function).parameters)
            if parameters and parameters[0] == "ctx":
                found.add(f"{module_info.name}.{name}")
    return found


def refusal_pattern(role: str) -> re.Pattern[str]:
    """A refusal names the role of the person refused ("As a panel member, ...")."""
    return re.compile(rf"(?i)\b{ROLE_WORDS[role]}s?\b")


def param_id(key: str) -> str:
    """A test id from a row's key: "people.set_active[recruiting manager]" becomes
    "people.set_active:recruiting_manager"."""
    return key.replace("[", ":").replace("]", "").replace(" ", "_")


def acting_actor(case: UseCase, position: str) -> str:
    return case.acting.get(position, position)


def cells() -> Iterator[tuple[UseCase, str]]:
    for case in USE_CASES:
        for position in POSITIONS:
            yield case, position


def writing_actor(case: UseCase) -> str:
    """Who performs a write use case in the audit tests: the administrator where allowed."""
    return next(p for p in POSITIONS if case.cells[p] == WORKS)


# --- databases -----------------------------------------------------------------------

_WORLD_FILES: dict[Path, tuple[Path, WorldIds]] = {}


def world_file(factory: Any) -> tuple[Path, WorldIds]:
    """The world, built once per test session into a SQLite file (pytest's
    tmp_path_factory), to be copied for each test: a copy takes a millisecond, a build two
    seconds. Built with a private app home, whichever test asks first."""
    import pytest

    from recruit_app.services.database import open_db

    base = factory.getbasetemp()
    if base not in _WORLD_FILES:
        folder = factory.mktemp("world")
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("RECRUIT_APP_HOME", str(folder / "home"))
            db = open_db(str(folder / "world.sqlite3"))
            try:
                ids = build_world(db)
            finally:
                db.dispose()
        _WORLD_FILES[base] = (folder / "world.sqlite3", ids)
    return _WORLD_FILES[base]


@contextmanager
def open_world(template: Path, ids: WorldIds, folder: Path) -> Iterator[World]:
    """A fresh copy of the world's database in `folder`, open for one test."""
    import shutil

    from recruit_app.services.database import open_db

    path = folder / "world.sqlite3"
    shutil.copyfile(template, path)
    path.chmod(0o600)
    db = open_db(str(path), migrate=False)
    try:
        yield World(ids, db, folder)
    finally:
        db.dispose()


def audit_rows(db: Any) -> list[AuditEvent]:
    """The whole audit trail, oldest first, detached from its session."""
    with db.session() as session:
        rows = list(session.exec(select(AuditEvent).order_by(col(AuditEvent.id))))
        session.expunge_all()
    return rows


def fingerprint(db: Any) -> dict[str, tuple[int, int]]:
    """Each table's row count and a hash of its rows: what changed, if anything.

    Plain SQL through the driver, without SQLAlchemy's type processing: twice as fast, and
    it runs twice for every refused cell of the table.
    """
    found = {}
    with db.engine.connect() as connection:
        quote = connection.dialect.identifier_preparer.quote
        for table in SQLModel.metadata.sorted_tables:
            keys = list(table.primary_key.columns) or list(table.columns)
            order = ", ".join(quote(c.name) for c in keys)
            rows = connection.exec_driver_sql(
                f"SELECT * FROM {quote(table.name)} ORDER BY {order}"
            ).all()
            found[table.name] = (len(rows), hash(repr(rows)))
    return found
