"""Accessible exports from the demo campaign through the command line.

Every PDF carries its title, language and bookmarks; the information pack also exports as
an HTML page; a name that no shipped font can print is named in a warning.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from recruit_app.cli import main
from recruit_app.services.adverts import campaign_id_for, get_advert, save_advert
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.database import open_db

REF = "283922"
UNPRINTABLE = "Kasun ඞ Perera"  # Sinhala: no font shipped with Recruit has it
EXACT = "Zoë Ødegård-Ñúñez 😀 ✓ 李"


@pytest.fixture
def demo_url(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["--db", sqlite_url, "demo"]) == 0
    capsys.readouterr()
    return sqlite_url


def _set_contact(url: str, name: str) -> None:
    db = open_db(url)
    try:
        ctx = ServiceContext(db=db, actor=Actor("Alex Manager"))
        campaign_id = campaign_id_for(ctx, REF)
        form = get_advert(ctx, campaign_id)
        save_advert(
            ctx,
            campaign_id,
            fields={"contact_name": name},
            criteria=None,
            expected_version=form.version,
        )
    finally:
        db.dispose()


def _outline_titles(reader: PdfReader) -> list[str]:
    titles: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


PDFS = {
    "info": (["export", "pack", REF, "--kind", "info"], "candidate information pack", "Contact"),
    "panel": (
        ["export", "pack", REF, "--kind", "panel", "--stage", "CV sift"],
        "CV sift",
        None,
    ),
    "letters": (
        ["export", "pack", REF, "--kind", "letters", "--stage", "CV sift", "--merge"],
        "CV sift",
        None,
    ),
    "report": (["export", "pack", REF, "--kind", "report"], "Campaign report", None),
    "advert": (["advert", "export", REF, "--format", "pdf"], "", "Contact"),
}


@pytest.mark.parametrize("kind", list(PDFS))
def test_every_pdf_has_its_title_language_and_bookmarks(
    kind: str, demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command, in_title, heading = PDFS[kind]
    out = tmp_path / f"{kind}.pdf"
    assert main(["--db", demo_url, *command, "--out", str(out)]) == 0, capsys.readouterr().err
    reader = PdfReader(out)
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]
    meta = reader.metadata
    assert meta is not None and meta.title
    assert in_title in meta.title
    titles = _outline_titles(reader)
    assert titles
    if heading is not None:
        assert heading in titles


def test_the_information_pack_as_an_accessible_web_page(
    demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_contact(demo_url, EXACT)
    out = tmp_path / "pack.html"
    assert main(["--db", demo_url, "export", "pack", REF, "--kind", "info", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"Wrote the candidate information pack to {out}"
    page = out.read_text("utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
    assert "<title>" in page and '<th scope="col">' in page
    assert '<h2 id="how-to-apply">How to apply</h2>' in page
    assert EXACT in page
    # --format wins over the file's name.
    named = tmp_path / "pack-web"
    command = ["export", "pack", REF, "--kind", "info", "--format", "html", "--out", str(named)]
    assert main(["--db", demo_url, *command]) == 0
    assert named.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_only_the_information_pack_is_a_web_page(
    demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    command = ["export", "pack", REF, "--kind", "report", "--format", "html", "--out", str(out)]
    assert main(["--db", demo_url, *command]) != 0
    assert "The campaign report exports as PDF, not HTML." in capsys.readouterr().err
    assert not out.exists()


def test_a_name_no_font_can_print_is_named_in_a_warning(
    demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_contact(demo_url, UNPRINTABLE)
    out = tmp_path / "pack.pdf"
    assert main(["--db", demo_url, "export", "pack", REF, "--kind", "info", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.startswith(f"recruit-app: warning: “{UNPRINTABLE}” has characters no font")
    assert "ඞ U+0D9E Sinhala Letter Ka" in err
    assert out.exists()
    advert = tmp_path / "advert.pdf"
    command = ["advert", "export", REF, "--format", "pdf", "--out", str(advert)]
    assert main(["--db", demo_url, *command]) == 0
    assert f"“{UNPRINTABLE}”" in capsys.readouterr().err
    # A name every shipped font covers prints exactly, with no warning.
    _set_contact(demo_url, EXACT)
    assert main(["--db", demo_url, "export", "pack", REF, "--kind", "info", "--out", str(out)]) == 0
    assert capsys.readouterr().err == ""
    text = " ".join(" ".join((p.extract_text() or "") for p in PdfReader(out).pages).split())
    assert EXACT in text


def test_a_web_page_gives_no_font_warning(
    demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_contact(demo_url, UNPRINTABLE)
    out = tmp_path / "pack.html"
    assert main(["--db", demo_url, "export", "pack", REF, "--kind", "info", "--out", str(out)]) == 0
    assert capsys.readouterr().err == ""
    assert UNPRINTABLE in out.read_text("utf-8")
