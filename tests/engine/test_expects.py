"""A question asking how much, how many or when is answered only with a number or a date, one
asking how long only with a length of time."""

from __future__ import annotations

import pytest

from bot.engine import ReplyKind
from bot.engine.expects import expected_kind, gives, pinpoints


@pytest.mark.parametrize("question, kind", [
    ("How much is the salary?", "money"), ("포닥 몇 명 뽑아요?", "number"),
    ("연봉 얼마?", "money"), ("When is the Boston session?", "time"),
    ("설명회 언제예요?", "time"), ("what date is the NY info session", "time"),
    ("What's the application deadline?", "time"), ("지원 마감이 언제예요?", "time"),
    ("what is the cost of the workshop", "money"), ("How much is the IRB fee?", "money"),
    ("how much GPU time do I get?", "number"), ("How much is it?", "number"),
    ("얼마 전에 발표했어요?", "number"),
    ("How long is the contract?", "duration"), ("IRB 심사 얼마나 걸려요?", "duration"),
    ("계약 기간은 얼마예요?", "duration"), ("지원 얼마나 해줘요?", "money"),
    ("What time does the session start?", "clock"), ("설명회 몇 시에 해요?", "clock"),
    ("면접 몇 시간 걸려요?", "duration"), ("임용 기간은 몇 년이에요?", "duration"),
    ("how many years is the contract?", "duration"), ("몇 년도에 시작했어요?", "number"),
    ("뉴욕 설명회는 몇 일이에요?", "time"),
    ("워크숍 몇 일간 해요?", "number"),
    ("Who leads the hydrogen center?", None), ("Is there a fee?", None), ("what did reviewers weigh when choosing?", None),
    # "when" opening a sentence of the message, not only the message
    ("applied for the gpu cluster last week.. when will i hear back?", "time"),
    ("does the insurance cover me abroad? and when does it run out", "time"),
    ("what happens when my connection drops?", None),
    ("The New York session is which day of week?", "time"), ("which date is the session?", "time"),
    ("MIT 대비 몇 퍼센트였음?", "percent"), ("what percent of MIT's pay was it?", "percent"),
])
def test_the_kind_of_answer_a_question_asks_for(question, kind):
    assert expected_kind(question) == kind


@pytest.mark.parametrize("answer, kind, question, ok", [
    ("The salary is 90 million won a year.", "number", "How much is the salary?", True),
    ("KAIST leads four centers.", "number", "How many centers does KAIST lead?", True),
    ("The IRB reviews every study with people.", "number", "How much is the IRB fee?", False),
    # a price is answered by a sum of money (or none to pay), not by any number
    ("Plan for a review time of 4 to 6 weeks.", "money", "How much is the IRB fee?", False),
    ("Train fares are paid up to 120,000 KRW per person.", "money", "How much is covered?", True),
    ("A one-time deposit of KRW 500,000 is paid at check-in.", "money", "how much is it?", True),
    ("MIT paid about 80,000 dollars.", "money", "How much did MIT pay?", True),
    ("The budget is 30 billion won.", "money", "How much is the budget?", True),
    ("워크숍 참가비는 무료입니다.", "money", "참가비 얼마예요?", True),
    ("Feel free to write to us with questions.", "money", "How much is the fee?", False),
    ("연봉은 9천만 원입니다.", "money", "연봉 9천만원이면 한 달에 얼마야?", False),  # as asked
    ("1인당 지원 한도는 450,000원입니다.", "money", "검진비 얼마까지 돼요?", True),
    ("연봉은 9천만 원입니다.", "number", "연봉 9천만원이면 한 달에 얼마야?", False),  # only what was asked
    ("서류전형 결과는 2025년 9월 5일 18:00에 발표합니다.", "number", "합격자 몇 명이에요?", False),
    ("Results: 5 September 2025, 6 p.m.", "number", "How many applicants passed?", False),
    ("The workshop runs for 2 days from 20 November.", "number", "how many days is it?", True),
    ("Boston: Wednesday, 18 June 2025", "time", "When is Boston?", True),
    ("The session is on a Wednesday.", "time", "When is it?", True),
    ("Applications are reviewed by a panel.", "time", "When is the deadline?", False),
    ("InnoCORE is recruiting 400 postdocs.", "time", "when do i apply", False),  # not a date
    ("Research starts in July 2025.", "time", "When does it start?", True),
    ("연구는 2025년 7월부터 시작합니다.", "time", "언제 시작해요?", True),
    # a length of time answers "when" only counted from something
    ("포닥들은 박사 후 2~3년차에 성과를 냈습니다.", "time", "지원 마감 언제까지예요?", False),
    ("입국 45일 전까지 신청하십시오.", "time", "언제까지 신청해요?", True),
    ("The deposit is refunded within 14 days after check-out.", "time", "When?", True),
    ("Results come in 3 weeks.", "time", "When will I hear back?", True),
    ("The contract runs for two years.", "duration", "How long is the contract?", True),
    ("The interview is a 20-minute talk.", "duration", "How long is the interview?", True),
    ("심사는 보통 4주 걸립니다.", "duration", "IRB 심사 얼마나 걸려요?", True),
    ("Register within 14 calendar days.", "duration", "How long do I have?", True),
    ("Rooms are let until 31 March 2027.", "duration", "How long can I stay?", True),  # until a date
    ("InnoCORE was announced in 2025 and hires 400 postdocs.", "duration",
     "how long does the program run?", False),  # a year and a count are no length of time
    ("이노코어는 2025년 추경으로 시작했습니다.", "duration", "계약기간은 몇 년이에요?", False),  # not "25년"
    ("2026년 3월 31일까지 머무를 수 있습니다.", "duration", "얼마나 머물 수 있어요?", True),
    # a sum per year is a rate, not how long anything lasts
    ("Postdocs are paid 90 million won (KRW) a year.", "duration", "How long is the contract?",
     False),
    ("The contract runs for a year.", "duration", "How long is the contract?", True),
    ("The session starts at 10:00 KST.", "clock", "What time does it start?", True),
    ("설명회는 오후 2시에 시작합니다.", "clock", "설명회 몇 시에 해요?", True),
    ("Boston: Wednesday, 18 June 2025", "clock", "What time is the Boston session?", False),
    ("Anything at all.", None, "Who leads it?", True),
    ("MIT가 약 8만 달러, 4개 과학기술원이 약 4,800만 원이었습니다.", "percent", "몇 퍼센트?", False),
    ("MIT 포닥 평균 연봉의 41% 수준이었습니다.", "percent", "몇 퍼센트?", True),
    # a number that points at a part of the document is no amount
    ("부실 학술지 의심 목록(붙임 2)에 오른 학술지는 제외합니다.", "number", "최대 얼마예요?", False),
    ("See Annex 1 and section 4 for the form.", "number", "How much is the fee?", False),
    ("제2조에 따라 1편당 300만 원을 지원합니다.", "number", "최대 얼마예요?", True),
    # a notice's issue line dates the notice, not what it announces
    ("이노코어 공동 포닥지원센터 공고 제2026-07호 (2026년 1월 12일)", "time", "신청 언제까지예요?",
     False),
    ("공고일: 2025년 12월 22일(월)", "time", "When can I apply?", False),
    ("Career Development Desk Notice 2026-34, issued 16 March 2026", "time",
     "When is the career fair?", False),
    ("공고일: 2025년 12월 22일(월)\n신청은 2026년 1월 9일까지 받습니다.", "time",
     "신청 언제까지예요?", True),
])
def test_whether_a_reply_gives_it(answer, kind, question, ok):
    assert gives(answer, kind, question) is ok


