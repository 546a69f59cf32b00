"""What kind of answer a question asks for, and whether a reply gives one.

"How much is the IRB fee?" asks for an amount: a section about the IRB that states none does
not answer it, however close its topic. A question asking how much, how many or when is
answered only by text that states a number or a date the question did not already hold, and
one asking how long only by text that states a length of time ("two years", "30분"): "how
long does the program run?" is not answered by a page that names the year of its launch.
"What time" asks for a time of day, and "how much is the fee?" for a sum of money: a review
taking "4 to 6 weeks" states numbers, but no fee.
"""

from __future__ import annotations

import re

_ASKS_NUMBER = re.compile(
    r"\bhow\s+(?:much|many|old|big|often)\b"
    r"|\bwhat(?:'s|\s+is|\s+are)?\s+(?:the\s+)?(?:cost|fee|price|amount)s?\b|얼마|몇",
    re.IGNORECASE)
_ASKS_TIME = re.compile(
    # "when" opening a sentence asks; inside one it mostly joins ("what happens when...")
    r"(?:^|[.?!])\W*when\b|\b(?:and|so)\s+when\b|\b(?:by|until|till)\s+when\b"
    r"|\b(?:what|which)\s+(?:date|day|time|year|month)\b|\bday\s+of\s+(?:the\s+)?week\b"
    r"|\bhow\s+soon\b|\bdeadline|\bdue\s+date"
    r"|언제|며칠|몇\s*일(?!\s*(?:간|동안))|무슨\s*요일|마감|기한",
    re.IGNORECASE)

# A price or a sum paid: "how much" about money, "what is the fee", and Korean "얼마" (a price;
# "얼마나", how much of anything, when it is paid or given)
_ASKS_MONEY = re.compile(
    r"\bhow\s+much\b(?!\s+(?:time|longer|earlier|later|notice))(?=.*\b(?:"
    r"costs?|fees?|pay|pays|paid|price|charged?|money|salary|salaries|wages?|rent|stipend|"
    r"allowance|grants?|budget|won|krw|dollars?|reimburs\w*|refund\w*|deposit|tuition|"
    r"fund\w*|earn|expenses?|compensation|bonus)\b)"
    r"|\bwhat(?:'s|\s+is|\s+are)?\s+(?:the\s+)?(?:cost|fee|price)s?\b"
    r"|얼마(?!\s*(?:나|동안|간|전|후|뒤|만에))|얼마나\s*(?:해\s*)?(?:받|줘|주|나와|나오|지원|내|들)",
    re.IGNORECASE)
_ASKS_PERCENT = re.compile(
    r"\bwhat\s+percent|\bpercentage\b|\bhow\s+many\s+percent|몇\s*(?:퍼센트|퍼쎈트|프로|%)",
    re.IGNORECASE)
_ASKS_CLOCK = re.compile(r"\b(?:at\s+)?what\s+time\b|몇\s*시(?!간)", re.IGNORECASE)
_ASKS_DURATION = re.compile(
    r"\bhow\s+long\b|\bhow\s+many\s+(?:years|months|weeks|days|hours|minutes)\b"
    r"|얼마\s*(?:나\s*(?:걸|오래)|동안)|기간(?:은|이)?\s*얼마|몇\s*(?:년|개월|달|주|시간|분)(?!\s*도)",
    re.IGNORECASE)  # (not "몇 년도": which year)

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# A sum of money ("9천만 원", "KRW 500,000", "$80,000", "90 million won"), or nothing to pay
_MONEY = re.compile(
    r"\d[\d,.]*\s*(?:[천백십만억조]\s*)*(?:원|달러|유로|won\b|krw\b|usd\b|dollars?\b|euros?\b)"
    r"|(?:krw|usd|us\$|\$|€|₩)\s*\d"
    r"|\d[\d,.]*\s*(?:thousand|million|billion)\s+(?:won|krw|dollars|usd|euros)\b"
    r"|(?<!feel )\bfree\b|\bno\s+(?:fee|charge|cost)\b|\bat\s+no\s+cost\b|\bin\s+full\b"
    r"|\bactual\s+cost\b"
    r"|무료|무상|전액|실비|본인\s*부담|자부담", re.IGNORECASE)
