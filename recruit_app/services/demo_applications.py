"""The demo campaign's applications: a CV, a personal statement and an answer against
each criterion of the CV sift for every candidate, invented here, with the candidate's
name, e-mail address and phone number written into the text (as real ones are) so that
name-blind reading has something to hide. Deterministic: the same text on every build."""

from __future__ import annotations

import random
from typing import Any

from sqlmodel import Session, col, select

from db.bulk import insert_rows
from db.models import AdvertCriterion, ApplicationPart, Campaign, Candidate, Stage, StageCriterion
from db.types import utcnow
from recruit_app.domain.redaction import Person
from recruit_app.services.applications import part_row
from recruit_app.services.context import ServiceContext
from recruit_app.vocabulary import PartKind

SEED = 15
STATEMENT_LIMIT, ANSWER_LIMIT = 750, 250
EMPLOYERS = (
    "Leeds City Council",
    "a Cardiff insurance firm",
    "NHS Digital",
    "a Glasgow start-up selling energy tariffs",
    "HM Land Registry",
    "a Belfast payments company",
    "a Bristol charity",
    "the Met Office",
)
LANGUAGES = ("Python", "Java", "C#", "JavaScript with Node.js", "PHP", "Kotlin")
PRODUCTS = (
    "a benefits eligibility checker",
    "the booking service for driving tests",
    "an internal case management tool",
    "a public API for planning applications",
    "a payments reconciliation service",
    "a licence renewal journey",
)
PLACES = (
    "Leeds LS1 4AB",
    "Cardiff CF10 1EP",
    "Glasgow G2 1DY",
    "Belfast BT1 5GS",
    "Bristol BS1 4ST",
)
ANSWERS: dict[str, tuple[str, ...]] = {
    "EXP1": (
        "At {employer} I led the back-end of {product}, written in {language}. I designed the "
        "data model, wrote most of the services and kept the dependencies up to date with "
        "automated checks. When response times grew at month end I profiled the slowest "
        "queries, added two indexes and a cache, and brought the worst page from nine seconds "
        "to under one.",
        "I have built {product} in {language} for three years at {employer}, from the first "
        "prototype to live service. I chose the framework, set up the build and wrote the "
        "integration with the payment provider. {first} is how colleagues sign my pull "
        "requests; I review others' code every day and mentor two junior developers.",
    ),
    "EXP2": (
        "Our team of seven at {employer} works in two-week sprints with a shared board, "
        "daily stand-ups and a retrospective I often facilitate. All our code lives in Git; "
        "every change goes through a pull request with at least one review, and we keep the "
        "main branch releasable.",
        "I moved my team at {employer} from emailed zip files to Git with protected branches "
        "and reviews. I wrote the guide, ran three workshops and paired with each developer "
        "until it stuck. Our releases went from monthly to weekly.",
    ),
    "EXP3": (
        "I write tests first for new code and added them to the legacy parts of {product} as "
        "I changed them. Our pipeline runs unit, contract and browser tests on every push "
        "and deploys to a staging environment automatically; a failing test blocks the merge.",
        "At {employer} I set up continuous integration for {product}: the suite of about "
        "1,200 tests runs in six minutes, and each merge to main is deployed by the pipeline. "
        "I track flaky tests and fix them within the sprint.",
    ),
}
GENERIC_ANSWER = (
    "At {employer} I used this on {product}. I planned the work with the team, did the "
    "hands-on part myself and wrote up what we learned for the next project."
)
OVER_LIMIT_EVERY = 9  # every ninth candidate's first answer runs over the 250-word limit


def _cv(first: str, last: str, email: str, phone: str, rng: random.Random) -> str:
    employer, other = rng.sample(EMPLOYERS, 2)
    language = rng.choice(LANGUAGES)
    born = (
        f"{rng.randint(1, 28)} {rng.choice(('March', 'July', 'October'))} {rng.randint(1975, 2000)}"
    )
    return (
        f"Name: {first} {last}\n"
        f"Address: {rng.randint(2, 90)} Station Road, {rng.choice(PLACES)}\n"
        f"Email: {email} | Phone: {phone or '0113 496 0' + str(rng.randint(100, 999))}\n"
        f"Date of birth: {born}\n"
        f"https://www.linkedin.com/in/{first.lower().replace(' ', '')}-{rng.randint(10, 99)}\n\n"
        "Employment\n"
        f"{rng.randint(2019, 2022)} to now: Software developer, {employer}. "
        f"Back-end services in {language}; {rng.choice(PRODUCTS)}.\n"
        f"{rng.randint(2014, 2018)} to {rng.randint(2019, 2022)}: Junior developer, {other}. "
        "Testing, support and small features.\n\n"
        "Qualifications\n"
        f"BSc Computing, 2:{rng.choice((1, 2))}. "
        f"{rng.choice(('AWS Certified Developer', 'ISTQB Foundation', 'Scrum Master (PSM I)'))}."
    )


