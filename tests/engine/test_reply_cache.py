"""A question asked again is answered from the replies kept, never across a change of day or
index version, and what is kept holds no applicant's words."""

from __future__ import annotations

import datetime as dt

from bot.engine import Assistant

QUESTION = "이노코어 포닥 연봉은 얼마예요?"


def fresh(assistant: Assistant, today=dt.date.today) -> Assistant:
    return Assistant(assistant.reader, assistant.retriever.embedder, assistant.analyzer,
                     today=today)


def test_a_question_asked_again_gets_the_same_reply_with_its_own_words(assistant):
    engine = fresh(assistant)
    first = engine.ask(QUESTION)
    again = engine.ask(f"  {QUESTION}")  # cleaned to the same question
    assert again == first
    assert len(engine._replies) == 1


def test_the_replies_kept_hold_no_question(assistant):
    engine = fresh(assistant)
    engine.ask(QUESTION)
    engine.ask("What is the salary? And is there a visa sponsorship?")  # names a part left open
    engine.ask("I make 150k USD in industry. Can I get more than the base salary?")
    kept = list(engine._replies.values())
    assert kept and all(reply.question == "" for reply in kept)
    assert not any(reply.read_as or reply.open_parts for reply in kept)
    assert not any("visa" in reply.answer.lower() for reply in kept)


def test_a_new_day_is_answered_anew(assistant):
    day = [dt.date(2025, 6, 1)]
    engine = fresh(assistant, today=lambda: day[0])
    before = engine.ask("When is the next info session?")
    assert before.answer.startswith("Next:")
    day[0] = dt.date(2026, 11, 25)
    after = engine.ask("When is the next info session?")
    assert after.answer.startswith("All of the dates")


def test_the_question_before_is_part_of_what_a_reply_is_kept_for(assistant):
    engine = fresh(assistant)
    alone = engine.ask("참여 기관은요?")
    after_hydrogen = engine.ask("참여 기관은요?", previous="지능형 수소기술 혁신연구단은 어디가 주관해요?")
    assert after_hydrogen.answer != alone.answer
