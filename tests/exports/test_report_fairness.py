"""The campaign report's fairness section: the stages' rows by group, suppressed as the
service does, only in the report of someone who may monitor (exact PDF text)."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import select

from db.models import EqualityAnswer, Person
from exports.report import FAIRNESS
from recruit_app.domain.fairness import suppressed_text
from recruit_app.readmodels import FLAG_WORDS, UK_LAW_NOTE
from recruit_app.services import equality
from recruit_app.services.adverts import campaign_id_for
from recruit_app.services.campaign_report import (
    campaign_report_document,
    export_campaign_report,
)
from recruit_app.services.context import Actor
from recruit_app.services.demo import build_demo
from recruit_app.services.demo_equality import add_demo_monitoring
from recruit_app.services.people import set_equality_monitoring
from recruit_app.vocabulary import Role

TODAY = date(2026, 11, 25)
HIDDEN = suppressed_text(5)


@pytest.fixture
def admin(ctx):
    return dataclasses.replace(ctx, organisation="Home Office")


@pytest.fixture
def demo(admin):
    """The demo campaign with invented monitoring answers (added again here, whether or
    not the demo adds them itself): its id."""
    build_demo(admin, today=TODAY)
    campaign_id = campaign_id_for(admin, "283922")
    with admin.db.session() as session:
        add_demo_monitoring(session, campaign_id, 2026)
        session.commit()
    return campaign_id


def _manager(admin):
    """The demo's owner, a recruiting manager, as herself."""
    with admin.db.session() as session:
        person = session.exec(
            select(Person).where(Person.email == "priya.raman@example.gov.uk")
        ).one()
        actor = Actor(person.name, role=Role.RECRUITING_MANAGER, person_id=person.id)
    return dataclasses.replace(admin, actor=actor)


def _text(path: Path) -> str:
    pages = [page.extract_text() for page in PdfReader(path).pages]
    return " ".join("\n".join(pages).split())


def _export(ctx, campaign_id: int, path: Path) -> str:
    return _text(export_campaign_report(ctx, campaign_id, path, today=TODAY))


def test_an_administrator_sees_the_section_with_the_services_figures(admin, demo, tmp_path):
    text = _export(admin, demo, tmp_path / "report.pdf")
    assert FAIRNESS == "Fairness: selection rates by group"
    assert text.count(FAIRNESS) == 1
    section = text[text.index(FAIRNESS) :]
    assert UK_LAW_NOTE in section
    figures = equality.fairness_figures(admin, demo, characteristic="sex")
    female, male = (
        next(r for r in figures.rows if r.stage == "CV sift" and r.group == g)
        for g in ("female", "male")
    )
    # The sex table: each stage under its name, the sift's rows as the service gives
    # them; at the later stages every group is suppressed, in one line.
    sex = section[section.index("Sex Group") : section.index("Gender identity")]
    assert sex.startswith(  # then the page's foot, as the table ends the page
        "Sex Group Entered Progressed Rate Impact ratio p-value Flag "
        f"CV sift Female 17 9 52.9% 1.00 {female.p_value:.3f} "
        f"Male 23 5 21.7% 0.41 {male.p_value:.3f} {FLAG_WORDS} "
        "All candidates 40 14 35.0% "
        f"Technical exercise Every group {' '.join([HIDDEN] * 5)} "
        "All candidates 14 8 57.1% "
        f"Video interview Every group {' '.join([HIDDEN] * 5)} "
        "All candidates 8 0 0.0% "
    )
    assert male.flag and round(male.impact_ratio, 2) == 0.41
    later = [r for r in figures.rows if r.stage != "CV sift" and r.group in ("female", "male")]
    assert later and all(r.suppressed for r in later)
    # One table per question answered, in the configured order.
    for heading in ("Ethnic group Group", "Religion or belief Group"):
        assert heading in section
    assert "Prefer not to say" in section and "Not answered" in section


def test_the_document_carries_the_section_only_for_those_who_may_monitor(admin, demo):
    assert campaign_report_document(admin, demo, today=TODAY).fairness is not None
    manager = _manager(admin)
    assert campaign_report_document(manager, demo, today=TODAY).fairness is None


def test_a_manager_without_the_permission_gets_no_word_of_it(admin, demo, tmp_path):
    manager = _manager(admin)
    text = _export(manager, demo, tmp_path / "plain.pdf")
    for words in (FAIRNESS, "Fairness", UK_LAW_NOTE, "impact ratio", FLAG_WORDS, HIDDEN):
        assert words not in text
    assert "Candidates at each stage" in text  # the rest of the report is there

    # Given equality monitoring, the same manager's report has the section.
    set_equality_monitoring(admin, manager.actor.person_id, True, expected_version=None)
    text = _export(manager, demo, tmp_path / "flagged.pdf")
    assert text.count(FAIRNESS) == 1 and UK_LAW_NOTE in text and FLAG_WORDS in text


def test_no_section_without_answers(admin, demo, tmp_path):
    campaign_id = demo
    with admin.db.session() as session:
        for answer in session.exec(select(EqualityAnswer)):
            session.delete(answer)
        session.commit()
    assert campaign_report_document(admin, campaign_id, today=TODAY).fairness is None
    assert FAIRNESS not in _export(admin, campaign_id, tmp_path / "report.pdf")
