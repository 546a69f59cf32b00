"""Messages that join several questions are split into them; one question stays whole."""

from __future__ import annotations

import pytest

from bot.engine.analyzer import default_analyzer


@pytest.mark.parametrize("message, parts", [
    ("What is the salary and who can apply?", ["What is the salary", "who can apply?"]),
    ("What is InnoCORE? How much is the salary?", ["What is InnoCORE?", "How much is the salary?"]),
    ("연봉은 얼마고 누가 지원할 수 있어요?", ["연봉은 얼마고", "누가 지원할 수 있어요?"]),
    ("연봉은 얼마이며 지원 자격은 무엇인가요?", ["연봉은 얼마이며", "지원 자격은 무엇인가요?"]),
    # Kiwi tags this "고" as a prefix of "멘토링"
    ("연봉은 얼마고 멘토링은 어떻게 해요?", ["연봉은 얼마고", "멘토링은 어떻게 해요?"]),
    # a word that only joins a question to the one before is no part of it
    ("What's the salary? Also, is there housing?", ["What's the salary?", "is there housing?"]),
    ("연봉은요? 그리고 숙소는요?", ["연봉은요?", "숙소는요?"]),
])
def test_joined_questions_are_split(message, parts):
    assert default_analyzer().clauses(message) == parts


@pytest.mark.parametrize("message", [
    "Which centers do KAIST and UNIST lead?",          # "and" inside one question
    "Harvard and MIT",
    "지원하고 싶어요",                                  # -고 before an auxiliary verb
    "LG와 삼성이 참여하고 카이스트가 주관하는 연구단은?",  # -고 inside one question
    "",
])
def test_one_question_stays_whole(message):
    assert default_analyzer().clauses(message) == ([message] if message else [])


@pytest.mark.parametrize("message, joins", [
    ("연봉이랑 지원 자격 알려줘", True), ("연봉과 지원 자격은?", True), ("연봉 및 처우", True),
    ("salary and eligibility", True), ("salary & eligibility", True),
    ("수소 연구단에 스탠포드도 들어가 있나요?", False), ("What is the salary?", False),
    # "with", not "and": one topic
    ("지스트 연구단은 어느 기관들이랑 같이 해요?", False), ("KAIST하고 함께 하는 연구단은?", False),
    ("MIT 포닥 연봉이랑 비교하면 우리 과기원은 어느 정도야?", False),  # compared with
    # one a message opens with joins it to the conversation
    ("and the manufacturing one?", False), ("그리고 우주 태양광은?", False),
])
def test_a_conjunction_joining_two_things_is_seen(message, joins):
    assert default_analyzer().joins(message) is joins


@pytest.mark.parametrize("message, asked", [
    ("I make ~150k USD in industry right now. Is there any way to get more than the base salary?",
     "Is there any way to get more than the base salary?"),
    ("I live in NYC. Why New York? And why Boston?", "Why New York? And why Boston?"),
    ("지금 미국에서 받는 돈이 훨씬 많은데 연봉 더 얹어줄 방법은 없나요?", "연봉 더 얹어줄 방법은 없나요?"),
    # "-인데" after a noun: Kiwi's ㄴ is a final consonant, not the letter ㄴ
    ("제 조카가 베트남 국적인데 한국 사람이 아니어도 지원이 되나요?", "한국 사람이 아니어도 지원이 되나요?"),
    ("What is the salary?", ""),                      # no context given
    ("What is the salary? I earn 100k now.", ""),     # a question first: nothing set aside
    ("연봉은 얼마인가요?", ""),
])
def test_the_context_a_message_gives_is_set_aside(message, asked):
    assert default_analyzer().asked_part(message) == asked


@pytest.mark.parametrize("sentence, asks", [
    ("연봉 얼마예요?", True), ("마감은", True), ("멘토링도 궁금합니다", True), ("자격 요건도 알려줘", True),
    ("지금 독일에서 포닥 중이에요", True),           # -요 could ask: taken to
    ("와이프가 중국 국적 박사라서요", False), ("미국에서 박사 받았습니다", False),
    ("and the deadline", True), ("I would like to know the salary", True),
    ("I'm Korean, can I apply", True), ("I need a visa", True),
    ("I'm Indian, did my PhD in Germany", False), ("my wife is a PhD too", False),
])
def test_a_sentence_that_only_tells_is_told_from_one_that_asks(sentence, asks):
    assert default_analyzer().asks(sentence) is asks


@pytest.mark.parametrize("question, own", [
    ("who can apply?", True), ("연구단 몇개에요", True), ("how much?", True),
    ("what about GIST?", False), ("how about the space solar one?", False), ("UNIST는요?", False),
    ("and its partners?", False),
])
def test_a_question_word_of_its_own_is_told_from_one_taken_from_before(question, own):
    assert default_analyzer().has_question_word(question) is own


@pytest.mark.parametrize("question, names_only", [
    ("What about New York?", True), ("and the manufacturing one?", True),
    ("설계-제조 연구단은요?", True), ("UNIST는요?", True),
    ("Do I need to speak Korean?", False), ("Is there a partner in China?", False),
    ("설명회도 했나요?", False), ("who leads it?", False), ("참여 기관은 어디야?", False),
])
def test_a_question_that_only_names_its_topic_is_told_from_one_of_its_own(question, names_only):
    assert default_analyzer().names_only(question) is names_only


@pytest.mark.parametrize("question, aside", [
    ("Besides job ads, how do they recruit?", ["job ads"]),
    ("Apart from the info sessions, how else are they reaching candidates?", ["info sessions"]),
    ("anything other than the salary?", ["salary"]), ("설명회 말고 다른 방법은?", ["설명회"]),
    ("광고 외에 다른 채용 방법은?", ["광고"]), ("What is the salary?", []), ("연봉 얼마예요?", []),
    # several things set aside at once, each searched for on its own
    ("Besides the info sessions and job ads, how do they find people?",
     ["info sessions", "job ads"]),
    ("설명회랑 공고 말고 다른 식으로도 사람 찾나요?", ["설명회", "공고"]),
    ("채용공고나 설명회 외에 다른 채용 방법은?", ["채용공고", "설명회"]),
    ("설명회, 공고 말고 다른 방법은?", ["설명회", "공고"]),
])
def test_what_a_question_sets_aside_is_read(question, aside):
    assert default_analyzer().set_aside(question) == aside
