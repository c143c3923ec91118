"""Importing, listing and editing candidates on real databases."""

from __future__ import annotations

import pytest
from sqlmodel import select

from db.models import AuditEvent, Candidate
from recruit_app.errors import Cancelled, ConflictError, PermissionDenied, ValidationError
from recruit_app.services import candidates as svc
from recruit_app.services.campaigns import create_campaign
from recruit_app.services.context import Actor, ServiceContext

CSV = (
    "Forename,Surname,E-mail address,Telephone,GIS,Reasonable adjustments,Notes\r\n"
    'Siân,Evans,sian.evans@example.com,07700 900001,yes,"Large print, please",first\r\n'
    'Niamh,O\'Brien,niamh@example.org,,no,,"says ""hello"",\nthen more"\r\n'
    "Nobody,,x@example.org,,,,\r\n"
    "Łukasz,Nowak,not-an-email,,,,\r\n"
    "Zoë,Clarke,SIAN.EVANS@example.com,,,,\r\n"
    '=HYPERLINK("http://evil"),<b>Bold</b>,hostile@example.net,,,,\r\n'
)


@pytest.fixture
def campaign(ctx):
    return create_campaign(ctx, title="Developer", reference="DEV-1")


def _write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_preview_matches_headers_and_explains_bad_rows(ctx, campaign, tmp_path):
    preview = svc.preview_import(ctx, campaign.id, _write(tmp_path, "people.csv", CSV))
    assert preview.mapping["Forename"] == "first_name"
    assert preview.mapping["E-mail address"] == "email"
    assert preview.good == 3
    assert [(p.line, p.message) for p in preview.problems] == [
        (5, "missing name"),
        (6, "malformed e-mail 'not-an-email'"),
        (7, "duplicate of line 2"),
    ]


def test_import_adds_good_rows_in_one_go_and_reports_the_rest(ctx, campaign, tmp_path):
    report = svc.import_candidates(ctx, campaign.id, _write(tmp_path, "people.csv", CSV))
    assert report.imported == 3 and [p.line for p in report.skipped] == [5, 6, 7]
    people = svc.list_candidates(ctx, campaign.id)
    assert [(c.candidate_number, c.first_name, c.last_name) for c in people] == [
        ("0001", "Siân", "Evans"),
        ("0002", "Niamh", "O'Brien"),
        ("0003", '=HYPERLINK("http://evil")', "<b>Bold</b>"),
    ]
    assert people[0].guaranteed_interview and people[0].adjustments == "Large print, please"
    assert people[1].extra == {"Notes": 'says "hello",\nthen more'}
    with ctx.db.session() as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "candidates.import")
        ).one()
    assert event.after == {"imported": 3, "source": "people.csv"}


NUMBERED = (
    "Candidate number,First name,Last name,Email\r\n"
    "12,Ann,Ash,ann@example.org\r\n"
    "7,Bo,Birch,bo@example.org\r\n"
    ",Cy,Cedar,cy@example.org\r\n"
    "100,Di,Dogwood,di@example.org\r\n"
    ",Ed,Elm,ed@example.org\r\n"
)


def test_numbers_are_kept_as_typed_given_at_the_campaigns_width_and_sorted_as_numbers(
    ctx, campaign, tmp_path
):
    from recruit_app.services.stages import add_stage

    report = svc.import_candidates(ctx, campaign.id, _write(tmp_path, "numbered.csv", NUMBERED))
    assert report.numbers == ("12", "7", "101", "100", "102")
    more = "Candidate number,First name,Last name,Email\r\n,Fay,Fir,fay@example.org\r\n"
    assert svc.import_candidates(ctx, campaign.id, _write(tmp_path, "more.csv", more)).numbers == (
        "103",
    )
    listed = ["7", "12", "100", "101", "102", "103"]
    assert [c.candidate_number for c in svc.list_candidates(ctx, campaign.id)] == listed
    sift = add_stage(ctx, campaign.id, name="CV sift", kind="sift")
    at_sift = svc.list_candidates(ctx, campaign.id, stage_id=sift.id)
    assert [c.candidate_number for c in at_sift] == listed


def test_a_second_import_refuses_people_already_there(ctx, campaign, tmp_path):
    path = _write(tmp_path, "people.csv", CSV)
    svc.import_candidates(ctx, campaign.id, path)
    again = svc.import_candidates(ctx, campaign.id, path)
    assert again.imported == 0
    assert {p.message for p in again.skipped} >= {"already in this campaign"}


def test_dry_run_adds_nothing(ctx, campaign, tmp_path):
    report = svc.import_candidates(
        ctx, campaign.id, _write(tmp_path, "people.csv", CSV), dry_run=True
    )
    assert report.dry_run and report.imported == 3
    assert svc.list_candidates(ctx, campaign.id) == []


