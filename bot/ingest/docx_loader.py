"""Read a DOCX into a `Document`: its paragraphs and tables in document order, with headings
found by style or outline level. (Not named docx.py, so that it is never taken for python-docx.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from bot.ingest.loaders import Document, DocumentError, finish_document, real_title, titled_outline
from bot.ingest.outline import outline_headings


def _outline_level(paragraph) -> int | None:
    """A DOCX paragraph's outline level (0 is the top), as Word's navigation pane reads it:
    set on the paragraph, or on its style or a style that is based on. Korean templates and
    documents converted from HWP name their heading styles "개요 1" or "제목 1", not "Heading 1"."""
    from docx.oxml.ns import qn

    properties = [paragraph._p.pPr]  # python-docx has no public accessor for the outline level
    style = paragraph.style
    while style is not None:
        properties.append(style.element.pPr)
        style = style.base_style
    for pPr in properties:
        level = pPr.find(qn("w:outlineLvl")) if pPr is not None else None
        if level is not None:
            value = int(level.get(qn("w:val"), 9))
            return value if value < 9 else None  # 9: body text
    return None


_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc (and .hwp 5)


def load_docx(path: Path, rel: str, raw: bytes, fix: Callable) -> Document:
    from io import BytesIO
    from zipfile import BadZipFile

    import docx
    import docx.table

    try:
        document = docx.Document(BytesIO(raw))
    except BadZipFile as exc:
        if raw.startswith(_OLE_SIGNATURE):
            raise DocumentError(rel, "an old Word .doc file named .docx: save it from Word as "
                                     ".docx") from None
        if not raw.startswith(b"PK"):
            raise DocumentError(rel, "not a DOCX file (another format renamed?)") from None
        raise DocumentError(rel, f"unreadable DOCX, a damaged file? ({exc})") from None
    except (KeyError, ValueError) as exc:
        raise DocumentError(rel, f"unreadable DOCX ({type(exc).__name__}: {exc})") from None
    lines = []
    title = real_title(document.core_properties.title)
    # Paragraphs and tables in document order: a notice's schedule table belongs under the
    # heading it follows.
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            for row in block.rows:
                cells = [c.text.strip() for c in row.cells if c.text.strip()]
                if cells:
                    lines.append(" | ".join(dict.fromkeys(cells)))
            continue
        text = block.text.strip()
        if not text:
            continue
        style = (block.style.name if block.style is not None else "") or ""
        if style == "Title" and not title:
            title = text
        elif style.startswith("Heading") or _outline_level(block) is not None:
            lines.append(f"## {text}")
        else:
            lines.append(text)
    text = "\n\n".join(lines)
    if title:
        text = outline_headings(text)  # numbered headings typed as plain paragraphs
    else:
        title, text = titled_outline(text)
    return finish_document(path, rel, text, {"title": title} if title else {})
