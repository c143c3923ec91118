"""Names print as typed in every PDF: fallback fonts for emoji and CJK, and a warning otherwise."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

from pypdf import PdfReader
from reportlab.platypus import Paragraph

from exports.glyphs import FALLBACKS, FONT_DIR, LICENCES, font_runs, glyph_report, undrawable
from exports.info_pack import render_info_pack
from exports.letters import render_letter
from exports.styles import Theme, build_pdf, escape, make_styles, table
from tests.exports.test_info_pack import full_pack
from tests.exports.test_letters import document, letter

ROOT = Path(__file__).resolve().parents[2]
NAME = "Zoë Ødegård-Ñúñez 😀 ✓ 李"
MORE = "Mei 王芳 👍🏽 🎉 🇬🇧 한국 こんにちは"
# Sinhala: no font shipped with Recruit has it.
UNPRINTABLE = "Kasun ඞ Perera"


def words(path: Path) -> str:
    reader = PdfReader(path)
    return " ".join(" ".join((page.extract_text() or "") for page in reader.pages).split())


def font_names(path: Path) -> set[str]:
    names = set()
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_runs_switch_font_only_where_dejavu_lacks_the_characters() -> None:
    assert font_runs("Zoë Ødegård-Ñúñez ✓") == [(None, "Zoë Ødegård-Ñúñez ✓")]
    assert font_runs("Li 李 🎉!") == [
        (None, "Li "),
        ("RecruitCJK", "李"),
        (None, " "),
        ("RecruitEmoji", "🎉"),
        (None, "!"),
    ]
    # A skin tone stays with the emoji it changes.
    assert font_runs("👍🏽") == [("RecruitEmoji", "👍🏽")]
    assert undrawable(NAME + MORE) == ""
    assert undrawable(UNPRINTABLE) == "ඞ"


def test_a_name_with_emoji_symbols_and_cjk_comes_back_exactly(tmp_path: Path) -> None:
    styles = make_styles()
    path = build_pdf(
        tmp_path / "names.pdf",
        [
            Paragraph("Names", styles.h1),
            Paragraph(escape(f"Dear {NAME}"), styles.body),
            Paragraph(escape(MORE), styles.h2),
            table([["Candidate", "Name"], ["0001", NAME], ["0002", MORE]], styles=styles),
        ],
        Theme(organisation=f"Org {NAME}"),
        title=f"Letter to {NAME}",
    )
    text = words(path)
    assert f"Dear {NAME}" in text
    assert f"0001 {NAME}" in text
    assert f"0002 {MORE}" in text
    # The running header too.
    assert f"Org {NAME}" in text
    assert f"Letter to {NAME}" in text
    embedded = font_names(path)
    assert any("NotoEmoji" in name for name in embedded)
    assert any("DroidSansFallback" in name for name in embedded)


def test_letters_and_the_info_pack_print_the_name_exactly(tmp_path: Path) -> None:
    someone = letter(first_name="Zoë Ødegård-Ñúñez 😀 ✓", last_name="李")
    path = tmp_path / "letter.pdf"
    render_letter(document((someone,)), someone, str(path), Theme())
    text = words(path)
    assert NAME in text
    assert "Dear Zoë Ødegård-Ñúñez 😀 ✓," in text

    pack = tmp_path / "pack.pdf"
    render_info_pack(full_pack(contact_name=NAME, title=f"Developer {MORE}"), pack, Theme())
    text = words(pack)
    assert NAME in text
    assert f"Developer {MORE}" in text


def test_names_that_no_font_can_print_are_reported(tmp_path: Path) -> None:
    styles = make_styles()
    with glyph_report() as report:
        build_pdf(
            tmp_path / "report.pdf",
            [Paragraph(escape(UNPRINTABLE), styles.body), Paragraph(escape(NAME), styles.body)],
            Theme(),
            title="Candidates",
        )
    assert list(report.texts) == [UNPRINTABLE]
    (warning,) = report.warnings
    assert warning.startswith(f"“{UNPRINTABLE}” has characters no font in Recruit can print")
    assert "ඞ U+0D9E" in warning
    # Outside a report nothing is collected, and nothing fails.
    build_pdf(
        tmp_path / "again.pdf", [Paragraph(escape(UNPRINTABLE), styles.body)], Theme(), title="x"
    )


def test_every_font_ships_in_the_package_with_its_licence() -> None:
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"][
        "setuptools"
    ]["package-data"]["exports"]
    shipped = sorted(p.name for p in FONT_DIR.iterdir())
    for name in shipped:
        assert any(fnmatch(f"fonts/{name}", pattern) for pattern in package_data), name
    for font, licence in LICENCES.items():
        assert font in shipped and licence in shipped
    for _name, filename in FALLBACKS:
        assert filename in LICENCES


def test_the_panel_pack_prints_names_drawn_on_its_forms_exactly(tmp_path: Path) -> None:
    from exports.panel_pack import render_panel_pack
    from recruit_app.readmodels import PackMember
    from tests.exports.test_panel_pack import CHAIR, document, person

    member = PackMember(f"Member {NAME}", "member", 1)
    panel = (CHAIR, member)
    doc = document(members=panel, candidates=(person("0001", "Mei", "王芳 🎉", members=panel),))
    path = render_panel_pack(doc, tmp_path / "panel.pdf", Theme())
    text = words(path)
    assert f"Member {NAME} Evidence seen or heard" in text
    assert "0001 Mei 王芳 🎉" in text
    assert any("DroidSansFallback" in name for name in font_names(path))
