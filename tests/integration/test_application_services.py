"""Applications through the services, on SQLite and PostgreSQL (issue 15): importing a
table of answers and a ZIP or folder of documents, reading them as each role may (name-
blind at a name-blind stage), correcting the redaction, searching, and erasure."""

from __future__ import annotations

import zipfile
from datetime import date

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlmodel import select

from db.models import ApplicationPart, AuditEvent, Candidate, Outcome, Person
from recruit_app.errors import Cancelled, ConflictError, NotFound, PermissionDenied, ValidationError
from recruit_app.services import adverts
from recruit_app.services import applications as apps
from recruit_app.services import stages as svc
from recruit_app.services.campaign_files import create_from_template
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.retention import erase_candidate

PEOPLE = [  # number, first, last, e-mail, phone
    ("0001", "Siân", "O'Brien-Smith", "sian.obrien@example.org", "07700 900123"),
    ("0002", "Tomasz", "Nowak", "tomasz@example.org", "+44 7700 900456"),
    ("0003", "Amara", "Okafor", "amara.okafor@example.org", ""),
]

ANSWERS = (
    "Candidate number,First name,Personal statement,EXP1 example,"
    "Working in agile teams with version control,Right to work in the UK\r\n"
    '0001,Siân,"I am Siân O’Brien-Smith (sian.obrien@example.org, 07700 900123). '
    'I build services.","At Leeds City Council I rebuilt the payments service in Python.",'
    '"Our team used Git daily; the lead, Sian OBrien Smith, merged it.",Yes\r\n'
    '2,Tomasz,"Tomasz Nowak here: five years of Java, call +44 7700 900456.",'
    '"Java and Spring at a bank.",,Yes\r\n'
    "0099,Nobody,Who am I?,x,y,z\r\n"
    '0001,Siân,"A second line for me",,,\r\n'
    ',,"no number",a,b,c\r\n'
)


def _pdf(path, lines):
    page = canvas.Canvas(str(path), pagesize=A4)
    y = 800
    for line in lines:
        page.drawString(72, y, line)
        y -= 16
    page.save()
    return path


def _scanned_pdf(path):
    page = canvas.Canvas(str(path), pagesize=A4)
    page.rect(72, 500, 300, 200, fill=1)
    page.save()
    return path


@pytest.fixture
def campaign(ctx):
    """(campaign id, {stage name: stage}, {number: candidate id}, {name: person id})."""
    summary = create_from_template(ctx, "DDAT-DEV-SEO", title="Developer", reference="APP-1")
    form = adverts.get_advert(ctx, summary.id)
    adverts.save_advert(
        ctx,
        summary.id,
        fields={"statement_word_limit": 11, "answer_word_limit": 250},
        criteria=None,
        expected_version=form.version,
    )
    stages = {s.name: s for s in svc.stages_overview(ctx, summary.id).stages}
    with ctx.db.session() as session:
        people = {
            name: Person(name=name, email=f"{name.lower()}@example.org")
            for name in ("Pat", "Ivy", "Eve")
        }
        session.add_all(people.values())
        for number, first, last, email, phone in PEOPLE:
            session.add(
                Candidate(
                    campaign_id=summary.id,
                    candidate_number=number,
                    first_name=first,
                    last_name=last,
                    email=email,
                    phone=phone,
                )
            )
        session.commit()
        ids = {name: p.id for name, p in people.items()}
        numbers = {
            c.candidate_number: c.id
            for c in session.exec(select(Candidate).where(Candidate.campaign_id == summary.id))
        }
    sift, exercise = stages["CV sift"], stages["Technical exercise"]
    svc.set_panel(
        ctx, sift.id, [svc.SeatChoice(ids["Pat"], "member")], expected_version=sift.version
    )
    svc.set_panel(
        ctx, exercise.id, [svc.SeatChoice(ids["Ivy"], "member")], expected_version=exercise.version
    )
    with ctx.db.session() as session:  # 0001 progressed past the sift; the others did not
        session.add(
            Outcome(
                stage_id=sift.id,
                candidate_id=numbers["0001"],
                kind="progress",
                decided_on=date(2027, 1, 5),
            )
        )
        session.commit()
    return summary.id, stages, numbers, ids


def _as(ctx, ids, name):
    return ServiceContext(db=ctx.db, actor=Actor(name, "panel_member", ids[name]))


