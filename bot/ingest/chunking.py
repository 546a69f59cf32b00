"""Split a Document into chunks along its headings, then along sentences when a section is long."""

from __future__ import annotations

from dataclasses import dataclass, field

import re

from langchain_text_splitters import RecursiveCharacterTextSplitter

from bot.ingest.loaders import Document

CHUNK_SIZE = 700  # characters; multilingual-e5-small reads 512 tokens at most
CHUNK_OVERLAP = 80

# Paragraphs, lines, then sentence ends (Korean "…다." and the usual marks), then words.
_SEPARATORS = [r"\n\n", r"\n", r"(?<=다\.)\s+", r"(?<=[.!?。])\s+", r"(?<=[,;，])\s+", r"\s+"]


@dataclass
class Chunk:
    chunk_id: str
    text: str
    metadata: dict = field(default_factory=dict)


_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$", re.MULTILINE)


def split_sections(text: str, title: str) -> list[tuple[str, str]]:
    """(heading, body) pairs along Markdown headings; a ### keeps its ## parent for context."""
    sections: list[tuple[str, str]] = []
    h2 = None
    heading, start = title, 0
    for match in _HEADING.finditer(text):
        sections.append((heading, text[start:match.start()]))
        level, name = len(match.group(1)), match.group(2).strip()
        if level == 1:
            h2, heading = None, title
        elif level == 2:
            h2 = heading = name
        else:
            heading = f"{h2} › {name}" if h2 else name
        start = match.end()
    sections.append((heading, text[start:]))
    return [(h, b.strip()) for h, b in sections if b.strip()]


_SENTENCE_SPLITTER = RecursiveCharacterTextSplitter(
    chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, separators=_SEPARATORS,
    is_separator_regex=True, keep_separator="end",
)


def chunk_document(doc: Document) -> list[Chunk]:
    """Chunks with the metadata a reader or a filter needs (doc id, language, title, section)."""
    chunks: list[Chunk] = []
    for section_index, (heading, body) in enumerate(split_sections(doc.text, doc.title)):
        for part_index, text in enumerate(_SENTENCE_SPLITTER.split_text(body)):
            text = text.strip()
            if not text:
                continue
            meta = dict(doc.metadata)
            if "section" in meta:  # the front matter's part of the knowledge base (program, centers…)
                meta["doc_section"] = meta.pop("section")
            meta.update(
                doc_id=doc.doc_id, lang=doc.lang, title=doc.title, source=doc.source,
                section=str(heading), section_index=section_index, part=part_index,
                kind="events" if doc.events else str(doc.metadata.get("kind", "text")),
            )
            chunk_id = f"{doc.source}#{section_index}.{part_index}"
            chunks.append(Chunk(chunk_id=chunk_id, text=text, metadata=meta))
    return chunks


def embedding_text(chunk: Chunk) -> str:
    """What the dense model reads: the chunk with its title and section for context."""
    title, section = chunk.metadata.get("title", ""), chunk.metadata.get("section", "")
    head = title if section in ("", title) else f"{title} — {section}"
    return f"{head}\n{chunk.text}"


def embedding_text_of(row: dict) -> str:
    """`embedding_text` of a stored row (id, text, metadata), as chunks.jsonl keeps it."""
    return embedding_text(Chunk(row["id"], row["text"], row["metadata"]))
