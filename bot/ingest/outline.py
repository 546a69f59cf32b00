"""Find the headings of a plain-text notice (a .txt file, or the text of a PDF or a DOCX without
heading styles) and mark them as Markdown headings, so that each part is a section of its own.
"""

from __future__ import annotations

import re

from bot.ingest.cleaning import BLOCK_START, CELL_SEPARATOR, SENTENCE_END

# The marks Korean official documents put before a part's heading: "◇ 사업 개요".
_HEADING_MARK = re.compile(r"^\s*[◇◆■□▣]\s*")
# Plain-text headings of notices: "1. 모집 기간", "IV. Eligibility", "Ⅳ. 문의" (the numeral
# characters Word and HWP write), "Q3. Can I ...?", "제2조(...)".
NUMBERED_HEADING = re.compile(
    r"^(?:\d{1,2}[.)]|[IVX]{1,4}\.|[Ⅰ-Ⅻ]\.?|제\s*\d+\s*[조장]|Q\s*\d+[.):]?)\s*\S")
# A label with its value is an item, not a heading: "3) 제출 방법: 전자우편(x@example.org)",
# "1. 일정: 2026. 3. 1." (but "Step 1: Register online" may head a part).
_LABEL_AND_VALUE = re.compile(r":\s*\S.*[\d@]")
_QUESTION_HEADING = re.compile(r"^Q\s*\d*[.):]\s*\S")
_HEADING_MAX = 60       # characters
_HEADING_MAX_WORDS = 6  # an unnumbered heading ("Registration", "Date and time")
# A short line with a date, a time or an amount is body text (as a heading it would drop out of
# quoted answers); a year alone is not ("Applicants of the December 2026 call").
_NUMBER_BESIDES_YEAR = re.compile(r"(?<!\d)(?!(?:19|20)\d\d(?!\d))\d+")


_DIGIT_MARK = re.compile(r"^(\d{1,2})([.)])")


def _next_item(par: str, nxt: str) -> bool:
    """Whether numbered `nxt` goes on the list `par` is an item of: the same kind of number,
    and for "1." / "1)" numbers the next one."""
    if not (NUMBERED_HEADING.match(par) and NUMBERED_HEADING.match(nxt)):
        return False
    mine, theirs = _DIGIT_MARK.match(par), _DIGIT_MARK.match(nxt)
    if mine is None or theirs is None:
        return (mine is None) == (theirs is None)
    return mine[2] == theirs[2] and int(theirs[1]) == int(mine[1]) + 1


def _reads_as_heading(par: str, nxt: str, after_sentence: bool, prev: str = "") -> bool:
    if "\n" in par or len(par) > _HEADING_MAX or par.startswith("#"):
        return False
    if _QUESTION_HEADING.match(par):
        return True  # a Q&A notice: each question heads its answer
    if SENTENCE_END.search(par) or par.endswith((":", ",", ";")):
        return False
    if _LABEL_AND_VALUE.search(par):
        return False
    if _HEADING_MARK.match(par):
        return True  # "◇ 사업 개요": a short marked line (a long "□ …" paragraph is body text)
    if NUMBERED_HEADING.match(par):
        # A numbered line heads the text after it, unless that is the next item of a list
        # ("4. 제출 방법" above "1) 제출 방법: ..." heads a list of its own), or it is one: the
        # last item of a list ("3) 본인 사정으로 취소하면 지원하지 않음" above "8. 유의 사항")
        return not _next_item(par, nxt) and not _next_item(prev, par)
    # An unnumbered short line between a finished sentence and a longer paragraph.
    return (after_sentence and len(par.split()) <= _HEADING_MAX_WORDS
            and not BLOCK_START.match(par) and len(nxt) > 2 * len(par)
            and not _NUMBER_BESIDES_YEAR.search(par) and CELL_SEPARATOR not in par)  # no row


_NUMBERING_KINDS = (("roman", re.compile(r"^(?:[IVX]{1,4}\.|[Ⅰ-Ⅻ])")),
                    ("number.", re.compile(r"^\d{1,2}\.")), ("number)", re.compile(r"^\d{1,2}\)")),
                    ("article", re.compile(r"^제\s*\d+\s*[조장]")), ("mark", _HEADING_MARK))


def _numbering(heading: str) -> str:
    return next((kind for kind, pattern in _NUMBERING_KINDS if pattern.match(heading)), "")


def outline_headings(text: str) -> str:
    """Mark the headings of a plain-text notice as Markdown headings, so that each of its
    parts becomes a section of its own (answered and cited on its own). Paragraphs are
    separated by blank lines, as `rejoin_lines` leaves them. An outline of two levels
    ("Ⅱ. 교육과정" right above "1. 과정 구성") keeps both: the inner headings become `###`
    under their part until the next heading numbered like it, and are cited with it."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    after = [True] + [bool(SENTENCE_END.search(p)) or p.startswith("#") for p in paragraphs]
    heads = [i + 1 < len(paragraphs) and _reads_as_heading(
        par, paragraphs[i + 1], after[i], paragraphs[i - 1] if i else "")
        for i, par in enumerate(paragraphs)]
    out: list[str] = []
    outer = None  # the numbering of the outer level, once a part heading is seen
    for i, par in enumerate(paragraphs):
        if not heads[i]:
            out.append(par)
            continue
        kind = _numbering(par)
        if i + 1 < len(paragraphs) and heads[i + 1] and _numbering(paragraphs[i + 1]) != kind:
            outer = kind  # a part heading right above the first heading inside it
        level = "###" if outer is not None and kind != outer else "##"
        out.append(f"{level} " + _HEADING_MARK.sub("", par))
    return "\n\n".join(out) + "\n"
