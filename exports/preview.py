"""The first pages of a PDF as PNG images, for previews before exporting.

PDFium draws the pages (the engine Chrome uses); Pillow, which ReportLab brings, encodes
them. Runs in a worker: a page takes tens of milliseconds.
"""

from __future__ import annotations

import io
from pathlib import Path


def page_images(path: Path, *, pages: int = 3, width: int = 620) -> list[bytes]:
    """PNG bytes of up to `pages` first pages, each `width` pixels wide."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        images = []
        for index in range(min(pages, len(document))):
            page = document[index]
            try:
                scale = width / page.get_width()
                bitmap = page.render(scale=scale)
                buffer = io.BytesIO()
                bitmap.to_pil().save(buffer, format="PNG")
                images.append(buffer.getvalue())
            finally:
                page.close()
        return images
    finally:
        document.close()
