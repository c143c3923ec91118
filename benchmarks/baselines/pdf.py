"""The PDF baselines' page template: ReportLab used the documented way, nothing else.

The same A4 page, margins and frame as the app's house style, a running header drawn by
the page template's onPage, outline entries for the headings from afterFlowable, a table
of contents (when the story has one) by multiBuild, and "Page X of Y" by a canvas that
holds its pages until it knows how many there are (the NumberedCanvas recipe of the
ReportLab user guide), so the total costs no extra layout pass.

It imports ReportLab and the house style's measurements and font (exports.styles, which
is ReportLab's too): no database layer, nothing of the app's services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from exports.styles import (
    FONT,
    FOOTER_BASELINE,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    H1_NAME,
    H2_NAME,
    HEADER_BASELINE,
    HEADER_RULE,
    MARGIN,
    MUTED,
    PAGE_SIZE,
    PAGE_WIDTH,
    RULE,
)

OUTLINE_LEVELS = {H1_NAME: 0, H2_NAME: 1}


class NumberedCanvas(Canvas):
    """Keeps each page until the document is saved, then draws "Page X of Y" on all."""

    footer_left = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # ReportLab's, not in its stubs

    def save(self) -> None:
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self.saveState()
            self.setFont(FONT, 8)
            self.setFillColor(MUTED)
            if self.footer_left:
                self.drawString(MARGIN, FOOTER_BASELINE, self.footer_left)
            self.drawRightString(
                PAGE_WIDTH - MARGIN, FOOTER_BASELINE, f"Page {self.getPageNumber()} of {total}"
            )
            self.restoreState()
            super().showPage()
        super().save()


def numbered_canvas(footer_left: str = "") -> type[NumberedCanvas]:
    """A NumberedCanvas whose footer also carries `footer_left`."""
    return type("FooterCanvas", (NumberedCanvas,), {"footer_left": footer_left})


def _no_header(canv: Canvas, doc: BaseDocTemplate) -> None:
    return None


def running_header(left: str, right: str) -> Callable[[Canvas, BaseDocTemplate], None]:
    """An onPage drawing `left` and `right` above a rule, as the house header does."""

    def draw(canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        canv.setFont(FONT, 8)
        canv.setFillColor(MUTED)
        if left:
            canv.drawString(MARGIN, HEADER_BASELINE, left)
        if right:
            canv.drawRightString(PAGE_WIDTH - MARGIN, HEADER_BASELINE, right)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN, HEADER_RULE, PAGE_WIDTH - MARGIN, HEADER_RULE)
        canv.restoreState()

    return draw


class BareDocTemplate(BaseDocTemplate):
    """The house page geometry, `on_page` furniture and outline entries for headings."""

    def __init__(
        self,
        file: Any,
        *,
        title: str,
        on_page: Callable[[Canvas, BaseDocTemplate], None] = _no_header,
    ) -> None:
        super().__init__(
            file,
            pagesize=PAGE_SIZE,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=title,
            initialFontName=FONT,
            initialFontSize=10,
            initialLeading=14.5,
        )
        self._headings = 0
        self._has_top = False
        body = Frame(MARGIN, MARGIN, FRAME_WIDTH, FRAME_HEIGHT, 0, 0, 0, 0, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[body], onPage=on_page)])

    def beforeDocument(self) -> None:
        self._headings = 0
        self._has_top = False

    def outline(self, title: str, level: int, top: float) -> None:
        key = f"h{self._headings}"
        self._headings += 1
        self.canv.bookmarkHorizontal(key, 0, top)
        self.canv.addOutlineEntry(title, key, level=level, closed=False)
        if self._headings == 1:
            self.canv.showOutline()

    def afterFlowable(self, flowable: Flowable) -> None:
        level = OUTLINE_LEVELS.get(getattr(getattr(flowable, "style", None), "name", ""))
        if level is None or not isinstance(flowable, Paragraph):
            return
        if level == 1 and not self._has_top:
            level = 0  # an outline cannot start at level 1
        self._has_top = self._has_top or level == 0
        top: float = self.frame._y + flowable.getSpaceAfter() + flowable.height  # type: ignore[attr-defined]
        self.outline(flowable.getPlainText(), level, top + 4)
