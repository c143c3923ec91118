"""The PDF packs a campaign sends out, behind one entry point for the Exports screen and CLI.

Each pack has its own service module (information pack, panel pack, outcome letters,
campaign report); this one knows which exists, what each needs (a stage, a file or a
folder) and how to preview one.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from recruit_app.errors import ValidationError
from recruit_app.readmodels import IsCancelled, Progress
from recruit_app.services.context import ServiceContext

Warn = Callable[[str], None]

PREVIEW_LETTERS = 3  # a preview of the letters shows the first few, not a thousand


@dataclass(frozen=True)
class PackKind:
    key: str
    name: str
    description: str
    needs_stage: bool
    scoring_stages_only: bool = False
    # The first is the default; "html" is one accessible web page.
    formats: tuple[str, ...] = ("pdf",)
    # Who may make it (services.permissions): the screens offer it to them only.
    use_case: str = "campaign.view"


PACKS: dict[str, PackKind] = {
    p.key: p
    for p in (
        PackKind(
            "info",
            "Candidate information pack",
            "For applicants: the role, the person specification, how they are assessed and "
            "when, how to apply. One annex per post. As a PDF, or as an accessible web page "
            "for candidates who use assistive technology.",
            needs_stage=False,
            formats=("pdf", "html"),
        ),
        PackKind(
            "panel",
            "Panel pack",
            "For one stage's panel: the schedule, the candidates (numbers only at a "
            "name-blind stage), a score sheet for each and the interview questions. The "
            "chair's copy adds the running order, the welcome and close script and the "
            "departures from the plan recorded so far.",
            needs_stage=True,
            scoring_stages_only=True,
        ),
        PackKind(
            "letters",
            "Outcome letters",
            "One letter per candidate with the outcome of a stage, and their scores and "
            "feedback where the advert offers feedback.",
            needs_stage=True,
            scoring_stages_only=True,
            use_case="campaign.manage",
        ),
        PackKind(
            "report",
            "Campaign report",
            "For the recruiting team: the funnel, score distributions, merit orders, the "
            "timetable planned against actual, and outcomes.",
            needs_stage=False,
            use_case="campaign.manage",
        ),
    )
}


def pack_kind(key: str) -> PackKind:
    kind = PACKS.get(key)
    if kind is None:
        raise ValidationError(
            f"There is no pack called {key!r}; choose one of {', '.join(PACKS)}.", "kind"
        )
    return kind


def export_pack(
    ctx: ServiceContext,
    campaign_id: int,
    key: str,
    out: Path,
    *,
    stage_id: int | None = None,
    merge: bool = False,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    fmt: str | None = None,
    on_warning: Warn | None = None,
    with_applications: bool = False,
    chair_copy: bool = False,
    member: int | None = None,
) -> list[Path]:
    """Write one pack; letters go to a folder of files unless `merge`. Returns what was written.

    `fmt` is one of the pack's `formats` (by default, what the file name ends in, else
    PDF). `on_warning(sentence)` hears of each name or text that no font shipped for the
    PDFs can print in full, once a PDF is written. `with_applications` follows each score
    sheet of the panel pack with the candidate's application, as the panel reads it;
    `chair_copy` makes the chair's copy of the panel pack (with the chair's brief);
    `member` (a person on the panel) that member's own copy, their score boxes only.
    """
    from exports.glyphs import glyph_report

    kind = pack_kind(key)
    fmt = pack_format(kind, out, fmt)
    _check_panel_only(
        kind, with_applications=with_applications, chair_copy=chair_copy or member is not None
    )
    with glyph_report() as report:
        written = _export(
            ctx,
            campaign_id,
            kind,
            out,
            stage_id,
            merge,
            progress,
            cancelled,
            fmt,
            with_applications=with_applications,
            chair_copy=chair_copy,
            member=member,
        )
    # A web page is shown in the reader's own fonts: only a PDF is limited to ours.
    if on_warning is not None and fmt == "pdf":
        for warning in report.warnings:
            on_warning(warning)
    return written


def _check_panel_only(kind: PackKind, *, with_applications: bool, chair_copy: bool) -> None:
    """Applications and the chair's copy are choices of the panel pack alone."""
    if kind.key == "panel":
        return
    if with_applications:
        raise ValidationError(
            f"Applications go into the panel pack only, not the {kind.name.lower()}.",
            "with_applications",
        )
    if chair_copy:
        raise ValidationError(
            f"The chair's copy is a copy of the panel pack, not of the {kind.name.lower()}.",
            "chair_copy",
        )


