"""Write one complete index version into a temporary folder, then publish it atomically."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

import numpy as np

from bot.engine import index as layout


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


def write_version(index_dir: Path, version: str, manifest: dict, chunks: list[dict],
                  embeddings: np.ndarray, terms: list[list[str]], *,
                  chroma_url: str | None = None) -> Path:
    """Build `versions/<version>` completely (in a temporary folder first); return its path."""
    import bm25s

    versions = index_dir / layout.VERSIONS
    versions.mkdir(parents=True, exist_ok=True)
    tmp = versions / f".tmp-{version}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()

    with open(tmp / layout.CHUNKS, "w", encoding="utf-8") as fh:
        for chunk in chunks:
            fh.write(json.dumps(chunk, ensure_ascii=False) + "\n")
    np.save(tmp / layout.EMBEDDINGS, embeddings.astype(np.float32))

    retriever = bm25s.BM25()
    # An empty placeholder row keeps bm25s happy with chunks that have no terms at all.
    retriever.index([t or [""] for t in terms], show_progress=False)
    retriever.save(str(tmp / layout.BM25_DIR))

    client = layout.chroma_client(tmp / layout.CHROMA_DIR, chroma_url)
    name = layout.collection_name(version)
    if chroma_url:
        try:
            client.delete_collection(name)
        except Exception:
            pass
    collection = client.create_collection(
        name=name, metadata={"hnsw:space": "cosine"}, embedding_function=None,
    )
    batch = 1000
    for start in range(0, len(chunks), batch):
        part = chunks[start:start + batch]
        collection.add(
            ids=[c["id"] for c in part],
            embeddings=embeddings[start:start + batch].tolist(),
            documents=[c["text"] for c in part],
            metadatas=[_chroma_metadata(c["metadata"]) for c in part],
        )
    del collection, client

    # The manifest goes last: a version folder without one was never finished.
    _write_json_atomic(tmp / layout.MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    final = versions / version
    os.replace(tmp, final)
    return final


def publish(index_dir: Path, version: str) -> None:
    """Point readers at `version`: one atomic rename of the CURRENT file."""
    _write_json_atomic(index_dir / layout.CURRENT, version + "\n")
    try:  # make the rename durable before old versions are removed
        fd = os.open(index_dir, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
    except OSError:
        pass


def remove_old_versions(index_dir: Path, keep: int = 3, chroma_url: str | None = None) -> None:
    """Delete unfinished temporary folders and all but the newest `keep` versions.

    Called with the ingest lock held, so no other writer is using a temporary folder.
    """
    versions = index_dir / layout.VERSIONS
    if not versions.is_dir():
        return
    current = layout.current_version(index_dir)
    for tmp in versions.glob(".tmp-*"):
        shutil.rmtree(tmp, ignore_errors=True)
    finished = sorted((p for p in versions.iterdir() if not p.name.startswith(".")),
                      key=lambda p: p.name)
    for old in finished[:-keep] if keep else finished:
        if old.name == current:
            continue
        shutil.rmtree(old, ignore_errors=True)
        if chroma_url:
            try:
                layout.chroma_client(None, chroma_url).delete_collection(
                    layout.collection_name(old.name))
            except Exception:
                pass
