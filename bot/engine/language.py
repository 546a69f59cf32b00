"""Which language a text is in: Korean when its Korean words are at least as many as its
English ones."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_ENGLISH_WORD = re.compile(r"[A-Za-z]*[a-z][A-Za-z]*")  # names in capitals (KAIST, AI) say nothing


def detect_lang(text: str) -> str:
    """'ko' or 'en', by words rather than letters (a Korean word is one or two syllables, an
    English one several letters). Mixed questions ("포닥 salary 얼마?", "interview 언제?") count
    as Korean when they have as many Korean words as English ones: Korean grammar around an
    English word means a Korean speaker, while "What is 연봉?" is English."""
    korean = english = 0
    for word in _WORD.findall(text):
        if _HANGUL.search(word):
            korean += 1
        elif _ENGLISH_WORD.fullmatch(word):
            english += 1
    return "ko" if korean and korean >= english else "en"
