"""Posts (several roles in one campaign) and the candidate information pack, on real databases."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import col, select

from db.models import Advert, AuditEvent, Campaign, Post
from exports.info_pack import annex_heading, criterion_name, section_headings
from recruit_app.domain.dates import long_date
from recruit_app.errors import (
    Cancelled,
    ConflictError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from recruit_app.readmodels import STANDARD_SECTIONS
from recruit_app.services.adverts import get_advert, save_advert
from recruit_app.services.campaign_files import create_from_template
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.demo import build_demo
from recruit_app.services.info_pack import export_info_pack, info_pack_document
from recruit_app.services.posts import (
    add_post,
    annex_letter,
    list_posts,
    move_post,
    remove_post,
    update_post,
)
from tests.exports.test_info_pack import (
    body_text,
    flat,
    in_order,
    outline,
    page_texts,
    top_level_pages,
)

HOSTILE = 'O\'Brien & Sons <b>Ltd</b> "quoted" Siân Zoë Łukasz 😀'


def _campaign(ctx: ServiceContext, template: str = "HO-HRBP-G7", reference: str = "HR-1") -> int:
    return create_from_template(ctx, template, reference=reference).id


def _audit(ctx: ServiceContext, action: str) -> list[AuditEvent]:
    with ctx.db.session() as session:
        return list(
            session.exec(
                select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))
            )
        )


# --- posts -----------------------------------------------------------------------------


def test_posts_are_added_changed_moved_and_removed_in_annex_order(ctx: ServiceContext) -> None:
    campaign_id = _campaign(ctx)
    assert list_posts(ctx, campaign_id).posts == ()
    first = add_post(
        ctx,
        campaign_id,
        {
            "title": "  Senior HR   Business Partner ",
            "grade": "Grade 6",
            "count": 2,
            "locations": ["Croydon", " croydon ", "", "Sheffield"],
            "job_description": "Lead the people agenda.\n\n",
            "responsibilities": "Coach leaders\nShape change",
            "criteria": ["lc", "EXP1", "CP"],
        },
    )
    assert first.title == "Senior HR Business Partner"
    assert first.locations == ("Croydon", "Sheffield")  # duplicates dropped, case aside
    assert first.criteria == ("EXP1", "LC", "CP")  # the advert's codes, in its order
    assert first.job_description == "Lead the people agenda."
    assert (first.annex, first.version, first.updated_by) == ("A", 1, "Alex Manager")
    second = add_post(ctx, campaign_id, {"title": "HR Business Partner"})
    assert (second.annex, second.count, second.criteria, second.grade) == ("B", 1, (), "")

    view = list_posts(ctx, campaign_id)
    assert [p.title for p in view.posts] == ["Senior HR Business Partner", "HR Business Partner"]
    assert [c.code for c in view.criteria][:3] == ["EXP1", "EXP2", "EXP3"]
    assert view.advert_grade == "Grade 7"

    changed = update_post(ctx, second.id, {"count": 3, "criteria": []}, second.version)
    assert (changed.count, changed.version) == (3, 2)
    unchanged = update_post(ctx, changed.id, {"count": 3}, changed.version)
    assert unchanged.version == 2  # nothing to save, nothing stamped

    moved = move_post(ctx, second.id, 0)
    assert [(p.annex, p.title) for p in moved.posts] == [
        ("A", "HR Business Partner"),
        ("B", "Senior HR Business Partner"),
    ]
    assert move_post(ctx, second.id, 99).posts[-1].id == second.id  # clamped to the end

    current = list_posts(ctx, campaign_id).post(first.id)
    assert current is not None
    left = remove_post(ctx, first.id, current.version)
    assert [(p.annex, p.title) for p in left.posts] == [("A", "HR Business Partner")]

    assert len(_audit(ctx, "post.add")) == 2
    [update] = _audit(ctx, "post.update")
    assert update.before == {"count": 1} and update.after == {"count": 3}
    assert update.summary == "Changed the post HR Business Partner"
    assert len(_audit(ctx, "post.move")) == 2
    [removed] = _audit(ctx, "post.remove")
    assert removed.before is not None and removed.before["title"] == "Senior HR Business Partner"
    assert removed.campaign_reference == "HR-1"


BAD_VALUES = (
    ({"title": "  "}, "title", "Give the post a title."),
    ({"title": "x" * 201}, "title", "keep it to 200 or fewer"),
    ({"title": "A\x00B"}, "title", "NUL character"),
    ({"title": "Ok", "count": 0}, "count", "from 1 to 1000"),
    ({"title": "Ok", "count": True}, "count", "from 1 to 1000"),
    ({"title": "Ok", "count": "2"}, "count", "from 1 to 1000"),
    ({"title": "Ok", "criteria": ["EXP1", "NOPE"]}, "criteria", "NOPE is not one of"),
    ({"title": "Ok", "criteria": "EXP1"}, "criteria", "as a list"),
    ({"title": "Ok", "locations": "Leeds"}, "locations", "as a list"),
    ({"title": "Ok", "locations": ["L" * 201]}, "locations", "200 characters"),
    ({"title": "Ok", "job_description": "x" * 20_001}, "job_description", "20,000"),
    ({"title": "Ok", "responsibilities": "a\x00"}, "responsibilities", "NUL"),
    ({"title": "Ok", "grade": 7}, "grade", "must be text"),
    ({"title": "Ok", "salary": 1}, "salary", "not something a post has"),
    ({"grade": "G7"}, "title", "Give the post a title."),
)


def test_bad_values_are_refused_with_the_field_at_fault(ctx: ServiceContext) -> None:
    campaign_id = _campaign(ctx)
    post = add_post(ctx, campaign_id, {"title": "Head of Talent"})
    for values, field, message in BAD_VALUES:
        with pytest.raises(ValidationError) as caught:
            add_post(ctx, campaign_id, values)
        assert (caught.value.field, message in caught.value.message) == (field, True), values
        if "title" in values or field != "title":
            with pytest.raises(ValidationError) as caught:
                update_post(ctx, post.id, values, post.version)
            assert caught.value.field == field, values
    assert [p.title for p in list_posts(ctx, campaign_id).posts] == ["Head of Talent"]
    assert list_posts(ctx, campaign_id).posts[0].version == 1


def test_titles_are_unique_within_a_campaign_only(ctx: ServiceContext) -> None:
    first, other = _campaign(ctx), _campaign(ctx, reference="HR-2")
    post = add_post(ctx, first, {"title": "Head of Talent"})
    with pytest.raises(ValidationError, match="already has a post called Head of Talent"):
        add_post(ctx, first, {"title": "HEAD OF   talent"})
    add_post(ctx, other, {"title": "Head of Talent"})
    second = add_post(ctx, first, {"title": "Deputy Head"})
    with pytest.raises(ValidationError) as caught:
        update_post(ctx, second.id, {"title": "head of talent"}, second.version)
    assert caught.value.field == "title"
    renamed = update_post(ctx, post.id, {"title": "Head of talent"}, post.version)
    assert renamed.title == "Head of talent"  # its own title, in other letters, is fine


def test_a_stale_version_is_a_conflict(ctx: ServiceContext) -> None:
    campaign_id = _campaign(ctx)
    post = add_post(ctx, campaign_id, {"title": "Head of Talent"})
    other = ServiceContext(db=ctx.db, actor=Actor("Sam Other"))
    update_post(other, post.id, {"grade": "Grade 6"}, post.version)
    with pytest.raises(ConflictError) as caught:
        update_post(ctx, post.id, {"count": 2}, post.version)
    assert caught.value.changed_by == "Sam Other"
    assert "The post Head of Talent was changed by Sam Other" in caught.value.message
    with pytest.raises(ConflictError):
        remove_post(ctx, post.id, post.version)
    assert list_posts(ctx, campaign_id).posts[0].grade == "Grade 6"


def test_missing_rows_and_permissions(ctx: ServiceContext) -> None:
    campaign_id = _campaign(ctx)
    post = add_post(ctx, campaign_id, {"title": "Head of Talent"})
    with pytest.raises(NotFound):
        list_posts(ctx, 999_999)
    with pytest.raises(NotFound):
        add_post(ctx, 999_999, {"title": "X"})
    with pytest.raises(NotFound):
        update_post(ctx, 999_999, {"count": 2}, None)
    with pytest.raises(NotFound):
        info_pack_document(ctx, 999_999)
    panel = ServiceContext(db=ctx.db, actor=Actor("Pat Panel", role="panel_member"))
    # Pat sits on no panel of this campaign (those who do read its posts: the permission table).
    with pytest.raises(PermissionDenied, match=r"^As a panel member, Pat Panel may only see"):
        list_posts(panel, campaign_id)
    for attempt in (
        lambda: add_post(panel, campaign_id, {"title": "X"}),
        lambda: update_post(panel, post.id, {"count": 2}, post.version),
        lambda: move_post(panel, post.id, 0),
        lambda: remove_post(panel, post.id, post.version),
    ):
        with pytest.raises(PermissionDenied):
            attempt()


def test_annex_letters_go_on_past_z() -> None:
    assert [annex_letter(i) for i in (0, 1, 25, 26, 27, 51, 52)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
    ]


# --- the information pack ------------------------------------------------------------------


def test_the_demo_campaigns_pack(ctx: ServiceContext, tmp_path: Path) -> None:
    build_demo(ctx, today=date(2026, 3, 10))
    with ctx.db.session() as session:
        campaign_id = session.exec(select(Campaign.id).where(Campaign.reference == "283922")).one()
    ctx = ServiceContext(db=ctx.db, actor=ctx.actor, organisation="Home Office")
    doc = info_pack_document(ctx, campaign_id)
    assert doc.posts == () and doc.title == "Software Developer"
    steps: list[tuple[int, int]] = []
    path = export_info_pack(
        ctx, campaign_id, tmp_path / "pack.pdf", progress=lambda d, t: steps.append((d, t))
    )
    reader = PdfReader(path)
    pages = len(reader.pages)
    assert 8 <= pages <= 12
    text = body_text(path)

    headings = section_headings(doc)
    assert headings == (
        "Welcome",
        "About the organisation",
        "About the role",
        "Person specification",
        "Behaviours",
        "Technical skills",
        "Strengths",
        "How you will be assessed",
        "Vacancy timetable",
        "How to apply",
        "Benefits",
        "Terms and conditions",
        *(heading for _key, heading in STANDARD_SECTIONS),
        "Contact",
    )
    assert [title for depth, title in outline(reader) if depth == 0] == list(headings)
    assert in_order(" ".join(page_texts(path)[2:]), headings)
    assert not any(title.startswith("Annex") for _depth, title in outline(reader))

    letter = [flat(p) for p in doc.welcome_letter.split("\n\n")]
    assert in_order(text, ["Welcome", *letter, "Tom Okonkwo", "Hiring manager"])
    for criterion in doc.criteria:
        assert criterion_name(criterion) in text
    timetable = text.split("Vacancy timetable", 2)[2]
    assert len(doc.timetable) == 8
    for entry in doc.timetable:
        for day in (entry.starts_on, entry.ends_on):
            if day is not None:
                assert long_date(day) in timetable
    assert "Online information event, 12:00 to 13:00 Wednesday 25 February 2026" in timetable
    for number in range(1, pages + 1):
        assert f"Page {number} of {pages}" in (reader.pages[number - 1].extract_text() or "")
    meta = reader.metadata
    assert meta is not None
    assert (meta.title, meta.author, meta.subject) == (
        "Software Developer: candidate information pack",
        "Home Office",
        "Candidate information pack, reference 283922",
    )
    assert steps[0] == (0, 1) and steps[-1][0] == steps[-1][1] > 1
    assert all(a[0] <= b[0] for a, b in pairwise(steps))


def _two_posts(ctx: ServiceContext) -> int:
    campaign_id = _campaign(ctx)
    add_post(
        ctx,
        campaign_id,
        {
            "title": "Senior HR Business Partner",
            "grade": "Grade 6",
            "locations": ["Croydon"],
            "job_description": "Lead the people agenda for a directorate.",
            "responsibilities": "Coach senior leaders\nShape the workforce plan",
            "criteria": ["EXP1", "LC", "CP"],
        },
    )
    add_post(ctx, campaign_id, {"title": "HR Business Partner", "count": 3})
    return campaign_id


def test_two_posts_get_an_annex_each_with_their_own_criteria(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    campaign_id = _two_posts(ctx)
    doc = info_pack_document(ctx, campaign_id)
    senior, partner = doc.posts
    assert (senior.annex, senior.criteria) == ("A", ("EXP1", "LC", "CP"))
    # A post that lists no criteria asks for all of them; empty fields are the advert's.
    assert partner.criteria == tuple(c.code for c in doc.criteria)
    assert (partner.grade, partner.count) == ("Grade 7", 3)
    assert partner.job_description == get_advert(ctx, campaign_id).fields["job_description"]
    assert doc.number_of_posts == 4

    path = export_info_pack(ctx, campaign_id, tmp_path / "posts.pdf")
    reader = PdfReader(path)
    first, second = annex_heading(senior), annex_heading(partner)
    assert (first, second) == (
        "Annex A – Senior HR Business Partner",
        "Annex B – HR Business Partner",
    )
    top = [title for depth, title in outline(reader) if depth == 0]
    assert top[-2:] == [first, second]
    assert "The roles" in top and "Person specification" not in top
    starts = top_level_pages(reader)
    pages = page_texts(path)
    annex_a = " ".join(pages[starts[first] : starts[second]])
    annex_b = " ".join(pages[starts[second] :])
    names = {c.code: criterion_name(c) for c in doc.criteria}
    for code, name in names.items():
        assert (name in annex_a) == (code in senior.criteria), code
        assert name in annex_b, code
    # Behaviours come with the indicators of their level, from the library.
    leading = doc.criterion("LC")
    assert leading is not None and leading.indicators and leading.level == 4
    assert in_order(annex_a, ["Behaviours", names["LC"], flat(leading.indicators[0])])
    assert in_order(annex_a, ["Grade Grade 6", "Location Croydon", "Coach senior leaders"])
    assert "Salary" not in annex_a  # the advert's pay is for Grade 7
    assert "Grade Grade 7 Salary London: £52,969 to £62,239" in annex_b
    # The assessment matrix and the timetable are common to both posts.
    common = " ".join(pages[: starts[first]])
    assert "What each stage assesses" in common and "Pre-employment checks" in common


def test_hostile_text_and_empty_sections(ctx: ServiceContext, tmp_path: Path) -> None:
    campaign_id = _campaign(ctx)
    form = get_advert(ctx, campaign_id)
    save_advert(
        ctx,
        campaign_id,
        fields={
            "title": f"Partner {HOSTILE}",
            "welcome_letter": f"Welcome from {HOSTILE}.",
            "hiring_manager": HOSTILE,
            "about_organisation": "",
            "terms_and_conditions": "",
            "how_to_apply": "",
            "benefits": "",
        },
        criteria=None,
        expected_version=form.version,
    )
    add_post(
        ctx,
        campaign_id,
        {"title": f"Post {HOSTILE}", "locations": [f"Town {HOSTILE}"], "criteria": ["EXP1"]},
    )
    path = export_info_pack(ctx, campaign_id, tmp_path / "hostile.pdf")
    reader = PdfReader(path)
    text = body_text(path)
    for expected in (
        f"Partner {HOSTILE}",
        f"Welcome from {HOSTILE}. {HOSTILE} Hiring manager",
        f"Annex A – Post {HOSTILE}",
        f"Location Town {HOSTILE}",
    ):
        assert expected in text, expected
    titles = [title for _depth, title in outline(reader)]
    assert f"Annex A – Post {HOSTILE}" in titles
    assert "Benefits" not in titles and "Benefits" not in text
    # A section the pack needs is never silently dropped: it says whom to ask.
    for needed in ("Terms and conditions", "About the organisation", "How to apply"):
        assert needed in titles
        assert f"{needed} This section is still being written; until it is, please ask" in text
    meta = reader.metadata
    assert meta is not None and meta.title == f"Partner {HOSTILE}: candidate information pack"


def test_a_cancelled_export_writes_nothing(ctx: ServiceContext, tmp_path: Path) -> None:
    campaign_id = _two_posts(ctx)
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "pack.pdf"
    with pytest.raises(Cancelled, match="no file was written"):
        export_info_pack(ctx, campaign_id, target, cancelled=lambda: True)
    asked = []

    def later() -> bool:
        asked.append(1)
        return len(asked) > 4  # once the layout is under way

    with pytest.raises(Cancelled):
        export_info_pack(ctx, campaign_id, target, cancelled=later)
    assert list(folder.iterdir()) == []
    # An earlier pack at the same path is left as it was.
    target.write_bytes(b"earlier")
    with pytest.raises(Cancelled):
        export_info_pack(ctx, campaign_id, target, cancelled=lambda: len(asked) > 0)
    assert target.read_bytes() == b"earlier"
    assert list(folder.iterdir()) == [target]


def test_stale_post_criteria_and_a_missing_advert(ctx: ServiceContext) -> None:
    campaign_id = _campaign(ctx)
    post = add_post(ctx, campaign_id, {"title": "Head of Talent", "criteria": ["EXP1", "EXP2"]})
    with ctx.db.session() as session:
        row = session.get(Post, post.id)
        assert row is not None
        row.criteria = ["GONE", "EXP2"]  # as if the advert's criteria were renamed since
        session.add(row)
        session.commit()
    doc = info_pack_document(ctx, campaign_id)
    assert doc.posts[0].criteria == ("EXP2",)
    with ctx.db.session() as session:
        advert = session.exec(select(Advert).where(Advert.campaign_id == campaign_id)).one()
        session.delete(advert)
        session.commit()
    bare = info_pack_document(ctx, campaign_id)
    assert bare.criteria == () and bare.title == "HR Business Partner"
    assert bare.posts[0].criteria == ()
