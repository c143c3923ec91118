"""The vocabulary: every code keeps the spelling the database and files have always used,
and has exactly one label; no screen, pack or export writes its own."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pytest

import recruit_app.vocabulary as vocabulary_module
from recruit_app.vocabulary import (
    LEVELLED_ELEMENTS,
    SPECIFICATION_ORDER,
    AuditArea,
    CampaignStatus,
    Element,
    Outcome,
    PanelRole,
    PartKind,
    Redaction,
    Role,
    ScoreStatus,
    SlotStatus,
    StageKind,
    StageMode,
    Vocabulary,
)

# As stored in the database and written in JSON and CSV, in the order of the CHECK
# constraints. Changing one of these needs a data migration, not an edit here.
STORED_CODES: dict[type[Vocabulary], tuple[str, ...]] = {
    CampaignStatus: ("draft", "live", "closed"),
    Outcome: ("progress", "reject", "reserve", "appoint", "withdrawn"),
    ScoreStatus: ("draft", "submitted"),
    SlotStatus: ("open", "booked", "cancelled"),
    StageKind: (
        "application",
        "sift",
        "online_test",
        "technical_exercise",
        "telephone_interview",
        "video_interview",
        "assessment_centre",
        "panel_interview",
        "presentation",
        "offer",
        "pre_employment_checks",
        "custom",
        "lead_sift",
    ),
    StageMode: ("", "in_person", "video", "telephone", "online"),
    Element: ("ABI", "BEH", "STR", "EXP", "TEC"),
    Role: ("administrator", "recruiting_manager", "panel_member"),
    PanelRole: ("chair", "member", "independent"),
    PartKind: ("cv", "statement", "answer", "eligibility", "document"),
    # Stored in each application part's list of what is hidden.
    Redaction: ("name", "email", "phone", "postcode", "link", "birth", "age", "address", "manual"),
    # Typed after `audit list --kind` (never stored).
    AuditArea: (
        "scores",
        "outcomes",
        "candidates",
        "campaigns",
        "timetable",
        "people",
        "settings",
        "library",
    ),
}
VOCABULARIES = list(STORED_CODES)
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.__name__)
def test_the_stored_codes_are_unchanged(vocabulary):
    assert vocabulary.codes() == STORED_CODES[vocabulary]
    assert all(type(code) is str for code in vocabulary.codes())


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.__name__)
def test_every_code_has_exactly_one_non_empty_label(vocabulary):
    labels = [member.label for member in vocabulary]
    assert all(isinstance(label, str) and label.strip() == label and label for label in labels)
    # One label per code, and no two codes of a vocabulary read the same.
    assert len(set(labels)) == len(labels)
    assert vocabulary.labels() == dict(zip(vocabulary.codes(), labels, strict=True))
    assert all(member.phrase for member in vocabulary)


def test_every_vocabulary_is_tested():
    declared = {
        value
        for value in vars(vocabulary_module).values()
        if isinstance(value, type) and issubclass(value, Vocabulary) and value is not Vocabulary
    }
    assert declared == set(VOCABULARIES)


def test_the_chosen_labels():
    assert Outcome.labels() == {
        "progress": "Progressed",
        "reject": "Not progressed",
        "reserve": "Reserve list",
        "appoint": "Appointed",
        "withdrawn": "Withdrawn",
    }
    assert [o.phrase for o in Outcome] == [
        "progressed",
        "not progressed",
        "on a reserve list",
        "appointed",
        "withdrawn",
    ]
    assert Element.labels() == {
        "ABI": "Ability",
        "BEH": "Behaviours",
        "STR": "Strengths",
        "EXP": "Experience",
        "TEC": "Technical",
    }
    assert [e.heading for e in SPECIFICATION_ORDER] == [
        "Experience",
        "Technical skills",
        "Behaviours",
        "Strengths",
        "Ability",
    ]
    assert Role.RECRUITING_MANAGER.label == "Recruiting manager"
    assert Role.RECRUITING_MANAGER.phrase == "recruiting manager"
    assert PanelRole.INDEPENDENT.label == "Independent member"
    assert PanelRole.INDEPENDENT.phrase == "independent member"
    assert set(SPECIFICATION_ORDER) == set(Element)
    assert {e for e in Element if e in LEVELLED_ELEMENTS} == set(Element) - {Element.EXPERIENCE}


def test_a_member_is_its_code():
    assert Outcome.REJECT == "reject" and str(Outcome.REJECT) == "reject"
    assert f"{Role.PANEL_MEMBER}" == "panel_member"
    assert Outcome("reject") is Outcome.REJECT
    assert {"reject": 1}[Outcome.REJECT] == 1
    assert pickle.loads(pickle.dumps(Outcome.RESERVE)) is Outcome.RESERVE
    assert Outcome.RESERVE.label == "Reserve list"  # unpickled members keep their words


def test_an_unknown_code_is_shown_as_it_is():
    assert Outcome.label_for("promoted") == "promoted"
    assert Role.phrase_for("auditor") == "auditor"
    assert StageKind.label_for("sift") == "Sift"
    assert StageMode.label_if_set("") == ""
    assert StageMode.label_if_set("video") == "Video"
    assert StageMode.label_for("") == "Not set"


def test_the_database_constraints_use_the_vocabulary():
    from db import models

    allowed = {
        name: getattr(models, name)
        for name in (
            "OUTCOMES",
            "ELEMENTS",
            "ROLES",
            "PANEL_ROLES",
            "CAMPAIGN_STATUSES",
            "SCORE_STATUSES",
            "SLOT_STATUSES",
        )
    }
    assert allowed == {
        "OUTCOMES": STORED_CODES[Outcome],
        "ELEMENTS": STORED_CODES[Element],
        "ROLES": STORED_CODES[Role],
        "PANEL_ROLES": STORED_CODES[PanelRole],
        "CAMPAIGN_STATUSES": STORED_CODES[CampaignStatus],
        "SCORE_STATUSES": STORED_CODES[ScoreStatus],
        "SLOT_STATUSES": STORED_CODES[SlotStatus],
    }


# Words that once had several spellings across screens, packs and exports. Outside the
# vocabulary they may appear only inside longer prose, never as a label of their own.
RETIRED = {"Rejected", "Withdrew", "Offer of appointment"}
CODE_FOLDERS = ("recruit_app", "db", "exports", "ui")


def _string_constants(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_no_code_writes_an_outcome_or_role_label_of_its_own():
    labels = {m.label for vocabulary in (Outcome, Role, PanelRole) for m in vocabulary}
    found = []
    for folder in CODE_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.name == "vocabulary.py" or "migrations" in path.parts:
                continue
            for line, text in _string_constants(path):
                if text in labels | RETIRED:
                    found.append(f"{path.relative_to(ROOT)}:{line}: {text!r}")
    assert found == []
