"""The PDF packs a campaign sends out, behind one entry point for the Exports screen and CLI.

Each pack has its own service module (information pack, panel pack, outcome letters,
campaign report); this one knows which exists, what each needs (a stage, a file or a
folder) and how to preview one.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from recruit_app.errors import ValidationError
from recruit_app.readmodels import IsCancelled, Progress
from recruit_app.services.context import ServiceContext

PREVIEW_LETTERS = 3  # a preview of the letters shows the first few, not a thousand


@dataclass(frozen=True)
class PackKind:
    key: str
    name: str
    description: str
    needs_stage: bool
    scoring_stages_only: bool = False


PACKS: dict[str, PackKind] = {
    p.key: p
    for p in (
        PackKind(
            "info",
            "Candidate information pack",
            "For applicants: the role, the person specification, how they are assessed and "
            "when, how to apply. One annex per post.",
            needs_stage=False,
        ),
        PackKind(
            "panel",
            "Panel pack",
            "For one stage's panel: the schedule, the candidates (numbers only at a "
            "name-blind stage) and a score sheet for each.",
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
        ),
        PackKind(
            "report",
            "Campaign report",
            "For the recruiting team: the funnel, score distributions, merit orders, the "
            "timetable planned against actual, and outcomes.",
            needs_stage=False,
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
) -> list[Path]:
    """Write one pack; letters go to a folder of files unless `merge`. Returns what was written."""
    kind = pack_kind(key)
    if kind.needs_stage and stage_id is None:
        raise ValidationError(f"Choose the stage for the {kind.name.lower()}.", "stage")
    if key == "info":
        from recruit_app.services.info_pack import export_info_pack

        return [export_info_pack(ctx, campaign_id, out, progress=progress, cancelled=cancelled)]
    if key == "report":
        from recruit_app.services.campaign_report import export_campaign_report

        return [
            export_campaign_report(ctx, campaign_id, out, progress=progress, cancelled=cancelled)
        ]
    assert stage_id is not None
    if key == "panel":
        from recruit_app.services.panel_pack import export_panel_pack

        return [export_panel_pack(ctx, stage_id, out, progress=progress, cancelled=cancelled)]
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
) -> list[bytes]:
    """PNG images of the pack's first pages, made from a throwaway copy."""
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
            export_pack(ctx, campaign_id, key, path, stage_id=stage_id)
        return page_images(path, pages=pages, width=width)
