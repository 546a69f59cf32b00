"""Which language a text is in: Korean when Hangul makes up a fair share of its letters."""

from __future__ import annotations

import re

_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_lang(text: str) -> str:
    """'ko' or 'en'. Mixed questions ("포닥 salary 얼마?") count as Korean: Korean grammar
    around English words means a Korean speaker, while English letters weigh half as much
    (an English word is several letters, a Korean word one or two syllables)."""
    hangul = len(_HANGUL.findall(text))
    latin = len(_LATIN.findall(text))
    return "ko" if hangul and hangul * 2 >= latin * 0.5 else "en"
