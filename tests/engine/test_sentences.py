"""How quoted text is cut into sentences: a date, a list marker or an abbreviation is not a
sentence end (cut there, a repeated "12." of "2026. 12. 1. ~ 2026. 12. 15." was dropped as
said before, and the deadline read "2026. 15.")."""

from __future__ import annotations

import pytest

from bot.engine.compose import split_sentences


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
])
def test_sentences(text, sentences):
    assert split_sentences(text) == sentences
