"""Documents holding personal data wear the protective marking on every page; documents
for the public do not."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import select

from db.models import Stage
from recruit_app.errors import ValidationError
from recruit_app.services.adverts import campaign_id_for
from recruit_app.services.branding import check_marking
from recruit_app.services.campaign_report import export_campaign_report
from recruit_app.services.demo import build_demo
from recruit_app.services.info_pack import export_info_pack
from recruit_app.services.panel_pack import export_panel_pack
from recruit_app.settings import Settings
from ui.context import AppContext

DEMO_DAY = date(2026, 11, 25)
MARK = "OFFICIAL-SENSITIVE"


@pytest.fixture
def marked(ctx):
    ctx = replace(ctx, marking=MARK)
    build_demo(ctx, today=DEMO_DAY)
    with ctx.db.session() as session:
        stages = {s.name: s.id for s in session.exec(select(Stage))}
    return ctx, stages, campaign_id_for(ctx, "283922")


def _pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_the_panel_pack_and_the_report_wear_it_top_and_bottom_of_every_page(marked, tmp_path):
    ctx, stages, campaign_id = marked
    pack = export_panel_pack(ctx, stages["CV sift"], tmp_path / "sift.pdf")
    report = export_campaign_report(ctx, campaign_id, tmp_path / "report.pdf", today=DEMO_DAY)
    for path in (pack, report):
        pages = _pages(path)
        assert len(pages) > 2
        for text in pages:
            lines = text.splitlines()
            assert lines.count(MARK) == 2, (path.name, lines[:3], lines[-3:])


def test_the_information_pack_for_candidates_does_not(marked, tmp_path):
    ctx, _stages, campaign_id = marked
    pack = export_info_pack(ctx, campaign_id, tmp_path / "info.pdf")
    assert not any(MARK in text for text in _pages(pack))


def test_no_marking_when_the_setting_is_empty(ctx, tmp_path):
    ctx = replace(ctx, marking="")
    build_demo(ctx, today=DEMO_DAY)
    with ctx.db.session() as session:
        sift = session.exec(select(Stage).where(Stage.name == "CV sift")).one()
    pack = export_panel_pack(ctx, sift.id, tmp_path / "sift.pdf")
    assert not any(MARK in text for text in _pages(pack))


def test_the_setting_is_official_sensitive_unless_changed(tmp_path):
    settings = Settings(tmp_path / "settings.json")
    assert settings.get("protective_marking") == MARK
    context = AppContext(settings)
    assert context.settings.get("protective_marking") == MARK
    assert check_marking("  OFFICIAL-SENSITIVE   PERSONAL ") == "OFFICIAL-SENSITIVE PERSONAL"
    with pytest.raises(ValidationError, match="Keep the marking to 60 characters"):
        check_marking("X" * 61)
