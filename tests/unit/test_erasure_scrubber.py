"""Finding an erased candidate's name, e-mail and phone in free text written about others."""

from __future__ import annotations

from recruit_app.domain.retention import REDACTED, Identity, Scrubber, merit_entry_kept

ANN = Identity("Ann", "Lee-Smith", "ann.lee@example.org", "07700 900 123")


def test_a_full_name_in_either_order_any_case_and_spacing_is_blanked() -> None:
    scrub = Scrubber([ANN]).scrub
    assert scrub("Ahead of Ann Lee-Smith on the lead criterion") == (
        f"Ahead of {REDACTED} on the lead criterion"
    )
    assert scrub("ANN  LEE-SMITH withdrew; lee-smith, ann did not") == (
        f"{REDACTED} withdrew; {REDACTED} did not"
    )
    # Whole words only, and a first or last name alone is someone else's too.
    assert scrub("Joann Lee-Smithson, Ann, and Ms Lee-Smith") == (
        "Joann Lee-Smithson, Ann, and Ms Lee-Smith"
    )


def test_e_mail_and_phone_however_written_are_blanked() -> None:
    scrub = Scrubber([ANN]).scrub
    assert scrub("Wrote from Ann.Lee@example.org.") == f"Wrote from {REDACTED}."
    assert scrub("call 07700900123 or (07700) 900-123") == f"call {REDACTED} or ({REDACTED}"
    assert scrub("reference 077009001234") == "reference 077009001234"  # a longer number


def test_short_or_empty_details_blank_nothing() -> None:
    scrub = Scrubber([Identity("Bo", "", "", "123"), Identity("", "", "", "")])
    assert not scrub
    assert scrub.scrub("Bo scored 123") == "Bo scored 123"
    whole = Scrubber([Identity("Mary Jane Watson", "", "", "")])
    assert whole.scrub("see mary jane watson") == f"see {REDACTED}"


def test_json_values_are_scrubbed_and_left_alone_when_clean() -> None:
    scrub = Scrubber([ANN])
    clean = {"kind": "reject", "list": ["a", 1, None], "n": 2}
    assert scrub.scrub_json(clean) is clean
    value = {"note": "Ann Lee-Smith", "who": ["x", {"ann.lee@example.org": True}]}
    assert scrub.scrub_json(value) == {"note": REDACTED, "who": ["x", {REDACTED: True}]}


def test_a_merit_order_line_keeps_number_scores_and_outcome_only() -> None:
    line = {
        "rank": 2,
        "candidate_number": "0007",
        "total": 31.0,
        "passed": True,
        "criteria": {"A": 5.0},
        "guaranteed_interview": False,
        "progresses": True,
        "outcome": "progress",
        "flags": [],
        "name": "Ann Lee-Smith",
        "label": "0007 Ann Lee-Smith",
    }
    kept = merit_entry_kept(line)
    assert "name" not in kept and "label" not in kept
    assert kept == {k: v for k, v in line.items() if k not in ("name", "label")}