def pack_format(kind: PackKind, out: Path, fmt: str | None = None) -> str:
    """The format to write `kind` in: `fmt` if given, else what `out` ends in, else PDF."""
    chosen = (fmt or "").lower().lstrip(".")
    if not chosen:
        suffix = Path(out).suffix.lower().lstrip(".")
        chosen = "html" if suffix in ("html", "htm") and "html" in kind.formats else "pdf"
    if chosen not in kind.formats:
        choices = " or ".join(f.upper() for f in kind.formats)
        raise ValidationError(
            f"The {kind.name.lower()} exports as {choices}, not {chosen.upper()}.", "format"
        )
    return chosen


def _export(
    ctx: ServiceContext,
    campaign_id: int,
    kind: PackKind,
    out: Path,
    stage_id: int | None,
    merge: bool,
    progress: Progress | None,
    cancelled: IsCancelled | None,
    fmt: str,
    *,
    with_applications: bool = False,
    chair_copy: bool = False,
    member: int | None = None,
) -> list[Path]:
    key = kind.key
    if kind.needs_stage and stage_id is None:
        raise ValidationError(f"Choose the stage for the {kind.name.lower()}.", "stage")
    if key == "info":
        from recruit_app.services.info_pack import export_info_pack

        return [
            export_info_pack(ctx, campaign_id, out, progress=progress, cancelled=cancelled, fmt=fmt)
        ]
    if key == "report":
        from recruit_app.services.campaign_report import export_campaign_report

        return [
            export_campaign_report(ctx, campaign_id, out, progress=progress, cancelled=cancelled)
        ]
    assert stage_id is not None
    if key == "panel":
        from recruit_app.services.panel_pack import export_panel_pack

        return [
            export_panel_pack(
                ctx,
                stage_id,
                out,
                progress=progress,
                cancelled=cancelled,
                with_applications=with_applications,
                chair_copy=chair_copy,
                member=member,
            )
        ]
    from recruit_app.services.letters import export_letters

    return export_letters(ctx, stage_id, out, merge=merge, progress=progress, cancelled=cancelled)


def preview_pack(
    ctx: ServiceContext,
    campaign_id: int,
    key: str,
    *,
    stage_id: int | None = None,
    pages: int = 3,
    width: int = 620,
    with_applications: bool = False,
    chair_copy: bool = False,
    member: int | None = None,
) -> list[bytes]:
    """PNG images of the pack's first pages, made from a throwaway copy (`member`: that
    panel member's own copy of the panel pack, as `export_pack` makes it)."""
    from exports.files import staging_folder
    from exports.preview import page_images

    # A private folder in the system's temporary folder, named as our temporary files are,
    # so that one left by a killed app (it holds letters) is swept by the next preview.
    with staging_folder(Path(tempfile.gettempdir()) / "recruit-preview") as folder:
        path = folder / "preview.pdf"
        if key == "letters":
            from recruit_app.services.letters import export_letters

            if stage_id is None:
                raise ValidationError("Choose the stage for the outcome letters.", "stage")
            export_letters(ctx, stage_id, path, merge=True, limit=PREVIEW_LETTERS)
        else:
            export_pack(
                ctx,
                campaign_id,
                key,
                path,
                stage_id=stage_id,
                with_applications=with_applications,
                chair_copy=chair_copy,
                member=member,
            )
        return page_images(path, pages=pages, width=width)
