"""Repair text extracted from PDFs: lines broken in the middle of words and sentences.

A PDF extraction breaks every visual line, and in Korean often in the middle of a word
("첨단전략 연" / "구를"). We rebuild paragraphs: a line continues into the next one unless it
ends a sentence, is clearly shorter than a full line (unless the document spells the word
that break would cut elsewhere), or the next line starts a list item.
"""

from __future__ import annotations

import re
from statistics import quantiles
from typing import Protocol

from bot.engine.analyzer import APART, ATTACHED, INSIDE


class KoreanSpacing(Protocol):
    """Where Korean text wrapped by a line break had a space (`bot.engine.analyzer.Analyzer`)."""

    def junction(self, left: str, right: str) -> str | None: ...

    def space(self, text: str) -> str: ...

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
WORD_CHARACTER = re.compile(r"[^\W_]")  # a letter or a digit
# Markers that start a new block in Korean official documents and in plain text lists. A list
# number has one or two digits: a line that starts "2027. It explains" or "2025. 9. 5." is a
# sentence that wrapped after its month, not a new item.
# outline.py reads headings with this and SENTENCE_END too. A Korean notice made in HWP marks its
# items with the letter "ㅇ" (or "ㆍ") and a space as often as with "○".
_BULLET = "[-•·▪▴▲▶►◇◆■□▣○◦●※*]"
BLOCK_START = re.compile(  # ...and an official document's list of attachments: "붙임 1."
    rf"^\s*(?:{_BULLET}|[ㅇㆍ]\s|\d{{1,2}}[.)]\s|[Ⅰ-Ⅻ]\.?\s|[①-⑳]|[가-하][.)]\s|#"
    r"|붙임\s*(?:\d{1,2}[.)]|:))")
# A rule drawn with characters: a plain-text heading's underline ("=====") or a divider
_RULE = re.compile(r"^([=_~*#─━═-])\1{2,}$")
# A bullet that a PDF draws apart from its item's text, extracted as a line of its own
_LONE_BULLET = re.compile(rf"^{_BULLET}$")
SENTENCE_END = re.compile(r"(?:[.!?。]|다\.|[.!?]['\"”’)\]]|[”’\"])\s*$")


def _full_width(lines: list[str]) -> int:
    lengths = [len(l.rstrip()) for l in lines if l.strip()]
    if len(lengths) < 4:
        return max(lengths, default=0)
    return int(quantiles(lengths, n=10)[7])  # 80th percentile: a typical full line


# What `_joiner` returns for a word cut by hyphenation: drop the hyphen, insert nothing. A str
# like its other answers ("" and " "), from the private-use area so that it is neither of them.
_DROP_HYPHEN = "\ue000"


# No space after these at a line's end, nor before these at the next one's start (a middle
# dot joins words: "국내·외", "산·학·연")
_OPENING = set("([{“‘「『·")
_CLOSING = set(")]},.:;!?%”’」』·")
_CLOSING_BRACKETS = ")]”’」』"
_LAST_WORD = re.compile(r"(\w+)-$")
_FIRST_WORD = re.compile(r"^(\w+)")


def _joiner(prev_raw: str, nxt_raw: str, spaces_informative: bool,
            korean: KoreanSpacing | None, text: str = "") -> str:
    """What goes between a line and its continuation: "", " ", or a paragraph break."""
    prev, nxt = prev_raw.rstrip(), nxt_raw.strip()
    if prev.endswith("-") and nxt[:1].islower():
        # Office documents break lines at real hyphens ("one-" / "time"); a word cut by
        # hyphenation ("recom-" / "mendation") is joined when the document spells it whole.
        head, tail = _LAST_WORD.search(prev), _FIRST_WORD.match(nxt)
        whole = head and tail and re.search(rf"\b{head.group(1)}{tail.group(1)}\b", text, re.I)
        return _DROP_HYPHEN if whole else ""
    if prev[-1:] in _OPENING or nxt[:1] in _CLOSING:
        return ""  # "DLR/NLR(" / "독일…)", "(생명연)" / ", KISTI"
    if nxt[:1] == "(" and _HANGUL.match(prev[-1:]):
        return ""  # Korean puts no space before brackets: "막스플랑크연구소" / "(MPI)"
    if nxt_raw[:1].isspace() and prev_raw == prev:
        return " "  # the space of a word boundary went to the start of the next line
    if not _HANGUL.match(nxt[:1]):
        return " "
    if not _HANGUL.match(prev[-1:]):
        # a particle or a counter after a Latin word or a number: "UNIST" / "의", "8" / "개"
        attached = (korean and prev_raw == prev
                    and (WORD_CHARACTER.match(prev[-1:]) or prev[-1:] in _CLOSING_BRACKETS)
                    and korean.junction(prev[-8:], nxt[:8]) == ATTACHED)
        return "" if attached else " "
    if spaces_informative:
        # The extractor kept the space of a word boundary before a break: no space, a cut word.
        return " " if prev_raw != prev else ""
    if korean is None:
        return ""
    # No spacing evidence: the morphemes on either side tell, else the spacing model does
    # (which glued "논문의" / "게재료를" of a notice: the particle was no evidence to it).
    tail, head = prev[-8:], nxt[:8]
    if (joined := korean.junction(tail, head)) is not None:
        return " " if joined == APART else ""
    fixed = korean.space(tail + head)
    return " " if fixed.startswith(tail) and fixed[len(tail):len(tail) + 1] == " " else ""


