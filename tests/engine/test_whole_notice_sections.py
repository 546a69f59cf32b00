"""Two parts of a notice speak of all of it: its opening and its contact section. They lead a
reply only to a question asking what they say: whom to contact or where to write, or who issues
the notice and why.

In a Korean notice, the words of its e-mail address ("networking-day@…") may be the only English
ones: an English question about anything in the notice matched its contact section best."""

from __future__ import annotations

import pytest

from bot.engine import Assistant
from tests.conftest import engine_with_notices

# In more sections than a reply quotes, so that it is not quoted whole; an opening under
# its title, before the first heading.
NETWORKING_DAY = """이노코어 박사후연구원 네트워킹 데이 안내

이노코어 교류지원팀 공고 제2027-12호 (2027년 4월 1일)

이노코어 교류지원팀은 8개 연구단 박사후연구원의 교류를 위해 네트워킹 데이를 엽니다.

1. 일시와 장소

네트워킹 데이는 2027년 5월 14일(금) 13:00부터 18:00까지 UNIST 학술정보관 2층에서 열립니다.

2. 참가 대상

8개 연구단의 박사후연구원과 멘토 교원이 참가할 수 있습니다.

3. 참가 신청

참가하려면 2027년 5월 7일(금)까지 신청서를 전자우편으로 보내 주십시오.

4. 진행 순서

연구단별 발표, 포스터 세션, 저녁 교류 행사 순서로 진행합니다.

5. 교통

울산역에서 학교까지 셔틀버스를 운행합니다.

6. 준비물

포스터는 A0 크기로 인쇄해 오십시오.

7. 유의사항

행사 사진은 사업단 누리집에 게시될 수 있습니다.

8. 문의

이노코어 교류지원팀(공동관 1층 105호)
전자우편: networking-day@example.org
문의 가능 시간: 평일 09:00~18:00
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Assistant:
    return engine_with_notices(tmp_path_factory.mktemp("whole-notice"),
                               {"networking-day.ko.txt": NETWORKING_DAY})


@pytest.mark.parametrize(("question", "section"), [
    ("Who can join the networking day?", "2. 참가 대상"),
    ("How do I sign up for the networking day?", "3. 참가 신청"),
    ("When and where is the networking day?", "1. 일시와 장소")])
def test_a_question_about_the_notice_is_led_by_the_section_answering_it(engine, question, section):
    reply = engine.ask(question)
    assert reply.answered and reply.sources[0].section == section


@pytest.mark.parametrize("question", ["Who do I email with questions about the networking day?",
                                      "네트워킹 데이 문의는 어디로 하나요?"])
def test_a_question_asking_whom_to_contact_is_led_by_the_contact_section(engine, question):
    reply = engine.ask(question)
    assert reply.answered and reply.sources[0].section == "8. 문의"
    assert "networking-day@example.org" in reply.answer


@pytest.mark.parametrize("question", ["Who organizes the networking day?",
                                      "네트워킹 데이는 누가 주최해요?"])
def test_a_question_about_the_notice_itself_gets_its_opening(engine, question):
    reply = engine.ask(question)
    assert reply.answered and "교류를 위해 네트워킹 데이를 엽니다" in reply.answer
