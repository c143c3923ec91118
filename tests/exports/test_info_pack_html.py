"""The information pack as an accessible HTML page: structure, escaping, the PDF's sections."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from exports.html import info_pack_html, markup_html, write_info_pack_html
from exports.info_pack import annex_heading, section_headings
from exports.styles import Theme
from tests.exports.test_info_pack import HOSTILE, THEME, full_pack, hostile_pack, two_posts

VOID = {"br", "img", "meta", "link", "hr", "input"}
SCRIPT = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


class Page(HTMLParser):
    """Reads a page back: its elements in order, each with its text, and checks nesting."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.open: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.text: list[str] = []
        self.feed(source)
        self.close()
        assert self.stack == [], f"unclosed: {self.stack}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = (tag, dict(attrs), [])
        self.elements.append(element)
        if tag not in VOID:
            self.stack.append(tag)
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for _tag, _attrs, parts in self.open:
            parts.append(data)

    def all(self, tag: str) -> list[str]:
        return ["".join(parts).strip() for t, _a, parts in self.elements if t == tag]

    def attrs(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a, _p in self.elements if t == tag]

    def words(self) -> str:
        return " ".join("".join(self.text).split())


@pytest.fixture(scope="module")
def page() -> Page:
    return Page(info_pack_html(full_pack(), THEME))


def test_the_page_says_its_language_title_and_one_main_heading(page: Page) -> None:
    source = info_pack_html(full_pack(), THEME)
    assert source.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
    assert page.all("title") == ["Software Developer: candidate information pack – Home Office"]
    assert page.all("h1") == ["Software Developer"]
    assert len(page.all("main")) == 1


def test_every_section_of_the_pdf_is_a_level_two_heading_in_order(page: Page) -> None:
    headings = page.all("h2")
    assert headings == ["Contents", *section_headings(full_pack())]
    # The contents list links each section.
    links = [a["href"] for a in page.attrs("a") if (a.get("href") or "").startswith("#")]
    ids = [a["id"] for a in page.attrs("h2") if a.get("id") != "contents"]
    assert links == [f"#{i}" for i in ids]
    assert "Seeing the Big Picture, Level 3" in page.all("h3")


def test_lists_are_lists_and_tables_have_header_cells(page: Page) -> None:
    items = page.all("li")
    assert "Tracks trends that affect the area" in items
    assert "Build services" in items
    headers = [
        (a.get("scope"), text)
        for (t, a, _p), text in zip(
            (e for e in page.elements if e[0] == "th"), page.all("th"), strict=True
        )
    ]
    assert ("col", "Stage") in headers
    assert ("col", "Final interview") in headers
    assert ("rowgroup", "Experience") in headers
    assert all(scope in ("col", "row", "rowgroup") for scope, _ in headers)
    # Each row of a table with column headers is named by its first cell, so a screen
    # reader says which criterion a tick belongs to; a tick is spoken as a word.
    assert any(scope == "row" and text.startswith("Resilient") for scope, text in headers)
    assert "Assessed" in page.all("span")
    # The key facts: a description list.
    assert page.all("dt")[:2] == ["Closing date", "Reference"]
    assert "283922" in page.all("dd")


def test_the_logo_has_alt_text(tmp_path: Path) -> None:
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 80), (29, 112, 184)).save(logo)
    page = Page(info_pack_html(full_pack(), Theme(organisation="Home Office", logo_path=logo)))
    (img,) = page.attrs("img")
    assert img["alt"] == "Home Office logo"
    assert (img["src"] or "").startswith("data:image/png;base64,")


def test_every_word_is_escaped_and_printed_exactly() -> None:
    source = info_pack_html(
        full_pack(title=f"Dev {SCRIPT}", contact_name=f"Zoë 😀 ✓ 李 {SCRIPT}"), THEME
    )
    assert "<script" not in source and "<img src=x" not in source
    page = Page(source)
    assert page.all("h1") == [f"Dev {SCRIPT}"]
    assert f"Zoë 😀 ✓ 李 {SCRIPT}" in page.words()
    hostile = Page(info_pack_html(hostile_pack(), THEME))
    assert f"Title {HOSTILE}" in hostile.all("h1")
    assert f"Contact {HOSTILE}" in hostile.words()


def test_markup_keeps_only_harmless_tags() -> None:
    assert markup_html('a<br/>b <b>c</b> <font name="X">d</font> &amp; &lt;e&gt;') == (
        "a<br>b <strong>c</strong> d &amp; &lt;e&gt;"
    )
    assert markup_html('<a href="javascript:alert(1)">x</a>') == "x"
    assert markup_html('<a href="mailto:a@b.org" color="#000"><u>a@b.org</u></a>') == (
        '<a href="mailto:a@b.org">a@b.org</a>'
    )


def test_annexes_of_several_posts_are_sections_too(tmp_path: Path) -> None:
    doc = two_posts()
    path = write_info_pack_html(doc, tmp_path / "pack.html", THEME)
    page = Page(path.read_text("utf-8"))
    headings = page.all("h2")
    for post in doc.posts:
        assert annex_heading(post) in headings
    assert headings[1:] == list(section_headings(doc))
