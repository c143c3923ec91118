"""Applications in what a panel takes away (issue 15): the panel pack with each candidate's
application after their score sheet, and the offline scoring workbook with a sheet of
their answers. Both as the stage's panel reads them: redacted at a name-blind sift, whoever
exports them. Real databases, exact text."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlmodel import select

from db.models import Candidate, Outcome, Person, Stage
from exports.workbooks import CELL_LIMIT, CUT_MARK, is_scoring_workbook
from recruit_app.errors import ValidationError
from recruit_app.services import adverts, scoring
from recruit_app.services import applications as apps
from recruit_app.services import stages as stage_svc
from recruit_app.services.campaign_files import create_from_template
from recruit_app.services.demo import build_demo
from recruit_app.services.packs import export_pack
from recruit_app.services.panel_pack import export_panel_pack, panel_pack_document
from recruit_app.services.score_files import import_scores_file

SIFT_CODES = ("EXP1", "EXP2", "EXP3", "EXP4", "EXP5", "EXP6")
PEOPLE = [  # number, first, last, e-mail, phone
    ("0001", "Siân", "O'Brien-Smith", "sian.obrien@example.org", "07700 900123"),
    ("0002", "Tomasz", "Nowak", "tomasz@example.org", "+44 7700 900456"),
    ("0003", "Amara", "Okafor", "amara.okafor@example.org", ""),
]
STATEMENT = "I am Siân O’Brien-Smith (sian.obrien@example.org, 07700 900123). I build services."
OVER = "At Leeds City Council I rebuilt the payments service in Python, " * 3  # 33 words
HOSTILE = (
    '<b>bold</b> & <script>alert("x")</script> &amp; <font name="Nope">font</font> '
    + "W" * 3000
    + " end of the long word."
)
# The longest answer an import keeps: one paragraph, ending in words to look for.
LONG = ("Kubernetes and Terraform in production. " * 1300)[: 50_000 - 21] + " THE END OF ANSWER X."
FORMULA = "=SUM(1,2)+cmd|' /C calc'!A0"
# Many short paragraphs: pages break between them, not inside one.
PARAGRAPHS = "\n\n".join(
    f"Paragraph {n}: I wrote tests first, then the code." for n in range(1, 91)
)


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _scanned_pdf(path: Path) -> Path:
    page = canvas.Canvas(str(path), pagesize=A4)
    page.rect(72, 500, 300, 200, fill=1)
    page.save()
    return path


@pytest.fixture
def campaign(ctx, tmp_path):
    """A developer campaign: a name-blind CV sift (panel: Pat) that put 0001 through to a
    technical exercise without name-blinding; applications for 0001 and 0002, none for
    0003. Returns (campaign id, {stage name: id}, {name: person id})."""
    summary = create_from_template(ctx, "DDAT-DEV-SEO", title="Developer", reference="APP-1")
    form = adverts.get_advert(ctx, summary.id)
    adverts.save_advert(
        ctx,
        summary.id,
        fields={"statement_word_limit": 15, "answer_word_limit": 20},
        criteria=None,
        expected_version=form.version,
    )
    stages = {s.name: s for s in stage_svc.stages_overview(ctx, summary.id).stages}
    with ctx.db.session() as session:
        people = {n: Person(name=n, email=f"{n.lower()}@example.org") for n in ("Pat", "Ivy")}
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
        first = session.exec(select(Candidate).where(Candidate.candidate_number == "0001")).one()
    sift, exercise = stages["CV sift"], stages["Technical exercise"]
    assert sift.name_blind and not exercise.name_blind
    stage_svc.set_panel(
        ctx, sift.id, [stage_svc.SeatChoice(ids["Pat"], "member")], expected_version=sift.version
    )
    stage_svc.set_panel(
        ctx,
        exercise.id,
        [stage_svc.SeatChoice(ids["Ivy"], "member")],
        expected_version=exercise.version,
    )
    with ctx.db.session() as session:
        session.add(
            Outcome(
                stage_id=sift.id,
                candidate_id=first.id,
                kind="progress",
                decided_on=date(2027, 1, 5),
            )
        )
        session.commit()
    table = tmp_path / "answers.csv"
    lines = [
        "Candidate number,Personal statement,EXP1,EXP2,EXP3,Right to work in the UK",
        ",".join(["0001", *map(_csv_cell, (STATEMENT, OVER, HOSTILE, PARAGRAPHS)), "Yes"]),
        ",".join(["0002", _csv_cell(FORMULA), _csv_cell(LONG), "Git every day.", "TDD.", "Yes"]),
    ]
    table.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    documents = tmp_path / "documents"
    documents.mkdir()
    _scanned_pdf(documents / "tomasz@example.org CV.pdf")
    report = apps.import_applications(ctx, summary.id, table, documents=documents)
    assert (report.imported, report.parts, report.documents, report.skipped) == (2, 11, 1, ())
    return summary.id, {name: s.id for name, s in stages.items()}, ids


# --- reading the PDF ---------------------------------------------------------------------

NAMES = (
    "Siân", "O'Brien", "O’Brien", "Brien-Smith", "sian.obrien", "07700", "900123",
    "Tomasz", "Nowak", "tomasz@", "Amara", "Okafor",
)  # fmt: skip
SIFT_LABELS = [f"Candidate {n}" for n in ("0001", "0002", "0003")]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def body(text: str) -> str:
    """A page's text without its running header and footer."""
    return re.sub(r"^.*? Page \d+ of \d+ ", "", text, count=1)


