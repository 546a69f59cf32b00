"""Turn retrieved passages into a grounded reply: quote the best section in the asker's
language, or decline when the documents do not cover the question.

Every sentence of an answer is taken from the documents; the only added words are the
interface texts in messages.py, which carry no facts.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.engine import messages
from bot.engine.index import IndexVersion
from bot.engine.retrieve import Hit, Retrieval
from bot.engine.types import Source

MAX_ANSWER_CHARS = 700
MAX_SENTENCES = 3
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|(?<=다\.)\s*|\n+")


@dataclass(frozen=True)
class Unit:
    """A section of a document, whatever its language: the unit we answer from."""

    doc_id: str
    section_index: int


def unit_of(chunk: dict) -> Unit:
    meta = chunk["metadata"]
    return Unit(meta["doc_id"], int(meta.get("section_index", 0)))


def _rows_of(version: IndexVersion, unit: Unit, lang: str) -> list[int]:
    return [i for i, c in enumerate(version.chunks)
            if c["metadata"]["doc_id"] == unit.doc_id and c["metadata"]["lang"] == lang
            and int(c["metadata"].get("section_index", 0)) == unit.section_index]


def _section_count(version: IndexVersion, doc_id: str, lang: str) -> int:
    return len({int(c["metadata"].get("section_index", 0)) for c in version.chunks
                if c["metadata"]["doc_id"] == doc_id and c["metadata"]["lang"] == lang})


def rows_for_answer(version: IndexVersion, hit: Hit, lang: str) -> tuple[list[int], bool]:
    """The rows of the hit's section in `lang` when the document has a parallel version in
    that language; else the hit's own language. Second value: True if a twin was used."""
    chunk = version.chunks[hit.row]
    unit, own_lang = unit_of(chunk), chunk["metadata"]["lang"]
    if own_lang != lang and (
        _section_count(version, unit.doc_id, lang) == _section_count(version, unit.doc_id, own_lang)
    ):
        twin = _rows_of(version, unit, lang)
        if twin:
            return twin, True
    return _rows_of(version, unit, own_lang), False


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def _dedupe_overlap(texts: list[str]) -> str:
    """Join the parts of one section, dropping the overlap the splitter repeated."""
    out: list[str] = []
    seen: set[str] = set()
    for text in texts:
        for sentence in split_sentences(text):
            if sentence not in seen:
                seen.add(sentence)
                out.append(sentence)
    return out


def select_sentences(sentences: list[str], query_terms: set[str], terms_of) -> list[str]:
    """A long section: keep the sentences that share most terms with the question, in order."""
    joined = " ".join(sentences)
    if len(joined) <= MAX_ANSWER_CHARS:
        return sentences
    scored = []
    for i, sentence in enumerate(sentences):
        overlap = len(query_terms & set(terms_of(sentence)))
        scored.append((overlap, -i))
    best = sorted(scored, reverse=True)[:MAX_SENTENCES]
    if best[0][0] == 0:
        keep = set(range(MAX_SENTENCES))
    else:
        keep = {-i for overlap, i in best if overlap > 0}
    return [s for i, s in enumerate(sentences) if i in keep]


def source_of(version: IndexVersion, row: int, score: float) -> Source:
    meta = version.chunks[row]["metadata"]
    return Source(title=meta.get("title", ""), source=meta.get("source", ""),
                  section=meta.get("section", ""), score=score, doc_id=meta.get("doc_id", ""))


def events_of(version: IndexVersion, row: int) -> list[dict]:
    meta = version.chunks[row]["metadata"]
    return version.manifest.get("documents", {}).get(meta.get("source", ""), {}).get("events", [])


def compose_events(events: list[dict], answer_sentences: list[str], title: str, lang: str,
                   today: dt.date) -> list[str]:
    """Dated items: mark the ones that took place, and say which one is next."""
    dated = sorted(events, key=lambda e: e["date"])
    upcoming = [e for e in dated if dt.date.fromisoformat(e["date"]) >= today]
    by_text = {e["_text"]: e for e in dated}
    lines: list[str] = []
    if upcoming and len(answer_sentences) > 1:
        lines.append(messages.text("next_event", lang, item=upcoming[0]["_text"]))
    elif not upcoming and len(answer_sentences) > 1:
        lines.append(messages.text("all_past", lang, title=title))
    for sentence in answer_sentences:
        item = by_text.get(sentence.lstrip("- ").strip())
        past = item is not None and dt.date.fromisoformat(item["date"]) < today
        lines.append(sentence + (messages.text("past_marker", lang) if past else ""))
    return lines
