"""Plain types the engine speaks in. No platform knows more of the engine than these."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

MAX_QUESTION_CHARS = 1000  # a longer message is refused as too long, not searched


class ReplyKind(str, Enum):
    ANSWER = "answer"      # built from the documents
    DECLINE = "decline"    # the documents do not cover it: offer a person
    GREETING = "greeting"  # hello / thanks: friendly, not from the documents
    HELP = "help"          # what the bot can do
    INVALID = "invalid"    # empty, too long, or not text


@dataclass(frozen=True)
class Source:
    """Where a reply came from: a document's title and section."""

    title: str
    source: str    # the document's path relative to the knowledge folder
    section: str
    score: float
    doc_id: str = ""

    @property
    def label(self) -> str:
        """"title › section" (the title alone when the section is the whole document)."""
        return self.title if self.section in ("", self.title) else f"{self.title} › {self.section}"

    def to_json(self) -> dict:
        return {"title": self.title, "source": self.source, "section": self.section,
                "score": round(float(self.score), 4)}


@dataclass(frozen=True)
class Suggestion:
    """A section of the documents offered after a near-miss decline ("did you mean…?");
    `Assistant.answer_suggestion` quotes it."""

    label: str           # "title › section", in the reply's language
    doc_id: str
    section_index: int
    doc_lang: str = ""   # set for a document whose language versions don't run in parallel


@dataclass(frozen=True)
class Reply:
    """What the engine says back. `answer` is plain text; channels format it."""

    question: str
    answer: str
    lang: str                      # "ko" | "en"
    kind: ReplyKind
    sources: tuple[Source, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()   # on a near-miss decline: the closest sections
    # what the reply answers when not the message as sent: a follow-up read with the question
    # before it, or the question of a message that also tells, or the one part it answers
    read_as: str = ""
    open_parts: tuple[str, ...] = ()   # parts of the message the documents do not cover

    @property
    def answered(self) -> bool:
        """True only for an answer from the documents."""
        return self.kind is ReplyKind.ANSWER

    @property
    def declined(self) -> bool:
        return self.kind is ReplyKind.DECLINE

    @property
    def top_source(self) -> Source | None:
        return self.sources[0] if self.sources else None

    def to_json(self) -> dict:
        """The fixed `python -m bot ask --json` contract."""
        return {
            "question": self.question,
            "answer": self.answer,
            "answered": self.answered,
            "lang": self.lang,
            "sources": [s.to_json() for s in self.sources],
        }