@pytest.mark.parametrize("answer, ok", [
    ("The workshop runs on 20 and 21 November 2025.", True), ("설명회는 9월 8일에 엽니다.", True),
    ("The session is on a Wednesday.", True),
    ("The office answers on weekdays between 09:00 and 18:00 KST.", False),  # hours, no day
    ("문의는 평일 09:00~18:00에 받습니다.", False),
    ("Office hours: Monday to Friday, 09:00-18:00.", False),  # every week's days, no day
    ("상담은 월요일부터 금요일까지, 10:00~17:00에 합니다.", False),
    ("문의 메일에는 영업일 기준 2~3일 안에 답합니다.", False),  # days it takes, not a day
    ("The fair is on Thursday 21 May, 10:00-17:00.", True),
])
def test_when_is_answered_exactly_by_a_day_not_an_hour(answer, ok):
    # (an hour still gives a time: what a reply must give is not what should lead it)
    assert gives(answer, "time", "When is it?")
    assert pinpoints(answer, "time", "When is it?") is ok


def test_a_question_for_a_date_the_documents_do_not_give_is_declined(assistant):
    reply = assistant.ask("When is the application deadline for the InnoCORE postdoc positions?")
    assert reply.kind is ReplyKind.DECLINE and not reply.answered
    assert not assistant.ask("이노코어 포닥 지원 마감 언제까지예요?").answered
    assert reply.suggestions  # it only just missed: the closest sections are offered


@pytest.mark.parametrize("question", ["How much is the salary?", "해외 설명회 언제 열렸어요?",
                                      "How many postdocs will be hired?"])
def test_questions_the_documents_answer_with_a_number_still_get_it(assistant, question):
    assert assistant.ask(question).answered


@pytest.mark.parametrize("question", ["2026년 예산은 얼마야?", "Will there be a 2027 round?"])
def test_a_year_no_document_names_is_declined(assistant, question):
    """The documents speak of 2024 and 2025: the 2025 budget is no answer for 2026."""
    assert assistant.ask(question).kind is ReplyKind.DECLINE


@pytest.mark.parametrize("question", ["How many postdocs will InnoCORE hire in 2025?",
                                      "2025년 예산은 얼마예요?"])
def test_a_year_the_documents_name_is_answered(assistant, question):
    assert assistant.ask(question).answered


def test_a_year_no_document_names_is_declined_as_a_follow_up_too(assistant):
    reply = assistant.ask("2026년은요?", previous="2025년 예산은 얼마예요?")
    assert reply.kind is ReplyKind.DECLINE


@pytest.mark.parametrize("answer, question, given", [
    ("이노코어는 400명을 채용합니다.", "포닥 몇 명 뽑아요?", True),
    ("4대 과학기술원이 함께 참여합니다.", "포닥 몇 명 뽑아요?", False),   # a number, but not of people
    ("해외 학회 참가는 연 2회까지 지원합니다.", "해외 학회는 1년에 몇 번 갈 수 있어요?", True),
    ("연구단은 모두 8개입니다.", "연구단은 몇 곳이에요?", True),        # a counter of the same kind
    ("400명 가운데 일부입니다.", "400명 중 몇 명이 외국인이에요?", False),  # the question's own count
    ("It can host 300 participants.", "정원은 몇 명이에요?", True),     # an English notice: any number
])
def test_a_korean_count_is_answered_by_that_count(answer, question, given):
    assert gives(answer, expected_kind(question), question) is given


def test_a_center_page_without_its_number_of_postdocs_does_not_answer_how_many(assistant):
    reply = assistant.ask("항공우주 연구단은 포닥 몇 명 뽑아요?")
    assert reply.kind is ReplyKind.DECLINE