_PERCENTAGE = re.compile(r"\d+(?:[.,]\d+)?\s*(?:%|퍼센트|percent)", re.IGNORECASE)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
# "14 Jan", "Jan 14"
_MONTH_DAY = rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}|\b{_MONTH}\.?\s+\d{{1,2}}\b"
_HOUR = r"\d{1,2}:\d\d|\b\d{1,2}\s*(?:a\.?m\.?|p\.?m\.?)(?![a-z])"
_DATE = re.compile(  # (a year first: "2025년" is the year 2025, not "25년", 25 years)
    rf"(?<!\d)(?:19|20)\d\d(?!\d)(?:\s*년)?|(?<!\d)\d{{1,2}}\s*(?:월|일|시|분|주|개월|년)"
    rf"|\d{{1,2}}:\d\d|{_MONTH_DAY}|\b\d+\s+(?:days?|weeks?|months?|years?|hours?)\b",
    re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_YEAR_ALONE = re.compile(r"(?:19|20)\d\d\s*년?")
# A day of the calendar: "2025년 9월 15일", "14 January 2027" (not a length of time: "2년",
# "30일간" and "2~3일 안에" stay amounts)
_DAY_OF = (r"(?<!\d)(?:19|20)\d\d(?:\s*년)?(?:\s*\d{1,2}\s*월)?(?:\s*\d{1,2}\s*일)?"
           rf"|\d{{1,2}}\s*월(?:\s*\d{{1,2}}\s*일)?"
           rf"|(?<![\d,.])\d{{1,2}}\s*일(?!\s*(?:[간이]|안에|내|동안|만에))|{_MONTH_DAY}")
_DAY = re.compile(_DAY_OF, re.IGNORECASE)
# ...or a point on the clock: "10:00", "3 p.m."
_CALENDAR = re.compile(rf"{_DAY_OF}|{_HOUR}", re.IGNORECASE)
_CLOCK = re.compile(
    rf"{_HOUR}|\d{{1,2}}\s*시(?!간)|오전|오후|정오|자정|\bnoon\b|\bmidnight\b", re.IGNORECASE)
_COUNT = (r"(?:\d{1,3}(?:[.,]\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
          r"twelve|fifteen|twenty|thirty|half|several|a\s+few)")
_DURATION = re.compile(
    # "two years", "14 calendar days", "three (3) months", "a 20-minute talk"; "6개월", "두 달"
    rf"(?<![\d.,])\b{_COUNT}(?:\s*\(\d+\))?[\s-]+(?:[a-z]+[\s-]+)?"
    r"(?:days?|weeks?|months?|years?|yrs?|hours?|hrs?|minutes?|mins?)\b"
    r"|(?<![\d.,])\d{1,3}\s*(?:년|개월|달|주|일|시간|분)"
    r"|(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s?(?:달|해|시간|주)", re.IGNORECASE)
# ...but a sum or a count per unit of time is a rate: "90 million won a year", "twice a week"
_RATE = re.compile(
    r"(?:\d|\b(?:won|krw|dollars?|usd|euros?|once|twice|times))\)?\s+(?:a|an|per|each)\s+"
    r"(?:year|month|week|day|hour)s?\b", re.IGNORECASE)
# A length of time counted from an event answers "when" ("45일 전까지", "within 14 days"); a
# length alone does not ("박사 후 2~3년차": in the third year)
_RELATIVE = re.compile(
    rf"(?:{_DURATION.pattern})\s*(?:전|후|뒤|이내|안에|내에|만에|before|after|prior|in\s+advance|"
    rf"ahead|later|earlier)|\b(?:within|in)\s+(?:{_DURATION.pattern})", re.IGNORECASE)
_NUMBER_WORDS = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|hundred|thousand|million|billion|half|dozen|once|twice)\b"
    r"|(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s?(?:개|명|곳|번|가지|해|달|주|차례)",
    re.IGNORECASE)
_TIME_WORDS = re.compile(
    r"\b(?:january|february|march|april|june|july|august|september|october|november|"
    r"december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow)\b"
    r"|[월화수목금토일]요일|오늘|내일|매주|매년|매월", re.IGNORECASE)


# A number that points at a part of a document is no amount: "붙임 2", "제3호", "Annex 1"
_REFERENCE = re.compile(
    r"(?:붙임|별표|별지|서식|제)\s*\d+(?:\s*[호조항])?"
    r"|\b(?:annex|appendix|attachment|form|no\.|section|article|p\.)\s*\d+", re.IGNORECASE)


# A notice's own issue line says when the notice was written, not when anything it announces
# happens: "공고 제2026-07호 (2026년 1월 12일)", "공고일: 2025년 12월 22일", "Notice 2026-34,
# issued 16 March 2026"
_ISSUED = re.compile(
    r"(?:(?:공고|게시|발행|작성)일\s*[:：]|공고\s*(?:제\s*)?\d[\d-]*\s*호|\bnotice\s+(?:no\.?\s*)?\d[\d-]*)"
    rf"(?:[^\n]{{0,80}}?(?:{_DAY_OF})(?:,?\s*(?:19|20)\d\d)?)?", re.IGNORECASE)


def _without_issue_dates(text: str) -> str:
    return _ISSUED.sub(" ", text)


# A Korean question counting with a counter word asks for that count: 몇 명 (people), 몇 번
# (times), 몇 개 / 몇 곳 (things, places); the answer may count with a word of the same kind
_KO_COUNTERS = (("명", "분", "인"), ("번", "회", "차례"), ("개", "곳", "군데", "개소"), ("가지",),
                ("개국",), ("편",))
