"""Write one complete index version into a temporary folder, then publish it atomically."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

import numpy as np

from bot.engine import index as layout

TMP_PREFIX = ".tmp-"


def _write_json_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _chroma_metadata(meta: dict) -> dict:
    """Chroma takes str/int/float/bool values only."""
    return {k: v for k, v in meta.items() if isinstance(v, (str, int, float, bool))}


class VersionWriter:
    """Builds `versions/.tmp-<version>`, then renames it to `versions/<version>` when complete.

    `open` (the temporary folder, the Chroma client and an empty collection) is independent of
    the rows, so ingest runs it in the background while the chunks are being embedded.
    """

    def __init__(self, index_dir: Path, version: str, chroma_url: str | None = None) -> None:
        self.index_dir = Path(index_dir)
        self.version = version
        self.chroma_url = chroma_url
        self.tmp = self.index_dir / layout.VERSIONS / f"{TMP_PREFIX}{version}"
        self._client = None
        self._collection = None

    def open(self) -> None:
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.tmp.mkdir(parents=True)
        self._client = layout.chroma_client(self.tmp / layout.CHROMA_DIR, self.chroma_url)
        name = layout.collection_name(self.version)
        if self.chroma_url:
            try:
                self._client.delete_collection(name)
            except Exception:
                pass
        self._collection = self._client.create_collection(
            name=name, metadata={"hnsw:space": "cosine"}, embedding_function=None,
        )

    def write(self, manifest: dict, chunks: list[dict], embeddings: np.ndarray,
              terms: list[list[str]], sentences: list[str] = (),
              sentence_vectors: np.ndarray | None = None) -> Path:
        """Fill the opened folder, write the manifest last, rename; return the final path."""
        bm25s = layout.import_bm25s()

        if self._collection is None:
            self.open()
        with open(self.tmp / layout.CHUNKS, "w", encoding="utf-8") as fh:
            for chunk in chunks:
                fh.write(json.dumps(chunk, ensure_ascii=False) + "\n")
        np.save(self.tmp / layout.EMBEDDINGS, embeddings.astype(np.float32))
        if len(sentences):
            _write_json_atomic(self.tmp / layout.SENTENCES,
                               json.dumps(list(sentences), ensure_ascii=False))
            np.save(self.tmp / layout.SENTENCE_VECTORS, sentence_vectors.astype(np.float32))

        retriever = bm25s.BM25()
        # An empty placeholder row keeps bm25s happy with chunks that have no terms at all.
        retriever.index([t or [""] for t in terms], show_progress=False)
        retriever.save(str(self.tmp / layout.BM25_DIR))

        batch = 1000
        for start in range(0, len(chunks), batch):
            part = chunks[start:start + batch]
            self._collection.add(
                ids=[c["id"] for c in part],
                embeddings=embeddings[start:start + batch].tolist(),
                documents=[c["text"] for c in part],
                metadatas=[_chroma_metadata(c["metadata"]) for c in part],
            )
        self._close()

        # The manifest goes last: a version folder without one was never finished.
        _write_json_atomic(self.tmp / layout.MANIFEST,
                           json.dumps(manifest, ensure_ascii=False, indent=1))
        final = self.index_dir / layout.VERSIONS / self.version
        os.replace(self.tmp, final)
        return final

    def discard(self) -> None:
        """Drop an unfinished version (a kill -9 leaves it for the next ingest to remove)."""
        self._close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _close(self) -> None:
        """Release the Chroma client: chromadb keeps every client's system (its SQLite files
        open) until it is closed, so a long-running bot would collect one per re-ingest."""
        if self._client is not None:
            self._client.close()
        self._collection = self._client = None


def publish(index_dir: Path, version: str) -> None:
    """Point readers at `version`: one atomic rename of the CURRENT file."""
    _write_json_atomic(index_dir / layout.CURRENT, version + "\n")
    try:  # make the rename durable before old versions are removed
        fd = os.open(index_dir, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
    except OSError:
        pass


def remove_unfinished(index_dir: Path) -> None:
    """Delete the temporary folders of ingests that crashed or were killed.

    Called with the ingest lock held, so no other writer is using a temporary folder.
    """
    for tmp in (index_dir / layout.VERSIONS).glob(f"{TMP_PREFIX}*"):
        shutil.rmtree(tmp, ignore_errors=True)


def remove_old_versions(index_dir: Path, keep: int = 3, chroma_url: str | None = None) -> None:
    """Delete unfinished temporary folders and all but the newest `keep` versions (the lock
    is held)."""
    versions = index_dir / layout.VERSIONS
    if not versions.is_dir():
        return
    current = layout.current_version(index_dir)
    remove_unfinished(index_dir)
    finished = sorted((p for p in versions.iterdir() if not p.name.startswith(".")),
                      key=lambda p: p.name)
    for old in finished[:-keep] if keep else finished:
        if old.name == current:
            continue
        shutil.rmtree(old, ignore_errors=True)
        if chroma_url:
            try:
                with layout.chroma_client(None, chroma_url) as client:
                    client.delete_collection(layout.collection_name(old.name))
            except Exception:
                pass
