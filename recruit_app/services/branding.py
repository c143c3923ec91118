"""The organisation's look on documents: its name, colour, logo and protective marking,
kept in the database so every desk prints the same packs (a desk's own settings serve
until an administrator sets them there)."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recruit_app.errors import ValidationError

if TYPE_CHECKING:
    from sqlmodel import Session

    from exports.styles import Theme
    from recruit_app.services.context import ServiceContext

# app_setting keys: the words (JSON) and the logo's bytes (base64), apart so that reading
# the name never loads the picture.
ORGANISATION_SETTING = "organisation"
LOGO_SETTING = "organisation_logo"
LOGO_LIMIT = 2_000_000  # bytes: a logo, not a photograph
# 5,000 by 5,000: a bigger logo is a mistake, and a "bomb" of a few KB decodes to GB.
LOGO_PIXELS = 25_000_000
NAME_LIMIT = 200

log = logging.getLogger(__name__)

LOGO_SUFFIXES = (".png", ".jpg", ".jpeg")
# Control characters cannot be printed; lone surrogates (bytes of a command line that were
# not UTF-8) cannot be printed or stored as text.
_NOT_PRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


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
    if not text.strip():
        return ""
    # A file whose name starts or ends with a space is taken as named; else spaces typed
    # around a path are not part of it.
    path = Path(text).expanduser()
    if not path.is_file():
        path = Path(text.strip()).expanduser()
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
    from recruit_app.services.uow import unit_of_work

    with unit_of_work(ctx, read_only=True) as session:
        ctx = stored_theme_context(session, ctx)
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


# --- kept in the database ----------------------------------------------------------------


@dataclass(frozen=True)
class Organisation:
    """The organisation as documents print it."""

    name: str = ""
    colour: str = ""
    marking: str = ""
    logo_name: str = ""  # the file it came from, for the settings screen
    logo_size: int = 0
    in_database: bool = False  # set by an administrator for every desk

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "colour": self.colour,
            "marking": self.marking,
            "logo": self.logo_name,
            "logo_bytes": self.logo_size,
            "in_database": self.in_database,
        }


def read_organisation(session: Session) -> Organisation | None:
    """The organisation stored in the database, or None where no administrator set it."""
    from db.models import AppSetting

    setting = session.get(AppSetting, ORGANISATION_SETTING)
    if setting is None or not isinstance(setting.value, dict):
        return None
    value = setting.value
    return Organisation(
        str(value.get("name", "")),
        str(value.get("colour", "")),
        str(value.get("marking", "")),
        str(value.get("logo_name", "")),
        int(value.get("logo_size", 0)),
        True,
    )


def _logo_bytes(session: Session) -> bytes:
    from db.models import AppSetting

    setting = session.get(AppSetting, LOGO_SETTING)
    return base64.b64decode(setting.value) if setting is not None and setting.value else b""


def organisation_settings(ctx: ServiceContext) -> Organisation:
    """What documents print: the database's organisation, else this desk's settings."""
    from recruit_app.services.permissions import require
    from recruit_app.services.uow import unit_of_work

    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        stored = read_organisation(session)
    if stored is not None:
        return stored
    return Organisation(ctx.organisation, ctx.brand_colour, ctx.marking, ctx.logo_path)


def set_organisation(
    ctx: ServiceContext,
    *,
    name: str | None = None,
    colour: str | None = None,
    marking: str | None = None,
    logo: Path | None = None,
    clear_logo: bool = False,
    expected: Organisation | None = None,
) -> Organisation:
    """Set the organisation for every desk (administrators): checked, audited, in one
    transaction. A word left None stays as stored (where nothing is stored yet, as this
    desk's settings have it). `logo` a PNG or JPEG file read into the database; without it
    the stored logo stays, unless `clear_logo`. `expected`: the organisation as the person
    saw it; if someone has changed it since, nothing is saved (ConflictError)."""
    from db import audit
    from recruit_app.services.permissions import require
    from recruit_app.services.uow import unit_of_work

    require(ctx.actor, "settings.manage")
    if name is not None or colour is not None or marking is not None:
        _check_words(name or "", colour or "", marking or "")
    picture: bytes | None = None
    picture_name = ""
    if logo is not None:
        path = Path(check_logo(str(logo)))
        picture_name = path.name
        if path.stat().st_size > LOGO_LIMIT:
            raise ValidationError(
                f"The logo is over {LOGO_LIMIT // 1_000_000} MB: use a smaller picture.",
                "logo_path",
            )
        try:
            picture = path.read_bytes()
        except OSError as exc:
            raise ValidationError(
                f"Recruit could not read the logo {path.name}: {exc.strerror}.", "logo_path"
            ) from None
        _check_picture(picture)
    with unit_of_work(ctx) as session:
        from db.models import AppSetting

        # Held until the commit (PostgreSQL; SQLite writes one at a time): two people
        # saving at once save one after the other, the second checked against the first.
        session.get(AppSetting, ORGANISATION_SETTING, with_for_update=True)
        before = read_organisation(session)
        if expected is not None and _words(before) != _words(expected):
            _refuse_stale(session)
        kept = before or Organisation(ctx.organisation, ctx.brand_colour, ctx.marking)
        name, colour, marking = _check_words(
            kept.name if name is None else name,
            kept.colour if colour is None else colour,
            kept.marking if marking is None else marking,
        )
        kept = before or Organisation()
        logo_name, logo_size = kept.logo_name, kept.logo_size
        if picture is not None and logo is not None:
            logo_name, logo_size = picture_name, len(picture)
            _put(session, LOGO_SETTING, base64.b64encode(picture).decode("ascii"), ctx)
        elif clear_logo:
            logo_name, logo_size = "", 0
            _put(session, LOGO_SETTING, "", ctx)
        after = Organisation(name, colour, marking, logo_name, logo_size, True)
        value = {
            "name": name,
            "colour": colour,
            "marking": marking,
            "logo_name": logo_name,
            "logo_size": logo_size,
        }
        _put(session, ORGANISATION_SETTING, value, ctx)
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="setting.change",
            entity="app_setting",
            entity_id=None,
            summary="Changed the organisation printed on documents: "
            + (", ".join(_changed(before, after)) or "nothing"),
            before=before.to_json() if before else None,
            after=after.to_json(),
        )
        session.flush()
        return after


def _check_words(name: str, colour: str, marking: str) -> tuple[str, str, str]:
    """The name, colour and marking as stored, or a ValidationError naming the field."""
    name = " ".join(name.split())
    if len(name) > NAME_LIMIT:
        raise ValidationError(f"Keep the name to {NAME_LIMIT} characters.", "name")
    colour, marking = check_brand_colour(colour), check_marking(marking)
    for field, words in (("name", name), ("marking", marking)):
        if _NOT_PRINTABLE.search(words):
            raise ValidationError(
                f"The {field} holds a control character or bytes that are not text.", field
            )
    return name, colour, marking


def _words(organisation: Organisation | None) -> tuple[object, ...]:
    """What a person saw of the stored organisation (nothing stored: None)."""
    if organisation is None or not organisation.in_database:
        return ()
    o = organisation
    return (o.name, o.colour, o.marking, o.logo_name, o.logo_size)


def _refuse_stale(session: Session) -> None:
    from db.models import AppSetting
    from recruit_app.errors import ConflictError
    from recruit_app.services.uow import describe_moment

    setting = session.get(AppSetting, ORGANISATION_SETTING)
    who = setting.updated_by if setting is not None else ""
    when = setting.updated_at if setting is not None else None
    moment = f" on {describe_moment(when)}" if when is not None else ""
    raise ConflictError(
        f"The organisation's settings were changed by {who or 'someone else'}{moment}, "
        "after you opened them. Nothing was saved: open Settings again to see their change, "
        "then make yours.",
        changed_by=who,
        changed_at=when,
    )


def _changed(before: Organisation | None, after: Organisation) -> list[str]:
    was = before or Organisation()
    words = {"name": "its name", "colour": "its colour", "marking": "the marking"}
    found = [w for field, w in words.items() if getattr(was, field) != getattr(after, field)]
    if (was.logo_name, was.logo_size) != (after.logo_name, after.logo_size):
        found.append("the logo")
    return found


def _put(session: Session, key: str, value: Any, ctx: ServiceContext) -> None:
    from db.models import AppSetting
    from db.types import utcnow

    setting = session.get(AppSetting, key)
    if setting is None:
        session.add(AppSetting(key=key, value=value, updated_by=ctx.actor.name))
    else:
        setting.value, setting.updated_by, setting.updated_at = value, ctx.actor.name, utcnow()


def _check_picture(data: bytes) -> None:
    """A whole PNG or JPEG (what the renderers can print): by its first bytes, then decoded
    once, so that a file cut short or damaged is refused here, not in every pack later."""
    import io
    import warnings

    from PIL import Image  # ReportLab's own reader of pictures: what it opens, it prints

    if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")):
        raise ValidationError(
            "That file is not a picture Recruit can print: save it as PNG or JPEG.", "logo_path"
        )
    too_big = ValidationError(
        "The logo has too many pixels for a logo: use a smaller picture.", "logo_path"
    )
    try:
        with warnings.catch_warnings():
            # Pillow's own size guard: our smaller limit below says it in words instead.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > LOGO_PIXELS:
                    raise too_big
                image.load()  # decodes it all: a truncated file raises here
        if data.startswith(b"\x89PNG"):
            with Image.open(io.BytesIO(data)) as image:
                image.verify()  # the checksum of every chunk
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise too_big from None
    except Exception:  # Pillow raises many kinds (OSError, SyntaxError, ValueError, ...)
        raise ValidationError(
            "The logo file is damaged or cut short: save the picture again as PNG or JPEG.",
            "logo_path",
        ) from None


def printed_name(session: Session, ctx: ServiceContext) -> str:
    """The organisation's name as documents print it (the database's, else the desk's)."""
    stored = read_organisation(session)
    return stored.name if stored is not None else ctx.organisation


def stored_theme_context(session: Session, ctx: ServiceContext) -> ServiceContext:
    """`ctx` with the organisation stored in the database (when an administrator set it)
    in place of the desk's own settings; its logo written once to a private file."""
    stored = read_organisation(session)
    if stored is None:
        return ctx
    logo = ""
    if stored.logo_size:
        logo = str(_cached_logo(_logo_bytes(session)))
    return replace(
        ctx,
        organisation=stored.name,
        brand_colour=stored.colour,
        logo_path=logo,
        marking=stored.marking,
    )


def _cached_logo(data: bytes) -> Path:
    """The logo as a file the renderers can open, named by its content, owner-only."""
    from exports.files import atomic_output, make_private_folder
    from recruit_app import paths

    folder = make_private_folder(paths.data_dir() / "logos")
    suffix = ".png" if data.startswith(b"\x89PNG") else ".jpg"
    path = folder / f"logo-{hashlib.sha256(data).hexdigest()[:16]}{suffix}"
    if not path.exists():
        with atomic_output(path) as handle:
            handle.write(data)
    return path