def test_windows_1252_and_mapping_overrides(ctx, campaign, tmp_path):
    text = "Given,Family,Contact\r\nZoë,Clarke,zoe@example.org\r\n"
    path = _write(tmp_path, "ansi.csv", text, encoding="cp1252")
    with pytest.raises(ValidationError):
        svc.import_candidates(ctx, campaign.id, path)  # nothing maps to e-mail yet
    report = svc.import_candidates(
        ctx,
        campaign.id,
        path,
        overrides={"Given": "first_name", "Family": "last_name", "Contact": "email"},
    )
    assert report.imported == 1
    assert svc.list_candidates(ctx, campaign.id)[0].first_name == "Zoë"


def test_cancel_leaves_nothing_behind(ctx, campaign, tmp_path):
    rows = "".join(f"First{n},Last{n},p{n}@example.org\r\n" for n in range(5000))
    path = _write(tmp_path, "big.csv", "First name,Last name,Email\r\n" + rows)
    phases = []

    def progress(done, total, phase):
        phases.append(phase)

    def cancelled():
        # Cancel once the first batch of candidates has been written: it must be undone.
        return "Adding candidates" in phases

    with pytest.raises(Cancelled, match="nothing was added"):
        svc.import_candidates(ctx, campaign.id, path, progress=progress, cancelled=cancelled)
    assert phases.count("Adding candidates") == 1
    assert svc.list_candidates(ctx, campaign.id) == []


def test_xlsx_import(ctx, campaign, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["First name", "Last name", "Email", "Extra time (minutes)"])
    sheet.append(["Aoife", "Ní Bhriain", "aoife@example.ie", 15])
    workbook.save(tmp_path / "people.xlsx")
    assert svc.import_candidates(ctx, campaign.id, tmp_path / "people.xlsx").imported == 1
    person = svc.list_candidates(ctx, campaign.id)[0]
    assert (person.last_name, person.extra_minutes) == ("Ní Bhriain", 15)


def test_names_are_hidden_from_panel_members(database, ctx, campaign, tmp_path):
    from recruit_app.services.people import create_person
    from recruit_app.services.stages import SeatChoice, add_stage, set_panel

    svc.import_candidates(ctx, campaign.id, _write(tmp_path, "people.csv", CSV))
    sift = add_stage(ctx, campaign.id, name="CV sift", kind="sift")  # name-blind by default
    pat = create_person(ctx, name="Pat Panel", email="pat@example.org")
    set_panel(ctx, sift.id, [SeatChoice(pat.id)], expected_version=sift.version)
    panel = ServiceContext(database, Actor("Pat Panel", role="panel_member", person_id=pat.id))
    with pytest.raises(PermissionDenied, match="choose one of them"):
        svc.list_candidates(panel, campaign.id)  # not the whole campaign: their stages only
    stranger = ServiceContext(
        database, Actor("Sam Else", role="panel_member", person_id=pat.id + 1)
    )
    with pytest.raises(PermissionDenied, match="may only see the stages they sit on"):
        svc.list_candidates(stranger, campaign.id, stage_id=sift.id)
    people = svc.list_candidates(panel, campaign.id, stage_id=sift.id)
    first = people[0]
    assert (first.label, first.first_name, first.email) == ("Candidate 0001", "", "")
    # Name-blind means more than the name: no scheme flags either (issue 12).
    assert set(people[0].to_json()) == {"candidate_number", "status", "outcomes"}


def test_editing_checks_values_and_versions(database, ctx, campaign, tmp_path):
    svc.import_candidates(ctx, campaign.id, _write(tmp_path, "people.csv", CSV))
    first, second = svc.list_candidates(ctx, campaign.id)[:2]
    with pytest.raises(ValidationError, match="Another candidate in this campaign has that"):
        svc.update_candidate(
            ctx, first.id, {"email": "NIAMH@example.org"}, expected_version=first.version
        )
    with pytest.raises(ValidationError, match="from 0 to 240 minutes"):
        svc.update_candidate(ctx, first.id, {"extra_minutes": 500}, expected_version=first.version)
    sam = ServiceContext(database, Actor("Sam Chair"))
    svc.update_candidate(sam, second.id, {"phone": "07700 900123"}, expected_version=second.version)
    with pytest.raises(ConflictError, match="Candidate 0002 was changed by Sam Chair"):
        svc.update_candidate(ctx, second.id, {"phone": "1"}, expected_version=second.version)
    with ctx.db.session() as session:
        assert session.get(Candidate, second.id).phone == "07700 900123"


def test_an_importer_whose_name_holds_a_percent_sign_is_recorded_as_typed(ctx, campaign, tmp_path):
    """Who imported is written into the bulk statement once: on PostgreSQL the driver reads
    % as a placeholder, so "100%s" in a name refused the whole import."""
    odd = ServiceContext(ctx.db, Actor("Ann 100%s O'Hara %(x)s"))
    text = "First name,Last name,Email\nZoë,Pryce %s,zoe@example.org\n"
    report = svc.import_candidates(odd, campaign.id, _write(tmp_path, "odd.csv", text))
    assert report.imported == 1
    with ctx.db.session() as session:
        added = session.exec(select(Candidate).where(Candidate.campaign_id == campaign.id)).one()
    assert (added.last_name, added.updated_by) == ("Pryce %s", "Ann 100%s O'Hara %(x)s")