_KO_COUNTED = re.compile(r"몇\s*(" + "|".join(c for kind in _KO_COUNTERS for c in kind) + ")")
_KO_NUMERALS = r"(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|스무|수십|수백|수천)"
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN = re.compile(r"[A-Za-z]")


def _mostly_korean(text: str) -> bool:
    """Text written in Korean (a Korean question answered from an English notice is not)."""
    return len(_HANGUL.findall(text)) > len(_LATIN.findall(text))


def expected_kind(question: str) -> str | None:
    """"percent", "money", "number", "time", "clock", "duration" or None (any answer will
    do)."""
    if _ASKS_PERCENT.search(question):
        return "percent"
    if _ASKS_CLOCK.search(question):
        return "clock"
    if _ASKS_DURATION.search(question):
        return "duration"
    if _ASKS_TIME.search(question):
        return "time"
    if _ASKS_NUMBER.search(question):
        return "money" if _ASKS_MONEY.search(question) else "number"
    return None


def _sums(text: str) -> set[str]:
    return {re.sub(r"\s+", "", m.lower()) for m in _MONEY.findall(text)}


def years(text: str) -> set[str]:
    """The years `text` names ("2026년", "in 2025")."""
    return set(_YEAR.findall(text))


def gives(answer: str, kind: str | None, question: str = "") -> bool:
    """Whether `answer` states what a question of `kind` asks for, that `question` did not
    itself hold: for "number", a number (digits or words) that is not part of a date or a time
    of day; for "time", a date or a time (a year, a day of a month, a weekday, an hour) or a
    length of time counted from something ("45일 전까지"), not any number ("400 postdocs");
    for "duration", a length of time or a date (not a year alone); for "clock", a time of
    day; for "percent", a percentage; for "money", a sum of money, or that there is none to
    pay ("free of charge", "전액")."""
    if kind is None:
        return True
    answer = _without_issue_dates(answer)
    if kind == "clock":
        return bool(set(_CLOCK.findall(answer)) - set(_CLOCK.findall(question)))
    if kind == "money":
        return bool(_sums(answer) - _sums(question))
    if kind == "percent":  # "몇 퍼센트였어요?" is not answered by the two salaries compared
        return bool(set(_PERCENTAGE.findall(answer)) - set(_PERCENTAGE.findall(question)))
    if kind == "duration":  # a length of time, or the date it lasts until (a year alone: no)
        answer = _RATE.sub(" ", answer)
        dates = set(_DATE.findall(answer)) - set(_DATE.findall(question))
        return bool(set(_DURATION.findall(answer)) - set(_DURATION.findall(question))
                    or any(not _YEAR_ALONE.fullmatch(d.strip()) for d in dates))
    if kind == "time":
        if set(_CALENDAR.findall(answer)) - set(_CALENDAR.findall(question)):
            return True
        if set(_RELATIVE.findall(answer)) - set(_RELATIVE.findall(question)):
            return True
        return bool(_TIME_WORDS.search(answer))
    if (counted := _KO_COUNTED.search(question)) and _mostly_korean(answer):
        # "포닥 몇 명 뽑아요?" is answered by a number of people ("400명"), not by "4대 과학기술원"
        counters = next(kind for kind in _KO_COUNTERS if counted.group(1) in kind)
        counts = re.compile(rf"(?:\d[\d,.]*|{_KO_NUMERALS})\s*(?:{'|'.join(counters)})")
        return bool(set(counts.findall(answer)) - set(counts.findall(question)))
    # A date is no amount: "이번 합격자 몇 명이에요?" is not answered by a notice giving only dates
    amounts = set(_NUMBER.findall(_REFERENCE.sub(" ", _CALENDAR.sub(" ", answer))))
    if amounts - set(_NUMBER.findall(_CALENDAR.sub(" ", question))):
        return True
    return bool(_NUMBER_WORDS.search(answer))


# Days of every week ("Monday to Friday", "월요일부터 금요일까지"): office hours, not a day
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|[월화수목금토일]요일"
_WEEKDAY_RANGE = re.compile(
    rf"(?:{_WEEKDAY})\s*(?:to|through|till|until|-|–|~|부터)\s*(?:{_WEEKDAY})", re.IGNORECASE)


def pinpoints(answer: str, kind: str | None, question: str = "") -> bool:
    """Whether `answer` states what a question of `kind` asks for, exactly: for "time", a day
    (a date or a weekday), not only an hour ("when is the workshop?" is answered by its dates
    before the office hours of its contact); otherwise as `gives`."""
    if kind == "time":
        answer = _without_issue_dates(answer)
        return bool(set(_DAY.findall(answer)) - set(_DAY.findall(question))
                    or _TIME_WORDS.search(_WEEKDAY_RANGE.sub(" ", answer)))
    return gives(answer, kind, question)
