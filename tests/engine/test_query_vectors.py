"""Query vectors: embedded once, side by side for the parts of a message, cached without text."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

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


def test_a_follow_up_read_with_the_question_before_it_embeds_nothing_new(assistant):
    first, follow_up = "수소 연구단은 어디가 주관해요?", "참여 기관은요?"
    assistant.ask(first)
    assistant.ask(follow_up)
    embedder, embedded = assistant.retriever.embedder, []
    original = embedder.embed_query
    embedder.embed_query = lambda text: embedded.append(text) or original(text)
    try:
        reply = assistant.ask(follow_up, previous=first)
        again = assistant.ask("연구 내용은?", previous=reply.read_as)
    finally:
        del embedder.embed_query
    assert reply.read_as and embedded == ["연구 내용은?"]  # only the new question itself
    assert again.answered


def test_a_question_many_people_send_at_once_is_embedded_once(assistant):
    # A link shared in a group chat: the same question arrives from many users in the same
    # second. The first embeds it; the others wait for that vector instead of each taking a
    # core for 25 ms.
    retriever, question = assistant.retriever, "이노코어 연봉은 세전인가요, 세후인가요?"
    embedder, embedded = retriever.embedder, []
    original = embedder.embed_query

    def slow(text):
        embedded.append(text)
        time.sleep(0.2)  # long enough for every other request to arrive meanwhile
        return original(text)

    embedder.embed_query = slow
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            vectors = list(pool.map(retriever.vector, [question] * 8))
    finally:
        del embedder.embed_query
    assert embedded == [question]
    assert all(np.array_equal(vector, vectors[0]) for vector in vectors)
