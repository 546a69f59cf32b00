"""What kind of answer a question asks for, and whether a reply gives one.

"How much is the IRB fee?" asks for an amount: a section about the IRB that states none does
not answer it, however close its topic. A question asking how much, how many or when is
answered only by text that states a number or a date the question did not already hold.
"""

from __future__ import annotations

import re

_ASKS_NUMBER = re.compile(
    r"\bhow\s+(?:much|many|long|old|big|often)\b|\bwhat\s+percent"
    r"|\bwhat(?:'s|\s+is|\s+are)?\s+(?:the\s+)?(?:cost|fee|price|amount)s?\b|얼마|몇",
    re.IGNORECASE)
_ASKS_TIME = re.compile(
    r"^\W*when\b|\b(?:by|until|till)\s+when\b|\bwhat\s+(?:date|day|time|year|month)\b"
    r"|\bhow\s+soon\b|\bdeadline|\bdue\s+date|언제|며칠|무슨\s*요일|마감|기한", re.IGNORECASE)

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NUMBER_WORDS = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|hundred|thousand|million|billion|half|dozen|once|twice)\b"
    r"|(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s?(?:개|명|곳|번|가지|해|달|주|차례)",
    re.IGNORECASE)
_TIME_WORDS = re.compile(
    r"\b(?:january|february|march|april|june|july|august|september|october|november|"
    r"december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow)\b"
    r"|[월화수목금토일]요일|오늘|내일|매주|매년|매월", re.IGNORECASE)


def expected_kind(question: str) -> str | None:
    """"number", "time" or None (any answer will do)."""
    if _ASKS_TIME.search(question):
        return "time"
    if _ASKS_NUMBER.search(question):
        return "number"
    return None


def gives(answer: str, kind: str | None, question: str = "") -> bool:
    """Whether `answer` states what a question of `kind` asks for: a number (or a date, for
    "time") that `question` did not itself hold, or a number or date in words."""
    if kind is None:
        return True
    if set(_NUMBER.findall(answer)) - set(_NUMBER.findall(question)):
        return True
    if _NUMBER_WORDS.search(answer):
        return True
    return kind == "time" and bool(_TIME_WORDS.search(answer))
