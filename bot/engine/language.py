"""Which language a text is in: the language of its grammar. A question in one language
often names things in the other ("What is 연봉?", "Physical AI Research Center는 어디 주관이야?"):
those names say nothing about the asker's language; the little words that hold the sentence
together (English "who", "is", "the"; Korean particles and endings) do."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_ENGLISH_WORD = re.compile(r"[A-Za-z]*[a-z][A-Za-z]*")  # names in capitals (KAIST, AI) say nothing
# A last word that only Korean grammar puts there: a question word ("얼마", "언제야"), or a
# sentence ending or topic particle ("있나요", "되나", "가능함", "salary는"). A noun quoted
# at the end ("What is 연봉?") is none of these.
_QUESTION_WORD = "얼마|언제|어디|누구|뭐|무엇|몇|어떻게|왜|어때"
_KOREAN_ENDING = re.compile(rf"^(?:{_QUESTION_WORD})|(?:요|까|니|냐|죠|임|됨|함|은|는)$")
# English words that are grammar, not names: question words, auxiliaries, pronouns, articles
# and prepositions
_ENGLISH_GRAMMAR = frozenset("""
    who whom whose what when where why how which is are was were am be do does did can could
    will would should shall may might must have has had i me my you your we our they their it
    its he she his her the a an of to in on at for with from about by there this that these
    those and or if any
    """.split())
# A Korean word that carries grammar: a question word, or one ending in a particle or a
# sentence ending ("연구단에", "회사들이", "참여해"). Some nouns end the same way ("지원서");
# that only matters where the English side has no grammar words at all.
_KOREAN_GRAMMAR = re.compile(
    rf"^(?:{_QUESTION_WORD}|어떤|무슨)"
    r"|(?:은|는|이|가|을|를|에|의|도|로|와|과|랑|만|서|께|터|요|까|니|냐|죠|해|야|나|지|다|고|래|임|됨|함)$")


def detect_lang(text: str) -> str:
    """'ko' or 'en'. A text in one script is in its language. A mixed one ("포닥 salary 얼마?",
    "수소 연구단 — who leads it?") is in the language that supplies its grammar words;
    one that ends in Korean grammar ("InnoCORE postdoc salary 얼마예요?") is Korean, and one
    with no grammar in either ("수소 연구단 partners?") is in the language of its last
    word, the word it asks about."""
    words = _WORD.findall(text)
    korean = [w for w in words if _HANGUL.search(w)]
    english = [w for w in words if not _HANGUL.search(w) and _ENGLISH_WORD.fullmatch(w)]
    if not korean or not english:
        return "ko" if korean else "en"
    if _HANGUL.search(words[-1]) and _KOREAN_ENDING.search(words[-1]):
        return "ko"
    english_grammar = sum(w.lower() in _ENGLISH_GRAMMAR for w in english)
    korean_grammar = sum(bool(_KOREAN_GRAMMAR.search(w)) for w in korean)
    if english_grammar != korean_grammar:
        return "en" if english_grammar > korean_grammar else "ko"
    if not english_grammar:
        last = next(w for w in reversed(words) if w in korean or w in english)
        return "ko" if last in korean else "en"
    return "ko" if len(korean) >= len(english) else "en"
