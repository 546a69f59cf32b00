"""A question as the engine reads it: control characters, terminal colour codes and pasted
markup taken out, compatibility forms folded."""

from __future__ import annotations

import re
import unicodedata

_ANSI_ESCAPE = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|[@-Z\\-_])")  # terminal colour codes

# NFKC turns Hangul compatibility jamo, the bare letters of "ㅋㅋ" or "ㅇㅇ", into conjoining
# jamo, which display as broken characters and read as no language at all: put them back.
_COMPATIBILITY_JAMO = {
    ord(folded): chr(c) for c in range(0x3131, 0x318F)
    if len(folded := unicodedata.normalize("NFKC", chr(c))) == 1 and folded != chr(c)}


# Markup pasted around a question (HTML, Markdown) says nothing about what is asked, and its
# words ("script", "alert") pulled a covered question below the answer threshold.
_MARKUP = (
    (re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL), " "),
    (re.compile(r"</?[a-zA-Z][^<>]*>"), " "),                     # tags
    (re.compile(r"\[([^\]]*)\]\([^)\s]*\)"), r"\1"),               # [text](url)
    (re.compile(r"\*{1,3}|`{1,3}|(?:^|(?<=\s))#{1,6}(?=\s)"), " "),  # emphasis, code, headings
)


def clean_question(text: str) -> str:
    """Drop control and format characters and markup; fold compatibility forms (full-width
    letters...)."""
    text = unicodedata.normalize("NFKC", _ANSI_ESCAPE.sub(" ", text)).translate(_COMPATIBILITY_JAMO)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\n\t" else " " for ch in text)
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    return re.sub(r"\s+", " ", text).strip()
