"""Greetings, thanks, requests for help or for a person: answered kindly, never from the
documents."""

from __future__ import annotations

import re

from bot.engine.types import ReplyKind

# Whole-message patterns (after trimming punctuation and emoji). A greeting that comes with a
# real question ("hi, what is the salary?") is not small talk: the question gets answered.
_PATTERNS: list[tuple[ReplyKind, str, re.Pattern]] = [
    (ReplyKind.HELP, "help", re.compile(
        r"^(?:/?help|/?start|menu|commands?|what can you do|how does this work|how do i use (?:this|you)"
        r"|who (?:are|r) (?:you|u)|what are you|are you (?:a )?(?:bot|human|robot|real|ai)"
        r"|도움말|도움|도와줘|도와주세요|도움이? 필요(?:해요|합니다|해)|사용법|뭘 할 수 있어"
        r"|무엇을 할 수 있나요|뭐 할 수 있어|(?:너|넌|당신|그쪽)(?:는|은)? ?(?:누구|뭐)(?:야|예요|에요|세요|니|임)?"
        r"|누구(?:세요|야|예요|에요|니)|(?:너|넌)? ?(?:사람|봇|로봇|챗봇)(?:이야|이에요|인가요|이니|예요|야)?)$",
        re.I)),
    # Someone asking for a person is offered one, like a question the documents do not cover.
    (ReplyKind.DECLINE, "to_person", re.compile(
        r"^(?:(?:(?:can|could|may) i |i (?:want|would like|'d like|need) to |let me |please )?"
        r"(?:talk|speak|chat) (?:to|with) (?:a |an |the |some )?(?:human|person|real person|someone"
        r"|somebody|staff(?: member)?|agent|representative|people)(?: (?:from|on) (?:the |your )?staff)?"
        r"(?: please)?"
        r"|(?:a )?(?:human|real person|agent|staff member)(?: please)?"
        r"|(?:connect|transfer) me (?:to|with) (?:a |an )?(?:human|person|staff(?: member)?|agent"
        r"|someone)"
        r"|(?:담당자|상담원|사람|직원|관리자|운영자)(?:님)?(?:이?랑|하고|와|과|한테|에게)? ?"
        r"(?:얘기|이야기|대화|통화|상담|연결)(?: ?하고 ?싶어요| ?하고 ?싶습니다| ?하고 ?싶어| ?할래요"
        r"| ?할 수 있나요| ?할 수 있을까요| ?해 ?주세요| ?해 ?줘| ?부탁(?:해요|드려요|드립니다))?"
        r"|(?:담당자|상담원|사람)(?:님)? ?(?:좀 )?(?:불러|바꿔) ?(?:주세요|줘|줄래요?)?)$", re.I)),
    (ReplyKind.GREETING, "thanks", re.compile(
        r"^(?:(?:thanks?(?: a lot| so much)?|thank you(?: very much| so much)?)"
        r"(?: for (?:the|your) (?:info|information|help|answers?|reply))?|thx|ty|cheers|appreciated"
        r"|감사(?:합니다|해요|해)?|고마워(?:요)?|고맙습니다|땡큐"
        r"|(?:that was |this was |that's |very |really |so )?(?:very |really |so )?helpful"
        r"|도움(?:이)? ?(?:많이 |정말 |진짜 |잘 )?(?:됐어요|되었어요|됐습니다|되었습니다|됐네요|됐어|돼요|되네요))$",
        re.I)),
    (ReplyKind.GREETING, "farewell", re.compile(
        r"^(?:bye|bye bye|goodbye|good bye|see you|see ya|have a (?:good|nice) (?:day|one)"
        r"|안녕히 (?:계세요|가세요)|잘 있어(?:요)?|수고하세요|수고하셨습니다|또 올게요|바이)$", re.I)),
    (ReplyKind.GREETING, "greeting", re.compile(
        r"^(?:hi|hello|hey|hiya|yo|greetings|good (?:morning|afternoon|evening)|hi there|hello there"
        r"|안녕|안녕하세요|안녕하십니까|하이|하이요|ㅎㅇ|안뇽|반가워(?:요)?|반갑습니다|헬로)$", re.I)),
]
# Edges that say nothing: punctuation, emoji, and Korean laughter or tears in bare letters
# ("감사합니다 ㅎㅎ", "안녕하세요 ㅠㅠ").
_BARE_LETTERS = re.compile(r"[\u3131-\u318e]")
_PUNCTUATION_EDGES = re.compile(r"[\s\W_]+$|^[\s\W_]+", re.UNICODE)
_TRIM = re.compile(r"[\s\W_\u3131-\u318e]+$|^[\s\W_]+", re.UNICODE)


# An acknowledgement that may come with thanks or a goodbye ("ok thank you, bye", "ㅇㅋ 감사").
_ACKNOWLEDGEMENT = re.compile(
    r"^(?:ok(?:ay)?|alright|got it|i see|great|cool|ㅇㅋ|오케이|네|넵|네네|예|알겠(?:습니다|어요)|그렇군요)$",
    re.IGNORECASE)
_PHRASE_BREAK = re.compile(r"[,.!~;]+\s*|\s+(?=\S)")


def classify(text: str) -> tuple[ReplyKind, str] | None:
    """(kind, message key) when the whole message is small talk, else None. A message of
    several pieces of small talk ("thanks, bye", "고마워요 안녕히 계세요") is answered for its
    last one; an acknowledgement alone ("ok", "네") gets a short nod."""
    if found := _whole(_PUNCTUATION_EDGES.sub("", text.strip())):
        return found  # before letters alone are trimmed as laughter: "ㅎㅇ" is a hello
    core = re.sub(r"\s+", " ", _TRIM.sub("", text.strip()).strip())
    if not core:  # laughter alone ("ㅋㅋ", "ㅎㅎ") gets a nod
        return (ReplyKind.GREETING, "ack") if _BARE_LETTERS.search(text) else None
    if found := _whole(core):
        return found
    pieces = [p for p in _PHRASE_BREAK.split(core) if p]
    found = None
    start = 0
    while start < len(pieces):  # the longest run of words that reads as one piece of small talk
        for end in range(len(pieces), start, -1):
            phrase = " ".join(pieces[start:end])
            if piece := _whole(phrase):
                found, start = piece, end
                break
            if _ACKNOWLEDGEMENT.match(phrase):
                start = end
                break
        else:
            return None
    return found or (ReplyKind.GREETING, "ack")


def _whole(phrase: str) -> tuple[ReplyKind, str] | None:
    for kind, key, pattern in _PATTERNS:
        if pattern.match(phrase):
            return kind, key
    return None
