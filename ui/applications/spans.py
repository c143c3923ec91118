"""Hidden spans as the review screen needs them: Python offsets to Qt's, where each mark
falls in the redacted text, hiding a selection and showing a span again. No widgets."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from recruit_app.domain.redaction import Span, merge
from recruit_app.vocabulary import Redaction

_KINDS = frozenset(Redaction.codes())


def mark_of(kind: str) -> str:
    """The mark that stands in a span's place (as `recruit_app.domain.redaction.apply`)."""
    return Redaction.label_for(kind) if kind in _KINDS else Redaction.MANUAL.label


class Offsets:
    """Python offsets (code points) to Qt's (UTF-16 units) and back, for one text: they
    differ after any character beyond the Basic Multilingual Plane, an emoji say."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self._qt: list[int] | None = None
        if any(ord(c) > 0xFFFF for c in text):
            at, qt = 0, [0]
            for char in text:
                at += 2 if ord(char) > 0xFFFF else 1
                qt.append(at)
            self._qt = qt

    def to_qt(self, index: int) -> int:
        index = max(0, min(index, self.length))
        return index if self._qt is None else self._qt[index]

    def from_qt(self, position: int) -> int:
        if self._qt is None:
            return max(0, min(position, self.length))
        # A position inside a surrogate pair counts as the character's start.
        return max(0, min(bisect_right(self._qt, position) - 1, self.length))


def marked(text: str, spans: Sequence[Span]) -> tuple[str, list[tuple[int, int]]]:
    """The redacted text, and where each span's mark is in it (Python offsets)."""
    out: list[str] = []
    places: list[tuple[int, int]] = []
    at = length = 0
    for span in spans:
        kept = text[at : span.start]
        out.append(kept)
        length += len(kept)
        mark = mark_of(span.kind)
        out.append(mark)
        places.append((length, length + len(mark)))
        length += len(mark)
        at = span.end
    out.append(text[at:])
    return "".join(out), places


def hide(text: str, spans: Sequence[Span], start: int, end: int) -> tuple[Span, ...]:
    """The spans with text[start:end] hidden too (by hand: "manual"), white space at
    either end left out; the spans as they were when nothing but space was chosen."""
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return tuple(spans)
    return merge([*spans, Span(start, end, Redaction.MANUAL.value)])


def show_again(spans: Sequence[Span], index: int) -> tuple[Span, ...]:
    """The spans without the one at `index`."""
    return tuple(s for n, s in enumerate(spans) if n != index)


def span_at(spans: Sequence[Span], index: int) -> int | None:
    """Which span (its place in the list) covers the text offset, if any."""
    for number, span in enumerate(spans):
        if span.start <= index < span.end:
            return number
    return None