def pages_of(path: Path) -> list[str]:
    return [body(flat(page.extract_text() or "")) for page in PdfReader(path).pages]


def section(pages: list[str], label: str) -> list[str]:
    """The pages of a candidate's application: from its heading to the next score sheet."""
    start = next(i for i, p in enumerate(pages) if f" {label}: application " in p)
    end = next(
        (i for i in range(start + 1, len(pages)) if pages[i].startswith("Score sheet")),
        len(pages),
    )
    return pages[start:end]


def outline_of(reader: PdfReader) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title))

    walk(reader.outline, 0)
    return found


@pytest.fixture
def sift_pack(ctx, campaign, tmp_path):
    """The sift's pack with applications, exported by the recruiting manager."""
    _campaign_id, stages, _ids = campaign
    path = export_panel_pack(ctx, stages["CV sift"], tmp_path / "sift.pdf", with_applications=True)
    return path, pages_of(path)


# --- the panel pack ----------------------------------------------------------------------


def test_a_name_blind_pack_carries_each_application_as_the_panel_reads_it(sift_pack):
    path, pages = sift_pack
    first = section(pages, "Candidate 0001")
    assert first[0].startswith(
        "Application · CV sift Candidate 0001: application "
        "Name-blind: the candidate's name, contact details and links are shown as [name], "
        "[e-mail], [link] and the like. "
        "Personal statement 13 words; limit 15. "
        "I am [name] ([e-mail], [phone]). I build services. "
        "Back-end or full-stack development in at least one modern web language (such as "
        "Java, C#, Python, PHP or JavaScript with Node.js) and its ecosystem (EXP1) "
        "33 words; limit 20: over the limit. " + flat(OVER) + " "
        "Working in agile teams with version control (EXP2) 19 words; limit 20. "
        '<b>bold</b> & <script>alert("x")</script> &amp; <font name="Nope">font</font> W'
    )
    second = section(pages, "Candidate 0002")
    assert second[0].startswith(
        "Application · CV sift Candidate 0002: application "
        "Name-blind: the candidate's name, contact details and links are shown as [name], "
        "[e-mail], [link] and the like. "
        "Personal statement 6 words; limit 15. " + FORMULA + " "
        # The scanned CV under its redacted name: the file was named by the e-mail address.
        "CV: [e-mail] CV.pdf No text: needs reading in the original. "
        "Back-end or full-stack development in at least one modern web language (such as "
        "Java, C#, Python, PHP or JavaScript with Node.js) and its ecosystem (EXP1) "
        "6,253 words; limit 20: over the limit. Kubernetes and Terraform in production."
    )
    text = " ".join(pages)
    assert [name for name in NAMES if name in text] == []
    meta = PdfReader(path).metadata
    assert meta is not None
    assert meta.subject == (
        "Panel pack for CV sift: schedule, candidates and score sheets, with their applications"
    )


