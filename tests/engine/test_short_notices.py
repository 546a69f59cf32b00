"""A short notice is quoted whole only when a reply can hold all of its sections; each source
says how well it matches the question, and the sources come in the order the reply quotes them."""

from __future__ import annotations

import pytest

from bot.engine import Assistant, messages
from bot.engine.sentences import split_sentences
from tests.conftest import engine_with_notices

# Short (under 900 characters) but in eight parts: more than a reply quotes.
SHUTTLE = """InnoCORE campus shuttle

Route

The shuttle runs between the station and the campus.

Morning

Buses leave the station at 8:00 and 8:30.

Evening

Buses leave the campus at 18:00 and 18:30.

Weekends

There is no service on weekends.

Holidays

There is no service on public holidays.

Fare

The shuttle is free for InnoCORE postdocs.

Passes

Show your staff ID card when you board.

Contact

Questions about the shuttle go to shuttle-desk@example.org.
"""


# Short and in five parts: a reply could quote it whole.
SECOND_CALL = """2026년 2차 모집 공고

1. 모집 기간

2026년 12월 1일부터 12월 31일까지 접수합니다.

2. 지원 자격

박사학위 취득 후 7년 이내인 사람. 국적 제한은 없습니다.

3. 모집 인원

총 150명을 모집합니다.

4. 제출 방법

1) 제출 방법: 전자우편(apply@example.org)으로 제출

2) 제출 서류: 지원서, 연구계획서, 추천서 2부

5. 문의

사업단 사무국, 전화 042-000-0000, 이메일 office@example.org
"""

# Its contact part, which gives office hours, comes before the one giving its days.
SUMMER_SCHOOL = """InnoCORE Summer School on Scientific Machine Learning

The InnoCORE program office invites the postdocs of the eight research centers to a summer school
on scientific machine learning.

Contact

For questions about the summer school, write to summer-school@example.org. The office answers on
weekdays between 09:00 and 18:00 KST.

Dates and place

The summer school runs from Tuesday 13 July to Thursday 15 July 2027 in the Science Hall of UNIST,
Ulsan.

Lectures

The lectures cover physics-informed neural networks, surrogate models and uncertainty.
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Assistant:
    return engine_with_notices(tmp_path_factory.mktemp("short-notice"),
                               {"shuttle.en.txt": SHUTTLE, "second-call.ko.txt": SECOND_CALL,
                                "summer-school.en.txt": SUMMER_SCHOOL})


def test_a_part_that_says_all_the_notice_can_is_quoted_alone(engine):
    reply = engine.ask("문의 전화번호 알려줘")
    assert reply.answered and "042-000-0000" in reply.answer
    assert [s.section for s in reply.sources] == ["5. 문의"]


def test_the_part_of_a_short_notice_that_answers_is_quoted_and_cited_first(engine):
    reply = engine.ask("Who do I contact about the campus shuttle?")
    assert reply.answered and "shuttle-desk@example.org" in reply.answer
    assert reply.sources[0].section == "Contact"


@pytest.mark.parametrize("question", ["Who do I contact about the campus shuttle?",
                                      "항공우주 연구단 참여기관 알려줘", "What is InnoCORE?"])
def test_every_source_has_its_match_and_comes_in_the_order_quoted(engine, question):
    reply = engine.ask(question)
    assert reply.sources and all(source.score > 0 for source in reply.sources)
    chunks = engine.reader.current().chunks

    def quoted_at(source) -> int:  # where the reply first quotes a sentence of the section
        return min(at for c in chunks if c["metadata"]["source"] == source.source
                   and c["metadata"].get("section") == source.section
                   for sentence in split_sentences(c["text"])
                   if (at := reply.answer.find(sentence)) >= 0)
    places = [quoted_at(source) for source in reply.sources]
    assert places == sorted(places)


def test_a_question_in_another_language_gets_the_short_notice_whole(engine):
    """Its words can't say which part of a Korean notice answers an English question: the
    whole short notice does (the number of places is in its third part)."""
    reply = engine.ask("How many people will they hire in the second call?")
    assert reply.answered and "150명" in reply.answer
    assert len(reply.sources) == 5


@pytest.mark.parametrize("question", ["When and where is the summer school?",
                                      "썸머스쿨은 언제 어디서 해요?"])
def test_a_question_asking_when_is_led_by_the_part_giving_the_day(engine, question):
    # not by the contact part's office hours, a time of day but no day
    reply = engine.ask(question)
    lines = [line for line in reply.answer.splitlines()
             if line != messages.text("other_language", reply.lang)]
    assert reply.answered and "13 July" in lines[0]


def test_a_part_answered_by_sections_already_quoted_is_not_called_uncovered(engine):
    # Each part alone finds the Korean notice's sections the whole message already quotes
    reply = engine.ask("How many people will they hire in the second call and how do I apply?")
    assert reply.answered and "150명" in reply.answer
    assert messages.text("part_not_covered", "en", part="")[:30] not in reply.answer
