"""Whatever arrives, the engine replies and never raises."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from bot.engine import ReplyKind


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01\x02", "😀😀😀", "🙂", "???", "\u200b\u200b"])
def test_nothing_to_answer_gets_a_prompt_for_a_question(assistant, text):
    reply = assistant.ask(text)
    assert reply.kind is ReplyKind.INVALID and not reply.answered and reply.answer


def test_ten_thousand_characters(assistant):
    reply = assistant.ask("salary " * 1500)
    assert reply.kind is ReplyKind.INVALID and "too long" in reply.answer


def test_control_characters_inside_a_question_are_ignored(assistant):
    reply = assistant.ask("How much\x00 is the\x1b[31m salary\x07?")
    assert reply.answered and "90 million" in reply.answer


@pytest.mark.parametrize("text", ["ㅋㅋㅋ", "ㅇㅇ", "ㅠ" * 500])
def test_bare_korean_letters_stay_what_was_typed_and_are_answered_in_korean(assistant, text):
    reply = assistant.ask(text)
    assert reply.question == text and reply.lang == "ko" and not reply.answered


@pytest.mark.parametrize("text", ["<script>alert('x')</script> What is the salary?",
                                  "**What is the salary?**", "<p>What is the <b>salary</b>?</p>"])
def test_markup_around_a_question_is_not_part_of_it(assistant, text):
    reply = assistant.ask(text)
    assert reply.answered and "90 million" in reply.answer and "<" not in reply.question


def test_not_a_string(assistant):
    reply = assistant.ask(None)  # type: ignore[arg-type]
    assert reply.kind is ReplyKind.INVALID


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_text_gets_a_reply(assistant, text):
    reply = assistant.ask(text)
    assert reply.answer and reply.lang in ("ko", "en")
    assert isinstance(reply.to_json()["answered"], bool)
