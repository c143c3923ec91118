"""The `recruit-app` command: the desktop app by default, subcommands for scripting.

Only the standard library is imported at module level, so `recruit-app` paints its
window (or prints `--version`) without paying for the data layer first.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recruit_app import __version__
from recruit_app.domain.dates import short_date
from recruit_app.errors import RecruitError
from recruit_app.vocabulary import CampaignStatus, Outcome, PanelRole, Role, SlotStatus, StageKind

PASSWORD_ENV = "RECRUIT_APP_PASSWORD"
USER_ENV = "RECRUIT_APP_USER"
EXIT_USER_ERROR = 1
EXIT_INTERNAL_ERROR = 70
EXIT_CLOSED_PIPE = 128 + 13  # as a shell reports a command ended by SIGPIPE

if TYPE_CHECKING:
    from db.database import Database
    from recruit_app.services.context import Actor, ServiceContext
    from recruit_app.settings import Settings

log = logging.getLogger("recruit_app")


# --- helpers -------------------------------------------------------------------------


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def _context(
    args: argparse.Namespace, *, migrate: bool = True, sign_in: bool = True
) -> ServiceContext:
    from recruit_app.services.context import Actor, ServiceContext
    from recruit_app.services.database import open_db
    from recruit_app.settings import Settings, resolve_database_url

    settings = Settings()
    db = open_db(resolve_database_url(args.db, settings), migrate=migrate)
    if db.backup_made:
        print(f"Backed up the database to {db.backup_made} before upgrading it.", file=sys.stderr)
    try:
        # A shared PostgreSQL database whose URL names nobody cannot even be read until
        # someone signs in: each person connects as their own role.
        actor = (
            _actor(db, args, settings)
            if sign_in or db.awaiting_sign_in
            else Actor.local_owner(_your_name(args, settings))
        )
    except BaseException:
        db.dispose()
        raise
    return ServiceContext(
        db=db,
        actor=actor,
        organisation=settings.get("organisation_name"),
        brand_colour=settings.get("brand_colour"),
        logo_path=settings.get("logo_path"),
        marking=settings.get("protective_marking"),
    )


def _password(prompt: str, *, twice: bool = False) -> str:
    """From RECRUIT_APP_PASSWORD, or typed at a prompt that does not echo it."""
    import getpass

    from recruit_app.errors import ValidationError

    given = os.environ.get(PASSWORD_ENV)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise ValidationError(f"Give the password in {PASSWORD_ENV}, or run this in a terminal.")
    password = getpass.getpass(prompt)
    if twice and getpass.getpass("The same again: ") != password:
        raise ValidationError("The two passwords differ; nothing was changed.")
    return password


def _your_name(args: argparse.Namespace, settings: Settings | None) -> str:
    """The name to act under where nobody signs in: --your-name, else the desk's setting."""
    from recruit_app.settings import Settings

    return getattr(args, "your_name", None) or (settings or Settings()).get("your_name")


def _actor(db: Database, args: argparse.Namespace, settings: Settings | None = None) -> Actor:
    """Who the command acts as: `--user` signed in, else the desktop's owner where allowed."""
    from recruit_app.errors import PermissionDenied
    from recruit_app.services.auth import has_administrator, sign_in, sign_in_required
    from recruit_app.services.context import Actor

    user = getattr(args, "user", None) or os.environ.get(USER_ENV)
    if user:
        return sign_in(db, user, _password(f"Password for {user}: "))
    if not sign_in_required(db):
        return Actor.local_owner(_your_name(args, settings))
    if not has_administrator(db):
        raise PermissionDenied(
            "This database asks everyone to sign in and has no administrator yet: create one "
            "with recruit-app users create-admin --email EMAIL --name NAME."
        )
    raise PermissionDenied(
        f"This database asks everyone to sign in: add --user EMAIL (the password is asked "
        f"for, or read from {PASSWORD_ENV})."
    )


def _table(rows: Sequence[Sequence[object]], headers: list[str]) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=False)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    for row in rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)))


# --- db ------------------------------------------------------------------------------


def cmd_db_info(args: argparse.Namespace) -> int:
    from recruit_app.services.database import database_info

    ctx = _context(args, migrate=False, sign_in=False)  # support: no personal data shown
    try:
        info = database_info(ctx.db)
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json(info.to_json())
        return 0
    print(f"{'Backend:':<14}{info.backend}")
    print(f"{'Database:':<14}{info.location}")
    state = "up to date" if info.up_to_date else f"upgrade available to {info.head_revision}"
    print(f"{'Schema:':<14}{info.revision or 'not set up yet'} ({state})")
    for name, count in info.counts.items():
        print(f"{name.replace('_', ' ').capitalize() + ':':<14}{count}")
    return 0


def _as_owner(args: argparse.Namespace, what: str) -> None:
    """Schema upgrades and the first administrator are the database owner's work: on a
    shared PostgreSQL database the URL must name the owner, not leave it to sign-in."""
    from recruit_app.errors import ValidationError
    from recruit_app.settings import Settings, resolve_database_url

    url = resolve_database_url(args.db, Settings())
    if url.startswith("postgres") and "@" not in url.split("://", 1)[-1].split("/", 1)[0]:
        raise ValidationError(
            f"{what} is the database owner's work: give --db a URL that names the owner, "
            "e.g. postgresql://recruit_owner@server:5432/recruit (the password from "
            "PGPASSWORD or ~/.pgpass)."
        )


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    _as_owner(args, "Upgrading the schema")
    ctx = _context(args, migrate=True, sign_in=False)
    print(f"{ctx.db.target.display} is at schema {ctx.db.revision}, the newest this version knows.")
    ctx.db.dispose()
    return 0


