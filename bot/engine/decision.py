"""When the documents answer a question: the answer/decline decision and what it measures.

The score is the meaning match (cosine) of the best section, plus how far that section stands out
from the next ones (contrast), moved up or down by how much of the question's rarer words the
answer sections contain (`coverage`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Callable

from rapidfuzz import fuzz, process

from bot.engine.analyzer import Analyzer, spelling_key
from bot.engine.common_words import topic_weight
from bot.engine.compose import SCHEDULE_STATUS_WORDS, answer_units, events_of
from bot.engine.language import detect_lang
from bot.engine.retrieve import Retrieval, Unit

# Calibrated on benchmarks/eval/questions.yaml and checked on benchmarks/eval/heldout.yaml
# (benchmarks/answers.py prints both).
ANSWER_THRESHOLD = 0.860
CONTRAST_WEIGHT = 1.0
COVERAGE_WEIGHT = 0.20
NO_COVERAGE_MEASURE = 0.4  # a little against: what can't be checked leans to a decline
# Korean verbs and adjectives count half: a question swaps the text's verb for another ("골랐어요"
# for "선정했습니다") far more often than its nouns (measured on benchmarks/eval/heldout.yaml
# and the notices set: each +1 answer, no decline lost; the tuning set unchanged). So do English
# words in -ed ("created" for "launched"; fresh4 +2 answers, the other sets unchanged).
PREDICATE_WEIGHT = 0.5
# A number counts a quarter: a question's numbers are mostly the asker's own ("I'm 45", "60km
# 거리", "1년에"), which no document states, or repeat one the answer gives; a year no document
# names declines on its own (see Assistant.ask). A name with digits ("BK21") counts in full.
# (Development sets +2, unseen +2; 0.1 measured the same, 0.5 one less.)
NUMBER_WEIGHT = 0.25
FUZZY_MIN = 80  # rapidfuzz ratio: "salery" ~ "salary", "bostn" ~ "boston"


@dataclass(frozen=True)
class Decision:
    covered: bool
    units: list[Unit]    # the sections an answer quotes
    score: float         # compared with ANSWER_THRESHOLD


def decide(retrieval: Retrieval, question: str, analyzer: Analyzer) -> Decision:
    """Whether the documents answer `question`, from what `retrieval` found: the sections an
    answer would quote, and the score compared with ANSWER_THRESHOLD."""
    if not retrieval.hits:
        return Decision(False, [], 0.0)
    units = answer_units(retrieval, question)
    dense = retrieval.hits[0].dense
    schedule = any(events_of(retrieval.version, retrieval.sections.rows[u][0]) for u in units)
    measured = coverage(retrieval, units, detect_lang(question) if question else None,
                        analyzer.predicates(question) if question else set(),
                        also_found=schedule_status_terms(analyzer) if schedule else frozenset())
    score = dense + CONTRAST_WEIGHT * retrieval.contrast + COVERAGE_WEIGHT * (measured - 0.5)
    return Decision(score >= ANSWER_THRESHOLD, units, score)


@cache
def schedule_status_terms(analyzer: Analyzer) -> frozenset[str]:
    """The terms of what a schedule's reply says of its items (next, past, left)."""
    return frozenset(analyzer.terms(SCHEDULE_STATUS_WORDS))


def coverage(retrieval: Retrieval, units: list[Unit], lang: str | None = None,
             predicates: set[str] = frozenset(), terms: list[str] | None = None,
             also_found: frozenset[str] = frozenset()) -> float:
    """How much of the question the answer sections speak about: the share of the
    question's content words (weighted by rarity, its Korean `predicates` and its numbers
    less, an English word the documents never use by how rare it is in English at large) found in
    them, in either language, allowing a typo's worth of difference. Neutral when the first
    of `units` (else the best hit) exists only in a language other than the question's
    (`lang`), however the hits rank. `terms`: other words than the question's (one part of it).
    `also_found`: terms the reply will say though the sections don't."""
    terms = list(dict.fromkeys(retrieval.query_terms if terms is None else terms))
    if not terms:
        return 0.0
    sections = retrieval.sections
    best = units[0] if units else retrieval.hits[0].unit if retrieval.hits else None
    if lang and best is not None and lang not in sections.langs[best]:
        return NO_COVERAGE_MEASURE  # its words can't be looked for in another language
    found = found_in(retrieval, units)
    total = covered = 0.0
    for term in terms:
        weight = sections.idf(term) * (PREDICATE_WEIGHT if term in predicates else 1.0)
        if term[:1].isdigit():  # "45", "60km"; not a name like "BK21"
            weight *= NUMBER_WEIGHT
        elif not sections.df.get(term) and term.isascii():
            weight *= topic_weight(term)  # "like" in "what's the pay like" weighs little
        total += weight
        covered += weight if found(term) or term in also_found else 0.0
    return covered / total if total else 0.0


def found_in(retrieval: Retrieval, units: list[Unit]) -> Callable[[str], bool]:
    """Whether a query term is in `units`: itself, its other spelling, a typo of it or,
    for a Korean word, a longer or shorter form of it, or a compound ending in it."""
    vocabulary = set().union(*(retrieval.sections.terms[u] for u in units))
    known = retrieval.sections.df
    # only a word the documents never use is looked for among misspellings: most calls
    # never need the vocabulary spelled out letter by letter
    spellings = cache(lambda: {spelling_key(t) for t in vocabulary})

    def found(term: str) -> bool:
        if retrieval.spellings(term) & vocabulary:
            return True
        korean = not term.isascii() and len(term) > 1
        if known.get(term):
            # A word the documents use is no misspelling of another ("KIST" of "KAIST",
            # "지스트" of "디지스트"); a Korean one may be a form of it ("과학자", "과학")
            return korean and any(
                len(t) > 1 and (t.startswith(term) or term.startswith(t)) for t in vocabulary)
        if korean and any(len(t) > len(term) and (t.endswith(term) or t.startswith(term))
                          for t in vocabulary):
            # a Korean compound ends in what it is, "병원" in "전남대병원"; a short form
            # starts with it, "기계" in "기계연" (the institute's name the analyzer keeps whole)
            return True
        key = spelling_key(term)
        return len(key) >= 4 and process.extractOne(
            key, spellings(), scorer=fuzz.ratio, score_cutoff=FUZZY_MIN) is not None
    return found
