"""How quoted text is cut into sentences: a date, a list marker or an abbreviation is not a
sentence end (cut there, a repeated "12." of "2026. 12. 1. ~ 2026. 12. 15." was dropped as
said before, and the deadline read "2026. 15.")."""

from __future__ import annotations

import pytest

from bot.engine.compose import answer_first
from bot.engine.sentences import split_sentences


@pytest.mark.parametrize("text, sentences", [
    ("신청 기간: 2026. 12. 1.(화) ~ 2026. 12. 15.(화)까지입니다. 늦은 신청은 받지 않습니다.",
     ["신청 기간: 2026. 12. 1.(화) ~ 2026. 12. 15.(화)까지입니다.", "늦은 신청은 받지 않습니다."]),
    ("가. 월세 지원: 월 30만원까지 지원합니다.", ["가. 월세 지원: 월 30만원까지 지원합니다."]),
    ("Ⅱ. 신청 방법", ["Ⅱ. 신청 방법"]),
    ("Call the office (Tel. +82-42-000-1717) first. Then apply.",
     ["Call the office (Tel. +82-42-000-1717) first.", "Then apply."]),
    ("Bring an ID, e.g. a passport. Nothing else.", ["Bring an ID, e.g. a passport.", "Nothing else."]),
    ("연구를 시작했다.그리고 끝냈다.\n둘째 줄", ["연구를 시작했다.", "그리고 끝냈다.", "둘째 줄"]),
    ("A. 없습니다.", ["없습니다."]),
    ("A: Tell us by 15 May. 답) 네, 됩니다.", ["Tell us by 15 May.", "네, 됩니다."]),  # Q&A answers
    # an attachment list: "붙임 1." labels its item, and "끝." closes the notice
    ("붙임 1. 신청서 1부. 2. 경비 산출 내역서 1부. 끝.", ["붙임 1. 신청서 1부.", "2. 경비 산출 내역서 1부."]),
    ("See Annex 2. It lists the clinics.", ["See Annex 2.", "It lists the clinics."]),
])
def test_sentences(text, sentences):
    assert split_sentences(text) == sentences


SECTION = ["Housing is offered on campus.", "Rooms cost 250,000 won a month.",
           "Apply for housing 60 days before you start."]
TERMS = [{"hous", "campus"}, {"room", "cost"}, {"appli", "hous", "start"}]


def _weight(question_terms):
    return lambda terms: len(question_terms & terms)


def test_the_sentence_giving_what_is_asked_leads():
    sentences, terms = answer_first(SECTION, TERMS, _weight({"appli", "hous"}),
                                    lambda s: "days" in s)  # asks for a date
    assert sentences == [SECTION[2], SECTION[0], SECTION[1]] and terms[0] == TERMS[2]


def test_the_order_stays_when_the_first_lines_answer_as_well():
    assert answer_first(SECTION, TERMS, _weight({"hous"}), lambda s: True)[0] == SECTION
    # a later sentence that gives the kind asked for but none of the question's words
    assert answer_first(SECTION, TERMS, _weight({"campus"}), lambda s: "days" in s)[0] == SECTION


def test_in_the_other_language_the_only_sentence_giving_what_is_asked_leads():
    # "숙소 신청은 언제까지 해요?" quoting English text: none of the question's words is in it
    none = _weight({"숙소", "신청"})
    sentences, _ = answer_first(SECTION, TERMS, none, lambda s: "days" in s)
    assert sentences == [SECTION[2], SECTION[0], SECTION[1]]
    # ...but of two sentences that state the kind asked for, neither is known to answer it
    assert answer_first(SECTION, TERMS, none, lambda s: "days" in s or "month" in s)[0] == SECTION


def test_a_table_row_leads_with_the_table_header():
    table = ["Checkups are done at four clinics.", "Region | Clinic | Saturdays",
             "Daejeon | Hanbit | yes", "Daegu | Dalgubeol | no"]
    terms = [{"checkup", "clinic"}, {"region", "clinic"}, {"daejeon"}, {"daegu"}]
    sentences, ordered = answer_first(table, terms, _weight({"daegu"}), lambda s: True)
    assert sentences == [table[1], table[3], table[0], table[2]] and ordered[1] == terms[3]


def test_a_list_item_leads_with_the_label_of_its_list_not_with_a_sentence_before_it():
    section = ["가. 신청 시기: 게재 승인일로부터 60일 이내", "나. 제출 방법: 전자우편 제출",
               "다. 제출 서류", "① 게재료 지원 신청서 1부", "② 게재료 청구서 사본 1부"]
    terms = [{"신청", "시기"}, {"제출", "방법"}, {"제출", "서류"}, {"지원", "신청서"}, {"청구서"}]
    sentences, _ = answer_first(section, terms, _weight({"청구서"}), lambda s: True)
    assert sentences[:2] == ["다. 제출 서류", "② 게재료 청구서 사본 1부"]
    # an item after a sentence of its own comes alone: the sentence says something else
    items = ["Open to all postdocs.", "Say which days you will attend.", "* Day 1: booths",
             "* Day 2: CV clinic"]
    terms = [{"postdoc"}, {"day", "attend"}, {"day", "booth"}, {"day", "cv", "clinic"}]
    assert answer_first(items, terms, _weight({"cv"}), lambda s: True)[0][0] == "* Day 2: CV clinic"
