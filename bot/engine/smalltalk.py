"""Greetings, thanks and requests for help: answered kindly, but never from the documents."""

from __future__ import annotations

import re

from bot.engine.types import ReplyKind

# Whole-message patterns (after trimming punctuation and emoji). A greeting that comes with a
# real question ("hi, what is the salary?") is not small talk: the question gets answered.
_PATTERNS: list[tuple[ReplyKind, str, re.Pattern]] = [
    (ReplyKind.HELP, "help", re.compile(
        r"^(?:/?help|/?start|menu|commands?|what can you do|how does this work|how do i use (?:this|you)"
        r"|도움말|도움|도와줘|도와주세요|사용법|뭘 할 수 있어|무엇을 할 수 있나요|뭐 할 수 있어)$", re.I)),
    (ReplyKind.GREETING, "thanks", re.compile(
        r"^(?:thanks?(?: a lot| so much)?|thank you(?: very much| so much)?|thx|ty|cheers|appreciated"
        r"|감사(?:합니다|해요|해)?|고마워(?:요)?|고맙습니다|땡큐)$", re.I)),
    (ReplyKind.GREETING, "farewell", re.compile(
        r"^(?:bye|bye bye|goodbye|good bye|see you|see ya|have a (?:good|nice) (?:day|one)"
        r"|안녕히 (?:계세요|가세요)|잘 있어(?:요)?|수고하세요|수고하셨습니다|또 올게요|바이)$", re.I)),
    (ReplyKind.GREETING, "greeting", re.compile(
        r"^(?:hi|hello|hey|hiya|yo|greetings|good (?:morning|afternoon|evening)|hi there|hello there"
        r"|안녕|안녕하세요|안녕하십니까|하이|반가워(?:요)?|반갑습니다|헬로)$", re.I)),
]
# Edges that say nothing: punctuation, emoji, and Korean laughter or tears in bare letters
# ("감사합니다 ㅎㅎ", "안녕하세요 ㅠㅠ").
_TRIM = re.compile(r"[\s\W_\u3131-\u318e]+$|^[\s\W_]+", re.UNICODE)


def classify(text: str) -> tuple[ReplyKind, str] | None:
    """(kind, message key) when the whole message is small talk, else None."""
    core = _TRIM.sub("", text.strip()).strip()
    core = re.sub(r"\s+", " ", core)
    if not core:
        return None
    for kind, key, pattern in _PATTERNS:
        if pattern.match(core):
            return kind, key
    return None
