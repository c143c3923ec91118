"""The organisation's look on documents, from the user's settings."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from recruit_app.errors import ValidationError

if TYPE_CHECKING:
    from exports.styles import Theme
    from recruit_app.services.context import ServiceContext

log = logging.getLogger(__name__)

LOGO_SUFFIXES = (".png", ".jpg", ".jpeg")


def check_brand_colour(text: str) -> str:
    """The colour as #rrggbb, or a ValidationError saying what is wrong; empty is allowed."""
    from exports.styles import Theme

    text = text.strip()
    if not text:
        return ""
    try:
        return Theme(primary=text).primary
    except ValueError:
        raise ValidationError(
            f"{text!r} is not a colour: write it like #1d70b8.", "brand_colour"
        ) from None


def check_logo(text: str) -> str:
    """The logo's path if it is a readable PNG or JPEG file; empty is allowed."""
    text = text.strip()
    if not text:
        return ""
    path = Path(text).expanduser()
    if path.suffix.lower() not in LOGO_SUFFIXES:
        raise ValidationError("The logo must be a PNG or JPEG file.", "logo_path")
    if not path.is_file():
        raise ValidationError(f"There is no file at {path}.", "logo_path")
    return str(path)


MARKING_LIMIT = 60


def check_marking(text: str) -> str:
    """The protective marking as it is printed ("OFFICIAL-SENSITIVE"); empty for none."""
    text = " ".join(text.split())
    if len(text) > MARKING_LIMIT:
        raise ValidationError(
            f"Keep the marking to {MARKING_LIMIT} characters, like OFFICIAL-SENSITIVE.", "marking"
        )
    return text


def document_theme(ctx: ServiceContext, *, personal: bool = False) -> Theme:
    """The theme for a document. A colour or logo that no longer works (a moved file, say)
    is left out with a warning in the log rather than stopping the export. `personal`: the
    document holds personal data (a panel pack, the campaign report, a subject access
    record), so it wears the protective marking at the top and bottom of each page."""
    from exports.styles import Theme

    try:
        marking = check_marking(ctx.marking) if personal else ""
    except ValidationError:
        log.warning("Shortening the marking %r", ctx.marking)
        marking = ctx.marking[:MARKING_LIMIT]

    try:
        colour = check_brand_colour(ctx.brand_colour)
    except ValidationError:
        log.warning("Ignoring the brand colour %r", ctx.brand_colour)
        colour = ""
    try:
        logo = check_logo(ctx.logo_path)
    except ValidationError:
        log.warning("Ignoring the logo %r", ctx.logo_path)
        logo = ""
    if colour:
        return Theme(ctx.organisation, colour, Path(logo) if logo else None, marking)
    return Theme(ctx.organisation, logo_path=Path(logo) if logo else None, marking=marking)
