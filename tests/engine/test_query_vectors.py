"""Query vectors: embedded once, side by side for the parts of a message, cached without text."""

from __future__ import annotations

import numpy as np


def test_the_parts_of_a_message_are_embedded_together_each_to_its_own_vector(assistant):
    # They are embedded side by side, in worker threads: each must still get its own vector.
    texts = ["What is the salary", "who can apply?", "연봉은 얼마고", "누가 지원할 수 있어요?"]
    retriever = assistant.retriever
    retriever.embed_together(texts)
    embedder = retriever.embedder
    for text in texts:
        assert np.allclose(retriever.vector(text), embedder.embed_query(text), atol=1e-5)


def test_the_query_vector_cache_keeps_no_question_text(assistant):
    # It lives as long as the process: it holds digests, not what applicants wrote.
    question = "My name is Kim Minji (minji@example.org): how much is the salary?"
    assistant.ask(question)
    keys = list(assistant.retriever._vectors)
    assert keys and not any(isinstance(key, str) for key in keys)
    assert not any(b"minji" in key for key in keys)