def _answers(tmp_path):
    path = tmp_path / "answers #1.csv"
    path.write_text(ANSWERS, encoding="utf-8")
    return path


def _documents(tmp_path):
    folder = tmp_path / "files?"
    folder.mkdir()
    _pdf(
        folder / "0001 CV.pdf",
        ["Siân O'Brien-Smith", "sian.obrien@example.org", "Python developer, LS1 4AB"],
    )
    _scanned_pdf(folder / "0002 CV.pdf")
    (folder / "amara.okafor@example.org statement.txt").write_text(
        "Amara Okafor: why I want this job.", encoding="utf-8"
    )
    (folder / "9999.txt").write_text("whose?", encoding="utf-8")
    (folder / "0003 notes.rtf").write_text("{\\rtf1 hello}", encoding="utf-8")
    return folder


def test_import_guesses_columns_adds_the_good_and_says_why_for_the_rest(ctx, campaign, tmp_path):
    campaign_id, _stages, numbers, _ids = campaign
    report = apps.import_applications(ctx, campaign_id, _answers(tmp_path))
    assert report.mapping == {
        "Candidate number": "number",
        "First name": "ignore",
        "Personal statement": "statement",
        "EXP1 example": "criterion:EXP1",
        "Working in agile teams with version control": "criterion:EXP2",
        "Right to work in the UK": "eligibility",
    }
    assert report.to_json() == {
        "imported": 2,
        "parts": 7,
        "documents": 0,
        "dry_run": False,
        "skipped": [
            {
                "line": 3,
                "column": "Working in agile teams with version control",
                "reason": "empty answer",
            },
            {"line": 4, "reason": "there is no candidate numbered '0099' in APP-1"},
            {
                "line": 5,
                "reason": "candidate 0001 is also on line 2: only the first line is imported",
            },
            {"line": 6, "reason": "the line gives no candidate number or e-mail address"},
        ],
        "over_limit": [
            {
                "candidate_number": "0001",
                "part": "Personal statement",
                "words": 13,
                "limit": 11,
                "line": 2,
            },
        ],
        "no_text": [],
    }
    with ctx.db.session() as session:
        keys = sorted((p.candidate_id, p.key) for p in session.exec(select(ApplicationPart)))
    assert keys == sorted(
        [
            (numbers["0001"], k)
            for k in (
                "statement",
                "answer:EXP1",
                "answer:EXP2",
                "eligibility:Right to work in the UK",
            )
        ]
        + [
            (numbers["0002"], k)
            for k in ("statement", "answer:EXP1", "eligibility:Right to work in the UK")
        ]
    )


def test_the_name_blind_text_hides_the_candidates_own_details(ctx, campaign, tmp_path):
    campaign_id, *_ = campaign
    apps.import_applications(ctx, campaign_id, _answers(tmp_path))
    view = apps.show_application(ctx, campaign_id, "0001", redacted=True)
    assert view.redacted
    statement = next(p for p in view.parts if p.kind == "statement")
    assert statement.text == "I am [name] ([e-mail], [phone]). I build services."
    agile = view.answer_for("EXP2")
    assert (
        agile is not None and agile.text == "Our team used Git daily; the lead, [name], merged it."
    )
    tomasz = apps.show_application(ctx, campaign_id, "0002", redacted=True)
    assert tomasz.parts[0].text == "[name] here: five years of Java, call [phone]."
    original = apps.show_application(ctx, campaign_id, "0001")
    assert not original.redacted
    assert "Siân O’Brien-Smith" in next(p for p in original.parts if p.kind == "statement").text


def test_documents_from_a_folder_are_matched_by_number_or_e_mail(ctx, campaign, tmp_path):
    campaign_id, *_ = campaign
    report = apps.import_applications(ctx, campaign_id, None, documents=_documents(tmp_path))
    data = report.to_json()
    assert (data["imported"], data["parts"], data["documents"]) == (3, 3, 3)
    assert data["no_text"] == [
        {"candidate_number": "0002", "part": "0002 CV.pdf", "file": "0002 CV.pdf",
         "reason": "no text: needs reading in the original"}
    ]  # fmt: skip
    reasons = {p["file"]: p["reason"] for p in data["skipped"]}
    assert set(reasons) == {"9999.txt", "0003 notes.rtf"}
    assert (
        reasons["9999.txt"]
        == "its name gives no candidate number or e-mail address of this campaign"
    )
    view = apps.show_application(ctx, campaign_id, "0003", redacted=True)
    (statement,) = view.documents
    assert (statement.kind, statement.label, statement.text) == (
        "statement",
        "[e-mail] statement.txt",
        "[name]: why I want this job.",
    )
    cv = apps.show_application(ctx, campaign_id, "0001").documents[0]
    assert cv.kind == "cv" and "Siân O'Brien-Smith" in cv.text
    name, media, data_ = apps.document_file(ctx, cv.id)
    assert (name, media, data_[:5]) == ("0001 CV.pdf", "application/pdf", b"%PDF-")


