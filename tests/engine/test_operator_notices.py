"""Notices an operator drops into knowledge/ (plain text, DOCX, PDF; one language only) are
answered from, in both languages, and cited by their own title and heading.

The notices are the fictional fixtures of benchmarks/eval/notices/docs."""

from __future__ import annotations

import pytest

from bot.engine import Assistant, ReplyKind, messages
from tests.conftest import REPO, engine_with_notices

NOTICES = REPO / "benchmarks/eval/notices/docs"

# Two language versions of one notice that do not run in parallel.
UNEVEN_KO = """이노코어 연구실 안전 교육 안내

1. 교육 일정

안전 교육은 2027년 3월 2일에 열립니다.

2. 준비물

실험복과 보안경을 가져옵니다.

3. 문의

안전관리팀에 전화로 문의합니다.
"""
UNEVEN_EN = """InnoCORE lab safety training

Contact

Questions about the training go to the safety office by email.

Schedule

The lab safety training takes place on 2 March 2027.
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Assistant:
    return engine_with_notices(tmp_path_factory.mktemp("notices"), {
        "fixtures": NOTICES, "lab-safety.ko.txt": UNEVEN_KO, "lab-safety.en.txt": UNEVEN_EN})


def test_a_korean_text_notice_answers_korean_questions_and_is_cited_by_its_heading(engine):
    reply = engine.ask("이노코어 포닥 모집 기간이 언제부터 언제까지예요?")
    assert reply.answered and "2026-12-19" in reply.answer
    assert reply.sources[0].title == "이노코어 박사후연구원 2026년 12월 모집 공고"
    assert reply.sources[0].section == "1. 모집 기간"


def test_an_english_pdf_notice_answers_english_questions(engine):
    reply = engine.ask("When is the additional online info session?")
    assert reply.answered and "14 January 2027" in reply.answer
    assert reply.sources[0].source.endswith("online-info-session.en.pdf")


def test_a_docx_notice_answers(engine):
    reply = engine.ask("이노코어 포닥도 교내 숙소에 들어갈 수 있나요?")
    assert reply.answered and reply.sources[0].source.endswith("housing-and-relocation.ko.docx")


def test_an_english_question_about_a_korean_only_notice_gets_its_text_with_a_note(engine):
    reply = engine.ask("How much is the monthly rent for on-campus housing?")
    assert reply.kind is ReplyKind.ANSWER and reply.lang == "en"
    note = messages.text("other_language", "en")
    assert "25만" in reply.answer and note in reply.answer
    assert reply.answer.index(note) < reply.answer.index("25만")  # the note comes first
    assert reply.sources[0].source.endswith("housing-and-relocation.ko.docx")


def test_a_part_asked_of_a_notice_in_the_other_language_is_not_called_uncovered(engine):
    # Its English words can't be looked for in the Korean notice; its "12개월" answers how long
    reply = engine.ask("How much is the monthly rent for campus housing and how long can I stay?")
    assert reply.answered and "25만" in reply.answer and "12개월" in reply.answer
    assert messages.text("part_not_covered", "en", part="")[:30] not in reply.answer


def test_the_shipped_documents_still_answer_beside_the_notices(engine):
    reply = engine.ask("How much is the InnoCORE postdoc salary?")
    assert reply.answered and "90 million" in reply.answer


def test_language_versions_that_do_not_run_in_parallel_are_never_mixed(engine):
    # The Korean file's first section is the schedule, the English file's first is the contact:
    # an answer from the Korean schedule must not be swapped for the English contact section.
    reply = engine.ask("안전 교육은 언제 열려요?", lang="en")
    assert reply.answered and "safety office" not in reply.answer
    assert "2027" in reply.answer
    english = engine.ask("When is the lab safety training?")
    assert english.answered and "2 March 2027" in english.answer
    assert "2027년" not in english.answer


def test_a_qa_item_is_answered_alone_and_led_by_its_question(engine):
    # The Q&A notice is short enough to be "answered whole" were it one topic; its items are
    # separate questions, so only the matching one is quoted, and its bare "없습니다." opening
    # comes after the question it answers.
    reply = engine.ask("지원할 때 나이 제한이 있나요?")
    assert reply.answered and reply.sources[0].source.endswith("faq-additions.ko.txt")
    assert reply.answer.startswith("Q: 지원할 때 나이 제한이 있나요?\n없습니다.")
    assert "겸직" not in reply.answer and "1지망" not in reply.answer  # other items stay out


def test_the_section_that_answers_leads_the_reply_before_its_neighbours(engine):
    reply = engine.ask("is the online info session recorded?")
    # the three sentences of the section on recordings, then the date and platform sections
    # (which of the three leads is the model's call: it differs by a CPU's arithmetic)
    leads = {line[:20] for line in reply.answer.splitlines()[:3]}
    assert reply.answered and reply.sources[0].section == "Recordings"
    assert leads == {"The session is recor", "The recording and th", "People who cannot at"}


def test_a_decline_names_the_notices_it_can_also_answer_from(engine, assistant):
    # The decline's fixed list of topics knows the knowledge base, not the notices added to it.
    english = engine.ask("What's the weather like in Seoul tomorrow?")
    assert english.kind is ReplyKind.DECLINE
    assert "InnoCORE Additional Online Info Session" in english.answer
    assert "InnoCORE lab safety training" in english.answer  # its English version, for English
    korean = engine.ask("내일 서울 날씨 어때요?")
    assert "이노코어 연구실 안전 교육 안내" in korean.answer
    assert "이노코어 박사후연구원 2026년 12월 모집 공고" in korean.answer
    # Without notices there is nothing to add.
    shipped_only = assistant.ask("What's the weather like in Seoul tomorrow?")
    assert messages.text("notices_too", "en", titles="")[:20] not in shipped_only.answer


def test_a_notice_in_the_other_language_keeps_its_lead_over_the_shipped_schedule(engine):
    # The English notice's session time answers; the shipped overseas schedule, which matches
    # the Korean word for info session ("설명회") better, does not lead the reply
    lines = engine.ask("온라인 설명회는 몇 시에 끝나나요?").answer.splitlines()
    assert lines[0] == messages.text("other_language", "ko") and "11:30" in lines[1]


def test_the_sentence_that_answers_leads_its_section(engine):
    # The section's third sentence says until when; the others follow in the notice's order
    lines = engine.ask("교내 숙소 신청은 언제까지 해야 하나요?").answer.splitlines()
    assert "60일 전까지" in lines[0]
    assert "우선 배정" in lines[1] and "입주 기간" in lines[2]


def test_a_list_asked_for_is_quoted_in_its_order(engine):
    lines = engine.ask("제출 서류 목록 알려줘").answer.splitlines()
    assert [line[:2] for line in lines[:4]] == ["가.", "나.", "다.", "라."]


def test_a_question_in_the_other_language_gets_the_sections_that_score_as_close(engine):
    # Across languages the notice's sections score close together: the relocation section
    # is not among the first three, but as close to the best as they are
    reply = engine.ask("Is there any relocation allowance if I move to Korea from abroad?")
    assert reply.answered and "500만 원" in reply.answer


def test_whether_coverage_can_be_measured_depends_on_the_answers_sections(engine):
    # A Korean-only notice may top the hits while the answer quotes sections written in the
    # question's language: their words can be looked for, and count
    import dataclasses

    from bot.engine.compose import answer_units
    from bot.engine.decision import NO_COVERAGE_MEASURE, coverage
    from bot.engine.retrieve import SectionHit

    question = "What is the annual salary of InnoCORE postdocs?"
    retrieval = engine.retriever.search(question)
    sections = retrieval.sections
    units = answer_units(retrieval, question)
    assert all("en" in sections.langs[u] for u in units)
    korean_only = next(u for u in sections.rows if sections.langs[u] == {"ko"})
    korean_first = dataclasses.replace(
        retrieval, hits=[SectionHit(korean_only, 1.0, 1.0, 1.0), *retrieval.hits])
    measured = coverage(retrieval, units, "en")
    assert measured > NO_COVERAGE_MEASURE
    assert coverage(korean_first, units, "en") == measured
    assert coverage(korean_first, [korean_only], "en") == NO_COVERAGE_MEASURE
