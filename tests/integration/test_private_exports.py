"""Every file the app writes from the demo campaign is its owner's alone (0600), folders 0700."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from recruit_app.cli import main

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")

REF = "283922"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def demo_url(sqlite_url, capsys):
    assert main(["--db", sqlite_url, "demo"]) == 0
    capsys.readouterr()
    return sqlite_url


@pytest.fixture
def usual_umask():
    """The common default, under which new files would be readable by everyone."""
    old = os.umask(0o022)
    yield
    os.umask(old)


WRITERS = {
    "results.csv": ["results", REF, "--stage", "CV sift", "--export", "{out}"],
    "results.xlsx": ["results", REF, "--stage", "CV sift", "--export", "{out}"],
    "workbook.xlsx": [
        "scores", "workbook", REF, "--assessor", "hannah.lee@example.gov.uk", "--out", "{out}"
    ],
    "record.json": ["candidates", "export-data", REF, "0001", "--out", "{out}"],
    "record.pdf": ["candidates", "export-data", REF, "0001", "--out", "{out}"],
    "letters.pdf": [
        "export", "pack", REF, "--kind", "letters", "--stage", "CV sift", "--merge",
        "--out", "{out}",
    ],
    "panel.pdf": ["export", "pack", REF, "--kind", "panel", "--stage", "CV sift", "--out", "{out}"],
    "info.pdf": ["export", "pack", REF, "--kind", "info", "--out", "{out}"],
    "report.pdf": ["export", "pack", REF, "--kind", "report", "--out", "{out}"],
    "advert.html": ["advert", "export", REF, "--format", "html", "--out", "{out}"],
    "campaign.json": ["campaign", "export", REF, "{out}"],
}  # fmt: skip


@pytest.mark.parametrize("name", list(WRITERS))
def test_a_file_written_over_a_readable_one_is_owner_only(
    name, demo_url, tmp_path, capsys, usual_umask
):
    out = tmp_path / "exports" / name
    out.parent.mkdir()
    out.write_bytes(b"an earlier copy")
    out.chmod(0o644)
    args = [a.format(out=out) for a in WRITERS[name]]
    assert main(["--db", demo_url, *args]) == 0, capsys.readouterr().err
    capsys.readouterr()
    assert out.read_bytes() != b"an earlier copy"
    assert mode(out) == 0o600
    assert [p.name for p in out.parent.iterdir()] == [name]


@pytest.mark.parametrize(
    "command",
    [
        ["export", "pack", REF, "--kind", "letters", "--stage", "CV sift", "--out", "{out}"],
        ["export", "ics", REF, "--stage", "Video interview", "--out", "{out}"],
    ],
    ids=["letters", "calendars"],
)
def test_folders_of_files_are_owner_only(command, demo_url, tmp_path, capsys, usual_umask):
    out = tmp_path / "new" / "folder"
    assert main(["--db", demo_url, *[a.format(out=out) for a in command]]) == 0
    capsys.readouterr()
    written = sorted(out.iterdir())
    assert len(written) > 3 and {mode(p) for p in written} == {0o600}
    assert mode(out) == 0o700 and mode(out.parent) == 0o700


def test_the_audit_trail_csv_is_owner_only(demo_url, tmp_path, usual_umask):
    from recruit_app.services.audit_trail import export_audit_csv
    from recruit_app.services.context import Actor, ServiceContext
    from recruit_app.services.database import open_db

    out = tmp_path / "audit.csv"
    out.write_text("an earlier copy")
    out.chmod(0o644)
    db = open_db(demo_url)
    try:
        export_audit_csv(ServiceContext(db=db, actor=Actor.local_owner()), out)
    finally:
        db.dispose()
    assert mode(out) == 0o600 and "an earlier copy" not in out.read_text(encoding="utf-8-sig")
