"""The ingest pipeline: discover -> compare hashes -> load -> chunk -> embed -> write a version.

Each step is a plain function; `run_ingest` strings them together. Nothing heavy is imported
until a document has actually changed, so a no-change run is fast.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from bot.engine import index as layout
from bot.ingest.loaders import DocumentError, discover, load_document

# Bump when chunking or term extraction changes: every document is then rebuilt.
PIPELINE_VERSION = "3"


class IngestError(RuntimeError):
    """Ingest refused to publish a new index; the previous one keeps serving."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class IngestBusy(IngestError):
    """Another ingest holds the lock on this index folder."""


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    chunks_added: int = 0
    chunks_removed: int = 0
    chunks_total: int = 0
    documents_total: int = 0
    version: str | None = None
    dry_run: bool = False
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def to_json(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        lines = [
            f"documents: {len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.removed)} removed, {len(self.unchanged)} unchanged "
            f"({self.documents_total} in the index)",
            f"chunks: {self.chunks_added} added, {self.chunks_removed} removed "
            f"({self.chunks_total} in the index)",
        ]
        for label, names in (("added", self.added), ("updated", self.updated),
                             ("removed", self.removed)):
            lines += [f"  {label}: {name}" for name in names]
        if self.dry_run:
            lines.append("dry run: nothing was written")
        elif not self.changed:
            lines.append(f"nothing changed; still serving version {self.version}")
        else:
            lines.append(f"published index version {self.version}")
        return "\n".join(lines)


@contextmanager
def ingest_lock(index_dir: Path, wait: bool) -> Iterator[None]:
    """One ingest at a time per index folder (an OS lock: released even on kill -9)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".ingest.lock", "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise IngestBusy(
                f"another ingest is running on {index_dir}; try again when it has finished "
                "(or pass --wait to queue behind it)") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def file_hashes(knowledge_dir: Path) -> dict[str, tuple[Path, str]]:
    return {
        p.relative_to(knowledge_dir).as_posix(): (p, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in discover(knowledge_dir)
    }


def _signature(embedder_name: str) -> str:
    return f"{PIPELINE_VERSION}/{embedder_name}"


def _progress(iterable, total: int, enabled: bool, desc: str):
    if not enabled:
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, unit="batch", leave=False, file=sys.stderr)


def _events_json(events: list[dict]) -> list[dict]:
    return [{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in e.items()}
            for e in events]


def run_ingest(knowledge_dir: Path, index_dir: Path, *, dry_run: bool = False,
               wait: bool = False, progress: bool = False, chroma_url: str | None = None,
               embedder_factory: Callable | None = None,
               analyzer_factory: Callable | None = None) -> IngestReport:
    started = time.perf_counter()
    knowledge_dir, index_dir = Path(knowledge_dir), Path(index_dir)
    if not knowledge_dir.is_dir():
        raise IngestError(f"knowledge folder not found: {knowledge_dir}")
    with ingest_lock(index_dir, wait):
        report = _ingest_locked(knowledge_dir, index_dir, dry_run, progress, chroma_url,
                                embedder_factory, analyzer_factory)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _ingest_locked(knowledge_dir, index_dir, dry_run, progress, chroma_url,
                   embedder_factory, analyzer_factory) -> IngestReport:
    from bot.engine.embedding import E5Embedder

    embedder_name = E5Embedder.name
    report = IngestReport(dry_run=dry_run)
    files = file_hashes(knowledge_dir)
    if not files:
        raise IngestError(f"no documents in {knowledge_dir} (supported: .md .txt .yaml .pdf .docx)")

    previous = layout.read_manifest(index_dir) or {}
    same_pipeline = previous.get("signature") == _signature(embedder_name)
    old_docs: dict = previous.get("documents", {}) if same_pipeline else {}
    for rel, (_, digest) in files.items():
        old = old_docs.get(rel)
        if old is None:
            (report.updated if rel in previous.get("documents", {}) else report.added).append(rel)
        elif old["hash"] != digest:
            report.updated.append(rel)
        else:
            report.unchanged.append(rel)
    report.removed = sorted(set(previous.get("documents", {})) - set(files))
    report.version = layout.current_version(index_dir)
    report.documents_total = len(files)

    if not report.changed and previous:
        report.chunks_total = sum(len(d["chunks"]) for d in old_docs.values())
        return report

    # Something changed: now load the heavy parts.
    import numpy as np

    from bot.engine.analyzer import default_analyzer
    from bot.engine.embedding import default_embedder
    from bot.ingest.chunking import chunk_document, embedding_text
    from bot.ingest.cleaning import rejoin_lines

    analyzer = (analyzer_factory or default_analyzer)()
    fix_lines = lambda text: rejoin_lines(text, analyzer.space)  # noqa: E731

    problems: list[str] = []
    new_docs: dict[str, dict] = {}
    new_chunks: dict[str, list] = {}
    for rel in report.added + report.updated:
        path, digest = files[rel]
        try:
            doc = load_document(path, knowledge_dir, path.read_bytes(), fix_lines)
            chunks = chunk_document(doc)
            if not chunks:
                raise DocumentError(rel, "no text left after parsing")
        except DocumentError as exc:
            problems.append(str(exc))
            continue
        except Exception as exc:  # a library choking on a malformed file: still name it
            problems.append(f"{rel}: could not be read ({type(exc).__name__}: {exc})")
            continue
        new_docs[rel] = {"hash": digest, "id": doc.doc_id, "lang": doc.lang, "title": doc.title,
                         "events": _events_json(doc.events),
                         "chunks": [c.chunk_id for c in chunks]}
        new_chunks[rel] = chunks
    if problems:
        raise IngestError("ingest stopped, the index was not changed:", problems)

    # Reuse rows (text, metadata, vector) of unchanged documents from the current version.
    old_rows: dict[str, tuple[dict, np.ndarray]] = {}
    if report.unchanged:
        vdir = layout.version_dir(index_dir, report.version)
        old_chunks = layout.read_chunks(vdir)
        old_vectors = np.load(vdir / layout.EMBEDDINGS)
        old_rows = {c["id"]: (c, old_vectors[i]) for i, c in enumerate(old_chunks)}

    rows: list[dict] = []
    vectors: list[np.ndarray | None] = []
    documents: dict[str, dict] = {}
    for rel in sorted(files):
        if rel in new_docs:
            documents[rel] = new_docs[rel]
            for chunk in new_chunks[rel]:
                rows.append({"id": chunk.chunk_id, "text": chunk.text, "metadata": chunk.metadata})
                vectors.append(None)
        else:
            documents[rel] = old_docs[rel]
            for chunk_id in old_docs[rel]["chunks"]:
                row, vector = old_rows[chunk_id]
                rows.append(row)
                vectors.append(vector)

    todo = [i for i, v in enumerate(vectors) if v is None]
    report.chunks_added = len(todo)
    report.chunks_total = len(rows)
    report.chunks_removed = sum(len(old_docs.get(r, {}).get("chunks", []))
                                for r in report.removed + report.updated)
    if dry_run:
        return report

    embedder = (embedder_factory or default_embedder)()
    batch = 16
    batches = range(0, len(todo), batch)
    for start in _progress(batches, len(batches), progress, "embedding"):
        ids = todo[start:start + batch]
        texts = [embedding_text_row(rows[i]) for i in ids]
        for i, vector in zip(ids, embedder.embed_passages(texts)):
            vectors[i] = vector
    matrix = np.vstack(vectors).astype(np.float32)
    for row in rows:  # the lexical side's terms, kept with the row (unchanged rows keep theirs)
        if "terms" not in row:
            row["terms"] = analyzer.terms(embedding_text_row(row))
    terms = [row["terms"] for row in rows]

    from bot.ingest.writer import publish, remove_old_versions, write_version

    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    version = f"{stamp}-{os.getpid()}"
    manifest = {"version": version, "signature": _signature(embedder_name),
                "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "documents": documents}
    remove_old_versions(index_dir, keep=3, chroma_url=chroma_url)  # also clears crashed tmp dirs
    write_version(index_dir, version, manifest, rows, matrix, terms, chroma_url=chroma_url)
    publish(index_dir, version)
    remove_old_versions(index_dir, keep=3, chroma_url=chroma_url)
    report.version = version
    return report


def embedding_text_row(row: dict) -> str:
    from bot.ingest.chunking import Chunk, embedding_text

    return embedding_text(Chunk(row["id"], row["text"], row["metadata"]))
