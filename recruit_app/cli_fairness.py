"""`recruit-app fairness`: a campaign's fairness figures from equality monitoring, and the
import of the answers they are made from.

    recruit-app fairness REF [--stage NAME] [--characteristic CODE] [--threshold N] [--json]
    recruit-app fairness import REF FILE [--map HEADING=CODE]... [--dry-run] [--json]
    recruit-app fairness funnel FROM TO [--characteristic CODE] [--threshold N] [--json]
    recruit-app fairness settings [--threshold N] [--questions FILE] [--json]

One sub-parser with a positional list, so the figures keep the issue's plain
`fairness REF` and the import reads as a verb (a campaign cannot be called "import").
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

IMPORT, FUNNEL, SETTINGS = "import", "funnel", "settings"


def add_parser(commands: Any) -> Any:
    """Add `fairness` to the top-level sub-parsers (argparse's `add_subparsers` result)."""
    fairness = commands.add_parser(
        "fairness",
        help="selection rates, impact ratios and Fisher's p-values by equality monitoring "
        "group (administrators and people given equality monitoring only)",
        description="Figures: fairness REF [--stage NAME] [--characteristic CODE]. "
        "Import answers: fairness import REF FILE [--map HEADING=CODE]. Counts below the "
        "suppression threshold are hidden (with any figure they could be worked out from); "
        "an impact ratio below 0.8 is a monitoring flag, not a finding. Settings: fairness "
        "settings [--threshold N] [--questions FILE] shows or (administrators) changes the "
        "suppression threshold and the questions and their categories.",
    )
    fairness.add_argument(
        "words",
        nargs="+",
        metavar="REF | import REF FILE | funnel FROM TO | settings",
        help="a campaign's reference; or import and a file; or funnel and two dates "
        "(YYYY-MM-DD: the campaigns whose applications closed then); or settings",
    )
    fairness.add_argument("--stage", metavar="NAME", help="one stage's rows only")
    fairness.add_argument(
        "--characteristic", metavar="CODE", help="one question only (sex, ethnic_group, ...)"
    )
    fairness.add_argument(
        "--threshold",
        type=int,
        metavar="N",
        help="suppress counts below N (default: the setting); with settings, change it",
    )
    fairness.add_argument(
        "--questions",
        metavar="FILE",
        help="settings: a JSON file of the questions and their categories, as `fairness "
        "settings --json` prints them under characteristics",
    )
    fairness.add_argument(
        "--map",
        action="append",
        metavar="HEADING=CODE",
        help="import: what a column holds (repeatable): a question's code, candidate_number, "
        "email or ignore; e.g. 'Q4 Ethnicity=ethnic_group'",
    )
    fairness.add_argument("--dry-run", action="store_true", help="import: check only")
    fairness.add_argument("--json", action="store_true", help="print JSON")
    fairness.set_defaults(handler=cmd_fairness)
    return fairness


def cmd_fairness(args: argparse.Namespace) -> int:
    from recruit_app.errors import ValidationError

    words = list(args.words)
    if words[0] == SETTINGS:
        if len(words) != 1 or args.stage or args.map or args.dry_run or args.characteristic:
            raise ValidationError(
                "Say: recruit-app fairness settings [--threshold N] [--questions FILE]."
            )
        return _settings(args)
    if args.questions:
        raise ValidationError("--questions goes with fairness settings.")
    if words[0] == IMPORT:
        if len(words) != 3:
            raise ValidationError("Say: recruit-app fairness import REF FILE.")
        return _import(args, words[1], Path(words[2]))
    if words[0] == FUNNEL:
        if len(words) != 3 or args.stage or args.map or args.dry_run:
            raise ValidationError(
                "Say: recruit-app fairness funnel FROM TO [--characteristic CODE]."
            )
        return _funnel(args, words[1], words[2])
    if len(words) != 1:
        raise ValidationError(
            "Say: recruit-app fairness REF [--stage NAME] [--characteristic CODE], "
            "or recruit-app fairness import REF FILE."
        )
    if args.map or args.dry_run:
        raise ValidationError("--map and --dry-run go with fairness import.")
    return _figures(args, words[0])


def _figures(args: argparse.Namespace, reference: str) -> int:
    from recruit_app.cli import _campaign_id, _context, _print_json, _stage_id, _table
    from recruit_app.domain.fairness import suppressed_text
    from recruit_app.services.equality import fairness_figures

    ctx = _context(args)
    try:
        campaign_id = _campaign_id(ctx, reference)
        stage_id = _stage_id(ctx, reference, args.stage) if args.stage else None
        report = fairness_figures(
            ctx,
            campaign_id,
            stage_id=stage_id,
            characteristic=args.characteristic,
            threshold=args.threshold,
        )
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json(report.to_json())
        return 0
    hidden = suppressed_text(report.threshold)

    def shown(value: object, form: str = "{}") -> str:
        return "-" if value is None else form.format(value)

    rows = [
        [
            row.stage,
            row.characteristic,
            row.group,
            hidden if row.suppressed else shown(row.entered),
            hidden if row.suppressed else shown(row.progressed),
            shown(row.rate, "{:.0%}"),
            shown(row.impact_ratio, "{:.2f}"),
            "below 0.8" if row.flag else "",
            shown(row.p_value, "{:.3f}"),
        ]
        for row in report.rows
    ]
    _table(
        rows,
        ["Stage", "Question", "Group", "Entered", "Went on", "Rate", "Ratio", "Flag", "p"],
    )
    print(
        f"Counts below {report.threshold} are suppressed. An impact ratio below 0.8 is a "
        "monitoring flag to look closer, not a finding; read it with the p-value."
    )
    return 0


def _import(args: argparse.Namespace, reference: str, path: Path) -> int:
    from recruit_app.cli import _campaign_id, _context, _print_json
    from recruit_app.services.equality import import_answers, parse_overrides

    overrides = parse_overrides(args.map or [])
    ctx = _context(args)
    try:
        report = import_answers(
            ctx, _campaign_id(ctx, reference), path, overrides=overrides, dry_run=args.dry_run
        )
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json(report.to_json())
        return 0
    verb = "Would import" if report.dry_run else "Imported"
    print(
        f"{verb} {report.answers} equality monitoring answers of {report.candidates} "
        f"candidates; {len(report.problems)} problems."
    )
    for problem in report.problems:
        print(f"  line {problem.line}: {problem.message}")
    return 0


def _funnel(args: argparse.Namespace, start: str, end: str) -> int:
    from datetime import date

    from recruit_app.cli import _context, _print_json, _table
    from recruit_app.domain.fairness import suppressed_text
    from recruit_app.errors import ValidationError
    from recruit_app.services.equality import organisation_funnel

    try:
        date_from, date_to = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        raise ValidationError("Give the dates as YYYY-MM-DD, such as 2026-04-01.") from None
    ctx = _context(args)
    try:
        found = organisation_funnel(
            ctx,
            date_from,
            date_to,
            characteristic=args.characteristic,
            threshold=args.threshold,
        )
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json(found.to_json())
        return 0
    hidden = suppressed_text(found.report.threshold)
    print(f"Campaigns: {', '.join(found.references) or 'none'}")
    _table(
        [
            [
                f.characteristic,
                f.group,
                hidden if f.entered is None else f.entered,
                *(hidden if n is None else n for _stage, n in f.progressed),
            ]
            for f in found.report.funnel
        ],
        ["Question", "Group", "Applied", "Passed first stage", "Reached final", "Selected"],
    )
    return 0


def _settings(args: argparse.Namespace) -> int:
    """Show the monitoring settings, or change them (administrators; audited)."""
    from recruit_app.cli import _context, _print_json
    from recruit_app.services.equality import equality_settings, set_equality_settings
    from recruit_app.services.textfiles import parse_json, read_text

    questions = None
    if args.questions:
        path = Path(args.questions)
        questions = parse_json(read_text(path), path.name)
        if isinstance(questions, dict) and "characteristics" in questions:
            questions = questions["characteristics"]  # as `fairness settings --json` prints
    ctx = _context(args)
    try:
        if questions is not None or args.threshold is not None:
            found = set_equality_settings(ctx, characteristics=questions, threshold=args.threshold)
        else:
            found = equality_settings(ctx)
    finally:
        ctx.db.dispose()
    if args.json:
        _print_json(found.to_json())
        return 0
    print(f"Counts below {found.threshold} are suppressed.")
    for characteristic in found.characteristics:
        labels = ", ".join(c.label for c in characteristic.categories)
        print(f"{characteristic.code} ({characteristic.label}): {labels}")
    return 0
