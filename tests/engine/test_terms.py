"""Content terms: a Latin-script word means the same inside Korean text as in English text."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from bot.engine.analyzer import default_analyzer


def test_english_words_in_korean_text_are_read_whole():
    analyzer = default_analyzer()
    english = "It trains researchers in business, led by KAIST."
    mixed = "뇌질환 연구단. " + english
    assert analyzer.terms(mixed) == analyzer.terms("뇌질환 연구단.") + analyzer.terms(english)
    assert "kaist" in analyzer.terms("KAIST가 주관하는 연구단은? KAIST.")
    assert analyzer.terms("T3Q가 뭐야?") == analyzer.terms("What is T3Q?") == ["t3q"]  # not "3"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=14),
                min_size=1, max_size=5))
def test_mixed_text_keeps_each_english_word_once(words):
    analyzer = default_analyzer()
    sentence = " ".join(words) + "."
    assert analyzer.terms("포닥 " + sentence) == analyzer.terms("포닥") + analyzer.terms(sentence)


def test_words_that_qualify_but_name_no_topic_are_not_terms():
    # "total", "once", "else" say how much or when of something, not what: a document that
    # never uses them answers "total budget?" all the same
    analyzer = default_analyzer()
    assert analyzer.terms("total budget over the whole 5 yrs?") == analyzer.terms("budget 5 yrs")
    assert analyzer.terms("who else is in it once it starts?") == analyzer.terms("starts")


def test_the_words_of_a_way_of_asking_are_no_terms():
    # it asks for a length of time, as "how much" asks for an amount: not about "long"
    analyzer = default_analyzer()
    assert analyzer.terms("How long is the contract?") == analyzer.terms("the contract")
    assert analyzer.terms("how often are evaluations?") == analyzer.terms("evaluations")
    assert analyzer.terms("what kind of support is there?") == analyzer.terms("support")
    assert analyzer.terms("the session is which day of week?") == analyzer.terms("the session")
    # "정도", "대략" (about, roughly) as "대충"
    assert analyzer.terms("연봉 대략 얼마 정도 돼요?") == analyzer.terms("연봉 얼마 돼요?")
    assert analyzer.terms("long")[0] in analyzer.terms("a long contract")


def test_nouns_as_general_as_thing_or_way_are_not_terms():
    analyzer = default_analyzer()
    assert analyzer.terms("더 받을 방법 있어요?") == analyzer.terms("더 받을 수 있어요?")
    assert analyzer.terms("박사 막 딴 사람도 대상임?") == analyzer.terms("박사 막 딴 대상임?")


def test_asking_for_a_reason_is_asking_why():
    # a document gives its reasons without naming them "reasons": "이유"/"reason" ask, as
    # "왜"/"why" do, and "굳이" (of all things) only stresses it, as "하필" does
    analyzer = default_analyzer()
    assert analyzer.terms("굳이 보스턴에서 하는 이유가 있어요?") == analyzer.terms("보스턴에서 해요?")
    assert analyzer.terms("What's the reason for a session in New York?") == analyzer.terms(
        "Why a session in New York?")
    # idioms that only stress the question
    assert analyzer.terms("why Boston of all places?") == analyzer.terms("why Boston?")
    assert analyzer.terms("Why launch it in the first place?") == analyzer.terms("Why launch it?")
    assert analyzer.terms("I'd love to hear more about mentoring") == analyzer.terms("mentoring")
    assert analyzer.terms("any info on the salary?") == analyzer.terms("salary?")
    assert analyzer.terms("the info sessions") == analyzer.terms("info sessions")  # a topic's name
    assert analyzer.terms("설명회를 왜 거기서 해요? 이유가 머에요?") == analyzer.terms("설명회를 왜 거기서 해요?")


def test_with_or_together_is_how_something_is_asked_not_what():
    # "같이"/"함께" (together, with) ask who takes part; the partner lists say "참여", not "같이"
    analyzer = default_analyzer()
    assert analyzer.terms("하버드랑 같이 하는 연구단?") == analyzer.terms("하버드랑 하는 연구단?")
    assert analyzer.terms("함께하는 기업은?") == analyzer.terms("하는 기업은?")

