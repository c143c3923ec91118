"""The `recruit-app` commands that script what the screens do: people, panels, stage and
advert edits, slots, agreed scores, outcomes, reserve lists, feedback, retention, audit.

Each command parses, finds what it names, calls one service use case and prints: the
rules, permission checks and version checks are the service's. Only the standard library
is imported at module level, as in `recruit_app.cli`.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recruit_app.cli import (
    _campaign_id,
    _candidate_id,
    _context,
    _print_json,
    _stage_id,
    _table,
)
from recruit_app.domain.dates import short_date
from recruit_app.vocabulary import AuditArea, Outcome, PanelRole, Role

if TYPE_CHECKING:
    from recruit_app.services.context import ServiceContext
    from recruit_app.services.slots import SlotsView, SlotView

# `results` and `timetable` keep their old form (`results REF --stage NAME ...`,
# `timetable REF`); these words after them name a subcommand instead, parsed by a hidden
# command (see `route`).
ROUTES = {
    "results": (
        ("set-outcome", "finalise", "extend-reserve", "feedback", "resolve-tie",
         "expire-reserves"),
        "results-do",
    ),
    "timetable": (("event", "delete-event", "dates"), "timetable-do"),
}  # fmt: skip


def route(argv: Sequence[str]) -> list[str]:
    """`results ACTION ...` becomes `results-do ACTION ...` (and so for `timetable`);
    anything else is unchanged."""
    words = list(argv)
    for index, word in enumerate(words):
        if word in ROUTES:
            actions, hidden = ROUTES[word]
            if index + 1 < len(words) and words[index + 1] in actions:
                words[index] = hidden
            break
        if not word.startswith("-") and (index == 0 or words[index - 1] not in ("--db", "--user")):
            break  # another command: leave it be
    return words


# --- small parsers -------------------------------------------------------------------


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _moment(text: str) -> datetime:
    """A date and time; without an offset, UK time."""
    from recruit_app.domain.dates import LONDON

    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date and time (YYYY-MM-DD HH:MM, UK time)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=LONDON)


def _field_value(name: str, words: list[str]) -> Any:
    """The advert field's value from the command line, as the form gives it: text as it
    is, lists as several words, numbers, yes/no, moments in UK time, pay zones as JSON."""
    from recruit_app.domain.advert_fields import FIELDS
    from recruit_app.errors import ValidationError

    spec = FIELDS.get(name)
    if spec is None:
        raise ValidationError(f"{name} is not an advert field (see advert set --help).", name)
    kind = spec[0]
    if kind == "list":
        return list(words)
    text = " ".join(words)
    if kind == "int":
        try:
            return int(text)
        except ValueError:
            raise ValidationError(f"The {name.replace('_', ' ')} must be a whole number.") from None
    if kind == "bool":
        if text.lower() not in ("yes", "no", "true", "false"):
            raise ValidationError(f"The {name.replace('_', ' ')} is yes or no.", name)
        return text.lower() in ("yes", "true")
    if kind == "moment":
        if not text or text.lower() == "none":
            return None
        try:
            return _moment(text)
        except argparse.ArgumentTypeError as exc:
            raise ValidationError(str(exc), name) from None
    if kind == "zones":
        try:
            return json.loads(text)
        except ValueError:
            raise ValidationError(
                'Give the pay zones as JSON: [{"zone": "National", "from": 1, "to": 2}].', name
            ) from None
    return text


def _person(ctx: ServiceContext, email: str) -> Any:
    """Someone listed, by e-mail, as the People screen finds them."""
    from recruit_app.errors import NotFound
    from recruit_app.services.people import list_people

    wanted = email.strip().lower()
    person = next((p for p in list_people(ctx) if p.email == wanted), None)
    if person is None:
        raise NotFound(f"Nobody with the e-mail {wanted} is listed.")
    return person


def _person_json(p: Any) -> dict[str, Any]:
    return {"name": p.name, "email": p.email, "role": p.role, "active": p.active}


def _done(ctx: ServiceContext) -> None:
    ctx.db.dispose()


# --- people ---------------------------------------------------------------------------


def cmd_users_add(args: argparse.Namespace) -> int:
    from recruit_app.services.people import create_person

    ctx = _context(args)
    try:
        person = create_person(ctx, name=args.name, email=args.email, role=args.role)
    finally:
        _done(ctx)
    if args.json:
        _print_json(_person_json(person))
    else:
        print(f"Added {person.name} ({Role.label_for(person.role)}), {person.email}.")
    return 0


def cmd_users_edit(args: argparse.Namespace) -> int:
    from recruit_app.services.people import update_person

    ctx = _context(args)
    try:
        person = _person(ctx, args.email)
        update_person(
            ctx,
            person.id,
            name=args.name if args.name is not None else person.name,
            email=args.new_email if args.new_email is not None else person.email,
            role=args.role if args.role is not None else person.role,
            expected_version=person.version,
        )
        changed = _person(ctx, args.new_email or args.email)
    finally:
        _done(ctx)
    if args.json:
        _print_json(_person_json(changed))
    else:
        print(f"Changed {changed.name}: {changed.email}, {Role.label_for(changed.role)}.")
    return 0


def _set_active(args: argparse.Namespace, active: bool) -> int:
    from recruit_app.services.people import set_active

    ctx = _context(args)
    try:
        person = _person(ctx, args.email)
        set_active(ctx, person.id, active, expected_version=person.version)
    finally:
        _done(ctx)
    print(f"{'Reactivated' if active else 'Deactivated'} {person.name}.")
    return 0


def cmd_users_deactivate(args: argparse.Namespace) -> int:
    return _set_active(args, False)


def cmd_users_reactivate(args: argparse.Namespace) -> int:
    return _set_active(args, True)


def cmd_users_equality_monitoring(args: argparse.Namespace) -> int:
    from recruit_app.services.people import set_equality_monitoring

    allowed = args.state == "on"
    ctx = _context(args)
    try:
        person = _person(ctx, args.email)
        set_equality_monitoring(ctx, person.id, allowed, expected_version=person.version)
    finally:
        _done(ctx)
    said = "may now" if allowed else "may no longer"
    print(f"{person.name} {said} read equality monitoring answers and fairness figures.")
    return 0


# --- panels ---------------------------------------------------------------------------


def _stage_view(ctx: ServiceContext, reference: str, name: str) -> Any:
    from recruit_app.services.stages import stages_overview

    stage_id = _stage_id(ctx, reference, name)
    overview = stages_overview(ctx, _campaign_id(ctx, reference))
    return next(s for s in overview.stages if s.id == stage_id)


def _seats_json(stage: Any) -> list[dict[str, Any]]:
    return [
        {"name": p.name, "email": p.email, "role": p.role, "panel": p.panel_number}
        for p in stage.panel
    ]


def _print_panel(stage: Any) -> None:
    if not stage.panel:
        print(f"{stage.name}: nobody on the panel yet.")
        return
    _table(
        [[p.panel_number, p.name, p.email, PanelRole.label_for(p.role)] for p in stage.panel],
        ["Panel", "Name", "E-mail", "Role"],
    )


def cmd_panels_list(args: argparse.Namespace) -> int:
    ctx = _context(args)
    try:
        stage = _stage_view(ctx, args.reference, args.stage)
    finally:
        _done(ctx)
    if args.json:
        _print_json(_seats_json(stage))
    else:
        _print_panel(stage)
    return 0


def _seat(text: str) -> tuple[str, str, int]:
    """EMAIL[:ROLE[:PANEL]]"""
    parts = text.split(":")
    if not 1 <= len(parts) <= 3 or not parts[0].strip():
        raise argparse.ArgumentTypeError(f"{text!r}: give EMAIL, EMAIL:ROLE or EMAIL:ROLE:PANEL")
    role = parts[1].strip() if len(parts) > 1 and parts[1].strip() else "member"
    try:
        panel = int(parts[2]) if len(parts) > 2 else 1
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: the panel is a number") from None
    return parts[0].strip().lower(), role, panel


def cmd_panels_set(args: argparse.Namespace) -> int:
    from recruit_app.errors import NotFound
    from recruit_app.services.stages import SeatChoice, list_people, set_panel

    ctx = _context(args)
    try:
        stage = _stage_view(ctx, args.reference, args.stage)
        ids = {p.email: p.id for p in list_people(ctx, include_inactive=True)}
        seats = []
        for email, role, panel in args.seat or []:
            if email not in ids:
                raise NotFound(f"Nobody with the e-mail {email} is listed.")
            seats.append(SeatChoice(ids[email], role, panel))
        changed = set_panel(ctx, stage.id, seats, expected_version=stage.version)
    finally:
        _done(ctx)
    if args.json:
        _print_json(_seats_json(changed))
    else:
        _print_panel(changed)
    return 0


# --- stages and the advert ------------------------------------------------------------


def cmd_stages_edit(args: argparse.Namespace) -> int:
    from recruit_app.errors import ValidationError
    from recruit_app.services.stages import update_stage

    changes: dict[str, Any] = {}
    for key in (
        "name",
        "kind",
        "mode",
        "starts_on",
        "ends_on",
        "scale",
        "pass_mark_total",
        "min_assessors",
        "moderation_spread",
        "progress_rule",
        "progress_count",
        "location",
        "video_link",
        "invitations_on",
        "notice_days",
    ):
        value = getattr(args, key)
        if value is not None:
            changes[key] = value
    if args.name_blind is not None:
        changes["name_blind"] = args.name_blind == "yes"
    for key in ("starts_on", "ends_on", "invitations_on", "pass_mark_total", "progress_count"):
        if key in (args.clear or []):
            changes[key] = None
    if not changes:
        raise ValidationError("Say what to change (see stages edit --help).")
    ctx = _context(args)
    try:
        stage = _stage_view(ctx, args.reference, args.stage)
        view = update_stage(ctx, stage.id, changes, expected_version=stage.version)
    finally:
        _done(ctx)
    if args.json:
        _print_json(view.to_json())
    else:
        print(f"Changed the stage {view.name}: {', '.join(sorted(changes))}.")
    return 0


def cmd_advert_set(args: argparse.Namespace) -> int:
    from recruit_app.services.adverts import get_advert, save_advert

    value = _field_value(args.field, args.value)
    ctx = _context(args)
    try:
        campaign_id = _campaign_id(ctx, args.reference)
        version = args.version if args.version is not None else get_advert(ctx, campaign_id).version
        form = save_advert(
            ctx,
            campaign_id,
            fields={args.field: value},
            criteria=None,
            expected_version=version,
        )
    finally:
        _done(ctx)
    if args.json:
        saved = form.fields.get(args.field)
        _print_json(
            {
                "field": args.field,
                "value": saved.isoformat() if isinstance(saved, datetime) else saved,
                "version": form.version,
                "changed_since_published": form.changed_since_published,
            }
        )
    else:
        print(f"Saved the {args.field.replace('_', ' ')} of the advert for {form.reference}.")
    return 0


# --- slots ----------------------------------------------------------------------------


def _slot_of(view: SlotsView, number: str | None, at: datetime | None, panel: int) -> SlotView:
    from recruit_app.errors import NotFound, ValidationError
    from recruit_app.vocabulary import SlotStatus

    if number:
        found = next(
            (
                s
                for s in view.slots
                if s.status == SlotStatus.BOOKED
                and s.candidate_number.casefold() == number.strip().casefold()
            ),
            None,
        )
        if found is None:
            raise NotFound(f"Candidate {number} has no booked slot at {view.stage_name}.")
        return found
    if at is None:
        raise ValidationError("Name the slot: --candidate NUMBER or --at 'YYYY-MM-DD HH:MM'.")
    found = next(
        (
            s
            for s in view.slots
            if s.starts_at == at and s.panel_number == panel and s.status != "cancelled"
        ),
        None,
    )
    if found is None:
        raise NotFound(f"{view.stage_name} has no slot for panel {panel} at {at:%Y-%m-%d %H:%M}.")
    return found


def _slot_text(slot: SlotView) -> str:
    from recruit_app.domain.dates import london_date, london_time

    return (
        f"{short_date(london_date(slot.starts_at))} {london_time(slot.starts_at)} "
        f"(panel {slot.panel_number})"
    )


def cmd_slots_move(args: argparse.Namespace) -> int:
    from recruit_app.services.slots import list_slots, move_slot

    ctx = _context(args)
    try:
        view = list_slots(ctx, _stage_id(ctx, args.reference, args.stage))
        slot = _slot_of(view, args.candidate, args.at, args.at_panel)
        panel = args.panel if args.panel is not None else slot.panel_number
        after = move_slot(
            ctx, slot.id, starts_at=args.to, panel_number=panel, expected_version=slot.version
        )
    finally:
        _done(ctx)
    moved = next(s for s in after.slots if s.id == slot.id)
    if args.json:
        _print_json(moved.to_list_json())
    else:
        print(
            f"Moved the slot at {_slot_text(slot)} to {_slot_text(moved)}; "
            "export the calendars to send the change."
        )
    return 0


def cmd_slots_swap(args: argparse.Namespace) -> int:
    from recruit_app.services.slots import list_slots, swap_slots

    ctx = _context(args)
    try:
        view = list_slots(ctx, _stage_id(ctx, args.reference, args.stage))
        first = _slot_of(view, args.candidate, None, 1)
        second = _slot_of(view, args.with_candidate, None, 1)
        swap_slots(ctx, first.id, second.id)
    finally:
        _done(ctx)
    print(
        f"Candidate {first.candidate_number} now has {_slot_text(second)}; candidate "
        f"{second.candidate_number} has {_slot_text(first)}. Export the calendars to send it."
    )
    return 0


# --- scores ---------------------------------------------------------------------------


def _pair_json(p: Any) -> dict[str, Any]:
    return {
        "candidate": p.label,
        "criterion": p.code,
        "scores": [{"assessor": who, "score": score} for who, score, _evidence in p.scores],
        "spread": p.spread,
        "flagged": p.flagged,
        "agreed": p.agreed,
        "rationale": p.rationale,
    }


def cmd_scores_moderation(args: argparse.Namespace) -> int:
    from recruit_app.services.results import moderation_view

    ctx = _context(args)
    try:
        pairs = moderation_view(ctx, _stage_id(ctx, args.reference, args.stage))
    finally:
        _done(ctx)
    if args.flagged:
        pairs = [p for p in pairs if p.flagged]
    if args.json:
        _print_json([_pair_json(p) for p in pairs])
        return 0
    _table(
        [
            [
                p.label,
                p.code,
                " ".join("-" if s is None else str(s) for _w, s, _e in p.scores),
                "yes" if p.flagged else "",
                "" if p.agreed is None else p.agreed,
            ]
            for p in pairs
        ],
        ["Candidate", "Criterion", "Scores", "Differ", "Agreed"],
    )
    return 0


def cmd_scores_agree(args: argparse.Namespace) -> int:
    from recruit_app.errors import NotFound
    from recruit_app.services.results import moderation_view, record_agreed_score

    ctx = _context(args)
    try:
        stage_id = _stage_id(ctx, args.reference, args.stage)
        candidate_id = _candidate_id(ctx, args.reference, args.candidate, stage_id)
        code = args.criterion.strip().casefold()
        pair = next(
            (
                p
                for p in moderation_view(ctx, stage_id)
                if p.candidate_id == candidate_id and p.code.casefold() == code
            ),
            None,
        )
        if pair is None:
            raise NotFound(f"{args.criterion} is not assessed for {args.candidate} here.")
        agreed = record_agreed_score(
            ctx,
            stage_id,
            candidate_id,
            pair.cell_id,
            value=args.score,
            rationale=args.rationale,
            expected_version=pair.agreed_version if pair.agreed_id else None,
        )
    finally:
        _done(ctx)
    if args.json:
        _print_json(_pair_json(agreed))
    else:
        print(f"Agreed {agreed.code} {agreed.agreed} for candidate {args.candidate}.")
    return 0


# --- results: outcomes, finalising, reserve lists, feedback ---------------------------


def _row(ctx: ServiceContext, stage_id: int, number: str) -> Any:
    from recruit_app.errors import NotFound
    from recruit_app.services.results import stage_results

    view = stage_results(ctx, stage_id)
    row = next((r for r in view.rows if r.number == number.strip()), None)
    if row is None:
        raise NotFound(f"Candidate {number} did not reach {view.stage_name}.")
    return row


def cmd_results_set_outcome(args: argparse.Namespace) -> int:
    from recruit_app.services.results import set_outcome

    ctx = _context(args)
    try:
        stage_id = _stage_id(ctx, args.reference, args.stage)
        row = _row(ctx, stage_id, args.number)
        changed = set_outcome(
            ctx,
            stage_id,
            row.candidate_id,
            kind=args.outcome,
            reason=args.reason or "",
            expected_version=row.outcome_version if row.outcome_id else None,
        )
    finally:
        _done(ctx)
    if args.json:
        data = changed.to_json()
        expiry = changed.reserve_expires_on
        data["reserve_expires_on"] = expiry.isoformat() if expiry else None
        _print_json(data)
    else:
        print(f"Candidate {changed.number}: {Outcome.label_for(args.outcome)}.")
    return 0


def cmd_results_finalise(args: argparse.Namespace) -> int:
    from recruit_app.services.results import finalise_stage, stage_results

    ctx = _context(args)
    try:
        stage_id = _stage_id(ctx, args.reference, args.stage)
        version = stage_results(ctx, stage_id).stage_version
        view = finalise_stage(ctx, stage_id, expected_version=version)
    finally:
        _done(ctx)
    if args.json:
        _print_json([r.to_json() for r in view.rows])
        return 0
    moving = sum(1 for r in view.rows if r.progresses)
    print(f"The results of {view.stage_name} are final; {moving} candidates progress.")
    return 0


def cmd_results_extend_reserve(args: argparse.Namespace) -> int:
    from recruit_app.errors import ValidationError
    from recruit_app.services.results import extend_reserve

    ctx = _context(args)
    try:
        stage_id = _stage_id(ctx, args.reference, args.stage)
        row = _row(ctx, stage_id, args.number)
        if row.outcome != "reserve" or row.outcome_id is None:
            raise ValidationError(f"Candidate {args.number} is not on the reserve list.")
        until = extend_reserve(
            ctx,
            row.outcome_id,
            new_expiry=args.until,
            approved_by=args.approved_by,
            expected_version=row.outcome_version,
        )
    finally:
        _done(ctx)
    if args.json:
        _print_json({"candidate_number": row.number, "reserve_expires_on": until.isoformat()})
    else:
        print(f"Candidate {row.number} stays on the reserve list until {short_date(until)}.")
    return 0


def cmd_results_feedback(args: argparse.Namespace) -> int:
    from recruit_app.services.letters import outcome_feedback, set_feedback

    ctx = _context(args)
    try:
        stage_id = _stage_id(ctx, args.reference, args.stage)
        candidate_id = _candidate_id(ctx, args.reference, args.number, stage_id)
        view = outcome_feedback(ctx, stage_id, candidate_id)
        if args.text is not None:
            view = set_feedback(
                ctx, stage_id, candidate_id, args.text, expected_version=view.version
            )
    finally:
        _done(ctx)
    if args.json:
        _print_json(
            {
                "candidate_number": view.candidate_number,
                "stage": view.stage_name,
                "outcome": view.outcome,
                "feedback": view.feedback,
                "offers_feedback": view.offers_feedback,
            }
        )
    elif args.text is not None:
        print(f"Saved the feedback for candidate {view.candidate_number} at {view.stage_name}.")
    else:
        print(view.feedback or "No feedback recorded yet.")
    return 0


# --- retention and the audit trail ----------------------------------------------------


def cmd_retention_show(args: argparse.Namespace) -> int:
    from recruit_app.services.retention import retention_months

    ctx = _context(args)
    try:
        months = retention_months(ctx)
    finally:
        _done(ctx)
    if args.json:
        _print_json({"months": months})
    else:
        print(f"Candidates' personal data is kept for {months} months after a campaign closes.")
    return 0


def cmd_retention_set(args: argparse.Namespace) -> int:
    from recruit_app.services.retention import retention_months, set_retention_months

    ctx = _context(args)
    try:
        set_retention_months(ctx, args.months)
        months = retention_months(ctx)
    finally:
        _done(ctx)
    print(f"The retention period is now {months} months.")
    return 0


def _audit_filters(ctx: ServiceContext, args: argparse.Namespace) -> dict[str, Any]:
    """The audit screen's filters: a campaign (by reference, deleted ones too), a person
    (name or e-mail), a range of UK days and a kind of change."""
    from recruit_app.errors import NotFound
    from recruit_app.services.audit_trail import audit_filters

    campaign_id = None
    if args.campaign:
        wanted = args.campaign.strip().casefold()
        choice = next(
            (c for c in audit_filters(ctx).campaigns if c.reference.casefold() == wanted), None
        )
        if choice is None:
            raise NotFound(f"The audit trail you may read has nothing about {args.campaign}.")
        campaign_id = choice.id
    return {
        "campaign_id": campaign_id,
        "person": args.person or None,
        "since": args.since,
        "until": args.until,
        "area": args.kind,
    }


def _audit_json(row: Any) -> dict[str, Any]:
    from recruit_app.domain.dates import in_london

    return {
        "id": row.id,
        "occurred_at": in_london(row.occurred_at).isoformat(),
        "who": row.who,
        "action": row.action,
        "what": row.what,
        "campaign": row.campaign or None,
        "changes": list(row.changes),
    }


def cmd_audit_list(args: argparse.Namespace) -> int:
    from recruit_app.services.audit_trail import audit_events

    ctx = _context(args)
    try:
        page = audit_events(ctx, **_audit_filters(ctx, args), limit=args.limit, offset=args.offset)
    finally:
        _done(ctx)
    if args.json:
        _print_json(
            {
                "total": page.total,
                "offset": page.offset,
                "events": [_audit_json(r) for r in page.rows],
            }
        )
        return 0
    _table(
        [[r.when, r.who, r.campaign, r.what] for r in page.rows],
        ["When", "Who", "Campaign", "What"],
    )
    if page.total > page.offset + len(page.rows):
        print(f"({page.total} events; more with --offset {page.offset + len(page.rows)})")
    return 0


def cmd_audit_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from recruit_app.services.audit_trail import export_audit_csv

    ctx = _context(args)
    try:
        path = export_audit_csv(ctx, Path(args.out), **_audit_filters(ctx, args))
    finally:
        _done(ctx)
    print(f"Wrote the audit trail to {path}")
    return 0


# --- the parser -----------------------------------------------------------------------


def _json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")


def _ref_stage(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("reference", metavar="REF")
    parser.add_argument("--stage", required=True, metavar="NAME")


def add_users_commands(commands: Any) -> None:
    add = commands.add_parser("add", help="list someone: a panel member, manager or admin")
    add.add_argument("--name", required=True, metavar="NAME")
    add.add_argument("--email", required=True, metavar="EMAIL")
    add.add_argument("--role", choices=list(Role.codes()), default="panel_member")
    _json(add)
    add.set_defaults(handler=cmd_users_add)
    edit = commands.add_parser("edit", help="change someone's name, e-mail or role")
    edit.add_argument("email", metavar="EMAIL", help="their e-mail now")
    edit.add_argument("--name", metavar="NAME")
    edit.add_argument("--new-email", metavar="EMAIL")
    edit.add_argument("--role", choices=list(Role.codes()))
    _json(edit)
    edit.set_defaults(handler=cmd_users_edit)
    for word, handler, text in (
        ("deactivate", cmd_users_deactivate, "stop someone signing in or sitting on panels"),
        ("reactivate", cmd_users_reactivate, "let a deactivated person back"),
    ):
        sub = commands.add_parser(word, help=text)
        sub.add_argument("email", metavar="EMAIL")
        sub.set_defaults(handler=handler)
    monitoring = commands.add_parser(
        "equality-monitoring",
        help="give a recruiting manager the equality monitoring permission, or take it away",
    )
    monitoring.add_argument("email", metavar="EMAIL")
    monitoring.add_argument("state", choices=["on", "off"])
    monitoring.set_defaults(handler=cmd_users_equality_monitoring)


def add_panels_command(commands: Any) -> None:
    panels = commands.add_parser("panels", help="who sits on a stage's panels")
    p_commands = panels.add_subparsers(title="panels commands", metavar="COMMAND", required=True)
    p_list = p_commands.add_parser("list", help="a stage's panel: people, roles, panel numbers")
    _ref_stage(p_list)
    _json(p_list)
    p_list.set_defaults(handler=cmd_panels_list)
    p_set = p_commands.add_parser("set", help="replace a stage's panel")
    _ref_stage(p_set)
    p_set.add_argument(
        "--seat",
        action="append",
        type=_seat,
        metavar="EMAIL[:ROLE[:PANEL]]",
        help=f"someone on the panel (repeatable); ROLE: {', '.join(PanelRole.codes())} "
        "(default member), PANEL: its number (default 1). No --seat empties the panel.",
    )
    _json(p_set)
    p_set.set_defaults(handler=cmd_panels_set)


def add_stages_commands(commands: Any) -> None:
    from recruit_app.domain.results import PROGRESS_RULES

    edit = commands.add_parser("edit", help="change a stage's settings")
    _ref_stage(edit)
    edit.add_argument("--name", metavar="TEXT", help="rename it")
    edit.add_argument("--kind", metavar="KIND")
    edit.add_argument("--mode", metavar="MODE", help="in_person, video, ...")
    edit.add_argument("--starts-on", type=_day, metavar="YYYY-MM-DD")
    edit.add_argument("--ends-on", type=_day, metavar="YYYY-MM-DD")
    edit.add_argument("--invitations-on", type=_day, metavar="YYYY-MM-DD")
    edit.add_argument("--scale", metavar="SCALE", help="the stage's scoring scale")
    edit.add_argument("--pass-mark-total", type=float, metavar="X", help="overall pass mark")
    edit.add_argument("--name-blind", choices=["yes", "no"])
    edit.add_argument("--min-assessors", type=int, metavar="N")
    edit.add_argument("--moderation-spread", type=int, metavar="N")
    edit.add_argument("--progress-rule", choices=list(PROGRESS_RULES))
    edit.add_argument("--progress-count", type=int, metavar="N", help="for top_n")
    edit.add_argument("--location", metavar="TEXT")
    edit.add_argument("--video-link", metavar="URL")
    edit.add_argument("--notice-days", type=int, metavar="N")
    edit.add_argument(
        "--clear",
        action="append",
        choices=["starts_on", "ends_on", "invitations_on", "pass_mark_total", "progress_count"],
        help="empty a setting (repeatable)",
    )
    _json(edit)
    edit.set_defaults(handler=cmd_stages_edit)


def add_advert_commands(commands: Any) -> None:
    from recruit_app.domain.advert_fields import FIELDS

    a_set = commands.add_parser(
        "set",
        help="change one advert field: text as given, lists as several VALUEs, numbers, "
        "yes/no, date-times in UK time, pay zones as JSON",
    )
    a_set.add_argument("reference", metavar="REF")
    a_set.add_argument("field", metavar="FIELD", choices=sorted(FIELDS), help="the field's name")
    a_set.add_argument("value", metavar="VALUE", nargs="*")
    a_set.add_argument(
        "--version", type=int, metavar="N", help="refuse if the advert is no longer version N"
    )
    _json(a_set)
    a_set.set_defaults(handler=cmd_advert_set)


def add_slots_commands(commands: Any) -> None:
    move = commands.add_parser("move", help="move a slot to another time or panel")
    _ref_stage(move)
    move.add_argument("--candidate", metavar="NUMBER", help="the candidate's booked slot")
    move.add_argument("--at", type=_moment, metavar="'YYYY-MM-DD HH:MM'", help="or the slot then")
    move.add_argument("--at-panel", type=int, default=1, metavar="N", help="with --at")
    move.add_argument("--to", required=True, type=_moment, metavar="'YYYY-MM-DD HH:MM'")
    move.add_argument("--panel", type=int, metavar="N", help="the panel after (default: same)")
    _json(move)
    move.set_defaults(handler=cmd_slots_move)
    swap = commands.add_parser("swap", help="swap two candidates' slots")
    _ref_stage(swap)
    swap.add_argument("--candidate", required=True, metavar="NUMBER")
    swap.add_argument("--with", dest="with_candidate", required=True, metavar="NUMBER")
    swap.set_defaults(handler=cmd_slots_swap)


def add_scores_commands(commands: Any) -> None:
    mod = commands.add_parser("moderation", help="each candidate's scores on each criterion")
    _ref_stage(mod)
    mod.add_argument("--flagged", action="store_true", help="only where the scores differ")
    _json(mod)
    mod.set_defaults(handler=cmd_scores_moderation)
    agree = commands.add_parser("agree", help="record the panel's agreed score, with why")
    _ref_stage(agree)
    agree.add_argument("--candidate", required=True, metavar="NUMBER")
    agree.add_argument("--criterion", required=True, metavar="CODE")
    agree.add_argument("--score", required=True, type=int, metavar="N")
    agree.add_argument("--rationale", required=True, metavar="TEXT")
    _json(agree)
    agree.set_defaults(handler=cmd_scores_agree)


def add_results_actions(commands: Any) -> None:
    """The hidden `results-do` command: `results ACTION` is routed to it (see `route`)."""
    routed = commands.add_parser(ROUTES["results"][1], prog="recruit-app results")
    r_commands = routed.add_subparsers(title="results commands", metavar="ACTION", required=True)
    outcome = r_commands.add_parser("set-outcome", help="a candidate's outcome, with why")
    _ref_stage(outcome)
    outcome.add_argument("number", metavar="NUMBER")
    outcome.add_argument("--outcome", required=True, choices=list(Outcome.codes()))
    outcome.add_argument("--reason", metavar="TEXT")
    _json(outcome)
    outcome.set_defaults(handler=cmd_results_set_outcome)
    final = r_commands.add_parser("finalise", help="make the stage's results final")
    _ref_stage(final)
    _json(final)
    final.set_defaults(handler=cmd_results_finalise)
    extend = r_commands.add_parser("extend-reserve", help="keep someone on the reserve list")
    _ref_stage(extend)
    extend.add_argument("number", metavar="NUMBER")
    extend.add_argument("--until", required=True, type=_day, metavar="YYYY-MM-DD")
    extend.add_argument("--approved-by", required=True, metavar="NAME")
    _json(extend)
    extend.set_defaults(handler=cmd_results_extend_reserve)
    feedback = r_commands.add_parser("feedback", help="read or set a candidate's feedback")
    _ref_stage(feedback)
    feedback.add_argument("number", metavar="NUMBER")
    feedback.add_argument("--text", metavar="TEXT", help="the feedback (omit to read it)")
    _json(feedback)
    feedback.set_defaults(handler=cmd_results_feedback)
    tie = r_commands.add_parser("resolve-tie", help="how the chair settled a tie at the cut-off")
    _ref_stage(tie)
    tie.add_argument("--progress", action="append", metavar="NUMBER", help="repeatable")
    tie.add_argument("--note", required=True, metavar="TEXT")
    _json(tie)
    tie.set_defaults(handler=cmd_results_resolve_tie)
    expire = r_commands.add_parser("expire-reserves", help="close reserve entries past expiry")
    expire.add_argument("reference", metavar="REF")
    _json(expire)
    expire.set_defaults(handler=cmd_results_expire_reserves)


def add_retention_commands(commands: Any) -> None:
    show = commands.add_parser("show", help="the retention period")
    _json(show)
    show.set_defaults(handler=cmd_retention_show)
    months = commands.add_parser("set", help="set the retention period")
    months.add_argument("--months", required=True, type=int, metavar="N")
    months.set_defaults(handler=cmd_retention_set)


def cmd_organisation_show(args: argparse.Namespace) -> int:
    from recruit_app.services.branding import organisation_settings

    ctx = _context(args)
    try:
        found = organisation_settings(ctx)
    finally:
        _done(ctx)
    if args.json:
        _print_json(found.to_json())
    else:
        where = "every desk (set in the database)" if found.in_database else "this desk's settings"
        print(f"Name: {found.name or '(none)'}")
        print(f"Colour: {found.colour or '(the house blue)'}")
        print(f"Logo: {found.logo_name or '(none)'}")
        print(f"Marking: {found.marking or '(none)'}")
        print(f"From: {where}")
    return 0


def cmd_organisation_set(args: argparse.Namespace) -> int:
    from recruit_app.services.branding import set_organisation

    ctx = _context(args)
    try:
        # What is not given stays as it is, decided in the same transaction as the write.
        found = set_organisation(
            ctx,
            name=args.name,
            colour=args.colour,
            marking=args.marking,
            logo=Path(args.logo) if args.logo else None,
            clear_logo=args.no_logo,
        )
    finally:
        _done(ctx)
    if args.json:
        _print_json(found.to_json())
    else:
        print("Every desk now prints the organisation as set.")
    return 0


def add_organisation_command(commands: Any) -> None:
    organisation = commands.add_parser(
        "organisation", help="the name, colour, logo and marking every desk prints"
    )
    o_commands = organisation.add_subparsers(
        title="organisation commands", metavar="COMMAND", required=True
    )
    show = o_commands.add_parser("show", help="what documents print, and from where")
    _json(show)
    show.set_defaults(handler=cmd_organisation_show)
    change = o_commands.add_parser(
        "set", help="set it in the database for every desk (administrators); unnamed parts stay"
    )
    change.add_argument("--name", metavar="TEXT")
    change.add_argument("--colour", metavar="#RRGGBB", help="empty for the house blue")
    change.add_argument(
        "--marking", metavar="TEXT", help="OFFICIAL-SENSITIVE by default; empty for none"
    )
    logo = change.add_mutually_exclusive_group()
    logo.add_argument("--logo", metavar="FILE.png|FILE.jpg")
    logo.add_argument("--no-logo", action="store_true", help="take the logo away")
    _json(change)
    change.set_defaults(handler=cmd_organisation_set)


def add_audit_command(commands: Any) -> None:
    audit = commands.add_parser("audit", help="the audit trail: who changed what, when")
    a_commands = audit.add_subparsers(title="audit commands", metavar="COMMAND", required=True)
    for word, handler, text in (
        ("list", cmd_audit_list, "events, newest first, filtered as on the audit screen"),
        ("export", cmd_audit_export, "the filtered events as a CSV file"),
    ):
        sub = a_commands.add_parser(word, help=text)
        sub.add_argument("--campaign", metavar="REF")
        sub.add_argument("--person", metavar="NAME|EMAIL")
        sub.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="from this UK day")
        sub.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help="to this UK day")
        sub.add_argument(
            "--kind",
            metavar="KIND",
            help="one kind of change: " + ", ".join(AuditArea),
        )
        if word == "list":
            sub.add_argument("--limit", type=int, default=200, metavar="N")
            sub.add_argument("--offset", type=int, default=0, metavar="N")
            _json(sub)
        else:
            sub.add_argument("--out", required=True, metavar="PATH.csv")
        sub.set_defaults(handler=handler)


# --- more of the screens' use cases ------------------------------------------------------


def cmd_advert_show(args: argparse.Namespace) -> int:
    from recruit_app.services.adverts import get_advert

    ctx = _context(args)
    try:
        form = get_advert(ctx, _campaign_id(ctx, args.reference))
    finally:
        _done(ctx)
    fields = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in form.fields.items()}
    if args.json:
        _print_json(
            {
                "reference": form.reference,
                "version": form.version,
                "published_version": form.published_version,
                "changed_since_published": form.changed_since_published,
                "fields": fields,
                "criteria": [c.code for c in form.criteria],
            }
        )
        return 0
    for name, value in fields.items():
        shown = " ".join(str(value).split()) if value not in (None, "", []) else "-"
        print(f"{name:<32} {shown[:100]}")
    return 0


def cmd_campaign_duplicate(args: argparse.Namespace) -> int:
    from recruit_app.services.campaigns import duplicate_campaign

    ctx = _context(args)
    try:
        copy = duplicate_campaign(ctx, _campaign_id(ctx, args.reference), title=args.title)
    finally:
        _done(ctx)
    if args.json:
        _print_json(copy.to_json())
    else:
        print(f"Copied {args.reference} to {copy.reference}: {copy.title}")
    return 0


def cmd_campaign_share(args: argparse.Namespace) -> int:
    from recruit_app.services.campaigns import campaign_sharing, share_campaign

    ctx = _context(args)
    try:
        campaign_id = _campaign_id(ctx, args.reference)
        if args.with_email:
            person = _person(ctx, args.with_email)
            share_campaign(ctx, campaign_id, person.id, not args.stop)
        sharing = campaign_sharing(ctx, campaign_id)
    finally:
        _done(ctx)
    if args.json:
        _print_json(
            {"owner": sharing.owner or None, "shared_with": [n for _i, n in sharing.shared_with]}
        )
    else:
        print(f"Owner: {sharing.owner or 'nobody'}")
        print(f"Shared with: {', '.join(n for _i, n in sharing.shared_with) or 'nobody'}")
    return 0


def cmd_candidates_edit(args: argparse.Namespace) -> int:
    from recruit_app.errors import ValidationError
    from recruit_app.services.candidates import list_candidates, update_candidate

    changes: dict[str, Any] = {
        k: getattr(args, k)
        for k in ("first_name", "last_name", "email", "phone", "adjustments", "extra_minutes")
        if getattr(args, k) is not None
    }
    for flag in ("guaranteed_interview", "redeployment"):
        if getattr(args, flag) is not None:
            changes[flag] = getattr(args, flag) == "yes"
    if args.unavailable is not None:
        changes["unavailable_dates"] = [d for d in args.unavailable if d]
    if not changes:
        raise ValidationError("Say what to change (see candidates edit --help).")
    ctx = _context(args)
    try:
        candidate_id = _candidate_id(ctx, args.reference, args.number)
        found = next(
            c
            for c in list_candidates(ctx, _campaign_id(ctx, args.reference))
            if c.id == candidate_id
        )
        changed = update_candidate(ctx, candidate_id, changes, expected_version=found.version)
    finally:
        _done(ctx)
    if args.json:
        _print_json(changed.to_json())
    else:
        print(f"Changed candidate {args.number}: {', '.join(sorted(changes))}.")
    return 0


def cmd_stages_add(args: argparse.Namespace) -> int:
    from recruit_app.services.stages import add_stage

    ctx = _context(args)
    try:
        view = add_stage(ctx, _campaign_id(ctx, args.reference), name=args.name, kind=args.kind)
    finally:
        _done(ctx)
    if args.json:
        _print_json(view.to_json())
    else:
        print(f"Added the stage {view.name} ({view.position + 1}).")
    return 0


def cmd_stages_move(args: argparse.Namespace) -> int:
    from recruit_app.services.stages import move_stage

    ctx = _context(args)
    try:
        overview = move_stage(ctx, _stage_id(ctx, args.reference, args.stage), args.position - 1)
    finally:
        _done(ctx)
    print(f"Stages now: {', '.join(s.name for s in overview.stages)}.")
    return 0


def cmd_stages_remove(args: argparse.Namespace) -> int:
    from recruit_app.errors import ValidationError
    from recruit_app.services.stages import remove_stage

    if not args.yes:
        raise ValidationError("Removing a stage takes its panel and plan too: add --yes.")
    ctx = _context(args)
    try:
        stage = _stage_view(ctx, args.reference, args.stage)
        overview = remove_stage(ctx, stage.id, expected_version=stage.version)
    finally:
        _done(ctx)
    print(f"Removed {stage.name}; stages now: {', '.join(s.name for s in overview.stages)}.")
    return 0


def cmd_stages_criterion(args: argparse.Namespace) -> int:
    """One cell of the stage-by-criterion matrix, saved with the rest as the screen does."""
    from dataclasses import replace

    from recruit_app.errors import NotFound
    from recruit_app.services.stages import (
        CellChoice,
        default_pass_mark,
        save_matrix,
        stages_overview,
    )

    ctx = _context(args)
    try:
        campaign_id = _campaign_id(ctx, args.reference)
        stage_id = _stage_id(ctx, args.reference, args.stage)
        overview = stages_overview(ctx, campaign_id)
        column = next(
            (c for c in overview.criteria if c.code.casefold() == args.code.casefold()), None
        )
        if column is None:
            raise NotFound(f"The advert of {args.reference} has no criterion {args.code}.")
        cells: list[CellChoice] = []
        target: CellChoice | None = None
        for stage in overview.stages:
            for cell in stage.cells:
                choice = CellChoice(
                    stage.id, cell.criterion_id, cell.weight, cell.pass_mark, cell.scale,
                    tuple(cell.custom_scale),
                )  # fmt: skip
                if stage.id == stage_id and cell.criterion_id == column.id:
                    target = choice
                else:
                    cells.append(choice)
        if not args.remove:
            stage = next(s for s in overview.stages if s.id == stage_id)
            if target is None:
                target = CellChoice(
                    stage_id,
                    column.id,
                    pass_mark=default_pass_mark(stage.scale, essential=column.essential),
                )
            if args.weight is not None:
                target = replace(target, weight=args.weight)
            if args.pass_mark is not None:
                target = replace(target, pass_mark=args.pass_mark)
            if args.no_pass_mark:
                target = replace(target, pass_mark=None)
            cells.append(target)
        after = save_matrix(
            ctx,
            campaign_id,
            cells,
            expected_versions={s.id: s.version for s in overview.stages},
        )
    finally:
        _done(ctx)
    stage = next(s for s in after.stages if s.id == stage_id)
    if args.json:
        _print_json(stage.to_json())
    else:
        assessed = ", ".join(
            f"{c.code} (weight {c.weight:g}, pass mark {_or_dash(c.pass_mark)})"
            for c in stage.cells
        )
        print(f"{stage.name} assesses: {assessed or 'nothing'}")
    return 0


def _or_dash(value: object) -> str:
    return "-" if value is None else str(value)


def cmd_slots_add(args: argparse.Namespace) -> int:
    from recruit_app.services.slots import add_slot

    ctx = _context(args)
    try:
        view = add_slot(
            ctx,
            _stage_id(ctx, args.reference, args.stage),
            starts_at=args.at,
            minutes=args.minutes,
            panel_number=args.panel,
        )
    finally:
        _done(ctx)
    added = next(s for s in view.slots if s.starts_at == args.at and s.panel_number == args.panel)
    if args.json:
        _print_json(added.to_list_json())
    else:
        print(f"Added a slot at {_slot_text(added)}.")
    return 0


def cmd_slots_assign(args: argparse.Namespace) -> int:
    from recruit_app.services.slots import assign_slot, list_slots

    ctx = _context(args)
    try:
        stage_id = _stage_id(ctx, args.reference, args.stage)
        slot = _slot_of(list_slots(ctx, stage_id), None, args.at, args.at_panel)
        who = (
            None
            if args.free
            else _candidate_id(ctx, args.reference, args.candidate or "", stage_id)
        )
        view = assign_slot(ctx, slot.id, who, expected_version=slot.version)
    finally:
        _done(ctx)
    after = next(s for s in view.slots if s.id == slot.id)
    if args.json:
        _print_json(after.to_list_json())
    elif who is None:
        print(f"The slot at {_slot_text(after)} is open again.")
    else:
        print(f"Candidate {after.candidate_number} has the slot at {_slot_text(after)}.")
    return 0


def cmd_slots_set_plan(args: argparse.Namespace) -> int:
    from pathlib import Path

    from recruit_app.errors import ValidationError
    from recruit_app.services.slots import list_slots, plan_from_json, save_plan

    try:
        data = json.loads(Path(args.file).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationError(f"Could not read the plan from {args.file}: {exc}") from None
    try:
        plan = plan_from_json(data)
    except ValidationError:
        raise ValidationError(
            f"{args.file} needs days (a list of YYYY-MM-DD), day_start and day_end (HH:MM) "
            "and slot_minutes; gap_minutes, lunch_start, lunch_end and panels are optional."
        ) from None
    ctx = _context(args)
    try:
        stage_id = _stage_id(ctx, args.reference, args.stage)
        version = list_slots(ctx, stage_id).stage_version
        view = save_plan(ctx, stage_id, plan, expected_version=version)
    finally:
        _done(ctx)
    if args.json:
        _print_json(view.plan)
    else:
        print(f"Saved the slot plan of {view.stage_name}; make its slots with slots plan.")
    return 0


def cmd_results_resolve_tie(args: argparse.Namespace) -> int:
    from recruit_app.services.results import resolve_tie, stage_results

    ctx = _context(args)
    try:
        stage_id = _stage_id(ctx, args.reference, args.stage)
        progress = [_row(ctx, stage_id, n).candidate_id for n in args.progress or []]
        view = resolve_tie(
            ctx,
            stage_id,
            note=args.note,
            progress=progress,
            expected_version=stage_results(ctx, stage_id).stage_version,
        )
    finally:
        _done(ctx)
    if args.json:
        _print_json([r.to_json() for r in view.rows])
    else:
        print(f"Recorded how the tie at {view.stage_name} was settled.")
    return 0


def cmd_results_expire_reserves(args: argparse.Namespace) -> int:
    from recruit_app.services.results import expire_reserves

    ctx = _context(args)
    try:
        count = expire_reserves(ctx, _campaign_id(ctx, args.reference))
    finally:
        _done(ctx)
    if args.json:
        _print_json({"expired": count})
    else:
        print(f"{count} reserve list entries of {args.reference} had expired and were closed.")
    return 0


def cmd_scores_consistency(args: argparse.Namespace) -> int:
    from recruit_app.services.results import assessor_consistency

    ctx = _context(args)
    try:
        found = assessor_consistency(ctx, _stage_id(ctx, args.reference, args.stage))
    finally:
        _done(ctx)
    if args.json:
        _print_json(
            [
                {
                    "assessor": a.name,
                    "scores": a.count,
                    "mean": round(a.mean, 2),
                    "spread": round(a.spread, 2),
                    "panel_mean": None if a.panel_mean is None else round(a.panel_mean, 2),
                    "difference": None if a.difference is None else round(a.difference, 2),
                    "moderated": a.moderated,
                    "moved_away": a.moved_away,
                    "note": a.label,
                }
                for a in found
            ]
        )
        return 0
    _table(
        [[a.name, a.count, f"{a.mean:.2f}", a.label] for a in found],
        ["Assessor", "Scores", "Mean", "Note"],
    )
    return 0


def cmd_scores_submit(args: argparse.Namespace) -> int:
    from recruit_app.services.scoring import submit_scores

    ctx = _context(args)
    try:
        stage_id = _stage_id(ctx, args.reference, args.stage)
        assessor = _assessor_id(ctx, args.assessor)
        ids = [_candidate_id(ctx, args.reference, n, stage_id) for n in args.candidate]
        count = submit_scores(ctx, stage_id, assessor, ids)
    finally:
        _done(ctx)
    print(f"Submitted the scores for {count} candidates.")
    return 0


def _assessor_id(ctx: ServiceContext, email: str | None) -> int:
    """The assessor named, or the person signed in."""
    from recruit_app.errors import ValidationError

    if not email:
        if ctx.actor.person_id is None:
            raise ValidationError("Say whose scores these are with --assessor EMAIL.")
        return ctx.actor.person_id
    return int(_person(ctx, email).id)


def cmd_scores_conflict(args: argparse.Namespace) -> int:
    from recruit_app.services.scoring import declare_conflict

    ctx = _context(args)
    try:
        stage_id = _stage_id(ctx, args.reference, args.stage)
        message = declare_conflict(
            ctx,
            stage_id,
            _assessor_id(ctx, args.assessor),
            _candidate_id(ctx, args.reference, args.candidate, stage_id),
            args.note,
        )
    finally:
        _done(ctx)
    print(message)
    return 0


def cmd_scores_conflicts(args: argparse.Namespace) -> int:
    from recruit_app.domain.dates import in_london
    from recruit_app.services.scoring import list_conflicts

    ctx = _context(args)
    try:
        found = list_conflicts(ctx, _campaign_id(ctx, args.reference))
    finally:
        _done(ctx)
    if args.json:
        _print_json(
            [
                {
                    "person": c.person,
                    "candidate_number": c.candidate_number,
                    "note": c.note,
                    "declared_at": in_london(c.declared_at).isoformat(),
                }
                for c in found
            ]
        )
        return 0
    _table([[c.person, c.candidate_number, c.note] for c in found], ["Person", "Candidate", "Note"])
    return 0


def _post_values(args: argparse.Namespace) -> dict[str, Any]:
    values: dict[str, Any] = {
        k: getattr(args, k)
        for k in ("title", "grade", "count", "job_description", "responsibilities")
        if getattr(args, k) is not None
    }
    if args.location is not None:
        values["locations"] = list(args.location)
    if args.criterion is not None:
        values["criteria"] = list(args.criterion)
    return values


def _post_json(p: Any) -> dict[str, Any]:
    return {
        "position": p.position + 1,
        "annex": p.annex,
        "title": p.title,
        "grade": p.grade,
        "count": p.count,
        "locations": list(p.locations),
        "criteria": list(p.criteria),
        "version": p.version,
    }


def _post_of(ctx: ServiceContext, reference: str, title: str) -> Any:
    from recruit_app.errors import NotFound
    from recruit_app.services.posts import list_posts

    view = list_posts(ctx, _campaign_id(ctx, reference))
    found = next((p for p in view.posts if p.title.casefold() == title.strip().casefold()), None)
    if found is None:
        raise NotFound(f"{reference} has no post called {title!r}.")
    return found


def cmd_posts_list(args: argparse.Namespace) -> int:
    from recruit_app.services.posts import list_posts

    ctx = _context(args)
    try:
        view = list_posts(ctx, _campaign_id(ctx, args.reference))
    finally:
        _done(ctx)
    if args.json:
        _print_json([_post_json(p) for p in view.posts])
        return 0
    _table(
        [[p.annex, p.title, p.grade, p.count, ", ".join(p.locations)] for p in view.posts],
        ["Annex", "Title", "Grade", "Posts", "Locations"],
    )
    return 0


def cmd_posts_add(args: argparse.Namespace) -> int:
    from recruit_app.services.posts import add_post

    ctx = _context(args)
    try:
        post = add_post(ctx, _campaign_id(ctx, args.reference), _post_values(args))
    finally:
        _done(ctx)
    if args.json:
        _print_json(_post_json(post))
    else:
        print(f"Added the post {post.title} (annex {post.annex}).")
    return 0


def cmd_posts_edit(args: argparse.Namespace) -> int:
    from recruit_app.services.posts import update_post

    ctx = _context(args)
    try:
        post = _post_of(ctx, args.reference, args.post)
        changed = update_post(ctx, post.id, _post_values(args), post.version)
    finally:
        _done(ctx)
    if args.json:
        _print_json(_post_json(changed))
    else:
        print(f"Changed the post {changed.title}.")
    return 0


def cmd_posts_move(args: argparse.Namespace) -> int:
    from recruit_app.services.posts import move_post

    ctx = _context(args)
    try:
        view = move_post(ctx, _post_of(ctx, args.reference, args.post).id, args.position - 1)
    finally:
        _done(ctx)
    print(f"Posts now: {', '.join(p.title for p in view.posts)}.")
    return 0


def cmd_posts_remove(args: argparse.Namespace) -> int:
    from recruit_app.services.posts import remove_post

    ctx = _context(args)
    try:
        post = _post_of(ctx, args.reference, args.post)
        remove_post(ctx, post.id, post.version)
    finally:
        _done(ctx)
    print(f"Removed the post {post.title}.")
    return 0


def cmd_timetable_event(args: argparse.Namespace) -> int:
    from recruit_app.services.timetable import get_timetable, save_event

    ctx = _context(args)
    try:
        campaign_id = _campaign_id(ctx, args.reference)
        old = None
        if args.replace:
            old = _event_of(get_timetable(ctx, campaign_id), args.replace)
        view = save_event(
            ctx,
            campaign_id,
            title=args.title,
            starts_on=args.on,
            ends_on=args.until,
            note=args.note or "",
            event_id=old.id if old else None,
            expected_version=old.version if old else None,
        )
    finally:
        _done(ctx)
    if args.json:
        _print_json(view.to_json())
    else:
        print(f"Saved the event {args.title} on {short_date(args.on)}.")
    return 0


def _event_of(view: Any, title: str) -> Any:
    from recruit_app.errors import NotFound

    found = next((e for e in view.events if e.title.casefold() == title.strip().casefold()), None)
    if found is None:
        raise NotFound(f"{view.reference}'s timetable has no event called {title!r}.")
    return found


def cmd_timetable_delete(args: argparse.Namespace) -> int:
    from recruit_app.services.timetable import delete_event, get_timetable

    ctx = _context(args)
    try:
        event = _event_of(get_timetable(ctx, _campaign_id(ctx, args.reference)), args.title)
        delete_event(ctx, event.id)
    finally:
        _done(ctx)
    print(f"Deleted the event {event.title}.")
    return 0


def cmd_timetable_dates(args: argparse.Namespace) -> int:
    from recruit_app.services.timetable import get_timetable, update_key_dates

    ctx = _context(args)
    try:
        campaign_id = _campaign_id(ctx, args.reference)
        now = get_timetable(ctx, campaign_id)
        view = update_key_dates(
            ctx,
            campaign_id,
            region=args.region or now.region,
            decisions_on=args.decisions_on if args.decisions_on else now.decisions_on,
            expected_start_on=args.start_on if args.start_on else now.expected_start_on,
            expected_version=now.version,
        )
    finally:
        _done(ctx)
    if args.json:
        _print_json(view.to_json())
    else:
        print(f"Saved the key dates of {view.reference}.")
    return 0


def add_timetable_actions(commands: Any) -> None:
    """The hidden `timetable-do` command: `timetable ACTION` is routed to it."""
    routed = commands.add_parser(ROUTES["timetable"][1], prog="recruit-app timetable")
    t_commands = routed.add_subparsers(title="timetable commands", metavar="ACTION", required=True)
    event = t_commands.add_parser("event", help="add an event (or --replace one)")
    event.add_argument("reference", metavar="REF")
    event.add_argument("--title", required=True, metavar="TEXT")
    event.add_argument("--on", required=True, type=_day, metavar="YYYY-MM-DD")
    event.add_argument("--until", type=_day, metavar="YYYY-MM-DD")
    event.add_argument("--note", metavar="TEXT")
    event.add_argument("--replace", metavar="TITLE", help="the event to change")
    _json(event)
    event.set_defaults(handler=cmd_timetable_event)
    delete = t_commands.add_parser("delete-event", help="delete an event")
    delete.add_argument("reference", metavar="REF")
    delete.add_argument("title", metavar="TITLE")
    delete.set_defaults(handler=cmd_timetable_delete)
    dates = t_commands.add_parser("dates", help="the key dates: decisions, start, region")
    dates.add_argument("reference", metavar="REF")
    dates.add_argument("--region", metavar="REGION", help="bank holidays: england-and-wales, ...")
    dates.add_argument("--decisions-on", type=_day, metavar="YYYY-MM-DD")
    dates.add_argument("--start-on", type=_day, metavar="YYYY-MM-DD")
    _json(dates)
    dates.set_defaults(handler=cmd_timetable_dates)


def add_campaign_commands(commands: Any) -> None:
    dup = commands.add_parser("duplicate", help="copy a campaign's definition, not its people")
    dup.add_argument("reference", metavar="REF")
    dup.add_argument("--title")
    _json(dup)
    dup.set_defaults(handler=cmd_campaign_duplicate)
    share = commands.add_parser("share", help="who may work on a campaign; share or stop")
    share.add_argument("reference", metavar="REF")
    share.add_argument("--with", dest="with_email", metavar="EMAIL", help="a recruiting manager")
    share.add_argument("--stop", action="store_true", help="stop sharing with them")
    _json(share)
    share.set_defaults(handler=cmd_campaign_share)


def add_advert_show(commands: Any) -> None:
    show = commands.add_parser("show", help="the advert's fields and version")
    show.add_argument("reference", metavar="REF")
    _json(show)
    show.set_defaults(handler=cmd_advert_show)


def add_candidates_commands(commands: Any) -> None:
    edit = commands.add_parser("edit", help="change a candidate's details")
    edit.add_argument("reference", metavar="REF")
    edit.add_argument("number", metavar="NUMBER")
    for option in ("first-name", "last-name", "email", "phone", "adjustments"):
        edit.add_argument(f"--{option}", metavar="TEXT")
    edit.add_argument("--extra-minutes", type=int, metavar="MINUTES")
    edit.add_argument("--guaranteed-interview", choices=["yes", "no"])
    edit.add_argument("--redeployment", choices=["yes", "no"])
    edit.add_argument(
        "--unavailable", nargs="*", metavar="YYYY-MM-DD", help="the days away (replaces them)"
    )
    _json(edit)
    edit.set_defaults(handler=cmd_candidates_edit)


def add_more_stages_commands(commands: Any) -> None:
    add = commands.add_parser("add", help="add a stage at the end")
    add.add_argument("reference", metavar="REF")
    add.add_argument("--name", required=True, metavar="TEXT")
    add.add_argument("--kind", default="custom", metavar="KIND")
    _json(add)
    add.set_defaults(handler=cmd_stages_add)
    move = commands.add_parser("move", help="put a stage at another place in the order")
    _ref_stage(move)
    move.add_argument("--position", required=True, type=int, metavar="N", help="1 is first")
    move.set_defaults(handler=cmd_stages_move)
    remove = commands.add_parser("remove", help="remove a stage with no scores")
    _ref_stage(remove)
    remove.add_argument("--yes", action="store_true", help="confirm")
    remove.set_defaults(handler=cmd_stages_remove)
    crit = commands.add_parser(
        "criterion", help="assess a criterion at a stage: its weight and pass mark (or remove)"
    )
    _ref_stage(crit)
    crit.add_argument("code", metavar="CODE")
    crit.add_argument("--weight", type=float, metavar="X")
    crit.add_argument("--pass-mark", type=int, metavar="N")
    crit.add_argument("--no-pass-mark", action="store_true")
    crit.add_argument("--remove", action="store_true", help="stop assessing it here")
    _json(crit)
    crit.set_defaults(handler=cmd_stages_criterion)


def add_more_slots_commands(commands: Any) -> None:
    add = commands.add_parser("add", help="add one slot")
    _ref_stage(add)
    add.add_argument("--at", required=True, type=_moment, metavar="'YYYY-MM-DD HH:MM'")
    add.add_argument("--minutes", required=True, type=int, metavar="N")
    add.add_argument("--panel", type=int, default=1, metavar="N")
    _json(add)
    add.set_defaults(handler=cmd_slots_add)
    assign = commands.add_parser("assign", help="give a slot to a candidate, or --free it")
    _ref_stage(assign)
    assign.add_argument("--at", required=True, type=_moment, metavar="'YYYY-MM-DD HH:MM'")
    assign.add_argument("--at-panel", type=int, default=1, metavar="N")
    who = assign.add_mutually_exclusive_group(required=True)
    who.add_argument("--candidate", metavar="NUMBER")
    who.add_argument("--free", action="store_true")
    _json(assign)
    assign.set_defaults(handler=cmd_slots_assign)
    plan = commands.add_parser("set-plan", help="the slot plan from a JSON file")
    _ref_stage(plan)
    plan.add_argument("file", metavar="PLAN.json", help="days, day_start, day_end, ...")
    _json(plan)
    plan.set_defaults(handler=cmd_slots_set_plan)


def add_more_scores_commands(commands: Any) -> None:
    cons = commands.add_parser("consistency", help="how each assessor scores beside the panel")
    _ref_stage(cons)
    _json(cons)
    cons.set_defaults(handler=cmd_scores_consistency)
    submit = commands.add_parser("submit", help="make an assessor's scores final")
    _ref_stage(submit)
    submit.add_argument("--assessor", metavar="EMAIL", help="default: you")
    submit.add_argument("--candidate", required=True, action="append", metavar="NUMBER")
    submit.set_defaults(handler=cmd_scores_submit)
    conflict = commands.add_parser("conflict", help="declare a conflict of interest")
    _ref_stage(conflict)
    conflict.add_argument("--assessor", metavar="EMAIL", help="default: you")
    conflict.add_argument("--candidate", required=True, metavar="NUMBER")
    conflict.add_argument("--note", required=True, metavar="TEXT")
    conflict.set_defaults(handler=cmd_scores_conflict)
    conflicts = commands.add_parser("conflicts", help="the conflicts declared in a campaign")
    conflicts.add_argument("reference", metavar="REF")
    _json(conflicts)
    conflicts.set_defaults(handler=cmd_scores_conflicts)


def add_posts_command(commands: Any) -> None:
    posts = commands.add_parser("posts", help="the posts a campaign fills (annexes of the pack)")
    p_commands = posts.add_subparsers(title="posts commands", metavar="COMMAND", required=True)
    p_list = p_commands.add_parser("list", help="the posts")
    p_list.add_argument("reference", metavar="REF")
    _json(p_list)
    p_list.set_defaults(handler=cmd_posts_list)
    for word, handler, text in (
        ("add", cmd_posts_add, "add a post"),
        ("edit", cmd_posts_edit, "change a post"),
    ):
        sub = p_commands.add_parser(word, help=text)
        sub.add_argument("reference", metavar="REF")
        if word == "edit":
            sub.add_argument("post", metavar="TITLE", help="the post's title now")
        sub.add_argument("--title", required=word == "add", metavar="TEXT")
        sub.add_argument("--grade", metavar="TEXT")
        sub.add_argument("--count", type=int, metavar="N")
        sub.add_argument("--location", action="append", metavar="TEXT", help="repeatable")
        sub.add_argument("--criterion", action="append", metavar="CODE", help="repeatable")
        sub.add_argument("--job-description", metavar="TEXT")
        sub.add_argument("--responsibilities", metavar="TEXT")
        _json(sub)
        sub.set_defaults(handler=handler)
    move = p_commands.add_parser("move", help="put a post at another place")
    move.add_argument("reference", metavar="REF")
    move.add_argument("post", metavar="TITLE")
    move.add_argument("--position", required=True, type=int, metavar="N", help="1 is first")
    move.set_defaults(handler=cmd_posts_move)
    remove = p_commands.add_parser("remove", help="remove a post")
    remove.add_argument("reference", metavar="REF")
    remove.add_argument("post", metavar="TITLE")
    remove.set_defaults(handler=cmd_posts_remove)


# --- question plans and applications ------------------------------------------------------


def _plan_file(path: str, assessed: Sequence[str]) -> Any:
    """A question plan from a file: `stages plan --json` as it prints it, or its `plan`."""
    from pathlib import Path

    from recruit_app.domain.plan_format import check_plan, parse_plan_shape
    from recruit_app.errors import ValidationError

    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationError(f"Could not read the plan from {path}: {exc}") from None
    if isinstance(raw, dict) and "plan" in raw:
        raw = raw["plan"]

    def fail(loc: tuple[Any, ...], message: str) -> ValidationError:
        where = ".".join(str(part) for part in loc)
        return ValidationError(f"{path}, {where}: {message}")

    return check_plan(parse_plan_shape(raw, fail), assessed, fail)


def cmd_stages_set_plan(args: argparse.Namespace) -> int:
    from recruit_app.domain.plans import PlanItem
    from recruit_app.services.plans import save_plan, stage_plan

    ctx = _context(args)
    try:
        stage_id = _stage_id(ctx, args.reference, args.stage)
        now = stage_plan(ctx, stage_id)
        cells = {c.code: c.cell_id for c in now.cells}
        entries = _plan_file(args.file, list(cells))
        items = [
            PlanItem(cells[entry.code], q.text, q.probes, q.minutes, q.unseen, q.sent_on)
            for entry in entries
            for q in entry.questions
        ]
        plan = save_plan(
            ctx,
            stage_id,
            items,
            welcome_script=now.welcome_script if args.welcome is None else args.welcome,
            close_script=now.close_script if args.close is None else args.close,
            expected_version=now.version,
        )
    finally:
        _done(ctx)
    if args.json:
        _print_json(plan.to_json())
    else:
        count = sum(len(c.questions) for c in plan.cells)
        print(f"Saved the question plan of {plan.stage_name}: {count} questions.")
    return 0


def cmd_stages_bank(args: argparse.Namespace) -> int:
    from recruit_app.errors import NotFound
    from recruit_app.services.plans import bank_questions, stage_plan

    ctx = _context(args)
    try:
        stage_id = _stage_id(ctx, args.reference, args.stage)
        wanted = args.criterion.strip().casefold()
        cell = next(
            (c for c in stage_plan(ctx, stage_id).cells if c.code.casefold() == wanted), None
        )
        if cell is None:
            raise NotFound(f"{args.stage} does not assess {args.criterion}.")
        found = bank_questions(ctx, stage_id, cell.cell_id)
    finally:
        _done(ctx)
    if args.json:
        _print_json(
            [
                {
                    "criterion": q.criterion,
                    "level": q.level,
                    "text": q.text,
                    "probes": list(q.probes),
                }
                for q in found
            ]
        )
        return 0
    for q in found:
        print(f"- {q.text}")
        for probe in q.probes:
            print(f"    {probe}")
    if not found:
        print("The bank has no questions for this criterion.")
    return 0


def cmd_applications_search(args: argparse.Namespace) -> int:
    from recruit_app.services.applications import search_applications

    ctx = _context(args)
    try:
        stage_id = _stage_id(ctx, args.reference, args.stage) if args.stage else None
        hits = search_applications(
            ctx, _campaign_id(ctx, args.reference), " ".join(args.words), stage_id=stage_id
        )
    finally:
        _done(ctx)
    if args.json:
        _print_json(
            [
                {"candidate_number": h.candidate_number, "part": h.part, "snippet": h.snippet}
                for h in hits
            ]
        )
        return 0
    for h in hits:
        print(f"{h.candidate_number}  {h.part}: {' '.join(h.snippet.split())}")
    if not hits:
        print("Not found in any application.")
    return 0


def cmd_applications_redactions(args: argparse.Namespace) -> int:
    from recruit_app.services.applications import redaction_review

    ctx = _context(args)
    try:
        items = redaction_review(ctx, _campaign_id(ctx, args.reference))
    finally:
        _done(ctx)
    if args.unchecked:
        items = [i for i in items if not i.checked]
    if args.json:
        _print_json(
            [
                {
                    "candidate_number": i.candidate_number,
                    "part": i.label,
                    "checked": i.checked,
                    "hidden": [s.to_json(i.text) for s in i.spans],
                    "redacted_text": i.redacted_text,
                }
                for i in items
            ]
        )
        return 0
    _table(
        [[i.candidate_number, i.label, len(i.spans), "yes" if i.checked else "no"] for i in items],
        ["Candidate", "Part", "Hidden", "Checked"],
    )
    return 0


def add_plan_commands(commands: Any) -> None:
    plan = commands.add_parser(
        "set-plan", help="a stage's question plan from a JSON file, as stages plan --json prints"
    )
    _ref_stage(plan)
    plan.add_argument("file", metavar="PLAN.json")
    plan.add_argument("--welcome", metavar="TEXT", help="the chair's welcome script")
    plan.add_argument("--close", metavar="TEXT", help="the chair's close script")
    _json(plan)
    plan.set_defaults(handler=cmd_stages_set_plan)
    bank = commands.add_parser("bank", help="the question bank's questions for a criterion")
    _ref_stage(bank)
    bank.add_argument("--criterion", required=True, metavar="CODE")
    _json(bank)
    bank.set_defaults(handler=cmd_stages_bank)


def add_applications_commands(commands: Any) -> None:
    search = commands.add_parser("search", help="where words appear in the applications")
    search.add_argument("reference", metavar="REF")
    search.add_argument("words", metavar="WORD", nargs="+")
    search.add_argument("--stage", metavar="NAME", help="the stage you are reading for")
    _json(search)
    search.set_defaults(handler=cmd_applications_search)
    red = commands.add_parser("redactions", help="what name-blind reading hides, to check")
    red.add_argument("reference", metavar="REF")
    red.add_argument("--unchecked", action="store_true", help="only those not yet checked")
    _json(red)
    red.set_defaults(handler=cmd_applications_redactions)
