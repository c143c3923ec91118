"""Every public use case can be scripted: it has a command, or a written reason it has none.

The table below names, for each use case of tests/helpers/use_cases.py, the command that
runs it (checked against the parser: `results ACTION` and `timetable ACTION` are routed as
`main` routes them), or why it has no command of its own. A new use case with neither, a
reason left empty, a command that does not parse or a row for a use case that is gone fails.
"""

from __future__ import annotations

import argparse

import pytest

from recruit_app.cli import build_parser
from recruit_app.cli_more import route
from tests.helpers.use_cases import USE_CASES

PREVIEW = "the desktop's own preview of a document; the command that exports it writes it"
SCREEN = "a read that assembles one screen; the commands read the same data piece by piece"
LIBRARY_EDITOR = (
    "the template library's editor, one field at a time; a script edits a framework or "
    "template as a JSON or CSV file (templates export) and loads it with templates import"
)
LOOKUP = "a lookup by reference or e-mail that the commands make before the use case itself"

# A use case's command, as typed after `recruit-app` (options after the words show how).
COMMANDS: dict[str, str] = {
    "plans.save_plan": "stages set-plan",
    "plans.bank_questions": "stages bank",
    "applications.search_applications": "applications search",
    "applications.redaction_review": "applications redactions",
    "adverts.check_campaign_advert": "advert check",
    "adverts.export_advert": "advert export",
    "adverts.get_advert": "advert show",
    "adverts.publish_advert": "advert publish",
    "adverts.save_advert": "advert set",
    "applications.import_applications": "applications import",
    "applications.preview_applications": "applications import --dry-run",
    "applications.show_application": "applications show",
    "audit_trail.audit_events": "audit list",
    "audit_trail.audit_filters": "audit list --campaign",
    "audit_trail.export_audit_csv": "audit export",
    "auth.reset_password": "users set-password",
    "auth.set_sign_in_required": "users require-sign-in",
    "campaign_files.create_from_template": "campaign create --template",
    "campaign_files.export_campaign": "campaign export",
    "campaign_files.import_campaign": "campaign import",
    "campaign_list.list_campaigns": "campaign list",
    "campaign_report.export_campaign_report": "export pack --kind report",
    "campaigns.campaign_sharing": "campaign share",
    "campaigns.create_campaign": "campaign create",
    "campaigns.delete_campaign": "campaign delete",
    "campaigns.duplicate_campaign": "campaign duplicate",
    "campaigns.rename_campaign": "campaign rename",
    "campaigns.set_archived": "campaign archive",
    "campaigns.share_campaign": "campaign share --with",
    "campaigns.show_campaign": "campaign show",
    "candidate_data.export_candidate_record": "candidates export-data",
    "candidates.add_candidate": "candidates add",
    "candidates.import_candidates": "candidates import",
    "candidates.list_candidates": "candidates list",
    "candidates.preview_import": "candidates import --dry-run",
    "candidates.update_candidate": "candidates edit",
    "database.backup_database": "db backup",
    "demo.build_demo": "demo",
    "info_pack.export_info_pack": "export pack --kind info",
    "letters.export_letters": "export pack --kind letters",
    "letters.letters_warnings": "export pack --kind letters",
    "letters.outcome_feedback": "results feedback",
    "letters.set_feedback": "results feedback --text",
    "library.find_entry": "templates show",
    "library.get_framework": "templates show",
    "library.get_template": "templates show",
    "library.list_library": "templates list",
    "library_files.export_entry": "templates export",
    "library_files.import_file": "templates import",
    "packs.export_pack": "export pack",
    "panel_pack.export_panel_pack": "export pack --kind panel",
    "people.create_person": "users add",
    "people.list_people": "users list",
    "people.set_active": "users deactivate",
    "people.update_person": "users edit",
    "plans.record_deviation": "stages deviation",
    "plans.stage_deviations": "stages deviations",
    "plans.stage_plan": "stages plan",
    "posts.add_post": "posts add",
    "posts.list_posts": "posts list",
    "posts.move_post": "posts move",
    "posts.remove_post": "posts remove",
    "posts.update_post": "posts edit",
    "results.assessor_consistency": "scores consistency",
    "results.clear_override": "results --clear-override",
    "results.expire_reserves": "results expire-reserves",
    "results.export_results": "results --export",
    "results.extend_reserve": "results extend-reserve",
    "results.finalise_stage": "results finalise",
    "results.moderation_view": "scores moderation",
    "results.override_overall": "results --override",
    "results.record_agreed_score": "scores agree",
    "results.resolve_tie": "results resolve-tie",
    "results.set_outcome": "results set-outcome",
    "results.stage_results": "results",
    "retention.erase_candidate": "candidates erase",
    "retention.purge": "retention purge",
    "equality.fairness_figures": "fairness",
    "people.set_equality_monitoring": "users equality-monitoring",
    "equality.import_answers": "fairness",  # fairness import REF FILE
    "equality.equality_settings": "fairness",  # fairness settings
    "equality.set_equality_settings": "fairness --threshold 5",  # fairness settings --threshold
    "equality.organisation_funnel": "fairness",  # fairness funnel FROM TO
    "branding.organisation_settings": "organisation show",
    "branding.set_organisation": "organisation set",
    "retention.retention_months": "retention show",
    "retention.set_retention_months": "retention set",
    "score_files.import_scores_file": "scores import",
    "scoring.declare_conflict": "scores conflict",
    "scoring.export_workbook": "scores workbook",
    "scoring.import_scores": "scores import",
    "scoring.import_workbook": "scores import",
    "scoring.list_conflicts": "scores conflicts",
    "scoring.submit_scores": "scores submit",
    "slots.add_slot": "slots add",
    "slots.allocate_stage": "slots plan --auto",
    "slots.assign_slot": "slots assign",
    "slots.cancel_slot": "slots cancel",
    "slots.export_calendars": "export ics",
    "slots.generate_slots": "slots plan",
    "slots.list_slots": "slots list",
    "slots.move_slot": "slots move",
    "slots.save_plan": "slots set-plan",
    "slots.swap_slots": "slots swap",
    "stages.add_stage": "stages add",
    "stages.list_people": "panels set",
    "stages.move_stage": "stages move",
    "stages.remove_stage": "stages remove",
    "stages.save_matrix": "stages criterion",
    "stages.set_panel": "panels set",
    "stages.stages_overview": "stages list",
    "stages.update_stage": "stages edit",
    "timetable.delete_event": "timetable delete-event",
    "timetable.get_timetable": "timetable",
    "timetable.save_event": "timetable event",
    "timetable.update_key_dates": "timetable dates",
}