def test_an_application_follows_its_score_sheet_in_the_list_and_the_outline(sift_pack):
    path, pages = sift_pack
    cover = pages[0]
    assert "• Each candidate's application follows their score sheet. •" in cover
    starts = {
        label: [
            i + 1 for i, p in enumerate(pages) if p.startswith(f"Score sheet · CV sift {label}")
        ]
        for label in SIFT_LABELS
    }
    applications = {
        label: [
            i + 1 for i, p in enumerate(pages) if p.startswith(f"Application · CV sift {label}")
        ]
        for label in SIFT_LABELS
    }
    rows = " ".join(
        f"{label[-4:]} Page {starts[label][0]} Page {applications[label][0]}"
        for label in SIFT_LABELS
    )
    assert pages[1] == (
        "Candidates 3 candidates reached this stage; this stage is name-blind, so they are "
        "shown by candidate number only. Number Sheet Application " + rows
    )
    assert [applications[label][0] > starts[label][0] for label in SIFT_LABELS] == [True] * 3
    outline = outline_of(PdfReader(path))
    assert outline == [
        (0, "Cover"),
        (0, "Candidates"),
        (0, "Score sheets"),
        *[entry for label in SIFT_LABELS for entry in ((1, label), (1, f"{label}: application"))],
    ]


def test_long_and_hostile_text_runs_on_with_every_page_saying_whose_it_is(sift_pack):
    _path, pages = sift_pack
    label = "Candidate {}: application (continued) "
    for number in ("0001", "0002"):
        pages_of_it = section(pages, f"Candidate {number}")
        assert len(pages_of_it) > 1
        assert [p.startswith(label.format(number)) for p in pages_of_it[1:]] == [True] * (
            len(pages_of_it) - 1
        )
    # The 50,000 characters of 0002's answer, all there, in order, across a dozen pages.
    runs = [p.removeprefix(label.format("0002")) for p in section(pages, "Candidate 0002")]
    assert flat(LONG) in " ".join(runs)
    # The hostile answer as typed: markup printed, not obeyed; the long word broken.
    first = " ".join(p.removeprefix(label.format("0001")) for p in section(pages, "Candidate 0001"))
    assert '<b>bold</b> & <script>alert("x")</script> &amp; <font name="Nope">font</font>' in first
    run = re.search(r"W[W ]+W", first)
    assert run is not None and run.group().replace(" ", "") == "W" * 3000
    assert "W end of the long word. " in first
    # Ninety paragraphs, page breaks between them, each page still labelled.
    found = re.findall(r"Paragraph (\d+): I wrote tests first, then the code\.", first)
    assert found == [str(n) for n in range(1, 91)]


def test_a_candidate_without_an_application_has_one_line(sift_pack):
    _path, pages = sift_pack
    assert section(pages, "Candidate 0003") == [
        "Application · CV sift Candidate 0003: application No application imported."
    ]


def test_without_the_option_the_pack_has_no_applications(ctx, campaign, tmp_path):
    _campaign_id, stages, _ids = campaign
    plain = pages_of(export_panel_pack(ctx, stages["CV sift"], tmp_path / "plain.pdf"))
    text = " ".join(plain)
    assert "application" not in text.casefold().replace("conflict of interest", "")
    assert plain[1].endswith("Number Sheet 0001 Page 3 0002 Page 5 0003 Page 7")
    assert not panel_pack_document(ctx, stages["CV sift"]).with_applications
    # Through the packs' entry point (the Exports tab and the command line) as well.
    written = export_pack(
        ctx, campaign[0], "panel", tmp_path / "with.pdf", stage_id=stages["CV sift"],
        with_applications=True,
    )  # fmt: skip
    assert "Candidate 0003: application No application imported." in " ".join(pages_of(written[0]))
    with pytest.raises(ValidationError, match="Applications go into the panel pack only"):
        export_pack(ctx, campaign[0], "report", tmp_path / "r.pdf", with_applications=True)
    assert not (tmp_path / "r.pdf").exists()


