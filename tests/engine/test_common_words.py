"""An English word the documents never use counts against an answer by how rare it is in English
at large: "like" in "what's the pay like" barely, "visa" in full."""

from __future__ import annotations

import pytest

from bot.engine.common_words import FLOOR, topic_weight


@pytest.mark.parametrize("word", ["visa", "housing", "sponsorship", "daycare"])
def test_a_word_that_names_a_topic_weighs_in_full(word):
    assert topic_weight(word) == 1.0


@pytest.mark.parametrize("word", ["like", "make", "get"])
def test_the_commonest_words_weigh_least(word):
    assert topic_weight(word) == FLOOR


def test_a_word_in_between_weighs_in_between():
    assert FLOOR < topic_weight("behind") < 1.0


@pytest.mark.parametrize("word", ["innocore", "2026", "univers", ""])
def test_a_word_not_in_the_list_weighs_in_full(word):
    assert topic_weight(word) == 1.0


def test_a_common_word_the_documents_lack_does_not_turn_an_answer_into_a_decline(assistant):
    assert assistant.ask("ok so what's the pay like").answered


@pytest.mark.parametrize("question", ["ok so what's the visa like",
                                      "what's the housing like"])
def test_the_topic_the_documents_lack_still_gets_a_decline(assistant, question):
    assert not assistant.ask(question).answered
