"""The standard sections every real pack carries, through the services, the campaign file,
the published snapshot, the information pack and the command line."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader

from recruit_app.cli import main
from recruit_app.domain.advert_sections import suggested_wording
from recruit_app.readmodels import STANDARD_SECTIONS
from recruit_app.services import adverts
from recruit_app.services.campaign_files import export_campaign, import_campaign
from recruit_app.services.info_pack import export_info_pack, info_pack_document
from tests.integration import test_advert_services as base
from tests.integration.test_advert_services import NOW, _publishable

campaign = base.campaign  # the fixture: a campaign from a small role template

NEW = {
    "hearing_back": "After the CV sift we aim to tell you by 18 December.",
    "feedback_statement": "Everyone interviewed gets written feedback.",
    "adjustments_statement": "Ask the team for adjustments before the closing date.",
    "redeployment_statement": "At-risk civil servants meeting the minimum criteria qualify.",
    "expenses": "We do not pay travel expenses.",
    "security_statement": "We check your identity and right to work.",
    "recruitment_principles": "We appoint on merit, through fair and open competition.",
    "complaints": "Complain to us first, then to the Civil Service Commission.",
}


def _save(ctx, campaign, fields):
    form = adverts.get_advert(ctx, campaign.id)
    return adverts.save_advert(
        ctx, campaign.id, fields=fields, criteria=None, expected_version=form.version
    )


def test_sections_are_saved_published_and_carried_by_the_campaign_file(ctx, campaign, tmp_path):
    _publishable(ctx, campaign)
    saved = _save(ctx, campaign, NEW)
    assert {key: saved.fields[key] for key in NEW} == NEW
    doc = adverts.advert_document(ctx, campaign.id)
    sections = {s.key: s for s in doc.standard_sections}
    assert [s.heading for s in doc.standard_sections] == [h for _k, h in STANDARD_SECTIONS]
    assert sections["complaints"].text == NEW["complaints"]
    adverts.publish_advert(ctx, campaign.id, expected_version=saved.version, now=NOW)
    frozen = adverts.advert_document(ctx, campaign.id, published=True)
    assert frozen.standard_sections == doc.standard_sections

    first = export_campaign(ctx, "283922", tmp_path / "c.json")
    assert {k: v for k, v in json.loads(first.read_text())["advert"].items() if k in NEW} == NEW
    copy = import_campaign(ctx, first, reference="COPY-9")
    assert {k: adverts.get_advert(ctx, copy.id).fields[k] for k in NEW} == NEW


def test_the_checker_asks_for_each_section_and_suggestions_satisfy_it(ctx, campaign):
    found = adverts.check_campaign_advert(ctx, campaign.id, now=NOW)
    asked = {f.field for f in found if f.kind == "section"}
    assert set(NEW) <= asked
    doc = adverts.advert_document(ctx, campaign.id)
    suggested = {key: suggested_wording(key, doc) for key, _h in STANDARD_SECTIONS}
    _save(ctx, campaign, suggested)
    found = adverts.check_campaign_advert(ctx, campaign.id, now=NOW)
    assert not [f for f in found if f.kind in ("section", "schemes")]


def test_the_information_pack_prints_every_section(ctx, campaign, tmp_path):
    _publishable(ctx, campaign)
    schemes = {
        "guaranteed_interview_statement": "Disabled candidates meeting the minimum criteria.",
        "nationality_statement": "UK nationals may apply.",
    }
    _save(ctx, campaign, {**NEW, **schemes})
    doc = info_pack_document(ctx, campaign.id)
    assert doc.unwritten == ()
    path = export_info_pack(ctx, campaign.id, tmp_path / "pack.pdf")
    reader = PdfReader(path)
    tops = [item.title for item in reader.outline if not isinstance(item, list)]
    for _key, heading in STANDARD_SECTIONS:
        assert heading in tops
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for key, words in {**NEW, **schemes}.items():
        heading = dict(STANDARD_SECTIONS)[key]
        assert f"{heading} {words}" in text


@pytest.mark.usefixtures("sign_in_on_postgres")  # a team signs in on PostgreSQL
def test_advert_check_on_the_command_line_names_the_sections(capsys, db_url, campaign):
    code = main(["--db", db_url, "advert", "check", "283922", "--json"])
    out = capsys.readouterr().out
    assert code == 0 or code == 1
    findings = json.loads(out)
    fields = {f["field"]: f for f in findings}
    assert fields["complaints"]["severity"] == "warning"
    assert fields["complaints"]["kind"] == "section"
    assert fields["how_to_apply"] == {
        "severity": "error",
        "kind": "required",
        "field": "how_to_apply",
        "message": "Say how to apply: the pack's How to apply is empty.",
        "text": "",
        "start": -1,
        "end": -1,
    }
