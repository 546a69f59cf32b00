"""Read a Hangul (한/글) document, .hwpx or .hwp (HWP 5), into a `Document` with python-hwpx:
its text as 한/글 saves it as text, paragraphs and tables in document order, each numbered or
outline paragraph starting with the number 한/글 draws for it ("1.", "가."), and each table row
on a line of its own, its cells apart. Its numbered headings then make sections, as in a PDF.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Callable
from zipfile import BadZipFile

from bot.ingest.cleaning import CELL_SEPARATOR as CELL
from bot.ingest.loaders import Document, DocumentError, finish_document, titled_outline


def _without_empty_cells(line: str) -> str:
    return CELL.join(cell for cell in line.split(CELL) if cell.strip()) if CELL in line else line


def load_hwp(path: Path, rel: str, raw: bytes, fix: Callable) -> Document:
    from hwpx import HwpxDocument
    from hwpx.errors import HwpxError
    from lxml.etree import LxmlError

    try:
        document = HwpxDocument.open(BytesIO(raw))
        text = document.text.plain(list_labels=True, notes=True, tab_token=CELL,
                                   paragraph_separator="\n")
    except BadZipFile:
        problem = ("unreadable Hangul document, a damaged file?" if raw.startswith(b"PK")
                   else "not a Hangul document (another format renamed?)")
        raise DocumentError(rel, problem) from None
    except (HwpxError, LxmlError, KeyError, ValueError) as exc:
        # a password, a distribution (read-only) document or DRM hides the body, too
        raise DocumentError(rel, f"unreadable Hangul document ({exc})") from None
    # one paragraph per line: each its own block (a PDF's lines are joined into paragraphs)
    paragraphs = [_without_empty_cells(" ".join(line.split())) for line in text.splitlines()]
    title, text = titled_outline("\n\n".join(p for p in paragraphs if p))
    return finish_document(path, rel, text, {"title": title} if title else {})