def test_a_stage_without_name_blinding_shows_the_original(ctx, campaign, tmp_path):
    _campaign_id, stages, _ids = campaign
    path = export_panel_pack(
        ctx, stages["Technical exercise"], tmp_path / "exercise.pdf", with_applications=True
    )
    pages = pages_of(path)
    (only,) = section(pages, "0001 Siân O'Brien-Smith")[:1]
    assert only.startswith(
        "Application · Technical exercise 0001 Siân O'Brien-Smith: application "
        "Personal statement 13 words; limit 15. "
        "I am Siân O’Brien-Smith (sian.obrien@example.org, 07700 900123). I build services."
    )
    assert "Name-blind" not in " ".join(pages)


def test_the_command_line_exports_the_pack_with_applications(
    ctx, campaign, db_url, tmp_path, capsys, sign_in_on_postgres
):
    from recruit_app.cli import main

    out = tmp_path / "cli.pdf"
    args = ["--db", db_url, "export", "pack", "APP-1", "--kind", "panel", "--stage", "CV sift"]
    assert main([*args, "--with-applications", "--out", str(out)]) == 0, capsys.readouterr().err
    text = " ".join(pages_of(out))
    assert "Candidate 0001: application" in text and "Siân" not in text


# --- the offline scoring workbook --------------------------------------------------------

HEADERS = [
    "Candidate number",
    *(f"{code} answer" for code in SIFT_CODES),
    "Personal statement",
    "CV",
    "Other parts",
    "Notes",
]
FIRST_ROW = [
    "0001",
    flat(OVER),
    HOSTILE,
    PARAGRAPHS,
    None,
    None,
    None,
    "I am [name] ([e-mail], [phone]). I build services.",
    None,
    "Right to work in the UK\nYes",
    "Back-end or full-stack development in at least one modern web language (such as Java, "
    "C#, Python, PHP or JavaScript with Node.js) and its ecosystem (EXP1): "
    "33 words; limit 20: over the limit\n"
    "Test-driven development with automation, continuous integration and continuous "
    "delivery (EXP3): 810 words; limit 20: over the limit",
]


@pytest.fixture
def workbook_of_pat(ctx, campaign, tmp_path):
    campaign_id, _stages, ids = campaign
    path = scoring.export_workbook(ctx, campaign_id, ids["Pat"], tmp_path / "pat.xlsx")
    return campaign_id, path


