"""Text analysis for the lexical side of retrieval: Korean morphemes (Kiwi) and English stems.

Kept behind one function, `Analyzer.terms`, so another morphological analyzer can replace Kiwi.
"""

from __future__ import annotations

import re
import threading
import warnings
from functools import lru_cache

# Content morphemes only: nouns, verb/adjective stems, roots, foreign words, numbers.
_KEEP_TAGS = {"NNG", "NNP", "NR", "NP", "VV", "VA", "XR", "SL", "SN", "SH", "MAG", "W_HASHTAG"}
# Function words carry no topic: drop them so BM25 and the coverage check look at content.
_EN_STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as into about over under than then
    is are was were be been being am do does did done have has had having can could will would
    shall should may might must i me my we our you your he she it its they them their this that
    these those there here what which who whom whose when where why how whats hows much many
    any some all no not so very too just also please tell know want get got let s t isn aren
    im ive id youre thats theres don doesn didn won wouldn couldn shouldn yes ok okay hi
    hello hey anyone someone something anything next upcoming soon latest current
    list every everything together give show explain exactly actually really roughly
    approximately thing things stuff guy guys u r ur lol yo rn pls plz thx until till up off out
    """.split()
)
# Light verbs, pronouns, question and request words: they say how something is asked, not about what.
_KO_STOP_FORMS = frozenset(
    """하 되 있 없 같 이 그 저 것 수 등 때 좀 알 주 보 말 왜 어떻 어떠 뭐 무엇 어디 언제 누구 얼마 얼마나
    몇 어느 어떤 무슨 나 저희 우리 제 내 너 알리 궁금 가능 다음 이번 다가오 가장 제일
    전부 모두 다 목록 혹시 정확히 대충 그냥 진짜""".split()
)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


_LEADS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_TAILS = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"


def spelling_key(term: str) -> str:
    """Hangul syllables spelled out as letters (jamo), so that a typo in one letter of a
    two-syllable word ("맨토" for "멘토") is as close as a typo in an English word."""
    out = []
    for ch in term:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(_LEADS[code // 588] + _VOWELS[code % 588 // 28] + _TAILS[code % 28].strip())
        else:
            out.append(ch)
    return "".join(out)


class Analyzer:
    """Kiwi for Hangul text, Snowball stems for Latin words; lower-cased terms out."""

    def __init__(self) -> None:
        import Stemmer
        from kiwipiepy import Kiwi

        # The multi-word and typo dictionaries double Kiwi's start-up time for no gain in recall
        # here; the dense side already absorbs typos.
        # num_workers=0: single-threaded, which also loads fastest; questions are short.
        with warnings.catch_warnings():  # kiwipiepy warns that 0 changed meaning in 0.21
            warnings.simplefilter("ignore", DeprecationWarning)
            self._kiwi = Kiwi(num_workers=0, load_multi_dict=False, load_typo_dict=False)
        self._stemmer = Stemmer.Stemmer("english")
        self._lock = threading.Lock()

    def _english(self, word: str) -> str | None:
        word = word.lower()
        if word in _EN_STOPWORDS or len(word) < 2 and not word.isdigit():
            return None
        return self._stemmer.stemWord(word)

    def terms(self, text: str) -> list[str]:
        """Content terms of `text`, in order, with repeats."""
        if not _HANGUL.search(text):
            return [t for w in _WORD.findall(text) if (t := self._english(w))]
        with self._lock:
            tokens = self._kiwi.tokenize(text)
        out: list[str] = []
        for tok in tokens:
            tag = tok.tag.split("-")[0]
            if tag not in _KEEP_TAGS:
                continue
            if tag == "SL":
                if term := self._english(tok.form):
                    out.append(term)
            elif tok.form not in _KO_STOP_FORMS:
                out.append(tok.form.lower())
        return out

    def space(self, text: str) -> str:
        """Insert the spaces a Korean text is missing (keeps the ones it has)."""
        with self._lock:
            return self._kiwi.space(text, reset_whitespace=False)


@lru_cache(maxsize=1)
def default_analyzer() -> Analyzer:
    return Analyzer()
