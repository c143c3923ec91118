"""A candidate's subject access record as a PDF: every field, in plain tables."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from reportlab.platypus import Flowable, Paragraph

from exports.styles import Theme, build_pdf, escape, facts_table, make_styles, table, title_block
from recruit_app.domain.dates import plain_date
from recruit_app.readmodels import CandidateRecord
from recruit_app.vocabulary import Outcome

_LABELS = {
    "candidate_number": "Candidate number",
    "first_name": "First name",
    "last_name": "Last name",
    "email": "E-mail",
    "phone": "Phone",
    "guaranteed_interview_scheme": "Guaranteed interview scheme",
    "redeployment_scheme": "Redeployment scheme",
    "reasonable_adjustments": "Reasonable adjustments",
    "extra_minutes": "Extra time (minutes)",
    "unavailable_dates": "Unavailable dates",
    "other_information": "Other information",
    "added_on": "Added on",
    "erased_on": "Personal data erased on",
    "equality_monitoring": "Equality monitoring",
}


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items()) or "none"
    return str(value) if value not in (None, "") else "none"


def _moment(text: str) -> str:
    moment = datetime.fromisoformat(text)
    return f"{plain_date(moment.date())} at {moment:%H:%M}"


def record_flowables(record: CandidateRecord, theme: Theme) -> list[Flowable]:
    styles = make_styles(theme)
    number = record.details.get("candidate_number", "")
    flow: list[Flowable] = title_block(
        styles,
        f"Personal data held about candidate {number}",
        kicker="Subject access request",
        subtitle=f"{record.campaign_reference} – {record.campaign_title}",
        meta=[f"Produced {_moment(record.produced_at)}"],
    )
    flow += [Paragraph("Your details", styles.h1)]
    flow.append(
        facts_table(
            [
                (_LABELS.get(k, k), _text(v))
                for k, v in record.details.items()
                if not (k == "erased_on" and not v)
            ],
            styles,
        )
    )
    if record.stages:
        flow.append(Paragraph("Stages and outcomes", styles.h1))
        rows = [["Stage", "Outcome", "Decided", "Interview", "Reason and feedback"]]
        for s in record.stages:
            notes = "\n".join(x for x in (s.reason, s.feedback) if x)
            if s.reserve_expires_on:
                until = f"{Outcome.RESERVE.label} until {s.reserve_expires_on}"
                notes = f"{until}\n{notes}".strip()
            outcome = Outcome.label_for(s.outcome) if s.outcome else "none yet"
            rows.append([s.stage, outcome, s.decided_on, s.interview, notes])
        flow.append(table(rows, [0.16, 0.16, 0.14, 0.2, 0.34], styles=styles))
    if record.scores:
        flow.append(Paragraph("Scores", styles.h1))
        rows = [["Stage", "Criterion", "Assessor", "Score", "Evidence noted"]]
        rows += [
            [s.stage, s.criterion, s.assessor, _text(s.score), s.evidence] for s in record.scores
        ]
        flow.append(table(rows, [0.17, 0.12, 0.18, 0.08, 0.45], styles=styles))
    if record.agreed_scores:
        flow.append(Paragraph("Scores agreed at moderation", styles.h1))
        rows = [["Stage", "Criterion", "Agreed score", "Why"]]
        rows += [
            [str(a["stage"]), str(a["criterion"]), _text(a["agreed_score"]), str(a["rationale"])]
            for a in record.agreed_scores
        ]
        flow.append(table(rows, [0.2, 0.14, 0.14, 0.52], styles=styles))
    if record.conflicts_declared:
        flow.append(Paragraph("Conflicts of interest", styles.h1))
        flow.append(
            Paragraph(
                escape(
                    f"{record.conflicts_declared} panel member(s) declared a conflict of "
                    "interest and did not score this application."
                ),
                styles.body,
            )
        )
    if record.application:
        flow.append(Paragraph("Your application", styles.h1))
        for part in record.application:
            heading = str(part["part"])
            if part["criterion"]:
                heading = f"{heading} ({part['criterion']})"
            if part["file"]:
                heading = f"{heading}: {part['file']}"
            flow.append(Paragraph(escape(heading), styles.h2))
            for paragraph in str(part["text"] or "(no text)").split("\n\n"):
                flow.append(Paragraph(escape(paragraph).replace("\n", "<br/>"), styles.body))
    if record.history:
        flow.append(Paragraph("Changes to your details", styles.h1))
        rows = [["When", "What", "Before", "After"]]
        rows += [
            [str(h["when"]), str(h["what"]), _text(h["before"]), _text(h["after"])]
            for h in record.history
        ]
        flow.append(table(rows, [0.18, 0.28, 0.27, 0.27], styles=styles))
    return flow


def render_candidate_record(record: CandidateRecord, path: Path, theme: Theme) -> Path:
    number = record.details.get("candidate_number", "")
    return build_pdf(
        path,
        record_flowables(record, theme),
        theme,
        title=f"Personal data held about candidate {number}",
        subject=f"Subject access request, {record.campaign_reference}",
        author=theme.organisation or "Recruit",
    )
