"""Each built-in role template against the facts of the real advert or pack it is built on.

The facts are copied here from the sources (never their sentences): the grade, the pay,
how long a reserve list lasts, the qualifications, the essential and desirable criteria,
the competencies with the framework level they are taken from, and the employer's values.
Free-text criteria are matched by the words that carry the fact; a pattern with "|" lists
words that say the same thing. The sources:

- DVLA: the person specifications of five digital roles (Appendix E, "Required outcomes per
  capability"): CSCF competencies with Level 4 indicators (Level 3 for the business
  analyst), specialist skills essential and desirable; grade given for the analyst only.
- DDAT: a 2023 Home Office DDaT advert for Senior Executive Officer developers (reference
  283922), six SFIA skills at Level 4, a location-based reserve list of 12 months.
- HO: a Home Office HR candidate pack (Annexes A to I): CSCF Level 4 for Grades 6 and 7,
  Level 3 for the SEO role; a 12-month reserve list; London and national pay bands.
- KCC: a Kent County Council graduate pack, software development stream: grade KR 8, no
  CVs, no reserve list, the Kent Values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from recruit_app.domain.library_format import RoleTemplateDef, resolve_template
from recruit_app.library import builtin

FRAMEWORKS = {f.code: f for f in builtin.frameworks()}


@dataclass(frozen=True)
class Seed:
    template: str
    grade: str | None  # None: the source does not say
    pay: tuple[tuple[str, int, int], ...]  # (zone, from, to); () when the source gives none
    reserve_months: int  # 0: the source promises no reserve list
    qualifications: tuple[tuple[str, bool], ...]  # (words, essential)
    essential: tuple[str, ...]  # words, each found in an essential criterion
    desirable: tuple[str, ...]  # words, each found in a desirable criterion; nothing else is
    # Criteria from the frameworks the source names: (framework, code, level, essential).
    competencies: tuple[tuple[str, str, int, bool], ...]
    values: tuple[str, ...] = ()


def _cscf(level: int, *codes: str) -> tuple[tuple[str, str, int, bool], ...]:
    return tuple(("CSCF", code, level, True) for code in codes)


def _sfia(level: int, *codes: str) -> tuple[tuple[str, str, int, bool], ...]:
    return tuple(("SFIA", code, level, True) for code in codes)


HO_G6_LONDON = ("London", 63060, 74446)
HO_G7_LONDON, HO_G7_NATIONAL = ("London", 52969, 62239), ("National", 48004, 56405)
HO_SEO_LONDON = ("London", 39333, 45232)
CIPD = ("CIPD", True)

SEEDS = (
    # --- DVLA digital roles ------------------------------------------------------------
    Seed(
        "DVLA-DEVTEST",
        grade=None,
        pay=(),
        reserve_months=0,
        qualifications=(),
        essential=(
            "scalable server",
            "Java",
            "Scala",
            "communicat",
            "agile",
            "version control",
            "REST",
            "SOAP",
            "learning new",
            "test strategy",
            "test scripts",
            "test records",
            "sprint planning",
            "out-of-hours",
            "automated",
            "regression",
            "user acceptance",
            "live confidence",
            "DVLA software",
            "testing status",
        ),
        desirable=(
            "relational",
            "JavaScript",
            "open source",
            "Payment Card Industry",
            "virtualised",
            "Jenkins",
            "system administration",
            "user groups",
            "large data sets",
        ),
        competencies=_cscf(4, "CI", "MED", "MQS", "DAP", "LC", "CP", "BCA"),
    ),
    Seed(
        "DVLA-IXD",
        grade=None,
        pay=(),
        reserve_months=0,
        qualifications=(("degree in design", False),),
        essential=(
            "research",
            "web and mobile",
            "sketching",
            "HTML and CSS",
            "prototyping",
            "agile",
            "multidisciplinary",
            "user journeys",
        ),
        desirable=("degree in design", "card payment"),
        competencies=_cscf(4, "CI", "MED", "LC", "CP", "DAP", "MQS"),
    ),
    Seed(
        "DVLA-WEBOPS",
        grade=None,
        pay=(),
        reserve_months=0,
        qualifications=(),
        essential=(
            "web application architectures",
            "scalable server",
            "Linux",
            "debugging",
            "agile",
            "version control",
            "REST",
            "SOAP",
            "learning new",
            "Scripting",
            "Java",
            "Scala",
            "network protocols",
            "communicat",
            "on-call",
        ),
        desirable=(
            "monitoring",
            "Configuration management",
            "cloud",
            "deployment",
            "product-centric",
            "large data sets",
            "PostgreSQL",
            "relational",
            "Payment Card Industry",
            "virtualised",
            "message queue",
            "system administration",
            "Java virtual machines",
            "hardening",
        ),
        competencies=_cscf(4, "SBP", "CI", "MED", "CP", "ACO", "MQS", "DAP"),
    ),
    Seed(
        "DVLA-BA",
        grade="B2",
        pay=(),
        reserve_months=0,
        qualifications=(),
        essential=("digital and web services", "agile and waterfall", "Business change", "cloud"),
        desirable=(),
        competencies=_cscf(3, "SBP", "CI", "ACO", "DVM", "CP", "BCA"),
    ),
    Seed(
        "DVLA-DM",
        grade=None,
        pay=(),
        reserve_months=0,
        qualifications=(),
        essential=(
            "Methods and tools",
            "Consultancy",
            "motivating teams",
            "agile processes and tools",
            "part of one",
            "scrum checklists",
            "priorities",
            "software solutions",
        ),
        desirable=(),
        competencies=_cscf(4, "LC", "MQS", "DAP"),
    ),
    # --- Home Office DDaT developer ----------------------------------------------------
    Seed(
        "DDAT-DEV-SEO",
        grade="Senior Executive Officer",
        pay=(("National", 39000, 42900), ("London", 43000, 47300)),
        reserve_months=12,
        qualifications=(),
        essential=(
            "Back-end or full-stack",
            "agile",
            "version control",
            "Test-driven",
            "continuous integration",
            "continuous delivery",
            "Kubernetes",
            "software delivery life cycle",
            "Spring Boot",  # the seed lists the frameworks among the essential criteria
        ),
        desirable=(),
        competencies=_sfia(4, "DATM", "SWDN", "PROG", "TEST", "SINT", "ASUP"),
    ),
    # --- Home Office HR roles ----------------------------------------------------------
    Seed(
        "HO-SHRBP-G6",
        grade="Grade 6",
        pay=(HO_G6_LONDON,),
        reserve_months=12,
        qualifications=(("degree", True), CIPD),
        essential=(
            "communication",
            "business partner",
            "two of",
            "HR metrics",
            "HR information system",
        ),
        desirable=(),
        competencies=_cscf(4, "LC", "CP", "SBP", "CI", "DAP", "MQS"),
    ),
    Seed(
        "HO-ODD-G6",
        grade="Grade 6",
        pay=(HO_G6_LONDON,),
        reserve_months=12,
        qualifications=(CIPD,),
        essential=("organisation design and development", "project management", "communication"),
        desirable=(),
        competencies=_cscf(4, "LC", "CP", "SBP", "CI", "DVM", "MED"),
    ),
    Seed(
        "HO-TALENT-G6",
        grade="Grade 6",
        pay=(HO_G6_LONDON,),
        reserve_months=12,
        qualifications=(CIPD,),
        essential=(
            "talent management strategy",
            "strategically",
            "assessment and selection",
            "influencing",
            "leadership style",
        ),
        desirable=(),
        competencies=_cscf(4, "LC", "CP", "SBP", "DAP", "BCA"),
    ),
    Seed(
        "HO-HRBP-G7",
        grade="Grade 7",
        pay=(HO_G7_LONDON,),
        reserve_months=12,
        qualifications=(CIPD,),
        essential=(
            "operational and strategic HR",
            "organisational change",
            "stakeholder management",
            "HR metrics",
        ),
        desirable=(),
        competencies=_cscf(4, "LC", "CP", "SBP", "CI", "DAP", "MQS"),
    ),
    Seed(
        "HO-WFP-G7",
        grade="Grade 7",
        pay=(HO_G7_LONDON,),
        reserve_months=12,
        qualifications=(CIPD,),  # "ideally, or willing to work towards it": still essential
        essential=("workforce planning", "workforce plans", "stakeholder management"),
        desirable=(),
        competencies=_cscf(4, "LC", "CP", "SBP", "CI", "DVM", "MED"),
    ),
    Seed(
        "HO-LSBP-G7",
        grade="Grade 7",
        pay=(HO_G7_NATIONAL, HO_G7_LONDON),
        reserve_months=12,
        qualifications=(CIPD,),
        essential=(
            "operational and strategic HR",
            "organisational change",
            "stakeholder management",
            "training needs analysis",
            "facilitation and negotiation",
        ),
        desirable=(),
        competencies=_cscf(4, "LC", "CP", "SBP", "CI", "DAP", "BCA"),
    ),
    Seed(
        "HO-DHLD-G7",
        grade="Grade 7",
        pay=(HO_G7_NATIONAL, HO_G7_LONDON),
        reserve_months=12,
        qualifications=(CIPD,),
        essential=(
            "learning and development theory",
            "leadership and management programmes",
            "analytical",
            "senior stakeholders",
            "people management",
            "budget management",
        ),
        desirable=(),
        competencies=_cscf(4, "LC", "CP", "SBP", "CI", "DAP", "MQS"),
    ),
    Seed(
        "HO-DHCAP-G7",
        grade="Grade 7",
        pay=(HO_G7_LONDON,),
        reserve_months=12,
        qualifications=(("PRINCE2", True), CIPD),
        essential=(
            "generalist HR",
            "projects",
            "analytical",
            "senior stakeholders",
            "people management",
            "budget management",
        ),
        desirable=(),
        competencies=_cscf(4, "LC", "CP", "SBP", "CI", "DAP", "BCA"),
    ),
    Seed(
        "HO-HRPM-SEO",
        grade="Senior Executive Officer",
        pay=(HO_SEO_LONDON,),
        reserve_months=12,
        qualifications=(CIPD, ("PRINCE2", False)),
        essential=(
            "communication",
            "operational and strategic HR",
            "stakeholder management",
            "project management",
        ),
        desirable=("PRINCE2",),
        competencies=_cscf(3, "LC", "CP", "SBP", "DAP", "MQS"),
    ),
    # --- Kent County Council graduate programme ----------------------------------------
    Seed(
        "KCC-GRAD-DEVOPS",
        grade="KR 8",
        pay=(),
        reserve_months=0,
        qualifications=(
            ("2:1 degree", True),
            ("GCSE English", True),
            ("GCSE Mathematics", True),
        ),
        essential=(
            "IT work experience",
            "spreadsheets",
            "structured method",
            "user experience analysis",
            "user stories",
            "Organising own work",
            "design parts of larger systems",
            "simple programs or scripts",
            "quantity and its quality",
            "non-specialists",
            "fix faults",
            "written and spoken communication",
            "availability and capacity management",
            "information security",
            "modern standards",
            "Microsoft 365",
            "risk management",
        ),
        desirable=(),
        competencies=(),
        values=("brave", "curious", "compassionate", "strong together", "responsible"),
    ),
)


def _template(code: str) -> RoleTemplateDef:
    found = {t.code: t for t in builtin.templates()}
    return resolve_template(found[code], FRAMEWORKS)


def _text(criterion) -> str:
    return f"{criterion.title} {criterion.description}"


def _found(words: str, criteria) -> list[str]:
    pattern = re.compile("|".join(re.escape(w) for w in words.split("|")), re.IGNORECASE)
    return [c.code for c in criteria if pattern.search(_text(c))]


def test_every_built_in_role_template_has_its_seed_facts_here():
    assert {seed.template for seed in SEEDS} == {t.code for t in builtin.templates()}


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s.template)
def test_grade_pay_and_reserve_list(seed):
    template = _template(seed.template)
    if seed.grade is not None:
        assert template.grade == seed.grade
    zones = tuple((z["zone"], z["min"], z["max"]) for z in template.advert.get("pay_zones", []))
    assert zones == seed.pay
    assert template.advert.get("reserve_list_months", 0) == seed.reserve_months


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s.template)
def test_qualifications(seed):
    template = _template(seed.template)
    text = template.advert.get("qualifications", "")
    for words, essential in seed.qualifications:
        assert re.search(re.escape(words), text, re.IGNORECASE), (words, text)
        side = [c for c in template.criteria if c.essential == essential]
        assert _found(words, side), (words, "essential" if essential else "desirable")


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s.template)
def test_essential_and_desirable_criteria(seed):
    template = _template(seed.template)
    essential = [c for c in template.criteria if c.essential]
    desirable = [c for c in template.criteria if not c.essential]
    missing = [w for w in seed.essential if not _found(w, essential)]
    assert missing == [], "essential in the source, not in the template"
    missing = [w for w in seed.desirable if not _found(w, desirable)]
    assert missing == [], "desirable in the source, not in the template"
    invented = [
        c.code for c in desirable if not any(c.code in _found(w, desirable) for w in seed.desirable)
    ]
    assert invented == [], "desirable in the template, not in the source"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s.template)
def test_competencies_from_the_named_frameworks_at_their_levels(seed):
    template = _template(seed.template)
    named = {framework for framework, *_rest in seed.competencies}
    given = {
        (c.framework, c.criterion, c.level, c.essential)
        for c in template.criteria
        if c.framework in named
    }
    assert given == set(seed.competencies)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s.template)
def test_the_employers_values(seed):
    template = _template(seed.template)
    essential = [c for c in template.criteria if c.essential]
    assert [v for v in seed.values if not _found(v, essential)] == []