def cmd_db_backup(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from recruit_app.services.database import backup_database

    ctx = _context(args, sign_in=False)
    try:
        if ctx.db.backend == "sqlite":
            ctx = replace(ctx, actor=_actor(ctx.db, args))
        path = backup_database(ctx, Path(args.path))
    finally:
        ctx.db.dispose()
    print(f"Backed up {ctx.db.target.display} to {path}.")
    return 0


# --- people and sign-in ----------------------------------------------------------------


def cmd_users_create_admin(args: argparse.Namespace) -> int:
    from recruit_app.services.auth import create_first_administrator

    _as_owner(args, "Setting up the first administrator")
    ctx = _context(args, sign_in=False)
    try:
        password = _password(f"Password for {args.email}: ", twice=True)
        actor = create_first_administrator(
            ctx.db, email=args.email, name=args.name, password=password
        )
    finally:
        ctx.db.dispose()
    print(f"{actor.name} is the administrator; sign in with {args.email.strip().lower()}.")
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    from recruit_app.services.people import list_people

    ctx = _context(args)
    try:
        people = list_people(ctx)
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json(
            [
                {
                    "name": p.name,
                    "email": p.email,
                    "role": p.role,
                    "active": p.active,
                    "can_sign_in": p.can_sign_in,
                    "panels": list(p.panels),
                    "db_role": p.db_role,
                }
                for p in people
            ]
        )
        return 0
    _table(
        [[p.name, p.email, Role.label_for(p.role), "yes" if p.active else "no"] for p in people],
        ["Name", "E-mail", "Role", "Active"],
    )
    return 0


def cmd_users_password(args: argparse.Namespace) -> int:
    from recruit_app.errors import NotFound
    from recruit_app.services.auth import reset_password
    from recruit_app.services.people import list_people

    ctx = _context(args)
    try:
        wanted = args.email.strip().lower()
        person = next((p for p in list_people(ctx) if p.email == wanted), None)
        if person is None:
            raise NotFound(f"Nobody with the e-mail {wanted} is listed.")
        reset_password(ctx, person.id, _password(f"New password for {wanted}: ", twice=True))
    finally:
        ctx.db.dispose()
    print(f"{person.name} can now sign in with the new password.")
    return 0


def cmd_users_require_sign_in(args: argparse.Namespace) -> int:
    from recruit_app.services.auth import set_sign_in_required

    ctx = _context(args)
    try:
        set_sign_in_required(ctx, args.state == "on")
    finally:
        ctx.db.dispose()
    print("Everyone now signs in." if args.state == "on" else "Sign-in is off on this desk.")
    return 0


# --- data protection ---------------------------------------------------------------------


def cmd_retention_purge(args: argparse.Namespace) -> int:
    from recruit_app.services.retention import purge

    ctx = _context(args)
    try:
        report = purge(ctx, dry_run=args.dry_run)
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json(report.to_json())
        return 0
    verb = "Would erase" if args.dry_run else "Erased"
    print(
        f"{verb} the personal data of {len(report.candidates)} candidates "
        f"(retention period {report.months} months)."
    )
    for due in report.candidates:
        print(f"  {due.campaign_reference} {due.candidate_number}: {due.reason}")
    return 0


def _candidate_id(
    ctx: ServiceContext, reference: str, number: str, stage_id: int | None = None
) -> int:
    """The candidate's id; with `stage_id`, among those who reached the stage (as a panel
    member may look them up)."""
    from recruit_app.errors import NotFound
    from recruit_app.services.candidates import list_candidates

    for candidate in list_candidates(ctx, _campaign_id(ctx, reference), stage_id=stage_id):
        if candidate.candidate_number == number.strip():
            return candidate.id
    raise NotFound(f"{reference} has no candidate numbered {number!r}.")


def cmd_candidates_export_data(args: argparse.Namespace) -> int:
    from recruit_app.services.candidate_data import export_candidate_record

    ctx = _context(args)
    try:
        path = export_candidate_record(
            ctx, _candidate_id(ctx, args.reference, args.number), Path(args.out)
        )
    finally:
        ctx.db.dispose()
    print(f"Wrote everything held about candidate {args.number} to {path}")
    return 0


def cmd_candidates_erase(args: argparse.Namespace) -> int:
    from recruit_app.errors import ValidationError
    from recruit_app.services.retention import erase_candidate

    if not args.yes:
        raise ValidationError("Erasing cannot be undone: add --yes to confirm.")
    ctx = _context(args)
    try:
        erase_candidate(
            ctx, _candidate_id(ctx, args.reference, args.number), reason=args.reason or ""
        )
    finally:
        ctx.db.dispose()
    print(f"Erased candidate {args.number}'s personal data; their scores stay, anonymous.")
    return 0


# --- campaigns -----------------------------------------------------------------------


def cmd_campaign_list(args: argparse.Namespace) -> int:
    # Plain SQL for whoever sees every campaign: scripts run this often (see the module).
    from recruit_app.services.campaign_list import list_campaigns

    ctx = _context(args)
    try:
        campaigns = list_campaigns(ctx, include_archived=args.all)
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json([c.to_json() for c in campaigns])
    elif not campaigns:
        print("No campaigns yet. Create one with: recruit-app campaign create --title TITLE")
    else:
        rows = [
            [
                c.reference,
                c.title,
                CampaignStatus.label_for(c.status) + (" (archived)" if c.archived else ""),
            ]
            for c in campaigns
        ]
        _table(rows, ["Reference", "Title", "Status"])
    return 0


def cmd_campaign_create(args: argparse.Namespace) -> int:
    from recruit_app.services.campaign_files import create_from_template
    from recruit_app.services.campaigns import create_campaign

    ctx = _context(args)
    try:
        if args.template:
            campaign = create_from_template(
                ctx, args.template, title=args.title, reference=args.reference
            )
        else:
            campaign = create_campaign(ctx, title=args.title, reference=args.reference)
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json(campaign.to_json())
    else:
        print(f"Created campaign {campaign.reference}: {campaign.title}")
    return 0


def cmd_campaign_show(args: argparse.Namespace) -> int:
    from recruit_app.services.campaigns import show_campaign

    ctx = _context(args)
    try:
        detail = show_campaign(ctx, args.reference)
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json(detail.to_json())
        return 0
    s = detail.summary
    print(f"{s.reference}: {s.title}")
    status = CampaignStatus.label_for(s.status)
    print(f"Status:     {status}{' (archived)' if s.archived else ''}")
    if detail.grade:
        print(f"Grade:      {detail.grade}")
    if detail.closes_at:
        closes = detail.closes_at.astimezone()
        print(f"Closes:     {short_date(closes.date())} {closes:%H:%M}")
    print(f"Stages:     {', '.join(detail.stages) or 'none yet'}")
    print(f"Candidates: {detail.candidate_count}")
    return 0


def _campaign_change(args: argparse.Namespace, change: Callable[..., Any]) -> Any:
    from recruit_app.services.campaigns import find_campaign

    ctx = _context(args)
    try:
        campaign = find_campaign(ctx, args.reference)
        return change(ctx, campaign)
    finally:
        ctx.db.dispose()


def cmd_campaign_rename(args: argparse.Namespace) -> int:
    from recruit_app.services.campaigns import rename_campaign

    result = _campaign_change(
        args, lambda ctx, c: rename_campaign(ctx, c.id, title=args.title, expected_version=None)
    )
    print(f"Renamed {result.reference} to {result.title}")
    return 0


def cmd_campaign_archive(args: argparse.Namespace) -> int:
    from recruit_app.services.campaigns import set_archived

    archived = not args.undo
    result = _campaign_change(
        args, lambda ctx, c: set_archived(ctx, c.id, archived=archived, expected_version=None)
    )
    print(f"{'Archived' if archived else 'Restored'} {result.reference}")
    return 0


def cmd_campaign_delete(args: argparse.Namespace) -> int:
    from recruit_app.services.campaigns import delete_campaign

    if not args.yes:
        print(
            f"Deleting {args.reference} removes its advert, stages, candidates and scores. "
            "Run again with --yes to confirm.",
            file=sys.stderr,
        )
        return EXIT_USER_ERROR
    _campaign_change(args, lambda ctx, c: delete_campaign(ctx, c.id, expected_version=None))
    print(f"Deleted {args.reference}")
    return 0


def cmd_campaign_export(args: argparse.Namespace) -> int:
    from recruit_app.services.campaign_files import export_campaign

    ctx = _context(args)
    try:
        path = export_campaign(ctx, args.reference, Path(args.path))
    finally:
        ctx.db.dispose()
    print(f"Wrote the definition of {args.reference} to {path}")
    return 0


def cmd_campaign_import(args: argparse.Namespace) -> int:
    from recruit_app.services.campaign_files import import_campaign

    ctx = _context(args)
    try:
        campaign = import_campaign(ctx, Path(args.path), reference=args.reference, title=args.title)
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json(campaign.to_json())
    else:
        print(f"Imported campaign {campaign.reference}: {campaign.title}")
    return 0


# --- the template library ------------------------------------------------------------


def cmd_templates_list(args: argparse.Namespace) -> int:
    from recruit_app.services.library import list_library

    ctx = _context(args)
    try:
        entries = list_library(ctx, include_retired=args.all)
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json([e.to_json() for e in entries])
    else:
        rows = [
            [e.code, e.kind, e.name, e.detail, "built in" if e.builtin else "yours"]
            for e in entries
        ]
        _table(rows, ["Code", "Kind", "Name", "Edition/grade", "Source"])
    return 0


def cmd_templates_show(args: argparse.Namespace) -> int:
    from recruit_app.domain.library_format import framework_to_dict, role_template_to_dict
    from recruit_app.services.library import find_entry, get_framework, get_template

    ctx = _context(args)
    try:
        if find_entry(ctx, args.code) == "framework":
            framework = get_framework(ctx, args.code)
            data = {"kind": "framework", **framework_to_dict(framework.definition)}
            builtin, retired = framework.builtin, framework.retired
        else:
            template = get_template(ctx, args.code)
            data = {"kind": "template", **role_template_to_dict(template.definition)}
            builtin, retired = template.builtin, template.retired
        data.update({"builtin": builtin, "retired": retired})
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json(data)
        return 0
    name = data.get("name") or data.get("title")
    print(f"{data['code']}: {name} ({data['kind']}{', built in' if builtin else ''})")
    for item in data["criteria"]:
        title = item.get("name") or item.get("title")
        level = item.get("level")
        levels = [lv["level"] for lv in item.get("levels", [])]
        if levels:
            detail = f"levels {min(levels)}-{max(levels)}"
        else:
            detail = f"level {level}" if level else ""
        print(f"  {item['code']:<12} {item.get('element', ''):<4} {title}  {detail}".rstrip())
    return 0


def cmd_templates_export(args: argparse.Namespace) -> int:
    from recruit_app.services.library_files import export_entry

    ctx = _context(args)
    try:
        path = export_entry(ctx, args.code, Path(args.path), args.format)
    finally:
        ctx.db.dispose()
    print(f"Wrote {args.code} to {path}")
    return 0


def cmd_templates_import(args: argparse.Namespace) -> int:
    from recruit_app.services.library_files import import_file

    ctx = _context(args)
    try:
        report = import_file(ctx, Path(args.path))
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json(report.to_json())
    else:
        verb = "Added" if report.created else "Replaced"
        print(f"{verb} the {report.kind} {report.code}: {report.name} ({report.criteria} criteria)")
    return 0


# --- adverts -------------------------------------------------------------------------


def cmd_advert_export(args: argparse.Namespace) -> int:
    from recruit_app.services.adverts import campaign_id_for, export_advert

    ctx = _context(args)
    try:
        path = export_advert(
            ctx,
            campaign_id_for(ctx, args.reference),
            Path(args.out),
            args.format,
            published=args.published,
            on_warning=_warn,
        )
    finally:
        ctx.db.dispose()
    print(f"Wrote the advert for {args.reference} to {path}")
    return 0


def _warn(text: str) -> None:
    """A warning beside the output (the file was written): on standard error."""
    print(f"recruit-app: warning: {text}", file=sys.stderr)


def cmd_advert_check(args: argparse.Namespace) -> int:
    from recruit_app.services.adverts import campaign_id_for, check_campaign_advert

    ctx = _context(args)
    try:
        findings = check_campaign_advert(ctx, campaign_id_for(ctx, args.reference))
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json([f.to_json() for f in findings])
    elif not findings:
        print("No problems found.")
    else:
        for f in findings:
            print(f"{f.severity:<8} {f.field:<22} {f.message}")
    return 0


def cmd_advert_publish(args: argparse.Namespace) -> int:
    from recruit_app.services.adverts import campaign_id_for, publish_advert

    ctx = _context(args)
    try:
        form = publish_advert(ctx, campaign_id_for(ctx, args.reference), expected_version=None)
    finally:
        ctx.db.dispose()
    print(f"Published version {form.published_version} of the advert for {form.reference}")
    return 0


# --- stages, timetable and slots -----------------------------------------------------


def _stage_id(ctx: ServiceContext, reference: str, name: str) -> int:
    from recruit_app.errors import NotFound
    from recruit_app.services.adverts import campaign_id_for
    from recruit_app.services.stages import stages_overview

    overview = stages_overview(ctx, campaign_id_for(ctx, reference))
    for stage in overview.stages:
        if stage.name.casefold() == name.strip().casefold():
            return stage.id
    names = ", ".join(s.name for s in overview.stages) or "none"
    raise NotFound(f"{reference} has no stage called {name!r} (its stages: {names}).")


def cmd_stages_list(args: argparse.Namespace) -> int:
    from recruit_app.services.adverts import campaign_id_for
    from recruit_app.services.stages import stages_overview

    ctx = _context(args)
    try:
        overview = stages_overview(ctx, campaign_id_for(ctx, args.reference))
    finally:
        ctx.db.dispose()
    lead = list(overview.lead)
    if args.json:
        # A list of stages, as before; each carries the campaign's ordered lead criteria.
        _print_json([{**s.to_json(), "lead": lead} for s in overview.stages])
        return 0
    if lead:
        print(f"lead criteria, in tie-break order: {', '.join(lead)}")
    for stage in overview.stages:
        dates = " to ".join(d.isoformat() for d in (stage.starts_on, stage.ends_on) if d)
        blind = ", name-blind" if stage.name_blind else ""
        kind = StageKind.label_for(stage.kind)
        print(f"{stage.position + 1}. {stage.name} ({kind}{blind}) {dates}".rstrip())
        assessed = ", ".join(
            c.code + (f" (on {c.scale})" if c.scale and c.scale != stage.scale else "")
            for c in stage.cells
        )
        print(f"   assesses: {assessed or 'nothing yet'}")
        panel = "; ".join(
            f"{p.name} ({PanelRole.phrase_for(p.role)}, panel {p.panel_number})"
            for p in stage.panel
        )
        print(f"   panel: {panel or 'nobody yet'}")
    for finding in overview.findings:
        print(f"{finding.severity}: {finding.message}")
    return 0


def cmd_stages_plan(args: argparse.Namespace) -> int:
    from recruit_app.services.plans import stage_plan

    ctx = _context(args)
    try:
        plan = stage_plan(ctx, _stage_id(ctx, args.reference, args.stage))
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json(plan.to_json())
        return 0
    print(f"Question plan: {plan.stage_name}")
    number = 0
    for cell in plan.cells:
        print(f"{cell.code} {cell.title}")
        if not cell.questions:
            print("   no questions yet")
        for question in cell.questions:
            number += 1
            unseen = ", unseen" if question.unseen else ""
            sent = f", sent {question.sent_on.isoformat()}" if question.sent_on else ""
            print(f"   {number}. {question.text} ({question.minutes} min{unseen}{sent})")
            for probe in question.probes:
                print(f"      - {probe}")
    slots = f"; slots {plan.slot_minutes} minutes" if plan.slot_minutes else ""
    print(f"Total: {plan.total_minutes} minutes{slots}")
    for finding in plan.findings:
        print(f"{finding.severity}: {finding.message}")
    return 0


def cmd_stages_deviation(args: argparse.Namespace) -> int:
    from recruit_app.services.plans import record_deviation

    ctx = _context(args)
    try:
        stage_id = _stage_id(ctx, args.reference, args.stage)
        candidate_id = _candidate_id(ctx, args.reference, args.candidate, stage_id)
        view = record_deviation(ctx, stage_id, candidate_id, args.note)
    finally:
        ctx.db.dispose()
    print(f"Recorded a departure from the question plan with candidate {view.candidate_number}.")
    return 0


def cmd_stages_deviations(args: argparse.Namespace) -> int:
    from recruit_app.domain.dates import in_london
    from recruit_app.services.plans import stage_deviations

    ctx = _context(args)
    try:
        found = stage_deviations(ctx, _stage_id(ctx, args.reference, args.stage))
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json([d.to_json() for d in found])
        return 0
    if not found:
        print("No departures from the plan recorded.")
        return 0
    _table(
        [
            [
                d.candidate_number,
                f"{in_london(d.recorded_at):%Y-%m-%d %H:%M}",
                d.recorded_by,
                " ".join(d.note.split()),
            ]
            for d in found
        ],
        ["Candidate", "Recorded", "By", "Note"],
    )
    return 0


def cmd_timetable(args: argparse.Namespace) -> int:
    from recruit_app.services.adverts import campaign_id_for
    from recruit_app.services.timetable import get_timetable

    ctx = _context(args)
    try:
        view = get_timetable(ctx, campaign_id_for(ctx, args.reference))
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json(view.to_json())
        return 0
    for entry in view.entries:
        when = " to ".join(short_date(d) for d in (entry.starts_on, entry.ends_on) if d)
        print(f"{when:<34} {entry.label}")
    for finding in view.findings:
        print(f"{finding.severity}: {finding.message}")
    return 0


def cmd_slots_plan(args: argparse.Namespace) -> int:
    from recruit_app.services.slots import allocate_stage, generate_slots, list_slots

    ctx = _context(args)
    try:
        stage_id = _stage_id(ctx, args.reference, args.stage)
        view = list_slots(ctx, stage_id)
        if not view.slots:
            view = generate_slots(ctx, stage_id)
        unplaced: tuple[tuple[str, str], ...] = ()
        if args.auto:
            report = allocate_stage(ctx, stage_id)
            view, unplaced = report.view, report.unplaced
    finally:
        ctx.db.dispose()
    if args.json:
        data = view.to_json()
        data["unplaced"] = [{"candidate": c, "reason": r} for c, r in unplaced] or [
            {"candidate": c, "reason": "not allocated yet"} for c in view.waiting
        ]
        _print_json(data)
        return 0
    for slot in view.slots:
        row = slot.to_json()
        print(
            f"{row['date']} {row['time']}  panel {row['panel']}  "
            f"{row['candidate'] or '(open)'}  {SlotStatus.label_for(row['status'])}"
        )
    for candidate, reason in unplaced:
        print(f"not placed: {candidate}: {reason}")
    return 0


def cmd_slots_list(args: argparse.Namespace) -> int:
    from recruit_app.domain.dates import london_date, london_time
    from recruit_app.services.slots import list_slots

    ctx = _context(args)
    try:
        view = list_slots(ctx, _stage_id(ctx, args.reference, args.stage))
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json([slot.to_list_json() for slot in view.slots])
        return 0
    for slot in view.slots:
        when = f"{short_date(london_date(slot.starts_at))} {london_time(slot.starts_at)}"
        # The service's label: the number alone where the stage is name-blind.
        print(
            f"{when}-{london_time(slot.ends_at)}  panel {slot.panel_number}  "
            f"{slot.candidate_label or '(open)'}  {SlotStatus.label_for(slot.status)}"
        )
    return 0


def cmd_slots_cancel(args: argparse.Namespace) -> int:
    from recruit_app.domain.dates import london_date, london_time
    from recruit_app.errors import NotFound
    from recruit_app.services.slots import cancel_slot, list_slots

    number = args.candidate.strip()
    ctx = _context(args)
    try:
        view = list_slots(ctx, _stage_id(ctx, args.reference, args.stage))
        slot = next(
            (
                s
                for s in view.slots
                if s.status == SlotStatus.BOOKED
                and s.candidate_number.casefold() == number.casefold()
            ),
            None,
        )
        if slot is None:
            raise NotFound(f"Candidate {number} has no booked slot at {view.stage_name}.")
        # The same use case as the Interview slots tab: its permission and version checks.
        cancel_slot(ctx, slot.id, expected_version=slot.version)
    finally:
        ctx.db.dispose()
    when = f"{short_date(london_date(slot.starts_at))} {london_time(slot.starts_at)}"
    print(
        f"Cancelled candidate {slot.candidate_number}'s slot at {when} ({view.stage_name}); "
        "export the calendars to send the cancellation."
    )
    return 0


def cmd_export_ics(args: argparse.Namespace) -> int:
    from recruit_app.services.slots import export_calendars

    ctx = _context(args)
    try:
        written = export_calendars(ctx, _stage_id(ctx, args.reference, args.stage), Path(args.out))
    finally:
        ctx.db.dispose()
    for path in written:
        print(path)
    return 0


def cmd_export_pack(args: argparse.Namespace) -> int:
    from recruit_app.services.packs import export_pack, pack_kind

    kind = pack_kind(args.kind)
    ctx = _context(args)
    try:
        campaign_id = _campaign_id(ctx, args.reference)
        stage_id = _stage_id(ctx, args.reference, args.stage) if args.stage else None
        if kind.key == "letters" and stage_id is not None:
            from recruit_app.services.letters import letters_warnings

            # Said before writing: a later date has passed, feedback names a met criterion.
            for warning in letters_warnings(ctx, stage_id):
                print(f"Warning: {warning}", file=sys.stderr)
        member = None
        if args.member:
            from recruit_app.cli_more import _person

            member = _person(ctx, args.member).id
        written = export_pack(
            ctx,
            campaign_id,
            kind.key,
            Path(args.out),
            stage_id=stage_id,
            merge=args.merge,
            fmt=args.format,
            on_warning=_warn,
            with_applications=args.with_applications,
            chair_copy=args.chair_copy,
            member=member,
        )
    finally:
        ctx.db.dispose()
    if len(written) == 1:
        copy = " (the chair's copy)" if args.chair_copy else ""
        copy = f" ({args.member}'s own copy)" if args.member else copy
        print(f"Wrote the {kind.name.lower()}{copy} to {written[0]}")
    else:
        print(f"Wrote {len(written)} {kind.name.lower()} to {Path(args.out)}")
    return 0


# --- candidates, scores and results --------------------------------------------------


def _campaign_id(ctx: ServiceContext, reference: str) -> int:
    from recruit_app.services.adverts import campaign_id_for

    return campaign_id_for(ctx, reference)


def cmd_candidates_import(args: argparse.Namespace) -> int:
    from recruit_app.domain.candidate_import import parse_overrides
    from recruit_app.services.candidates import import_candidates

    overrides = parse_overrides(args.map or [])
    ctx = _context(args)
    try:
        report = import_candidates(
            ctx,
            _campaign_id(ctx, args.reference),
            Path(args.file),
            overrides=overrides,
            dry_run=args.dry_run,
        )
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json(report.to_json())
    else:
        verb = "Would import" if report.dry_run else "Imported"
        print(f"{verb} {report.imported} candidates; skipped {len(report.skipped)} rows.")
        for problem in report.skipped:
            print(f"  line {problem.line}: {problem.message}")
    return 0


def cmd_applications_import(args: argparse.Namespace) -> int:
    from recruit_app.domain.application_import import parse_overrides
    from recruit_app.services.applications import import_applications

    overrides = parse_overrides(args.map or [])
    ctx = _context(args)
    try:
        report = import_applications(
            ctx,
            _campaign_id(ctx, args.reference),
            Path(args.file) if args.file else None,
            documents=Path(args.documents) if args.documents else None,
            overrides=overrides,
            dry_run=args.dry_run,
        )
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json(report.to_json())
        return 0
    verb = "Would import" if report.dry_run else "Imported"
    print(
        f"{verb} the applications of {report.imported} candidates ({report.parts} parts, "
        f"{report.documents} documents); skipped {len(report.skipped)}."
    )
    for problem in report.skipped:
        where = f"line {problem.line}" if problem.line is not None else problem.file
        column = f" ({problem.column})" if problem.column else ""
        print(f"  {where}{column}: {problem.reason}")
    for flag in report.over_limit:
        print(
            f"  candidate {flag.candidate_number}, {flag.part}: {flag.words} words, "
            f"over the limit of {flag.limit} (kept in full)"
        )
    for flag in report.no_text:
        print(f"  {flag.file}: no text: needs reading in the original")
    return 0


def cmd_applications_show(args: argparse.Namespace) -> int:
    from recruit_app.services.applications import show_application

    ctx = _context(args)
    try:
        stage_id = _stage_id(ctx, args.reference, args.stage) if args.stage else None
        view = show_application(
            ctx,
            _campaign_id(ctx, args.reference),
            args.number,
            stage_id=stage_id,
            criterion=args.criterion,
            redacted=args.redacted,
        )
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json(view.to_json())
        return 0
    shown = " (name-blind)" if view.redacted else ""
    print(f"Candidate {view.candidate_number}{shown}")
    if not view.parts:
        print("No application has been imported for this candidate.")
    for part in view.parts:
        limit = f", limit {part.limit}" if part.limit else ""
        over = " OVER THE LIMIT" if part.over_limit else ""
        print(f"\n== {part.heading} ({part.words} words{limit}){over}")
        print(part.text if part.text else f"({part.note or 'no text'})")
    return 0


def cmd_candidates_list(args: argparse.Namespace) -> int:
    from recruit_app.services.candidates import list_candidates

    ctx = _context(args)
    try:
        campaign_id = _campaign_id(ctx, args.reference)
        stage_id = _stage_id(ctx, args.reference, args.stage) if args.stage else None
        people = list_candidates(ctx, campaign_id, stage_id=stage_id)
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json([c.to_json() for c in people])
    else:
        _table(
            [[c.candidate_number, c.label, c.status] for c in people],
            ["Number", "Candidate", "Status"],
        )
    return 0


def cmd_candidates_add(args: argparse.Namespace) -> int:
    from recruit_app.services.candidates import add_candidate

    values = {
        "first_name": args.first_name,
        "last_name": args.last_name,
        "email": args.email,
        "phone": args.phone,
        "candidate_number": args.number,
        "guaranteed_interview": args.guaranteed_interview,
        "redeployment": args.redeployment,
        "adjustments": args.adjustments,
        "extra_minutes": args.extra_minutes,
        "unavailable_dates": args.unavailable or [],
    }
    ctx = _context(args)
    try:
        added = add_candidate(ctx, _campaign_id(ctx, args.reference), values)
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json(added.to_json())
    else:
        print(f"Added candidate {added.candidate_number}: {added.first_name} {added.last_name}.")
    return 0


def cmd_scores_import(args: argparse.Namespace) -> int:
    from recruit_app.services.score_files import import_scores_file

    ctx = _context(args)
    try:
        stage_id = _stage_id(ctx, args.reference, args.stage)
        campaign_id = _campaign_id(ctx, args.reference)
        report = import_scores_file(ctx, campaign_id, stage_id, Path(args.file))
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json(report.to_json())
    else:
        print(f"Imported {report.imported} scores ({report.replaced} replaced earlier ones).")
    return 0


def cmd_scores_workbook(args: argparse.Namespace) -> int:
    from sqlmodel import select

    from db.models import Person, id_of
    from recruit_app.errors import NotFound
    from recruit_app.services.scoring import export_workbook

    ctx = _context(args)
    try:
        with ctx.db.session(read_only=True) as session:
            person = session.exec(
                select(Person).where(Person.email == args.assessor.strip().lower())
            ).first()
        if person is None:
            raise NotFound(f"Nobody has the e-mail {args.assessor!r}.")
        path = export_workbook(
            ctx, _campaign_id(ctx, args.reference), id_of(person), Path(args.out)
        )
    finally:
        ctx.db.dispose()
    print(f"Wrote the scoring workbook for {person.name} to {path}")
    return 0


def cmd_results(args: argparse.Namespace) -> int:
    from recruit_app.services.results import export_results, stage_results

    ctx = _context(args)
    try:
        stage_id = _stage_id(ctx, args.reference, args.stage)
        if args.override or args.clear_override:
            _override(ctx, args, stage_id)
        view = stage_results(ctx, stage_id)
        if args.export:
            path = export_results(ctx, stage_id, Path(args.export))
            print(f"Wrote the results to {path}")
            if view.notice:
                print(view.notice, file=sys.stderr)
            return 0
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json([r.to_json() for r in view.rows])
        if view.notice:  # the rule in words, beside the JSON rather than inside it
            print(view.notice, file=sys.stderr)
        return 0
    _table(
        [
            [
                r.rank or "-",
                r.label,
                "" if r.total is None else f"{r.total:.2f}",
                "after yours" if r.withheld else "yes" if r.passed else "no",
                Outcome.label_for(r.outcome) if r.outcome else "",
            ]
            for r in view.rows
        ],
        ["Rank", "Candidate", "Total", "Passed", "Outcome"],
    )
    for blocker in view.blockers:
        print(f"blocks finalising: {blocker}")
    if view.notice:
        print(view.notice)
    return 0


def _override(ctx: ServiceContext, args: argparse.Namespace, stage_id: int) -> None:
    """The chair's override of one candidate's overall score, or taking it away."""
    from recruit_app.errors import ValidationError
    from recruit_app.services.results import clear_override, override_overall

    if args.clear_override:
        clear_override(
            ctx, stage_id, _candidate_id(ctx, args.reference, args.clear_override, stage_id)
        )
        print(f"The overall score of candidate {args.clear_override} is its total again.")
        return
    if args.score is None or not (args.reason or "").strip():
        raise ValidationError("Give the overriding score with --score and why with --reason.")
    override_overall(
        ctx,
        stage_id,
        _candidate_id(ctx, args.reference, args.override, stage_id),
        args.score,
        args.reason,
    )
    print(f"Overrode the overall score of candidate {args.override}: {args.score:g}.")


# --- demo ----------------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    from recruit_app.services.demo import build_demo

    ctx = _context(args)
    try:
        report = build_demo(ctx, reset=args.reset)
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json(report.to_json())
    elif report.created:
        print(f"Built the demo campaign {report.reference}: {report.title}.")
    else:
        print(
            f"The demo campaign {report.reference} is already there; nothing was added. "
            "Use --reset to rebuild it."
        )
    return 0


# --- the GUI -------------------------------------------------------------------------


def cmd_gui(args: argparse.Namespace) -> int:
    # The one place the core reaches the interface: the GUI entry point.
    from ui.app import run_gui

    return run_gui(db_url=args.db, your_name=args.your_name)


# --- parser --------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="recruit-app",
        description="Recruit: competency-based recruitment campaigns. "
        "Without a command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"recruit-app {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database: a SQLite file path or a PostgreSQL URL "
        "(default: $RECRUIT_APP_DB, then the setting, then the file in your data folder)",
    )
    parser.add_argument(
        "--user",
        metavar="EMAIL",
        help=f"act as this person (also ${USER_ENV}; the password is asked for, or read from "
        f"${PASSWORD_ENV}); needed where the database asks everyone to sign in",
    )
    parser.add_argument(
        "--your-name",
        metavar="NAME",
        help="your name in the audit trail where the database does not ask anyone to sign "
        "in (default: the name given in Settings, else this computer's user name)",
    )
    parser.set_defaults(handler=cmd_gui)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    # The commands that script the screens' use cases live in their own module.
    from recruit_app import cli_more

    commands.add_parser("gui", help="open the desktop app (the default)").set_defaults(
        handler=cmd_gui
    )

    db = commands.add_parser("db", help="the database: info, upgrade, backup")
    db_commands = db.add_subparsers(title="db commands", metavar="COMMAND", required=True)
    info = db_commands.add_parser("info", help="which database, which schema, how many rows")
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(handler=cmd_db_info)
    db_commands.add_parser("upgrade", help="apply schema migrations").set_defaults(
        handler=cmd_db_upgrade
    )
    backup = db_commands.add_parser("backup", help="copy the SQLite database to PATH")
    backup.add_argument("path", metavar="PATH")
    backup.set_defaults(handler=cmd_db_backup)

    campaign = commands.add_parser("campaign", help="list, create and change campaigns")
    c_commands = campaign.add_subparsers(
        title="campaign commands", metavar="COMMAND", required=True
    )
    c_list = c_commands.add_parser("list", help="list campaigns, newest first")
    c_list.add_argument("--all", action="store_true", help="include archived campaigns")
    c_list.add_argument("--json", action="store_true", help="print JSON")
    c_list.set_defaults(handler=cmd_campaign_list)
    c_create = c_commands.add_parser("create", help="create a campaign")
    c_create.add_argument("--title", required=True)
    c_create.add_argument("--reference", help="default: the next free YYYY-NNNN")
    c_create.add_argument(
        "--template",
        metavar="CODE",
        help="pre-fill the advert, criteria and stages from a role template",
    )
    c_create.add_argument("--json", action="store_true", help="print JSON")
    c_create.set_defaults(handler=cmd_campaign_create)
    c_show = c_commands.add_parser("show", help="show one campaign")
    c_show.add_argument("reference", metavar="REF")
    c_show.add_argument("--json", action="store_true", help="print JSON")
    c_show.set_defaults(handler=cmd_campaign_show)
    c_rename = c_commands.add_parser("rename", help="change a campaign's title")
    c_rename.add_argument("reference", metavar="REF")
    c_rename.add_argument("--title", required=True)
    c_rename.set_defaults(handler=cmd_campaign_rename)
    c_archive = c_commands.add_parser("archive", help="archive a campaign (or --undo)")
    c_archive.add_argument("reference", metavar="REF")
    c_archive.add_argument("--undo", action="store_true", help="restore from the archive")
    c_archive.set_defaults(handler=cmd_campaign_archive)
    c_delete = c_commands.add_parser("delete", help="delete a campaign and all it holds")
    c_delete.add_argument("reference", metavar="REF")
    c_delete.add_argument("--yes", action="store_true", help="confirm the deletion")
    c_delete.set_defaults(handler=cmd_campaign_delete)

    c_export = c_commands.add_parser("export", help="write a campaign's definition as JSON")
    c_export.add_argument("reference", metavar="REF")
    c_export.add_argument("path", metavar="PATH")
    c_export.set_defaults(handler=cmd_campaign_export)
    c_import = c_commands.add_parser("import", help="a new campaign from a definition file")
    c_import.add_argument("path", metavar="PATH")
    c_import.add_argument("--reference", help="use this reference instead of the file's")
    c_import.add_argument("--title", help="use this title instead of the file's")
    c_import.add_argument("--json", action="store_true", help="print JSON")
    c_import.set_defaults(handler=cmd_campaign_import)
    cli_more.add_campaign_commands(c_commands)

    templates = commands.add_parser("templates", help="the template library")
    t_commands = templates.add_subparsers(
        title="templates commands", metavar="COMMAND", required=True
    )
    t_list = t_commands.add_parser("list", help="frameworks and role templates")
    t_list.add_argument("--all", action="store_true", help="include retired entries")
    t_list.add_argument("--json", action="store_true", help="print JSON")
    t_list.set_defaults(handler=cmd_templates_list)
    t_show = t_commands.add_parser("show", help="one framework or role template")
    t_show.add_argument("code", metavar="CODE")
    t_show.add_argument("--json", action="store_true", help="print JSON")
    t_show.set_defaults(handler=cmd_templates_show)
    t_export = t_commands.add_parser("export", help="write a framework or template to a file")
    t_export.add_argument("code", metavar="CODE")
    t_export.add_argument("path", metavar="PATH")
    t_export.add_argument(
        "--format", choices=["json", "csv"], help="default: from the file name, else json"
    )
    t_export.set_defaults(handler=cmd_templates_export)
    t_import = t_commands.add_parser("import", help="add or replace one from a JSON or CSV file")
    t_import.add_argument("path", metavar="PATH")
    t_import.add_argument("--json", action="store_true", help="print JSON")
    t_import.set_defaults(handler=cmd_templates_import)

    advert = commands.add_parser("advert", help="check, publish and export adverts")
    a_commands = advert.add_subparsers(title="advert commands", metavar="COMMAND", required=True)
    a_export = a_commands.add_parser("export", help="the advert as PDF, HTML or plain text")
    a_export.add_argument("reference", metavar="REF")
    a_export.add_argument("--format", choices=["pdf", "html", "txt"], required=True)
    a_export.add_argument("--out", metavar="PATH", required=True)
    a_export.add_argument(
        "--published",
        action="store_true",
        help="the last published version instead of the working copy",
    )
    a_export.set_defaults(handler=cmd_advert_export)
    a_check = a_commands.add_parser("check", help="the advert checker's findings")
    a_check.add_argument("reference", metavar="REF")
    a_check.add_argument("--json", action="store_true", help="print JSON")
    a_check.set_defaults(handler=cmd_advert_check)
    a_publish = a_commands.add_parser("publish", help="publish the advert as a new version")
    a_publish.add_argument("reference", metavar="REF")
    a_publish.set_defaults(handler=cmd_advert_publish)
    cli_more.add_advert_commands(a_commands)
    cli_more.add_advert_show(a_commands)

    stages = commands.add_parser("stages", help="the stages of a campaign")
    s_commands = stages.add_subparsers(title="stages commands", metavar="COMMAND", required=True)
    s_list = s_commands.add_parser("list", help="stages with their criteria and panels")
    s_list.add_argument("reference", metavar="REF")
    s_list.add_argument("--json", action="store_true", help="print JSON")
    s_list.set_defaults(handler=cmd_stages_list)
    s_plan = s_commands.add_parser("plan", help="a stage's question plan, with its timing")
    s_plan.add_argument("reference", metavar="REF")
    s_plan.add_argument("--stage", required=True, metavar="NAME")
    s_plan.add_argument("--json", action="store_true", help="print JSON")
    s_plan.set_defaults(handler=cmd_stages_plan)
    s_deviation = s_commands.add_parser(
        "deviation", help="record a departure from a stage's question plan with one candidate"
    )
    s_deviation.add_argument("reference", metavar="REF")
    s_deviation.add_argument("--stage", required=True, metavar="NAME")
    s_deviation.add_argument("--candidate", required=True, metavar="NUMBER")
    s_deviation.add_argument(
        "--note", required=True, metavar="TEXT", help="what was left out, added or changed"
    )
    s_deviation.set_defaults(handler=cmd_stages_deviation)
    s_deviations = s_commands.add_parser(
        "deviations", help="the departures from a stage's question plan recorded so far"
    )
    s_deviations.add_argument("reference", metavar="REF")
    s_deviations.add_argument("--stage", required=True, metavar="NAME")
    s_deviations.add_argument("--json", action="store_true", help="print JSON")
    s_deviations.set_defaults(handler=cmd_stages_deviations)
    cli_more.add_stages_commands(s_commands)
    cli_more.add_more_stages_commands(s_commands)
    cli_more.add_plan_commands(s_commands)
    cli_more.add_panels_command(commands)

    timetable = commands.add_parser(
        "timetable",
        help="a campaign's key dates, checked; also timetable event|delete-event|dates",
        epilog="Also: timetable event REF --title T --on DATE [--until DATE] [--note T] "
        "[--replace TITLE], timetable delete-event REF TITLE, timetable dates REF [--region R] "
        "[--decisions-on DATE] [--start-on DATE] (each with --help).",
    )
    timetable.add_argument("reference", metavar="REF")
    timetable.add_argument("--json", action="store_true", help="print JSON")
    timetable.set_defaults(handler=cmd_timetable)
    cli_more.add_timetable_actions(commands)

    slots = commands.add_parser("slots", help="interview slots")
    sl_commands = slots.add_subparsers(title="slots commands", metavar="COMMAND", required=True)
    sl_plan = sl_commands.add_parser("plan", help="make the stage's slots (from its plan)")
    sl_plan.add_argument("reference", metavar="REF")
    sl_plan.add_argument("--stage", required=True, metavar="NAME")
    sl_plan.add_argument(
        "--auto",
        action="store_true",
        help="also give waiting candidates the earliest slots that suit",
    )
    sl_plan.add_argument("--json", action="store_true", help="print JSON")
    sl_plan.set_defaults(handler=cmd_slots_plan)
    sl_list = sl_commands.add_parser("list", help="the stage's slots: times, panels, candidates")
    sl_list.add_argument("reference", metavar="REF")
    sl_list.add_argument("--stage", required=True, metavar="NAME")
    sl_list.add_argument("--json", action="store_true", help="print JSON")
    sl_list.set_defaults(handler=cmd_slots_list)
    sl_cancel = sl_commands.add_parser("cancel", help="cancel a candidate's booked slot")
    sl_cancel.add_argument("reference", metavar="REF")
    sl_cancel.add_argument("--stage", required=True, metavar="NAME")
    sl_cancel.add_argument("--candidate", required=True, metavar="NUMBER")
    sl_cancel.set_defaults(handler=cmd_slots_cancel)
    cli_more.add_slots_commands(sl_commands)
    cli_more.add_more_slots_commands(sl_commands)

    export = commands.add_parser("export", help="calendar files (and, later, packs)")
    e_commands = export.add_subparsers(title="export commands", metavar="COMMAND", required=True)
    e_ics = e_commands.add_parser("ics", help="calendar files for a stage's interviews")
    e_ics.add_argument("reference", metavar="REF")
    e_ics.add_argument("--stage", required=True, metavar="NAME")
    e_ics.add_argument("--out", required=True, metavar="DIR")
    e_ics.set_defaults(handler=cmd_export_ics)
    e_pack = e_commands.add_parser(
        "pack",
        help="a PDF pack: information pack (or HTML), panel pack, outcome letters or report",
    )
    e_pack.add_argument("reference", metavar="REF")
    e_pack.add_argument("--kind", required=True, choices=["info", "panel", "letters", "report"])
    e_pack.add_argument("--stage", metavar="NAME", help="the stage (panel pack and letters)")
    e_pack.add_argument(
        "--out", required=True, metavar="PATH", help="a .pdf file, or a folder for letters"
    )
    e_pack.add_argument("--merge", action="store_true", help="letters in one PDF at PATH")
    e_pack.add_argument(
        "--with-applications",
        action="store_true",
        help="panel pack: each candidate's application after their score sheet, as the "
        "panel reads it (name-blind at a name-blind stage)",
    )
    e_pack.add_argument(
        "--member",
        metavar="EMAIL",
        help="panel pack: one panel member's own copy, their score boxes only, for the "
        "candidates they assess",
    )
    e_pack.add_argument(
        "--chair-copy",
        action="store_true",
        help="panel pack: the chair's copy, adding the running order, the welcome and close "
        "script and the departures from the plan recorded so far",
    )
    e_pack.add_argument(
        "--format",
        choices=["pdf", "html"],
        help="html: the information pack as an accessible web page "
        "(default: from PATH's ending, else pdf)",
    )
    e_pack.set_defaults(handler=cmd_export_pack)

    candidates = commands.add_parser("candidates", help="import and list candidates")
    ca_commands = candidates.add_subparsers(
        title="candidates commands", metavar="COMMAND", required=True
    )
    ca_import = ca_commands.add_parser("import", help="add candidates from a CSV or XLSX file")
    ca_import.add_argument("reference", metavar="REF")
    ca_import.add_argument("file", metavar="FILE")
    ca_import.add_argument(
        "--map",
        action="append",
        metavar="HEADER=FIELD",
        help="map a column to a field (repeatable), e.g. 'Forename=first_name'",
    )
    ca_import.add_argument("--dry-run", action="store_true", help="check only; add nothing")
    ca_import.add_argument("--json", action="store_true", help="print JSON")
    ca_import.set_defaults(handler=cmd_candidates_import)
    ca_add = ca_commands.add_parser(
        "add",
        help="add one candidate by hand (a late or paper application), checked as an "
        "import line is",
    )
    ca_add.add_argument("reference", metavar="REF")
    ca_add.add_argument("--first-name", required=True, metavar="TEXT")
    ca_add.add_argument("--last-name", required=True, metavar="TEXT")
    ca_add.add_argument("--email", default="", metavar="ADDRESS")
    ca_add.add_argument("--phone", default="", metavar="NUMBER")
    ca_add.add_argument(
        "--number", default="", metavar="NUMBER", help="the candidate number (default: the next)"
    )
    ca_add.add_argument("--guaranteed-interview", action="store_true", help="Disability Confident")
    ca_add.add_argument("--redeployment", action="store_true", help="Redeployment scheme")
    ca_add.add_argument("--adjustments", default="", metavar="TEXT")
    ca_add.add_argument("--extra-minutes", type=int, default=0, metavar="MINUTES")
    ca_add.add_argument(
        "--unavailable", action="append", metavar="YYYY-MM-DD", help="a day away (repeatable)"
    )
    ca_add.add_argument("--json", action="store_true", help="print JSON")
    ca_add.set_defaults(handler=cmd_candidates_add)
    ca_list = ca_commands.add_parser("list", help="a campaign's candidates")
    ca_list.add_argument("reference", metavar="REF")
    ca_list.add_argument("--stage", metavar="NAME", help="only those who reached this stage")
    ca_list.add_argument("--json", action="store_true", help="print JSON")
    ca_list.set_defaults(handler=cmd_candidates_list)
    ca_data = ca_commands.add_parser(
        "export-data", help="everything held about one candidate (subject access), JSON or PDF"
    )
    ca_data.add_argument("reference", metavar="REF")
    ca_data.add_argument("number", metavar="NUMBER", help="the candidate number")
    ca_data.add_argument("--out", required=True, metavar="PATH.json|PATH.pdf")
    ca_data.set_defaults(handler=cmd_candidates_export_data)
    ca_erase = ca_commands.add_parser(
        "erase", help="erase one candidate's personal data on request (scores stay, anonymous)"
    )
    ca_erase.add_argument("reference", metavar="REF")
    ca_erase.add_argument("number", metavar="NUMBER", help="the candidate number")
    ca_erase.add_argument("--reason", metavar="TEXT", help="why, for the audit trail")
    ca_erase.add_argument("--yes", action="store_true", help="confirm: it cannot be undone")
    ca_erase.set_defaults(handler=cmd_candidates_erase)
    cli_more.add_candidates_commands(ca_commands)
    cli_more.add_posts_command(commands)

    applications = commands.add_parser(
        "applications", help="import and read candidates' applications"
    )
    ap_commands = applications.add_subparsers(
        title="applications commands", metavar="COMMAND", required=True
    )
    ap_import = ap_commands.add_parser(
        "import",
        help="answers from a CSV or XLSX file (a line per candidate), and documents from a "
        "folder or ZIP named by candidate number or e-mail",
    )
    ap_import.add_argument("reference", metavar="REF")
    ap_import.add_argument(
        "file", metavar="FILE", nargs="?", help="the table of answers (omit with --documents)"
    )
    ap_import.add_argument(
        "--documents", metavar="DIR|ZIP", help="CVs, statements and other files (PDF, DOCX, TXT)"
    )
    ap_import.add_argument(
        "--map",
        action="append",
        metavar="HEADER=WHAT",
        help="what a column holds (repeatable): a criterion code or title, number, email, "
        "statement, cv, eligibility or ignore; e.g. 'Example 1=DECIDE'",
    )
    ap_import.add_argument("--dry-run", action="store_true", help="check only; add nothing")
    ap_import.add_argument("--json", action="store_true", help="print JSON")
    ap_import.set_defaults(handler=cmd_applications_import)
    ap_show = ap_commands.add_parser(
        "show", help="one candidate's application, as you may read it (name-blind where due)"
    )
    ap_show.add_argument("reference", metavar="REF")
    ap_show.add_argument("number", metavar="NUMBER", help="the candidate number")
    ap_show.add_argument("--criterion", metavar="CODE", help="only the answer to this criterion")
    ap_show.add_argument("--stage", metavar="NAME", help="the stage you are reading for")
    ap_show.add_argument(
        "--redacted", action="store_true", help="the name-blind text, as a panel reads it"
    )
    ap_show.add_argument("--json", action="store_true", help="print JSON")
    ap_show.set_defaults(handler=cmd_applications_show)
    cli_more.add_applications_commands(ap_commands)

    users = commands.add_parser("users", help="people who sign in: set-up, list, passwords")
    u_commands = users.add_subparsers(title="users commands", metavar="COMMAND", required=True)
    u_admin = u_commands.add_parser(
        "create-admin", help="set up the first administrator of a database"
    )
    u_admin.add_argument("--email", required=True, metavar="EMAIL")
    u_admin.add_argument("--name", required=True, metavar="NAME")
    u_admin.set_defaults(handler=cmd_users_create_admin)
    u_list = u_commands.add_parser("list", help="everyone listed, with their roles and panels")
    u_list.add_argument("--json", action="store_true", help="print JSON")
    u_list.set_defaults(handler=cmd_users_list)
    u_password = u_commands.add_parser(
        "set-password", help="an administrator sets someone's password"
    )
    u_password.add_argument("email", metavar="EMAIL")
    u_password.set_defaults(handler=cmd_users_password)
    u_sign_in = u_commands.add_parser(
        "require-sign-in", help="ask everyone to sign in on this SQLite file, or stop asking"
    )
    u_sign_in.add_argument("state", choices=["on", "off"])
    u_sign_in.set_defaults(handler=cmd_users_require_sign_in)
    cli_more.add_users_commands(u_commands)

    retention = commands.add_parser("retention", help="keeping personal data no longer than needed")
    r_commands = retention.add_subparsers(
        title="retention commands", metavar="COMMAND", required=True
    )
    r_purge = r_commands.add_parser(
        "purge", help="erase the personal data of candidates past the retention period"
    )
    r_purge.add_argument("--dry-run", action="store_true", help="list them; erase nothing")
    r_purge.add_argument("--json", action="store_true", help="print JSON")
    r_purge.set_defaults(handler=cmd_retention_purge)
    cli_more.add_retention_commands(r_commands)
    cli_more.add_audit_command(commands)
    cli_more.add_organisation_command(commands)
    from recruit_app import cli_fairness

    cli_fairness.add_parser(commands)

    scores = commands.add_parser("scores", help="import scores; offline scoring workbooks")
    sc_commands = scores.add_subparsers(title="scores commands", metavar="COMMAND", required=True)
    sc_import = sc_commands.add_parser(
        "import",
        help="scores from a CSV (candidate_number, criterion, assessor, score, "
        "evidence) or a scoring workbook",
    )
    sc_import.add_argument("reference", metavar="REF")
    sc_import.add_argument("--stage", required=True, metavar="NAME")
    sc_import.add_argument("file", metavar="FILE")
    sc_import.add_argument("--json", action="store_true", help="print JSON")
    sc_import.set_defaults(handler=cmd_scores_import)
    sc_workbook = sc_commands.add_parser("workbook", help="a panel member's offline workbook")
    sc_workbook.add_argument("reference", metavar="REF")
    sc_workbook.add_argument("--assessor", required=True, metavar="EMAIL")
    sc_workbook.add_argument("--out", required=True, metavar="PATH")
    sc_workbook.set_defaults(handler=cmd_scores_workbook)
    cli_more.add_scores_commands(sc_commands)
    cli_more.add_more_scores_commands(sc_commands)

    results = commands.add_parser(
        "results",
        help="a stage's merit order; also results set-outcome|finalise|extend-reserve|feedback",
        epilog="Also: results set-outcome REF --stage NAME NUMBER --outcome KIND [--reason T], "
        "results finalise REF --stage NAME, results extend-reserve REF --stage NAME NUMBER "
        "--until DATE --approved-by NAME, results feedback REF --stage NAME NUMBER [--text T] "
        "(each with --help).",
    )
    results.add_argument("reference", metavar="REF")
    results.add_argument("--stage", required=True, metavar="NAME")
    results.add_argument("--export", metavar="PATH", help="write it as .csv or .xlsx")
    results.add_argument("--json", action="store_true", help="print JSON")
    results.add_argument(
        "--override",
        metavar="NUMBER",
        help="the chair overrides this candidate's overall score (with --score and --reason)",
    )
    results.add_argument("--score", type=float, metavar="X", help="the overriding overall score")
    results.add_argument("--reason", metavar="TEXT", help="why the overall score is overridden")
    results.add_argument(
        "--clear-override", metavar="NUMBER", help="take the override of this candidate away"
    )
    results.set_defaults(handler=cmd_results)
    cli_more.add_results_actions(commands)

    demo = commands.add_parser("demo", help="fill the database with a realistic demo campaign")
    demo.add_argument("--reset", action="store_true", help="delete and rebuild the demo campaign")
    demo.add_argument("--json", action="store_true", help="print JSON")
    demo.set_defaults(handler=cmd_demo)
    return parser


def _configure_logging() -> None:
    from recruit_app import paths
    from recruit_app.logs import log_to_file

    handler: logging.Handler
    try:
        folder = paths.log_dir()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handler = log_to_file(str(folder / "recruit-app.log"))
    except OSError:
        handler = logging.NullHandler()
    # A mark of our own on the handler (not a Handler attribute), to find it again below.
    handler.recruit_app_log = True  # type: ignore[attr-defined]
    root = logging.getLogger()
    # main() may run more than once in a process (tests do): one log handler, not a pile.
    for old in [h for h in root.handlers if getattr(h, "recruit_app_log", False)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("alembic").setLevel(logging.WARNING)


def _discard_output() -> None:
    """Send what is still buffered for standard output to the null device, so that the
    interpreter's own last flush has nothing to complain about (the Python docs' advice
    on SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        finally:
            os.close(devnull)
    except (AttributeError, OSError, ValueError):
        pass  # no file descriptor behind it (a test's capture): nothing will be flushed


def main(argv: Sequence[str] | None = None) -> int:
    # A reader that stops reading (`| head -1`) is an ordinary end, not an error: no log
    # entry, no traceback, and the status a shell shows for a command ended by SIGPIPE.
    # Python ignores SIGPIPE, so the write fails with BrokenPipeError instead; restoring
    # SIGPIPE's default would end the process mid-write on any closed socket too.
    try:
        try:
            return _main(argv)
        finally:
            # Output into a pipe is buffered: flush it now, so a reader that has gone is
            # noticed here rather than complained about at interpreter exit.
            if sys.stdout is not None:
                sys.stdout.flush()
    except BrokenPipeError:
        _discard_output()
        return EXIT_CLOSED_PIPE


def _main(argv: Sequence[str] | None) -> int:
    from recruit_app.cli_more import route

    args = build_parser().parse_args(route(sys.argv[1:] if argv is None else argv))
    _configure_logging()
    try:
        return int(args.handler(args) or 0)
    except BrokenPipeError:
        raise  # the output's reader went away: main() ends quietly
    except RecruitError as exc:
        print(f"recruit-app: {exc.message}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("recruit-app: interrupted; nothing more was changed.", file=sys.stderr)
        return 130
    except Exception:
        log.exception("unexpected error in %s", getattr(args.handler, "__name__", "command"))
        print(
            "recruit-app: something went wrong that Recruit did not expect. "
            "The details are in the log file in your log folder.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL_ERROR
