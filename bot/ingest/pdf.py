"""Read a PDF into a `Document`: its text without running headers, footers and page numbers,
and its title from the file's title field, or else as its typesetting or first lines show it.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Callable

from bot.ingest.cleaning import CELL_GAP, CELL_SPACING, WORD_CHARACTER, drop_page_furniture
from bot.ingest.loaders import (TITLE_MAX, Document, DocumentError, finish_document, real_title,
                                titled_outline)

# pypdf logs what it works around in a damaged file ("EOF marker not found"); a file it can't
# read is reported once, by the DocumentError below, with its name.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def _garbled(text: str) -> bool:
    """Mostly replacement or control characters: what pypdf makes of a damaged content stream
    (it does not raise)."""
    visible = [ch for ch in text if not ch.isspace()]
    bad = sum(1 for ch in visible if ch == "\ufffd" or ord(ch) < 32)
    return bool(visible) and bad > 0.2 * len(visible)


_TITLE_SEARCH = 6  # the title is among the first pieces of text of page 1 (after a running header)


def _text_and_title(page) -> tuple[str, str | None]:
    """A PDF's first page: its text, and its title as its typesetting shows it (the first run
    of the largest text, near the top, larger than the body text). Found this way, a title that
    wraps over two lines is whole, and a small running header above it is not taken for it.
    One extraction gives both."""
    pieces: list[tuple[float, str]] = []

    def collect(text, cm, tm, font, size):  # pypdf's visitor: size scaled by both matrices
        if text.strip():
            pieces.append((round(float(size or 0) * abs(tm[3]) * abs(cm[3]), 1), text.strip()))

    return page.extract_text(visitor_text=collect) or "", _title_by_font(pieces)


def _title_by_font(pieces: list[tuple[float, str]]) -> str | None:
    if not pieces:
        return None
    chars: dict[float, int] = {}
    for size, text in pieces:
        chars[size] = chars.get(size, 0) + len(text)
    body, largest = max(chars, key=chars.get), max(chars)
    if largest < 1.2 * body:
        return None
    start = next((i for i, (size, _) in enumerate(pieces[:_TITLE_SEARCH]) if size == largest), None)
    if start is None:
        return None
    run = []
    for size, text in pieces[start:]:
        if size != largest:
            break
        run.append(text)
    title = " ".join(" ".join(run).split())
    return title if len(title) <= 2 * TITLE_MAX else None


_ITEM_NUMBER = re.compile(r"\d{1,2}[.)]?")


def _row(cells: list[str]) -> str:
    """A row's text: cells apart by a run of spaces, except a list item's number, drawn in a
    column of its own ("1" / "the completed application form"), which starts its item."""
    if _ITEM_NUMBER.fullmatch(cells[0]):
        return f"{cells[0]}{')' if cells[0].isdigit() else ''} " + CELL_SPACING.join(cells[1:])
    return CELL_SPACING.join(cells)


def _with_table_rows(page, text: str) -> str:
    """`text` (pypdf's plain text of `page`) with each table row back on one line, its cells
    apart by runs of spaces (`rejoin_lines` then keeps the row together, cells as in DOCX):
    the plain text puts every cell on a line of its own ("Review article" / "12,000 words" /
    "7 working days"), which left the row's values apart from what they are of. A row is
    rebuilt only where its cells, as the page's layout shows them side by side, are such
    lines in a row; the rest of the text stays as it was."""
    try:
        layout = page.extract_text(extraction_mode="layout")
    except Exception:  # noqa: BLE001 - a layout pypdf can't work out leaves the plain text
        return text
    lines = text.split("\n")
    stripped = [line.strip() for line in lines]
    # (the plain text need not follow the layout's order: a footer may come first)
    for row in layout.splitlines():
        cells = CELL_GAP.split(row.strip())  # (pypdf's layout mode spaces cells alike)
        if len(cells) < 2 or not all(map(WORD_CHARACTER.search, cells)):
            continue  # (a bullet drawn apart from its item's text is no cell)
        at = next((i for i in range(len(lines) - len(cells) + 1)
                   if stripped[i:i + len(cells)] == cells), None)
        if at is not None:
            lines[at:at + len(cells)] = stripped[at:at + len(cells)] = [_row(cells)]
    return "\n".join(lines)


# What pypdf makes of list bullets drawn in a PDF's standard or symbol fonts.
_PDF_BULLETS = str.maketrans({"\x7f": "•", "\uf0b7": "•", "\uf06c": "•", "\uf0a7": "▪", "\uf0d8": "▶"})


def load_pdf(path: Path, rel: str, raw: bytes, fix: Callable) -> Document:
    from io import BytesIO

    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    try:
        reader = PdfReader(BytesIO(raw))
        # Official notices often carry an owner password that only forbids editing: they open
        # with the empty user password. One that really needs a password can't be read.
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(rel, "the PDF is password-protected: save a copy without a password")
        first, font_title = _text_and_title(reader.pages[0]) if reader.pages else ("", None)
        texts = [first] + [page.extract_text() or "" for page in reader.pages[1:]]
        pages = [_with_table_rows(page, text).translate(_PDF_BULLETS)
                 for page, text in zip(reader.pages, texts)]
        info_title = (reader.metadata.title if reader.metadata else None) or None
    except DependencyError:
        raise DocumentError(rel, "the PDF is locked with AES: install "
                                 "'innocore-bot[pdf-crypto]', or save a copy without protection") from None
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DocumentError(rel, f"unreadable PDF ({type(exc).__name__}: {exc})") from None
    if _garbled("".join(pages)):
        raise DocumentError(rel, "unreadable PDF: its text comes out as garbage (a damaged file?)")
    pages, running_header = drop_page_furniture(pages)
    if not any(page.strip() for page in pages):
        raise DocumentError(rel, "PDF has no extractable text (a scan? add a text version)")
    known_title = real_title(info_title) or font_title
    # Pages joined before lines are: a sentence may run on from one page to the next.
    first_line, text = titled_outline(fix("\n".join(pages)), known_title)
    if "\n## " not in "\n" + text:  # no headings of its own: cite it by page
        text = "\n\n".join(f"## p. {n}\n\n{fix(page)}"
                             for n, page in enumerate(pages, 1) if page.strip())
    title = known_title or first_line or running_header
    return finish_document(path, rel, text, {"title": title} if title else {})
