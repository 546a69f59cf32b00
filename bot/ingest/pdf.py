"""Read a PDF into a `Document`: its text without running headers, footers and page numbers,
and its title from the file's title field, or else as its typesetting or first lines show it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

from bot.ingest.cleaning import drop_page_furniture
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
        pages = [text.translate(_PDF_BULLETS) for text in
                 [first] + [page.extract_text() or "" for page in reader.pages[1:]]]
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