def _statement(first: str, last: str, email: str, rng: random.Random) -> str:
    return (
        f"My name is {first} {last} and I would like to join your team as a developer. "
        f"I have spent most of my career building public-facing services, most recently "
        f"{rng.choice(PRODUCTS)}, and I care about services that work for everyone who "
        "has to use them. I enjoy working in small teams, sharing what I know and learning "
        "from user research. If you would like to know more, write to me at "
        f"{email}."
    )


def _answer(code: str, first: str, rng: random.Random, long: bool) -> str:
    texts = ANSWERS.get(code, (GENERIC_ANSWER,))
    text = rng.choice(texts).format(
        employer=rng.choice(EMPLOYERS),
        product=rng.choice(PRODUCTS),
        language=rng.choice(LANGUAGES),
        first=first,
    )
    if long:  # a candidate who wrote far more than the limit: flagged, never cut
        text = " ".join([text] * 5)
    return text


def add_demo_applications(session: Session, ctx: ServiceContext, campaign: Campaign) -> int:
    """Every demo candidate's application; returns how many parts were added."""
    from db.models import Advert

    advert = session.exec(select(Advert).where(Advert.campaign_id == campaign.id)).one()
    advert.statement_word_limit, advert.answer_word_limit = STATEMENT_LIMIT, ANSWER_LIMIT
    first_stage = session.exec(
        select(Stage).where(Stage.campaign_id == campaign.id).order_by(col(Stage.position))
    ).first()
    criteria: list[tuple[int, str, str, int]] = []  # (advert criterion id, code, title, position)
    if first_stage is not None:
        criteria = [
            (ac_id, code, title, position)
            for ac_id, code, title, position in session.exec(
                select(
                    AdvertCriterion.id,
                    AdvertCriterion.code,
                    AdvertCriterion.title,
                    AdvertCriterion.position,
                )
                .join(StageCriterion, col(StageCriterion.advert_criterion_id) == AdvertCriterion.id)
                .where(StageCriterion.stage_id == first_stage.id)
                .order_by(col(AdvertCriterion.position))
            ).all()
            if ac_id is not None
        ]
    rows: list[dict[str, Any]] = []
    candidates = session.exec(
        select(Candidate)
        .where(Candidate.campaign_id == campaign.id)
        .order_by(col(Candidate.candidate_number))
    ).all()
    for n, candidate in enumerate(candidates):
        rng = random.Random(SEED * 1000 + n)
        first, last = candidate.first_name, candidate.last_name
        person = Person(first, last, candidate.email, candidate.phone)
        assert candidate.id is not None
        rows.append(
            part_row(
                candidate.id,
                person,
                key="statement",
                kind=PartKind.STATEMENT,
                label=PartKind.STATEMENT.label,
                text=_statement(first, last, candidate.email, rng),
                position=0,
                source="demo",
            )
        )
        rows.append(
            part_row(
                candidate.id,
                person,
                key="cv",
                kind=PartKind.CV,
                label=PartKind.CV.label,
                text=_cv(first, last, candidate.email, candidate.phone, rng),
                position=0,
                source="demo",
            )
        )
        for index, (ac_id, code, title, position) in enumerate(criteria):
            rows.append(
                part_row(
                    candidate.id,
                    person,
                    key=f"answer:{code}",
                    kind=PartKind.ANSWER,
                    label=title,
                    text=_answer(code, first, rng, long=index == 0 and n % OVER_LIMIT_EVERY == 4),
                    position=position,
                    criterion_id=ac_id,
                    source="demo",
                )
            )
    now = utcnow()
    insert_rows(
        session,
        ApplicationPart.__table__,  # type: ignore[attr-defined]  # SQLAlchemy's
        rows,
        constants={
            "created_at": now,
            "updated_at": now,
            "updated_by": ctx.actor.name,
            "version": 1,
        },
    )
    return len(rows)
