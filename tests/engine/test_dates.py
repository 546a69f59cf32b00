"""Date-aware answers about the info sessions, with INNOCORE_TODAY fixing the date."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from bot.config import Settings
from bot.engine import Assistant


@pytest.fixture
def assistant_on(index_settings):
    def make(day: str) -> Assistant:
        settings = Settings.from_env({
            "INNOCORE_KNOWLEDGE_DIR": str(index_settings.knowledge_dir),
            "INNOCORE_INDEX_DIR": str(index_settings.index_dir),
            "INNOCORE_TODAY": day,
        })
        assert settings.current_date() == dt.date.fromisoformat(day)
        return Assistant.from_settings(settings)
    return make


def test_before_the_sessions_the_first_is_next(assistant_on):
    reply = assistant_on("2025-06-01").ask("When is the next info session?")
    assert reply.answered
    first_line = reply.answer.splitlines()[0]
    assert first_line.startswith("Next:") and "Boston" in first_line and "2025" in first_line
    assert "already took place" not in reply.answer


def test_between_sessions_the_past_one_is_marked(assistant_on):
    reply = assistant_on("2025-06-19").ask("다음 설명회는 언제인가요?")
    assert reply.lang == "ko"
    lines = reply.answer.splitlines()
    assert "뉴욕" in lines[0]
    boston = next(line for line in lines[1:] if "보스턴" in line)
    assert boston.endswith("(이미 지남)")


def test_the_schedule_leads_when_another_section_is_quoted_too(assistant_on):
    # this wording also brings the FAQ item on the sessions, which lists their dates in a
    # sentence: the schedule, which says which one is next, comes first
    reply = assistant_on("2025-06-19").ask("when's the next info session?")
    first_line = reply.answer.splitlines()[0]
    assert first_line.startswith("Next:") and "New York" in first_line


@pytest.mark.parametrize("question, next_one", [
    ("which sessions are left?", "Silicon Valley"),
    ("설명회 아직 남았어요?", "실리콘밸리"),
    ("남은 설명회 있어요?", "실리콘밸리"),
])
def test_a_question_about_what_is_left_is_answered_by_the_schedule(assistant_on, question,
                                                                  next_one):
    # the schedule's reply says which sessions are past and which is next: that answers it,
    # though the schedule's own text never says "left"
    reply = assistant_on("2025-06-21").ask(question)
    assert reply.answered and next_one in reply.answer.splitlines()[0]


def test_a_session_the_schedule_lacks_is_still_declined(assistant_on):
    assert not assistant_on("2025-06-21").ask("Is there a session in London?").answered


def test_after_all_sessions_it_says_they_took_place(assistant_on):
    reply = assistant_on("2026-11-25").ask("When is the next info session?")
    lines = reply.answer.splitlines()
    assert lines[0].startswith("All of the dates")
    assert sum("already took place" in line for line in lines) == 3
    assert all("2025" in line for line in lines[1:])


def test_today_comes_from_the_clock_without_the_variable(index_settings):
    settings = dataclasses.replace(index_settings, today=None)
    assert settings.current_date() == dt.date.today()


def test_a_malformed_date_is_a_clear_configuration_error():
    from bot.config import ConfigError

    with pytest.raises(ConfigError, match="INNOCORE_TODAY"):
        Settings.from_env({"INNOCORE_TODAY": "25/11/2026"})


@pytest.mark.parametrize("question", ["When are the info sessions and how much is the salary?",
                                      "What's the salary and when are the info sessions?"])
def test_a_schedule_asked_beside_another_question_is_dated_too(assistant_on, question):
    reply = assistant_on("2026-11-25").ask(question)
    assert reply.answered and "90 million" in reply.answer
    boston = [line for line in reply.answer.splitlines() if line.startswith("- Boston")]
    assert len(boston) == 1 and boston[0].endswith("(already took place)")
    assert any(source.section == "Overseas info sessions" for source in reply.sources)


def test_a_question_about_one_session_gets_and_cites_the_whole_schedule(assistant_on):
    reply = assistant_on("2026-11-25").ask("뉴욕 설명회 날짜는?")
    assert reply.answered and "- 보스턴" in reply.answer and "- 뉴욕" in reply.answer
    assert [source.section for source in reply.sources] == ["해외 채용설명회"]


@pytest.mark.parametrize("question, session", [("뉴욕 설명회 날짜는?", "- 뉴욕"),
                                               ("What day is the Silicon Valley session?",
                                                "- Silicon Valley")])
def test_the_session_asked_about_comes_first_in_the_schedule(assistant_on, question, session):
    lines = assistant_on("2026-11-25").ask(question).answer.splitlines()
    assert lines[1].startswith(session) and lines[1].endswith(")")
    assert len([line for line in lines if line.startswith("- ")]) == 3


def test_a_question_naming_no_session_keeps_the_date_order(assistant_on):
    lines = assistant_on("2025-06-19").ask("When is the next info session?").answer.splitlines()
    assert [line.split(":")[0] for line in lines[1:4]] == ["- Boston", "- New York",
                                                             "- Silicon Valley"]


@pytest.mark.parametrize("question", ["설명회 일정 알려줘", "info session schedule?"])
def test_asked_for_the_schedule_the_schedule_answers(assistant_on, question):
    reply = assistant_on("2026-11-25").ask(question)
    assert reply.answered and reply.answer.splitlines()[1].startswith("- ")
    assert any(source.doc_id == "info-sessions" for source in reply.sources)
    assert len([line for line in reply.answer.splitlines() if line.startswith("- ")]) == 3


@pytest.mark.parametrize("question", ["Why are the info sessions held in the US?",
                                      "설명회는 왜 그 도시들에서 해요?"])
def test_asked_why_the_sessions_are_held_the_introduction_answers_first(assistant_on, question):
    # the schedule's items say when and where; its introduction says why (hubs of researchers)
    lines = assistant_on("2026-11-25").ask(question).answer.splitlines()
    assert "hubs" in lines[0] or "거점" in lines[0]
    assert len([line for line in lines if line.startswith("- ")]) == 3


def test_asked_why_one_session_is_held_its_own_line_answers_first(assistant_on):
    lines = assistant_on("2026-11-25").ask("Why Boston?").answer.splitlines()
    assert lines[1].startswith("- Boston") and "Harvard" in lines[1]
    assert not any("hubs" in line for line in lines)
