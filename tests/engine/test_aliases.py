"""Names the documents spell two ways are found by either spelling."""

from __future__ import annotations

import pytest

from bot.engine.aliases import Aliases
from bot.engine.analyzer import default_analyzer
from bot.engine.retrieve import aliases_of
from tests.conftest import KNOWLEDGE


def _aliases(*texts: str) -> Aliases:
    return Aliases.read(texts, default_analyzer(), section_count={}, sections=len(texts))


def test_a_parenthesis_gives_a_names_other_spellings():
    aliases = _aliases("GIST(지스트, 광주과학기술원)가 주관합니다.", "추가경정예산(추경)에 반영되었습니다.",
                       "and UC Berkeley (버클리) take part.")
    assert aliases.get("지스트") == {"gist"} and "지스트" in aliases.get("gist")
    assert aliases.get("추경") == {"추가", "경정", "예산"}  # (the analyzer reads three nouns)
    assert aliases.get("버클리") == {"uc", "berkeley"} and aliases.get("berkeley") == {"버클리"}


@pytest.mark.parametrize("texts, term", [
    (["KAIST(주관), GIST", "UNIST(주관), KAIST"], "주관"),            # paired with two names: a role
    (["6월 23일(월)에 열립니다"], "월"),                                  # a date's weekday
    (["4대 과학기술원(KAIST, GIST, DGIST, UNIST)"], "kaist"),          # members listed
    (["UNIST (Ulsan National Institute of Science and Technology)"], "unist"),  # a description
    (["the Korea Research Institute of Chemical Technology (KRICT)"], "krict"),  # the name's end
    (["신청서는 전자우편(travel-grant@example.org)으로 보냅니다"], "travel"),  # an address
])
def test_not_every_parenthesis_is_another_spelling(texts, term):
    assert not _aliases(*texts).get(term)


def test_a_word_written_all_over_the_documents_is_no_name():
    texts = ["연구단(AI 모델)"] + ["모델 연구"] * 20
    counts = {"모델": 21, "연구단": 21}
    assert not Aliases.read(texts, default_analyzer(), counts, sections=len(texts)).get("모델")


def test_a_near_spelling_finds_the_name():
    assert _aliases("Stanford(스탠퍼드)가 참여합니다.").get("스탠포드") == {"stanford"}


@pytest.mark.parametrize("question, center", [
    ("지스트가 맡은 연구단은 뭐예요?", "center-brain"),
    ("수소 연구단에 스탠포드도 들어가 있나요?", "center-hydrogen"),
])
def test_a_question_may_use_the_other_spelling(assistant, question, center):
    reply = assistant.ask(question)
    assert reply.answered and reply.sources[0].doc_id == center


def test_which_centers_a_partner_named_program_wide_takes_part_in(assistant):
    """'MIT' is also named in one sentence listing partners of the whole program; the answer
    still names each center that lists it."""
    listing = {p.name.split(".")[0] for p in (KNOWLEDGE / "centers").glob("center-*.en.md")
               if "MIT" in p.read_text(encoding="utf-8")}
    assert len(listing) >= 2
    reply = assistant.ask("Which centers does MIT take part in?")
    assert reply.answered and listing <= {s.doc_id for s in reply.sources}


def test_which_centers_a_partner_with_a_long_name_takes_part_in(assistant):
    """Every center that lists KRICT, each in its own sentence: those of two centers are much
    alike, but name different centers and partners."""
    listing = {p.name.split(".")[0] for p in (KNOWLEDGE / "centers").glob("center-*.en.md")
               if "(KRICT)" in p.read_text(encoding="utf-8")}
    assert len(listing) >= 3
    reply = assistant.ask("Which centers is KRICT part of?")
    assert reply.answered and listing <= {s.doc_id for s in reply.sources}


@pytest.mark.parametrize("question, name", [("서울대가 참여하는 연구단 다 알려줘", "서울대"),
                                            ("KIST는 몇 개 연구단에 참여해?", "KIST(")])
def test_all_or_how_many_centers_a_partner_joins(assistant, question, name):
    """Asked for all of them, or how many, without a "which": still every center listing it."""
    listing = {p.name.split(".")[0] for p in (KNOWLEDGE / "centers").glob("center-*.ko.md")
               if name in p.read_text(encoding="utf-8").split("## 참여 연구기관")[1].split("##")[0]}
    assert len(listing) >= 2
    reply = assistant.ask(question)
    assert reply.answered and listing <= {s.doc_id for s in reply.sources}


def test_ingest_stores_them_with_the_index_version(assistant):
    # so that a starting bot needs no Korean analysis of the documents; an index from before
    # they were stored gets the same names read from its chunks
    version = assistant.reader.current()
    stored = version.manifest["aliases"]
    assert "gist" in stored["지스트"]
    without = dict(version.manifest)
    del without["aliases"]
    older = type(version)(version.name, version.chunks, without, version.bm25,
                          version.embeddings, version.row_of)
    assert aliases_of(older, default_analyzer()).to_json() == stored