_HANGUL_TAIL = re.compile(r"[\uac00-\ud7a3]+$")
_HANGUL_HEAD = re.compile(r"^[\uac00-\ud7a3]+")


def _cut_attested(prev_raw: str, nxt: str, text: str) -> bool:
    """A short line can still end in a cut word (a narrow table column: "서울대, 화" / "학(연)"):
    believe it when the document spells the joined word elsewhere ("화학(연)")."""
    if prev_raw != prev_raw.rstrip():  # the extractor kept a word boundary's space
        return False
    tail, head = _HANGUL_TAIL.search(prev_raw), _HANGUL_HEAD.match(nxt)
    return bool(tail and head) and (tail.group() + head.group()) in text


# A page number alone on a line: "3", "- 3 -", "3 / 10", "Page 3 of 10", "p. 3".
_PAGE_NUMBER = re.compile(
    r"^[-–—\s]*(?:(?:page|p\.)\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?[-–—\s]*$", re.IGNORECASE)
_EDGE_LINES = 2  # a running header or footer takes at most this many lines at a page's edge


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()))  # "2026 notice - 3 -" ~ "2026 notice - 4 -"


def drop_page_furniture(pages: list[str]) -> tuple[list[str], str | None]:
    """PDF pages without their running headers and footers (a line at the top or bottom of
    most pages, alike but for its numbers) and page numbers: left in, each page would add a
    stray paragraph, and a short running header would pass for a section heading (or, on the
    first page, for the notice's title). Also the first page's running header, which is the
    best title left for a notice that shows no other."""
    lines = [[l for l in page.splitlines() if l.strip()] for page in pages]
    seen: dict[str, int] = {}
    for page in lines:
        for key in {_furniture_key(l) for l in page[:_EDGE_LINES] + page[-_EDGE_LINES:]}:
            seen[key] = seen.get(key, 0) + 1
    # (never a line of bullets only: items run on from one page to the next)
    running = {k for k, n in seen.items() if len(pages) >= 2 and n >= max(2, len(pages) / 2)
               and WORD_CHARACTER.search(k)}
    kept, header = [], None
    for number, page in enumerate(lines):
        # a running header's lines leave room for the page number under them ("- 2 -")
        top = _EDGE_LINES + sum(_furniture_key(l) in running for l in page[:_EDGE_LINES])
        bottom = _EDGE_LINES + sum(_furniture_key(l) in running for l in page[-_EDGE_LINES:])
        edge = set(range(top)) | set(range(len(page) - bottom, len(page)))
        text = []
        for i, line in enumerate(page):
            if i in edge and _PAGE_NUMBER.match(line):
                continue
            if i in edge and _furniture_key(line) in running:
                if number == 0 and i < _EDGE_LINES and header is None:
                    header = " ".join(line.split())
                continue
            text.append(line)
        kept.append("\n".join(text))
    return kept, header


# A Korean date cut after its year or month: "… 2026." / "12. 15.(화)까지"; not a sentence
# ending in a year above a numbered heading ("… by 31 March 2026." / "4. On-site Sessions")
_DATE_HEAD = re.compile(r"(?:19|20)\d\d\.(?:\s*\d{1,2}\.)?\s*$")
_DATE_TAIL = re.compile(r"^\d{1,2}\.(?!\s*[^\W\d_])")


