"""Read a DOCX into a `Document`: its paragraphs and tables in document order, with headings
found by style or outline level. (Not named docx.py, so that it is never taken for python-docx.)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from docx.oxml.ns import qn

from bot.ingest.cleaning import CELL_SEPARATOR
from bot.ingest.loaders import Document, DocumentError, finish_document, real_title, titled_outline
from bot.ingest.outline import outline_headings


def _properties(paragraph) -> list:
    """A paragraph's own properties (w:pPr), then its style's and those its style is based on,
    nearest first, as Word looks up a setting. (python-docx has no public accessor for the
    outline level or the list a paragraph is in.)"""
    properties = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        properties.append(style.element.pPr)
        style = style.base_style
    return [pPr for pPr in properties if pPr is not None]


def _outline_level(paragraph) -> int | None:
    """A DOCX paragraph's outline level (0 is the top), as Word's navigation pane reads it:
    set on the paragraph, or on its style or a style that is based on. Korean templates and
    documents converted from HWP name their heading styles "개요 1" or "제목 1", not "Heading 1"."""
    for pPr in _properties(paragraph):
        level = pPr.find(qn("w:outlineLvl"))
        if level is not None:
            value = int(level.get(qn("w:val"), 9))
            return value if value < 9 else None  # 9: body text
    return None


_KOREAN_LETTERS = "가나다라마바사아자차카타파하"
_KOREAN_CONSONANTS = "ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = (("m", 1000), ("cm", 900), ("d", 500), ("cd", 400), ("c", 100), ("xc", 90), ("l", 50),
          ("xl", 40), ("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))
_LEVEL_NUMBER = re.compile(r"%([1-9])")


def _roman(n: int) -> str:
    out = ""
    for letters, value in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _formatted(n: int, style: str) -> str:
    """A list number `n` written as Word's number format `style` writes it."""
    if style == "ganada" and n <= len(_KOREAN_LETTERS):
        return _KOREAN_LETTERS[n - 1]
    if style == "chosung" and n <= len(_KOREAN_CONSONANTS):
        return _KOREAN_CONSONANTS[n - 1]
    if style == "decimalEnclosedCircle" and n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if style in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if style == "upperLetter" else letter
    if style in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if style == "upperRoman" else _roman(n)
    return "" if style == "none" else str(n)  # decimal, and digits for any other style


class _ListLabels:
    """The number that Word draws before a paragraph of a numbered list, which is not part of
    the paragraph's text: "1." before the first step of a "List Number" list, "가." before an
    item numbered "ganada". Without it, a notice's steps lose their order."""

    def __init__(self, document) -> None:
        self._levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self._counts: dict[str, list[int]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return  # no lists in this document
        try:
            self._read(numbering)
        except (ValueError, TypeError):
            self._levels = {}  # numbering it can't read: the paragraphs' text as it is

    def _read(self, numbering) -> None:
        abstracts = {abstract.get(qn("w:abstractNumId")): abstract
                     for abstract in numbering.findall(qn("w:abstractNum"))}
        for num in numbering.findall(qn("w:num")):
            reference = num.find(qn("w:abstractNumId"))
            abstract = abstracts.get(reference.get(qn("w:val"))) if reference is not None else None
            if abstract is None:
                continue
            levels = {int(lvl.get(qn("w:ilvl"), "0")): (
                _value(lvl, "w:numFmt", "decimal"), _value(lvl, "w:lvlText", ""),
                int(_value(lvl, "w:start", "1"))) for lvl in abstract.findall(qn("w:lvl"))}
            for override in num.findall(qn("w:lvlOverride")):  # "restart at 1"
                level = int(override.get(qn("w:ilvl"), "0"))
                start = override.find(qn("w:startOverride"))
                if start is not None and level in levels:
                    levels[level] = (*levels[level][:2], int(start.get(qn("w:val"), "1")))
            self._levels[num.get(qn("w:numId"))] = levels

    def label(self, paragraph) -> str:
        """The label of `paragraph` ("" when it is not in a list), counting it."""
        try:
            num_id, level = _numbering_of(paragraph)
        except (ValueError, TypeError):
            return ""
        levels = self._levels.get(num_id or "")
        if not levels or level not in levels:
            return ""
        style, text, _ = levels[level]
        counts = self._counts.setdefault(num_id, [0] * 10)
        counts[level] += 1
        counts[level + 1:] = [0] * (9 - level)  # a deeper list starts again under this item
        if style == "bullet":
            return ""  # (a bullet says no more than the paragraph break before it)

        def number(match: re.Match) -> str:
            shown = int(match.group(1)) - 1
            if shown not in levels:
                return ""
            return _formatted(levels[shown][2] + max(counts[shown], 1) - 1, levels[shown][0])
        return _LEVEL_NUMBER.sub(number, text).strip()


def _value(element, tag: str, default: str) -> str:
    found = element.find(qn(tag))
    return found.get(qn("w:val"), default) if found is not None else default


def _numbering_of(paragraph) -> tuple[str | None, int]:
    """(numId, level) of a paragraph's list, set on it or on its style (as "List Bullet" does)."""
    num_id, level = None, None
    for pPr in _properties(paragraph):
        numPr = pPr.find(qn("w:numPr"))
        if numPr is None:
            continue
        if num_id is None and numPr.find(qn("w:numId")) is not None:
            num_id = numPr.find(qn("w:numId")).get(qn("w:val"))
        if level is None and numPr.find(qn("w:ilvl")) is not None:
            level = int(numPr.find(qn("w:ilvl")).get(qn("w:val"), "0"))
    return (None if num_id == "0" else num_id), level or 0


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
    labels = _ListLabels(document)
    title = real_title(document.core_properties.title)
    # Paragraphs and tables in document order: a notice's schedule table belongs under the
    # heading it follows.
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            for row in block.rows:
                cells = [c.text.strip() for c in row.cells if c.text.strip()]
                if cells:
                    lines.append(CELL_SEPARATOR.join(dict.fromkeys(cells)))
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
            label = labels.label(block)
            lines.append(f"{label} {text}" if label else text)
    text = "\n\n".join(lines)
    if title:
        text = outline_headings(text)  # numbered headings typed as plain paragraphs
    else:
        title, text = titled_outline(text)
    return finish_document(path, rel, text, {"title": title} if title else {})
