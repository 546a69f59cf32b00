"""Names the documents themselves spell two ways, read from their parentheses:
"GIST(지스트, 광주과학기술원)", "한국화학연구원(화학연)", "MPI(막스플랑크연구소)".

An applicant writes "지스트" where a center's page says "GIST", "추경" where another says
"추가경정예산". Whatever an operator's notice spells out this way is learnt the same way: no
name is listed here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.engine.analyzer import Analyzer, spelling_key

# A parenthesis and the name written right before it: up to four capitalised Latin words
# ("Max Planck Institute (막스플랑크연구소)") or one Hangul word ("추가경정예산(추경)").
_NAMED = re.compile(
    r"(?<![\w.])(?P<name>(?:[A-Z][\w.&+-]*\s+){0,3}[A-Z][\w.&+-]*|[\uac00-\ud7a3]+)\s?"
    r"\((?P<inner>[^()]{1,80})\)")
# "Korea Research Institute of Chemical Technology (KRICT)": the capitalised words before the
# parenthesis are only the end of the name; "Chemical Technology" is no other name of KRICT
_CUT_NAME = re.compile(r"\b(?:of|for|de|des|du|und|von)\s+$")
_LABEL = re.compile(r"^[^:：]{1,20}[:：]\s*")  # "영문: ...", "Korean name: ..."
_DIGIT = re.compile(r"\d")
_PARTS = re.compile(r"\s*[,;·/]\s*")
MAX_SIDE_TERMS = 2   # longer is a description ("T3Q(의료 빅데이터 기업)"), not a name...
_KOREAN_WORD = re.compile(r"[\uac00-\ud7a3]+")  # ...but one Korean word is one name, however
# many nouns the analyzer reads in it ("추가경정예산")
MAX_PARTS = 2        # "(KAIST, GIST, DGIST, UNIST)" lists members, not other names
RARE_SECTIONS = 4    # a name is written in few sections (at least this many may hold it)…
RARE_SHARE = 0.06    # …or this share of them
FUZZY_MIN = 85       # rapidfuzz ratio of spelling keys: "스탠포드" ~ "스탠퍼드"
MIN_FUZZY_KEY = 5    # letters (Hangul spelled out); shorter names differ by one letter too often


def _a_name(text: str, terms: Iterable[str]) -> bool:
    return len(tuple(terms)) <= MAX_SIDE_TERMS or bool(_KOREAN_WORD.fullmatch(text.strip()))


class Aliases:
    """term -> the terms of the other spelling of the same name. Ingest reads them from the
    documents (`read`) and stores them with the index version (`to_json`)."""

    def __init__(self, of: Mapping[str, Iterable[str]]) -> None:
        self.of = {t: frozenset(p) for t, p in of.items()}
        self._keys = {spelling_key(t): t for t in self.of if len(spelling_key(t)) >= MIN_FUZZY_KEY}

    def to_json(self) -> dict[str, list[str]]:
        return {t: sorted(p) for t, p in sorted(self.of.items())}

    @classmethod
    def read(cls, texts: Iterable[str], analyzer: Analyzer,
             section_count: dict[str, int], sections: int) -> "Aliases":
        """The names `texts` spell two ways; `section_count`: in how many of the `sections`
        each term is written."""
        terms_of = lru_cache(maxsize=None)(lambda text: tuple(dict.fromkeys(analyzer.terms(text))))
        partners: dict[str, set[str]] = {}
        for text in texts:
            for match in _NAMED.finditer(text):
                if _CUT_NAME.search(text[max(0, match.start() - 8):match.start()]):
                    continue
                parts = [p for p in _PARTS.split(_LABEL.sub("", match["inner"])) if p]
                if not parts or len(parts) > MAX_PARTS or any(_DIGIT.search(p) for p in parts):
                    continue  # members listed, or a date's weekday: not other names
                # the names of one parenthesis are all the same thing's: "GIST" is "지스트" and
                # "광주과학기술원" alike
                paired: dict[str, set[str]] = {}
                for a, b in ((match["name"], p) for p in parts):
                    for key, other in ((a, b), (b, a)):
                        key_terms, other_terms = terms_of(key), set(terms_of(other))
                        if (not other_terms or not _a_name(key, key_terms)
                                or not _a_name(other, other_terms)
                                or not other_terms.isdisjoint(key_terms)):
                            continue
                        for term in key_terms:
                            paired.setdefault(term, set()).update(other_terms)
                for term, other_terms in paired.items():
                    # a name keeps one meaning: what it is paired with each time
                    seen = partners.get(term)
                    partners[term] = other_terms if seen is None else seen & other_terms
        # A word found all over the documents is not a name, whatever a parenthesis pairs it
        # with ("AI 융합 분야(AI+S&T)"); nor does it need another spelling to be found.
        rare = max(RARE_SECTIONS, RARE_SHARE * sections)
        return cls({t: p for t, p in partners.items() if p and section_count.get(t, 0) <= rare})

    def get(self, term: str) -> frozenset[str]:
        """The other spelling's terms of `term` (also of a near spelling of it), or none."""
        if term in self.of:
            return self.of[term]
        key = spelling_key(term)
        if len(key) < MIN_FUZZY_KEY or not self._keys:
            return frozenset()
        match = process.extractOne(key, self._keys.keys(), scorer=fuzz.ratio,
                                   score_cutoff=FUZZY_MIN)
        return self.of[self._keys[match[0]]] if match else frozenset()

    def expand(self, terms: list[str]) -> dict[str, frozenset[str]]:
        """For each of `terms` that has another spelling, that spelling's terms."""
        return {t: found for t in dict.fromkeys(terms) if (found := self.get(t))}