def test_a_zip_with_hostile_names_is_read_without_writing_anything_outside(ctx, campaign, tmp_path):
    campaign_id, *_ = campaign
    archive = tmp_path / "applications.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("0002 statement.txt", "Tomasz Nowak: a statement.")
        z.writestr("../0001 evil.txt", "escape")
        z.writestr("/etc/0001.txt", "absolute")
    report = apps.import_applications(ctx, campaign_id, None, documents=archive)
    assert report.parts == 1
    assert len(report.skipped) == 2
    assert not (tmp_path.parent / "0001 evil.txt").exists()


def test_a_second_import_replaces_the_same_parts_and_a_dry_run_writes_nothing(
    ctx, campaign, tmp_path
):
    campaign_id, *_ = campaign
    dry = apps.import_applications(ctx, campaign_id, _answers(tmp_path), dry_run=True)
    assert dry.dry_run and dry.parts == 7
    with ctx.db.session() as session:
        assert session.exec(select(ApplicationPart)).first() is None
    apps.import_applications(ctx, campaign_id, _answers(tmp_path))
    again = tmp_path / "again.csv"
    again.write_text(
        "Candidate number,Personal statement\r\n0001,Changed my mind.\r\n", encoding="utf-8"
    )
    apps.import_applications(ctx, campaign_id, again)
    view = apps.show_application(ctx, campaign_id, "0001")
    assert [p.kind for p in view.parts].count("statement") == 1
    assert next(p for p in view.parts if p.kind == "statement").text == "Changed my mind."
    assert view.answer_for("EXP1") is not None  # other parts stay


def test_a_cancelled_import_adds_nothing(ctx, campaign, tmp_path):
    campaign_id, *_ = campaign
    with pytest.raises(Cancelled):
        apps.import_applications(ctx, campaign_id, _answers(tmp_path), cancelled=lambda: True)
    with ctx.db.session() as session:
        assert session.exec(select(ApplicationPart)).first() is None


