"""A reply quoting a document written in one language only leads with the sentence closest in
meaning to the question: asked in the other language, the question shares no words with the
document, so its words can't show which sentence answers (ingest keeps a vector of each such
sentence)."""

from __future__ import annotations

import shutil

import pytest

from bot.engine import messages
from bot.engine.compose import closest_first
from tests.conftest import REPO, engine_with_notices

SAFETY = REPO / "benchmarks/eval/notices9/docs/innocore-lab-safety.en.pdf"
CANDIDATES = ["Kits are handed out at the session.", "A lost kit is replaced once a year.",
              "The session starts at 09:30 on 10 February."]
CLOSENESS = {CANDIDATES[0]: 0.81, CANDIDATES[1]: 0.86, CANDIDATES[2]: 0.83}


def _terms(sentence: str) -> list[str]:
    return sentence.lower().split()


def test_the_sentence_closest_in_meaning_leads():
    sentences, terms = closest_first(CANDIDATES, CANDIDATES[:], [{"a"}, {"b"}, {"c"}],
                                     CLOSENESS.get, _terms)
    assert sentences == [CANDIDATES[1], CANDIDATES[0], CANDIDATES[2]]
    assert terms == [{"b"}, {"a"}, {"c"}]


def test_the_closest_sentence_is_quoted_even_when_the_reply_had_left_it_out():
    sentences, terms = closest_first(CANDIDATES, [CANDIDATES[0]], [{"a"}], CLOSENESS.get, _terms)
    assert sentences == [CANDIDATES[1], CANDIDATES[0]]
    assert terms[0] == set(_terms(CANDIDATES[1]))


def test_of_sentences_stating_what_was_asked_the_closest_leads():
    # "when?": only the sentence with a date answers it, however close the others are
    sentences, _ = closest_first(CANDIDATES, CANDIDATES[:], [set()] * 3, CLOSENESS.get, _terms,
                                 asks=lambda sentence: "February" in sentence)
    assert sentences[0] == CANDIDATES[2]


def test_without_a_vector_for_every_sentence_the_order_stays():
    # a document in both languages has none: its words show which sentence answers
    partly = {CANDIDATES[1]: 0.9}.get
    assert closest_first(CANDIDATES, CANDIDATES[:], [set()] * 3, partly, _terms)[0] == CANDIDATES


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("closest")
    folder = root / "notice"
    folder.mkdir()
    shutil.copy(SAFETY, folder)
    return engine_with_notices(root, {"safety": folder})


def test_a_question_in_the_other_language_is_answered_first_by_the_closest_sentence(engine):
    # The kit's section opens with what the kit holds; the Korean question asks about losing it
    reply = engine.ask("보호구 키트 잃어버렸는데 다시 받을 수 있나요? 돈 내야 되나요?")
    assert reply.answered
    lines = reply.answer.split("\n")
    assert lines[0] == messages.text("other_language", "ko")
    assert lines[1].startswith("A lost or damaged kit is replaced free of charge once a year")
