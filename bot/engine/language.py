"""Which language a text is in: Korean when its Korean words are at least as many as its
English ones, or when it ends the way a Korean sentence does."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_ENGLISH_WORD = re.compile(r"[A-Za-z]*[a-z][A-Za-z]*")  # names in capitals (KAIST, AI) say nothing
# A last word that only Korean grammar puts there: a question word ("얼마", "언제야"), or a
# sentence ending or topic particle ("있나요", "되나", "가능함", "salary는"). A noun quoted
# at the end ("What is 연봉?") is none of these.
_KOREAN_ENDING = re.compile(
    r"^(?:얼마|언제|어디|누구|뭐|무엇|몇|어떻게|왜|어때)|(?:요|까|니|냐|죠|임|됨|함|은|는)$")


def detect_lang(text: str) -> str:
    """'ko' or 'en', by words rather than letters (a Korean word is one or two syllables, an
    English one several letters). Mixed questions ("포닥 salary 얼마?", "interview 언제?") count
    as Korean when they have as many Korean words as English ones, or end in Korean grammar
    ("InnoCORE postdoc salary 얼마예요?"): Korean grammar around English words means a Korean
    speaker, while "What is 연봉?" is English."""
    korean = english = 0
    words = _WORD.findall(text)
    for word in words:
        if _HANGUL.search(word):
            korean += 1
        elif _ENGLISH_WORD.fullmatch(word):
            english += 1
    if korean and _HANGUL.search(words[-1]) and _KOREAN_ENDING.search(words[-1]):
        return "ko"
    return "ko" if korean and korean >= english else "en"
