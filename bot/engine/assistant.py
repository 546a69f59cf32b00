"""The one platform-free entry point: `Assistant.ask(text, lang=None) -> Reply`."""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from typing import Callable

from bot.engine import messages, smalltalk
from bot.engine.analyzer import Analyzer, default_analyzer
from bot.engine.compose import (
    compose_events, events_of, rows_for_answer, select_sentences, source_of, unit_of,
    _dedupe_overlap,
)
from bot.engine.embedding import Embedder, default_embedder
from bot.engine.index import IndexReader
from bot.engine.language import detect_lang
from bot.engine.retrieve import Retrieval, Retriever
from bot.engine.types import Reply, ReplyKind, Source

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)

# When the documents cover a question. Calibrated on benchmarks/eval (see benchmarks/answers.py):
# a near paraphrase of a section is answered on meaning alone; otherwise the section must also
# share the question's content words.
DENSE_SURE = 0.86
DENSE_MIN = 0.80
COVERAGE_MIN = 0.5


def clean_question(text: str) -> str:
    """Drop control and format characters; fold compatibility forms (full-width letters...)."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\n\t" else " " for ch in text)
    return re.sub(r"\s+", " ", text).strip()


class Assistant:
    def __init__(self, reader: IndexReader, embedder: Embedder, analyzer: Analyzer,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        self.reader = reader
        self.analyzer = analyzer
        self.retriever = Retriever(reader, embedder, analyzer)
        self.today = today

    @classmethod
    def from_settings(cls, settings, *, build_if_missing: bool = True) -> "Assistant":
        """The engine over `settings.index_dir`, building the index first when there is none."""
        from bot.engine.index import current_version

        if build_if_missing and current_version(settings.index_dir) is None:
            from bot.ingest.pipeline import run_ingest

            log.warning("no index in %s yet: building it from %s", settings.index_dir,
                        settings.knowledge_dir)
            run_ingest(settings.knowledge_dir, settings.index_dir, wait=True,
                       chroma_url=settings.chroma_url)
        embedder = default_embedder()
        reader = IndexReader(settings.index_dir, embedder, chroma_url=settings.chroma_url)
        return cls(reader, embedder, default_analyzer(), today=settings.current_date)

    # -- status, for health checks and staff ------------------------------------------------
    @property
    def index_version(self) -> str:
        return self.reader.current().name

    @property
    def document_count(self) -> int:
        return self.reader.current().document_count

    def warm_up(self) -> None:
        """Load the index and models now rather than on the first question."""
        self.ask("InnoCORE")

    # -- the call every channel makes ------------------------------------------------------
    def ask(self, text: str, lang: str | None = None) -> Reply:
        question = clean_question(text if isinstance(text, str) else "")
        reply_lang = lang if lang in ("ko", "en") else detect_lang(question)

        def say(kind: ReplyKind, key: str) -> Reply:
            return Reply(question=question, answer=messages.text(key, reply_lang),
                         lang=reply_lang, kind=kind)

        if not _LETTERS.search(question):
            return say(ReplyKind.INVALID, "empty")
        if len(question) > MAX_QUESTION_CHARS:
            return say(ReplyKind.INVALID, "too_long")
        if small := smalltalk.classify(question):
            return say(*small)
        retrieval = self.retriever.search(question)
        if not self._covered(retrieval):
            return say(ReplyKind.DECLINE, "decline")
        return self._answer(question, reply_lang, retrieval)

    # -- decisions ---------------------------------------------------------------------------
    def coverage(self, retrieval: Retrieval) -> float:
        """Share of the question's content words found in the best section (either language)."""
        if not retrieval.hits:
            return 0.0
        terms = set(retrieval.query_terms)
        if not terms:
            return 0.0
        version = retrieval.version
        best = unit_of(version.chunks[retrieval.hits[0].row])
        section_terms: set[str] = set()
        for chunk in version.chunks:
            if unit_of(chunk) == best:
                section_terms.update(chunk.get("terms", ()))
        return len(terms & section_terms) / len(terms)

    def _covered(self, retrieval: Retrieval) -> bool:
        if not retrieval.hits:
            return False
        top = max(h.dense for h in retrieval.hits[:3])
        if top >= DENSE_SURE:
            return True
        return top >= DENSE_MIN and self.coverage(retrieval) >= COVERAGE_MIN

    def _answer(self, question: str, lang: str, retrieval: Retrieval) -> Reply:
        version, best = retrieval.version, retrieval.hits[0]
        rows, _ = rows_for_answer(version, best, lang)
        sentences = _dedupe_overlap([version.chunks[r]["text"] for r in rows])
        sentences = select_sentences(sentences, set(retrieval.query_terms), self.analyzer.terms)
        answer_lang = version.chunks[rows[0]]["metadata"]["lang"]
        events = events_of(version, rows[0])
        title = version.chunks[rows[0]]["metadata"].get("title", "")
        if events:
            sentences = compose_events(events, sentences, title, lang, self.today())
        if answer_lang != lang:
            sentences = [messages.text("other_language", lang)] + sentences
        sources = self._sources(retrieval, rows[0], lang)
        return Reply(question=question, answer="\n".join(sentences), lang=lang,
                     kind=ReplyKind.ANSWER, sources=sources)

    def _sources(self, retrieval: Retrieval, used_row: int, lang: str) -> tuple[Source, ...]:
        """The section answered from first, then up to two other close sections."""
        version = retrieval.version
        best = retrieval.hits[0]
        sources = [source_of(version, used_row, best.dense)]
        seen = {unit_of(version.chunks[used_row])}
        for hit in retrieval.hits[1:]:
            unit = unit_of(version.chunks[hit.row])
            if unit in seen or hit.dense < best.dense - 0.03:
                continue
            seen.add(unit)
            rows, _ = rows_for_answer(version, hit, lang)
            sources.append(source_of(version, rows[0], hit.dense))
            if len(sources) == 3:
                break
        return tuple(sources)