def test_the_workbook_carries_the_redacted_applications_beside_the_sift(workbook_of_pat):
    _campaign_id, path = workbook_of_pat
    book = load_workbook(path)
    assert book.sheetnames == ["About this workbook", "CV sift", "Applications – CV sift"]
    sheet = book["Applications – CV sift"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == HEADERS
    assert rows[1] == FIRST_ROW
    second = rows[2]
    assert second[0] == "0002" and second[2:4] == ["Git every day.", "TDD."]
    assert second[7:10] == [
        FORMULA,
        "No text: needs reading in the original.",
        "Right to work in the UK\nYes",
    ]
    assert rows[3] == ["0003", *[None] * 9, "No application imported."]
    about = {r[0]: r[1] for r in book["About this workbook"].iter_rows(values_only=True)}
    assert about["Applications"] == (
        "Each candidate's application as the panel reads it (name-blind at a name-blind "
        "stage) is on the sheets named Applications – …, for reading offline. Recruit "
        "ignores those sheets when you import the workbook."
    )
    everything = " ".join(
        str(v) for s in book.worksheets for row in s.iter_rows(values_only=True) for v in row
    )
    assert [name for name in NAMES if name in everything] == []


def test_a_long_answer_is_cut_at_excels_limit_and_says_so(workbook_of_pat):
    _campaign_id, path = workbook_of_pat
    cell = load_workbook(path)["Applications – CV sift"]["B3"]
    assert len(cell.value) == CELL_LIMIT
    assert cell.value.endswith("\n\n" + CUT_MARK)
    assert cell.value.startswith("Kubernetes and Terraform in production. ")
    assert "THE END OF ANSWER X." not in cell.value


def test_formula_like_answers_stay_text(workbook_of_pat):
    _campaign_id, path = workbook_of_pat
    sheet = load_workbook(path)["Applications – CV sift"]
    for cell in (sheet["H3"], sheet["C2"]):
        assert cell.data_type == "s"
    assert sheet["H3"].value == FORMULA and sheet["H3"].quotePrefix
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name


def test_the_workbook_still_imports_its_scores_and_ignores_the_applications(
    ctx, campaign, workbook_of_pat
):
    campaign_id, path = workbook_of_pat
    _campaign_id, stages, ids = campaign
    assert is_scoring_workbook(path)  # still taken for a scoring workbook
    book = load_workbook(path)
    scores = book["CV sift"]
    for row in range(2, 5):
        for column in range(3, 3 + 2 * len(SIFT_CODES), 2):
            scores.cell(row=row, column=column, value=5)
            scores.cell(row=row, column=column + 1, value="Seen in the application")
    # Whatever is typed on the applications sheet, even what looks like a score, is ignored.
    answers = book["Applications – CV sift"]
    answers["B1"] = "EXP1 score"
    answers["B2"] = 99
    book.save(path)
    report = import_scores_file(ctx, campaign_id, stages["CV sift"], path)
    assert report.to_json() == {"imported": 3 * len(SIFT_CODES), "replaced": 0}
    sheet = scoring.scoring_sheet(ctx, stages["CV sift"], ids["Pat"])
    assert [c.submitted for c in sheet.candidates] == [True, True, True]
    values = {sheet.score(c.id, k.cell_id).value for c in sheet.candidates for k in sheet.criteria}
    assert values == {5}


# --- cells and sheet names ---------------------------------------------------------------


def test_cell_text_keeps_within_excels_limit_counting_emoji_twice():
    from exports.workbooks import cell_text

    assert cell_text("ok\x00\x0bthere\ud800") == "okthere"
    assert cell_text("a" * CELL_LIMIT) == "a" * CELL_LIMIT
    for text in ("a" * (CELL_LIMIT + 1), "😀" * 20_000, "x" * 32_000 + "😀" * 1_000):
        cut = cell_text(text)
        units = len(cut.encode("utf-16-le")) // 2
        assert units <= CELL_LIMIT and cut.endswith("\n\n" + CUT_MARK), len(text)


def test_applications_sheet_names_fit_and_never_clash():
    from exports.workbooks import applications_title, sheet_title

    used: set[str] = set()
    long_name = "Assessment centre: day one / written exercise [all]"
    stage = sheet_title(long_name, used)
    first = applications_title(long_name, used)
    second = applications_title(long_name, used)
    assert first == "Applications – Assessment centr"
    assert second == "Applications – Assessment cen 2"
    assert len({stage, first, second}) == 3 and all(len(t) <= 31 for t in used)
    assert applications_title("O'", set()) == "Applications – O"


def test_the_demo_sift_pack_never_leaves_a_heading_at_the_foot_of_a_page(ctx, tmp_path):
    """The demo's forty applications: no part's heading or word count ends a page without
    its text, and every page of an application says whose it is."""
    build_demo(ctx, today=date(2026, 11, 25))
    with ctx.db.session() as session:
        sift = session.exec(select(Stage).where(Stage.name == "CV sift")).one()
    pages = pages_of(export_panel_pack(ctx, sift.id, tmp_path / "demo.pdf", with_applications=True))
    inside, stranded, unlabelled = False, [], []
    for number, page in enumerate(pages, start=1):
        if page.startswith("Application · CV sift"):
            inside = True
        elif page.startswith("Score sheet"):
            inside = False
        elif inside and not re.match(r"Candidate \d{4}: application \(continued\) ", page):
            unlabelled.append(number)
        if inside and re.search(r"\d+ words?(; limit [\d,]+(: over the limit)?)?\.$", page):
            stranded.append(number)
    assert (stranded, unlabelled) == ([], [])
    assert sum(p.startswith("Application · CV sift") for p in pages) == 40
