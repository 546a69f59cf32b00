"""How the documents' text is cut into sentences: what a reply quotes, and what ingest keeps a
vector of (for the documents written in one language only). Ingest rebuilds every document
when this file changes, so that the sentences it stored are the ones replies are made of."""

from __future__ import annotations

import re

_SENTENCE_BREAK = re.compile(r"(?<=[.!?。])\s+|(?<=다\.)\s*")
# Periods that end no sentence: a list marker alone so far ("가.", "3.", "Ⅱ."), or after one
# word that labels it ("붙임 1.", "Annex 2."), an abbreviation ("Tel.", "No.", "e.g."), and a
# number followed by a number, as in Korean dates ("2026. 12. 1.").
_LIST_MARKER_SO_FAR = re.compile(
    r"^\s*(?:\w+:?\s+)?(?:[가-하]|\d{1,2}|[ⅰ-ⅻⅠ-Ⅻ]|[IVX]{1,4}|[ivx]{1,4})\.$")
_ABBREVIATION = re.compile(
    r"(?:^|[\s(])(?:Tel|Fax|No|Nos|Vol|Dr|Mr|Mrs|Ms|Prof|Dept|St|Jr|Sr|Inc|Ltd|Co|Ph|"
    r"e\.g|i\.e|vs|cf|approx|incl|ext|p|pp)\.$")
_NUMBER_END = re.compile(r"\d\.$")
# ...and markers that say nothing alone: a Q&A's "A.", and the "끝." that closes a Korean
# official document
_BARE_MARKER = re.compile(r"^(?:(?:[AQ]|답|문)[.):]|끝\.)$")
_ANSWER_MARKER = re.compile(r"^(?:A|답)\s*[:)]\s*(?=\S)")  # "A: Tell us by 15 May…" of a Q&A


def split_sentences(text: str) -> list[str]:
    """Sentences (and lines), without the bare markers a split leaves behind ("A." of a Q&A
    answer). A date like "2026. 12. 1." stays whole: cut into "2026." "12." "1.", a repeated
    "12." would be dropped as said before, and the date would read wrong."""
    pieces: list[str] = []
    for line in text.split("\n"):
        start = 0
        for end in _SENTENCE_BREAK.finditer(line):
            so_far = line[start:end.start()]
            if (_LIST_MARKER_SO_FAR.match(so_far) or _ABBREVIATION.search(so_far)
                    or (_NUMBER_END.search(so_far) and line[end.end():end.end() + 1].isdigit())):
                continue
            pieces.append(so_far)
            start = end.end()
        pieces.append(line[start:])
    return [_ANSWER_MARKER.sub("", p.strip()) for p in pieces
            if p.strip() and not _BARE_MARKER.match(p.strip())]