# Why a use case has no command of its own.
NO_COMMAND: dict[str, str] = {
    "adverts.advert_document": PREVIEW + " (advert export)",
    "adverts.campaign_id_for": LOOKUP,
    "applications.correct_redaction": (
        "a reviewer marks what to hide by selecting it in the text on the redaction review "
        "screen; not yet scriptable (applications redactions lists what is hidden)"
    ),
    "applications.document_file": "opens an applicant's original file in the desktop's viewer",
    "applications.mapping_choices": (
        "the import dialog's column picker; applications import --map takes the choices"
    ),
    "applications.stage_applications": (
        SCREEN + " (applications show reads each candidate's application)"
    ),
    "auth.change_password": (
        "one's own password is changed at the sign-in dialog, typed twice; an administrator "
        "scripts it with users set-password"
    ),
    "branding.document_theme": "the organisation's look inside every export, set in Settings",
    "campaign_report.campaign_report_document": PREVIEW + " (export pack --kind report)",
    "campaigns.find_campaign": LOOKUP,
    "campaigns.list_campaigns": (
        "the Campaigns screen's list with its counts; campaign list reads the same campaigns "
        "through campaign_list.list_campaigns"
    ),
    "candidate_data.candidate_record": PREVIEW + " (candidates export-data)",
    "info_pack.info_pack_document": PREVIEW + " (export pack --kind info)",
    "letters.letters_document": PREVIEW + " (export pack --kind letters)",
    "library.create_framework": LIBRARY_EDITOR,
    "library.duplicate_framework": LIBRARY_EDITOR,
    "library.duplicate_template": LIBRARY_EDITOR,
    "library.list_questions": LIBRARY_EDITOR,
    "library.save_criterion": LIBRARY_EDITOR,
    "library.save_question": LIBRARY_EDITOR,
    "library.save_template": LIBRARY_EDITOR,
    "library.set_criterion_retired": LIBRARY_EDITOR,
    "library.set_framework_retired": LIBRARY_EDITOR,
    "library.set_template_retired": LIBRARY_EDITOR,
    "library.update_framework": LIBRARY_EDITOR,
    "packs.preview_pack": PREVIEW + " (export pack)",
    "panel_pack.panel_pack_document": PREVIEW + " (export pack --kind panel)",
    "results.moderation_pair": (
        "one pair with its evidence, read when a row of the moderation screen is opened; "
        "scores moderation lists the pairs"
    ),
    "results.results_screen": SCREEN + " (results REF --stage NAME --json, scores moderation)",
    "scoring.other_scores": (
        "the scoring screen's side panel of the other assessors' scores, seen once one's own are in"
    ),
    "scoring.panel_members": "the scoring screen's picker of whose sheet to show",
    "scoring.save_score": (
        "each score typed on the scoring screen; a script gives scores in a file "
        "(scores import), or offline in a workbook (scores workbook, then scores import)"
    ),
    "scoring.scoring_screen": SCREEN + " (scores workbook, scores import)",
    "scoring.scoring_sheet": SCREEN + " (scores workbook writes the same sheet)",
}


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {o: action for action in parser._actions for o in action.option_strings}


def parses(command: str) -> bool:
    """Whether the words name a command (not a group), and the options shown are that
    command's; a word after an option that takes a value is its value."""
    parser = build_parser()
    takes_value = False
    for word in route(command.split()):
        if word.startswith("-"):
            action = _options(parser).get(word)
            if action is None:
                return False
            takes_value = action.nargs != 0
            continue
        found = _subcommands(parser).get(word)
        if found is None:
            if not takes_value:
                return False
            takes_value = False
            continue
        parser, takes_value = found, False
    return not _subcommands(parser)


KEYS = sorted({case.key.split("[")[0] for case in USE_CASES})


@pytest.mark.parametrize("key", KEYS)
def test_each_use_case_has_a_command_or_a_reason(key: str) -> None:
    assert (key in COMMANDS) != (key in NO_COMMAND), (
        f"{key}: give it a command in COMMANDS or a reason in NO_COMMAND (not both)"
    )
    if key in COMMANDS:
        assert parses(COMMANDS[key]), f"{key}: `recruit-app {COMMANDS[key]}` does not parse"
    else:
        assert NO_COMMAND[key].strip(), f"{key}: the reason is empty"


def test_the_table_names_only_use_cases_that_exist() -> None:
    assert set(COMMANDS) | set(NO_COMMAND) <= set(KEYS)
    assert not set(COMMANDS) & set(NO_COMMAND)


def test_a_command_that_does_not_parse_is_caught() -> None:
    assert parses("results set-outcome") and parses("timetable dates")
    assert not parses("results sit-outcome --outcome")
    assert not parses("slots teleport")
    assert not parses("slots move --nowhere")
    assert not parses("slots")  # a group, not a command