def _date_continues(prev_raw: str, line: str) -> bool:
    return bool(prev_raw and _DATE_HEAD.search(prev_raw) and _DATE_TAIL.match(line))


_JOINING_DOT = re.compile(r"^·[\uac00-\ud7a3]")


def _ends_word(prev_raw: str, line: str, korean: KoreanSpacing | None) -> bool:
    """Whether a line that looks like a list item ("다. 한도를…") ends a word that the line
    above cut ("…달라집니"): "다" then belongs to the word, as in "달라집니다."."""
    if not (korean and prev_raw == prev_raw.rstrip() and _HANGUL.match(prev_raw[-1:])):
        return False
    if _JOINING_DOT.match(line):
        return True  # "국내" / "·외": the dot joins two words, no bullet starts an item
    return bool(_HANGUL.match(line[:1]) and korean.junction(prev_raw[-8:], line[:8]) == INSIDE)


# How every loader writes a table row's cells: "구분 | 한도" (the engine reads rows as such)
CELL_SEPARATOR = " | "
# Cells of a table row, which PDF extraction separates by runs of spaces.
_TABLE_GAP = re.compile(r"\S {3,}\S")
CELL_GAP = re.compile(r" {3,}")
CELL_SPACING = "   "  # what pdf.py puts between the cells of a row it rebuilds: a CELL_GAP
DOUBLE_SPACED = 0.8  # share of lines followed by a blank line above which blank lines say nothing


def rejoin_lines(text: str, korean: KoreanSpacing | None = None) -> str:
    """Paragraphs separated by blank lines, with broken words and sentences rejoined
    (`korean`: where Korean words that a break parted meet, when the text does not show it)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    width = _full_width(lines)
    spaces_informative = any(l.endswith(" ") and l.strip() for l in lines)
    # A blank line ends a paragraph ("공고" above "이노코어 공동 포닥지원센터…" in a .txt notice was
    # glued into one word), unless nearly every line has one after it, as in the seed's
    # extraction, where blank lines fall inside sentences
    written = sum(bool(line.strip()) for line in lines)
    spaced = sum(bool(a.strip()) and not b.strip() for a, b in zip(lines, lines[1:]))
    blank_ends = spaced < DOUBLE_SPACED * written
    paragraphs: list[str] = []
    current = ""
    prev_raw = ""
    bullet = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            # (in a double-spaced text still the document's first line when a blank line
            # follows it: its title, "…데이 안내" above "이노코어 교류지원팀 공고…", not a
            # sentence that wrapped)
            first_line = not paragraphs and current == prev_raw.strip()
            if current and (blank_ends or first_line):
                paragraphs.append(current)
                current, prev_raw = "", ""
            continue
        if _RULE.match(line):  # decoration: it only ends the paragraph above it
            if current:
                paragraphs.append(current)
            current, prev_raw = "", ""
            continue
        if _LONE_BULLET.match(line):
            bullet = line  # it starts the line that follows
            continue
        if bullet:
            line, raw, bullet = f"{bullet} {line}", f"{bullet} {raw}", ""
        if _TABLE_GAP.search(line):  # a table row: a paragraph of its own, cells as in DOCX
            if current:
                paragraphs.append(current)
            paragraphs.append(CELL_GAP.sub(CELL_SEPARATOR, line))
            current, prev_raw = "", ""
            continue
        starts_block = (bool(BLOCK_START.match(line)) and not _date_continues(prev_raw, line)
                        and not _ends_word(prev_raw, line, korean))
        if current and not starts_block:
            short = len(prev_raw.rstrip()) < 0.6 * width
            if short and spaces_informative and prev_raw != prev_raw.rstrip():
                short = False  # the extractor keeps a space where it wraps: a narrow column
            cut_at_hyphen = prev_raw.rstrip().endswith("-") and line[:1].islower()
            ended = (SENTENCE_END.search(prev_raw) and not _date_continues(prev_raw, line)) or (
                short and not cut_at_hyphen and not _cut_attested(prev_raw, line, text))
            if not ended:
                glue = _joiner(prev_raw, raw, spaces_informative, korean, text)
                current = current[:-1] + line if glue == _DROP_HYPHEN else current + glue + line
                prev_raw = raw
                continue
        if current:
            paragraphs.append(current)
        current = line
        prev_raw = raw
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs) + "\n"