def test_a_mapping_must_say_whose_each_line_is(ctx, campaign, tmp_path):
    campaign_id, *_ = campaign
    path = tmp_path / "a.csv"
    path.write_text("Statement\r\nhello\r\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="candidate number or the e-mail address"):
        apps.import_applications(ctx, campaign_id, path)
    with pytest.raises(ValidationError, match="cannot be mapped to 'NOPE'"):
        apps.import_applications(
            ctx, campaign_id, _answers(tmp_path), overrides={"EXP1 example": "NOPE"}
        )
    report = apps.import_applications(
        ctx, campaign_id, _answers(tmp_path), overrides={"EXP1 example": "PROG"}, dry_run=True
    )
    assert report.mapping["EXP1 example"] == "criterion:PROG"


def test_each_role_reads_what_it_may(ctx, campaign, tmp_path):
    campaign_id, stages, numbers, ids = campaign
    apps.import_applications(ctx, campaign_id, _answers(tmp_path))
    sift, exercise = stages["CV sift"], stages["Technical exercise"]
    pat, ivy, eve = (_as(ctx, ids, n) for n in ("Pat", "Ivy", "Eve"))
    # Pat, at the name-blind sift: the redacted text only, whatever she asks for.
    seen = apps.show_application(pat, campaign_id, "0001", stage_id=sift.id)
    assert seen.redacted and "Siân" not in str(seen.to_json())
    assert apps.show_application(pat, campaign_id, "0002").redacted
    whole = apps.stage_applications(pat, sift.id)
    assert whole.redacted and set(whole.by_candidate) == {numbers["0001"], numbers["0002"]}
    assert all("Tomasz" not in p.text for p in whole.get(numbers["0002"]).parts)
    with pytest.raises(PermissionDenied, match="name-blind"):
        apps.search_applications(pat, campaign_id, "Python", stage_id=sift.id)
    # Ivy, at the technical exercise (not name-blind), which only 0001 reached: originals.
    ivy_view = apps.show_application(ivy, campaign_id, "0001", stage_id=exercise.id)
    assert not ivy_view.redacted and "Siân" in str(ivy_view.to_json())
    with pytest.raises(PermissionDenied):
        apps.show_application(ivy, campaign_id, "0002", stage_id=exercise.id)
    assert [
        h.candidate_number
        for h in apps.search_applications(ivy, campaign_id, "python", stage_id=exercise.id)
    ] == ["0001"]
    # Eve sits on no panel: nothing.
    with pytest.raises(PermissionDenied):
        apps.show_application(eve, campaign_id, "0001")
    # One criterion only.
    only = apps.show_application(ctx, campaign_id, "0001", criterion="exp1")
    assert [p.criterion for p in only.parts] == ["EXP1"]
    with pytest.raises(NotFound):
        apps.show_application(ctx, campaign_id, "0001", criterion="NOPE")


def test_a_manager_corrects_the_redaction_and_the_panel_reads_the_correction(
    ctx, campaign, tmp_path
):
    campaign_id, stages, numbers, ids = campaign
    apps.import_applications(ctx, campaign_id, _answers(tmp_path))
    item = next(
        i
        for i in apps.redaction_review(ctx, campaign_id)
        if i.candidate_number == "0001" and i.label == "EXP1 example"
    )
    assert item.spans == () and not item.checked
    start = item.text.index("Leeds City Council")
    fixed = apps.correct_redaction(
        ctx,
        item.id,
        [(start, start + len("Leeds City Council"), "manual")],
        expected_version=item.version,
    )
    assert (
        fixed.checked
        and fixed.redacted_text == "At [removed] I rebuilt the payments service in Python."
    )
    pat = _as(ctx, ids, "Pat")
    seen = apps.show_application(pat, campaign_id, "0001", stage_id=stages["CV sift"].id)
    assert seen.answer_for("EXP1").text == fixed.redacted_text
    with pytest.raises(ConflictError):
        apps.correct_redaction(ctx, item.id, [], expected_version=item.version)
    with pytest.raises(ValidationError):
        apps.correct_redaction(ctx, item.id, [(0, 10_000, "name")], expected_version=fixed.version)
    with pytest.raises(PermissionDenied):
        apps.correct_redaction(pat, item.id, [], expected_version=fixed.version)
    with ctx.db.session() as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "application.redaction")
        ).one()
    assert "Leeds" not in event.summary and event.entity_id == numbers["0001"]


def test_erasing_a_candidate_removes_their_application(ctx, campaign, tmp_path):
    campaign_id, _stages, numbers, _ids = campaign
    apps.import_applications(ctx, campaign_id, _answers(tmp_path), documents=_documents(tmp_path))
    erase_candidate(ctx, numbers["0001"], reason="asked")
    with ctx.db.session() as session:
        left = {p.candidate_id for p in session.exec(select(ApplicationPart))}
    assert numbers["0001"] not in left and numbers["0002"] in left
    assert apps.show_application(ctx, campaign_id, "0001").parts == ()


def test_the_candidates_own_record_holds_their_application_as_sent(ctx, campaign, tmp_path):
    from pypdf import PdfReader

    from recruit_app.services.candidate_data import candidate_record, export_candidate_record

    campaign_id, _stages, numbers, _ids = campaign
    apps.import_applications(ctx, campaign_id, _answers(tmp_path), documents=_documents(tmp_path))
    record = candidate_record(ctx, numbers["0001"])
    assert [(p["part"], p["criterion"], p["file"]) for p in record.application] == [
        ("EXP1 example", "EXP1", ""),
        ("Working in agile teams with version control", "EXP2", ""),
        ("CV", "", "0001 CV.pdf"),
        ("Eligibility answer", "", ""),
        ("Personal statement", "", ""),
    ]
    statement = record.application[-1]["text"]
    assert (
        statement
        == "I am Siân O’Brien-Smith (sian.obrien@example.org, 07700 900123). I build services."
    )
    pdf = export_candidate_record(ctx, numbers["0001"], tmp_path / "record.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Your application" in text and "I build services." in text
