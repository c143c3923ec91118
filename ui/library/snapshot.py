"""What the library screen shows, loaded in one read, and the search over it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recruit_app.domain.library_format import FrameworkDef, TemplateCriterionDef
    from recruit_app.services.context import ServiceContext
    from recruit_app.services.library import FrameworkView, LibraryEntry, TemplateView


@dataclass(frozen=True)
class LibrarySnapshot:
    """Every entry with its contents: a library holds a few dozen entries, so one read is cheap."""

    entries: tuple[LibraryEntry, ...]
    frameworks: dict[str, FrameworkView]
    templates: dict[str, TemplateView]

    def entry(self, kind: str, code: str) -> LibraryEntry | None:
        return next((e for e in self.entries if e.kind == kind and e.code == code), None)

    def framework_definitions(self) -> dict[str, FrameworkDef]:
        """Current criteria of every framework, for resolving template references."""
        return {code: view.definition for code, view in self.frameworks.items()}

    def resolved(self, item: TemplateCriterionDef) -> tuple[str, str]:
        """(title, element) of a template criterion; built-in ones leave both to the library."""
        if item.framework:
            framework = self.frameworks.get(item.framework)
            source = framework.definition.criterion(item.criterion) if framework else None
            if source is not None:
                return item.title or source.name, item.element or source.element
        return item.title, item.element


def load_snapshot(ctx: ServiceContext) -> LibrarySnapshot:
    """Runs in a worker."""
    from recruit_app.services.library import get_framework, get_template, list_library

    entries = list_library(ctx, include_retired=True)
    frameworks = {e.code: get_framework(ctx, e.code) for e in entries if e.kind == "framework"}
    templates = {e.code: get_template(ctx, e.code) for e in entries if e.kind == "template"}
    # Frameworks first, then role templates, each by name: the list reads as two groups.
    ordered = sorted(entries, key=lambda e: (e.kind != "framework", e.name.casefold()))
    return LibrarySnapshot(tuple(ordered), frameworks, templates)


@dataclass(frozen=True)
class EntryRow:
    """A library entry in the list, with the criteria inside it that matched the search."""

    entry: LibraryEntry
    matches: tuple[tuple[str, str], ...] = ()  # (code, name) of matching criteria


def search(snapshot: LibrarySnapshot, text: str, *, include_retired: bool) -> list[EntryRow]:
    """Entries whose name, code, edition or grade, or any criterion inside, contains `text`."""
    needle = text.casefold().strip()
    found = []
    for entry in snapshot.entries:
        if entry.retired and not include_retired:
            continue
        if not needle:
            found.append(EntryRow(entry))
            continue
        matches = tuple(
            (code, name)
            for code, name in _criteria_of(snapshot, entry.kind, entry.code, include_retired)
            if needle in code.casefold() or needle in name.casefold()
        )
        own = any(needle in value.casefold() for value in (entry.name, entry.code, entry.detail))
        if own or matches:
            found.append(EntryRow(entry, matches))
    return found


def _criteria_of(
    snapshot: LibrarySnapshot, kind: str, code: str, include_retired: bool
) -> list[tuple[str, str]]:
    if kind == "framework":
        view = snapshot.frameworks.get(code)
        if view is None:
            return []
        return [
            (c.definition.code, c.definition.name)
            for c in view.criteria
            if include_retired or not c.retired
        ]
    template = snapshot.templates.get(code)
    if template is None:
        return []
    return [(c.code, snapshot.resolved(c)[0]) for c in template.definition.criteria]
