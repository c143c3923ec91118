"""The bare-library baseline for reading candidates' documents: pypdf, used the documented
way, on every PDF in a folder.

It does the one thing `recruit_app.services.documents.read_documents` spends its time on,
the text of each page, with the same library and nothing else: no checks of names, sizes
or content, no limits, no normalising. Nothing of the app is imported.
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader


def extract_folder_bare(folder: Path) -> int:
    """The characters of text in all the PDFs directly in `folder`, page by page."""
    total = 0
    for path in sorted(folder.glob("*.pdf")):
        reader = PdfReader(path)
        for page in reader.pages:
            total += len(page.extract_text())
    return total
