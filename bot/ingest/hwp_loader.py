"""Read a Hangul (한/글) document, .hwpx or .hwp (HWP 5), into a `Document`: its paragraphs
and tables in document order, read with python-hwpx. Its outline paragraphs are headings; most
Korean notices number their headings in the text instead ("1. 지원 대상", "가. 신청 기간"), as
a PDF shows them, and those are found as in a PDF's text.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Callable
from zipfile import BadZipFile

from bot.ingest.loaders import Document, DocumentError, finish_document, titled_outline


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _table_rows(table) -> list[str]:
    """A table row by row, its cells joined as a DOCX table's are ("구분 | 한도"); a merged
    cell that spans several columns is said once."""
    rows = []
    for row in table.rows:
        cells = [_one_line(cell.text) for cell in row.cells]
        if cells := [c for c in dict.fromkeys(cells) if c]:
            rows.append(" | ".join(cells))
    return rows


def _outline(document, paragraph) -> bool:
    """Whether a paragraph is a heading of the document's outline (the "개요 1"… styles), whose
    number 한/글 draws rather than writes: a heading however its text reads."""
    properties = document.styles.paragraph_property(paragraph.para_pr_id_ref)
    heading = getattr(properties, "heading", None)
    return getattr(heading, "type", None) == "OUTLINE"


def load_hwp(path: Path, rel: str, raw: bytes, fix: Callable) -> Document:
    from hwpx import HwpxDocument
    from hwpx.errors import HwpxError
    from lxml.etree import LxmlError

    try:
        document = HwpxDocument.open(BytesIO(raw))
        lines = []
        for section in document.sections:
            for paragraph in section.paragraphs:
                if text := _one_line(paragraph.text):
                    lines.append(f"## {text}" if _outline(document, paragraph) else text)
                for table in paragraph.tables:
                    lines += _table_rows(table)
    except BadZipFile:
        problem = ("unreadable Hangul document, a damaged file?" if raw.startswith(b"PK")
                   else "not a Hangul document (another format renamed?)")
        raise DocumentError(rel, problem) from None
    except (HwpxError, LxmlError, KeyError, ValueError) as exc:
        # a password, a distribution (read-only) document or DRM hides the body, too
        raise DocumentError(rel, f"unreadable Hangul document ({exc})") from None
    title, text = titled_outline("\n\n".join(lines))
    return finish_document(path, rel, text, {"title": title} if title else {})
