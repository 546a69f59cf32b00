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
# Function words carry no topic: drop them so BM25 and the coverage check look at content. So
# do the words of how a question is put ("would you mind telling me", "I was wondering",
# "I'd love to hear"), in the forms a question uses.
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
    already anyway anyhow else even ever instead once per perhaps rather still whole overall total
    besides except apart aside excluding reason reasons wonder wondering wondered curious idea
    clue telling told tells knowing knows showing shows explaining explains wants wanted wanting
    getting gets letting lets mind love hear heard happen happens happened
    """.split()
)
# Light verbs, pronouns, question and request words ("알려줘", "보여줘", "궁금합니다"; "머" and
# "모", as "뭐" is often typed; "어딨", "어디 있"), nouns as general as "thing" or "way" (사람,
# 방법, 얘기), "reason" (이유: asks why, as 왜 does), adverbs of how much one means it ("꼭",
# "하필", "굳이"), and asking to be told of something ("…에 대해 간단히 설명해 주세요"): how
# something is asked, not about what.
_KO_STOP_FORMS = frozenset(
    """하 되 있 없 같 이 그 저 것 수 등 때 좀 알 주 보 말 왜 어떻 어떠 뭐 무엇 어디 언제 누구 얼마 얼마나
    몇 며칠 어느 어떤 무슨 나 저희 우리 제 내 너 알리 궁금 가능 다음 이번 다가오 가장 제일
    전부 모두 다 목록 혹시 정확히 대충 그냥 진짜 거기 여기 저기 그곳 이곳 그거 이거 저거 걔네
    사람 방법 얘기 보이 같이 함께 정도 대략 뭐뭐 누구누구 궁금하 꼭 하필 굳이 정말 너무 이유 머 모 어딨
    대하 설명 간단 간단히 자세히 상세히""".split()
)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
# How Korean text parted by a line break joins (`Analyzer.junction`)
INSIDE, ATTACHED, APART = "inside", "attached", "apart"
# Ways of asking whose words name nothing: "how long" asks for a length of time (see
# expects.py), no more about "long" than "how much" is about "much" ("how long does the program
# last?" is not about "long been seen"); "what kind of support" asks about support; "which day
# of the week" asks for a weekday
_HOW_PHRASE = re.compile(
    r"(?<=\bhow\s)(?:long|far|often|big|well|come)\b"
    r"|\b(?:kinds?|types?|sorts?)\s+of\b|\ba\s+lot\s+of\b|\blots\s+of\b"
    r"|\bday\s+of\s+(?:the\s+)?week\b"
    # idioms that stress a question ("why New York of all places?", "why launch it in the
    # first place?") and name nothing it is about
    r"|\bof\s+all\s+(?:places|things|people|times|days)\b|\bin\s+the\s+first\s+place\b"
    r"|\bfirst\s+of\s+all\b"
    # what asks for what is said of a topic ("more about the mentoring", "details on the
    # centers", "any info on the salary"), not the topic
    r"|\bmore\s+(?=about\b|on\b)"
    r"|\b(?:details?|information|info)\s+(?=about\b|on\b|of\b|regarding\b)|\bthe\s+deal\s+with\b",
    re.IGNORECASE)
# An English past tense or participle: "created", "launched"; not "need", "speed" or "hundred"
_PAST_FORM = re.compile(r"(?!hundred)[a-z]{3,}(?<!e)ed")
# Where one message holds two questions.
_QUESTION_BREAK = re.compile(r"[?？](?=\s*\S)")
_ENGLISH_AND_QUESTION = re.compile(
    r",?\s+and\s+(?=(?:who|what|when|where|why|how|which|is|are|can|could|do|does|did|will|"
    r"would|should)\b)", re.IGNORECASE)
_ENGLISH_JOINING = re.compile(r"\b(?:and|plus|as well as|also)\b|&", re.IGNORECASE)
_OPENING_CONJUNCTION = re.compile(r"^\W*(?:and|plus|also|그리고|또한)(?!\w)", re.IGNORECASE)
# Kiwi tags "이랑", "하고" as adverbial particles, "및" as an adverb
_KO_JOINING_WORDS = frozenset({"이랑", "랑", "하고", "및", "그리고", "또한"})
# ...unless it means "with": "기관들이랑 같이 해요" (who does it work with) and "MIT 연봉이랑
# 비교하면" (compared with) are one topic
_KO_TOGETHER = frozenset({"같이", "함께", "비교"})
_KO_JOINING = frozenset({"고", "며", "으며", "면서", "으면서"})
# Endings of a Korean clause that sets the scene for what follows ("…많은데 더 받을 방법은?")
# (Kiwi writes the ㄴ of "인데" as a final consonant, U+11AB, not the letter U+3134)
_KO_BACKGROUND = frozenset({"는데", "은데", "ᆫ데", "던데"})
_SENTENCE_END = re.compile(r"(?<=[.!?？。\n])\s+")
_KO_QUESTION_WORDS = frozenset("얼마 얼마나 누구 언제 어디 무엇 뭐 무슨 어떻 어떤 왜 몇 어느".split())
# A sentence without a question mark asks when it has a question word, a question's word order
# ("can I", "is there") or a request ("tell me", "I'd like to know", "궁금해요", "알려줘")...
_EN_QUESTION_ORDER = (r"\b(?:am|is|are|was|were|can|could|may|should|do|does|did|will|would|"
                      r"have|has)\s+(?:i|we|you|they|it|there|he|she|postdocs?)\b")
_EN_ASKS = re.compile(
    r"\b(?:what|whats|when|where|who|whom|whose|which|why|how|hows|tell|explain|please|wonder|"
    r"wondering|know|curious|interested|ask|question|need|want|looking)\b|" + _EN_QUESTION_ORDER,
    re.IGNORECASE)
_KO_ASKING_STEMS = ("궁금", "알리", "묻", "질문", "문의", "여쭈")
# ...and an English one tells (about its writer) only when it opens with them ("I'm Indian, did my
# PhD in Germany"): a fragment after a question ("and the deadline") still asks
_EN_ABOUT_ONESELF = re.compile(
    r"^\W*(?:(?:ok|okay|so|and|but|also|btw|well)\W+)*(?:i|i'm|im|i've|ive|i'd|my|we|we're|our)\b",
    re.IGNORECASE)
# What a question sets aside: "Besides job ads, how do they recruit?", "설명회 말고 다른 방법은?"
_EN_SET_ASIDE = re.compile(
    r"\b(?:besides|apart from|aside from|other than|except(?:\s+for)?|excluding)\s+(?:the\s+)?"
    r"(.+?)(?=\s*[,?.!;]|\s+(?:how|what|where|who|which|when|why|is|are|do|does|did|can|could|"
    r"will|would|should|any)\b|$)", re.IGNORECASE)
_KO_SET_ASIDE = re.compile(r"(\S+)\s*(?:말고|말구|외에|외엔|빼고|제외하고)")
_EN_LIST_JOIN = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+(?:the\s+)?", re.IGNORECASE)
# "What about GIST?" asks nothing of its own: it takes its question from the one before
_EN_QUESTION_WORD = re.compile(
    r"\b(?:what|when|where|who|whom|whose|which|why|how)\b(?!\s+about\b)", re.IGNORECASE)
_PUNCTUATION_TAGS = ("SF", "SP", "SS", "SE", "SO", "SW")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# A Latin-script word inside Korean text. Kiwi cuts some ("researchers." -> "research",
# "ers.") and keeps a sentence's full stop on others ("KAIST."): its tokens only say where
# a word is, the word itself is read from the text.
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f]*")  # "T3Q" too


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


def _load_kiwi():
    """Kiwi (about 0.6 s to load, and as long again for its first sentence)."""
    from kiwipiepy import Kiwi

    # The multi-word and typo dictionaries double Kiwi's start-up time for no gain in recall
    # here; the dense side already absorbs typos. Nor the default one (proper nouns from
    # Wikipedia): without it Kiwi takes 80 MB less and loads 0.4 s faster, and every
    # evaluation set's answers stay as they were (`decision.found_in` finds "기계" in
    # "기계연", which it no longer cuts).
    # num_workers=0: single-threaded, which also loads fastest; questions are short.
    with warnings.catch_warnings():  # kiwipiepy warns that 0 changed meaning in 0.21
        warnings.simplefilter("ignore", DeprecationWarning)
        return Kiwi(num_workers=0, load_multi_dict=False, load_typo_dict=False,
                    load_default_dict=False)


class Analyzer:
    """Kiwi for Hangul text, Snowball stems for Latin words; lower-cased terms out."""

    def __init__(self) -> None:
        import Stemmer

        self._kiwi = None  # loaded with the first Korean text: English alone never needs it
        self._stemmer = Stemmer.Stemmer("english")
        self._lock = threading.Lock()
        # A question is analysed for its terms, its verbs and its clauses: tokenize it once. The
        # cache only has to outlive one question's analyses (a few at once, one per request
        # thread), so it keeps few applicants' words.
        self._tokens = lru_cache(maxsize=32)(self._tokenize)

    def _tokenize(self, text: str) -> tuple:
        with self._lock:
            return tuple(self._korean().tokenize(text))

    def _korean(self):
        """Kiwi, loaded on first use (call with `_lock` held)."""
        if self._kiwi is None:
            self._kiwi = _load_kiwi()
        return self._kiwi

    def _english(self, word: str) -> str | None:
        word = word.lower()
        if word in _EN_STOPWORDS or len(word) < 2 and not word.isdigit():
            return None
        return self._stemmer.stemWord(word)

    def english_words(self, text: str) -> list[tuple[str, str]]:
        """(word, term) for the Latin-script words of `text` that carry content."""
        return [(w.lower(), t) for w in _WORD.findall(text)
                if w.isascii() and (t := self._english(w))]

    def terms(self, text: str) -> list[str]:
        """Content terms of `text`, in order, with repeats."""
        if not _HANGUL.search(text):
            text = _HOW_PHRASE.sub(" ", text)
            return [t for w in _WORD.findall(text) if (t := self._english(w))]
        tokens = self._tokens(text)
        word_at = {i: m for m in _LATIN_WORD.finditer(text) for i in range(m.start(), m.end())}
        out: list[str] = []
        read = set()  # the Latin words already taken, whatever pieces Kiwi made of them
        for tok in tokens:
            tag = tok.tag.split("-")[0]
            if tag not in _KEEP_TAGS:
                continue
            if tag == "SL" or tag == "SN" and tok.start in word_at:  # the "3" of "T3Q"
                word = word_at.get(tok.start)
                if word is None or word.start() in read:
                    continue
                read.add(word.start())
                if term := self._english(word.group()):
                    out.append(term)
            elif tok.form not in _KO_STOP_FORMS:
                out.append(tok.form.lower())
        return out

    def predicates(self, text: str) -> set[str]:
        """The verbs and adjectives among `terms(text)`: the Korean stems Kiwi tags so, and
        English words in -ed, a past tense or participle ("Why was InnoCORE created?")."""
        english = {t for w, t in self.english_words(text) if _PAST_FORM.match(w)}
        if not _HANGUL.search(text):
            return english
        tokens = self._tokens(text)
        return english | {t.form.lower() for t in tokens if t.tag.split("-")[0] in ("VV", "VA")}

    def joins(self, text: str) -> bool:
        """Whether `text` joins two things with a conjunction ("salary and eligibility",
        "연봉이랑 지원 자격", "연봉 및 처우"); one it opens with joins it to the conversation
        ("and the manufacturing one?"), not two things."""
        text = _OPENING_CONJUNCTION.sub("", text)
        if not _HANGUL.search(text):
            return bool(_ENGLISH_JOINING.search(text))
        tokens = self._tokens(text)
        following = [t.form for t in tokens[1:]] + [""]
        return any((t.tag == "JC" or t.form in _KO_JOINING_WORDS) and after not in _KO_TOGETHER
                   for t, after in zip(tokens, following))

    def clauses(self, text: str) -> list[str]:
        """The questions a message joins into one ("What is the salary and who can apply?",
        "연봉은 얼마고 누가 지원할 수 있어요?"): split after a question mark followed by more
        text, at an English "and" that opens a new question, and after a Korean connective
        ending (-고, -며) that closes a clause with a question word of its own ("얼마고") and
        is not followed by an auxiliary verb. A message with one question comes back whole."""
        cuts = [(m.end(), m.end()) for m in _QUESTION_BREAK.finditer(text)]
        cuts += [(m.start(), m.end()) for m in _ENGLISH_AND_QUESTION.finditer(text)]
        if _HANGUL.search(text):
            tokens = self._tokens(text)
            asking = False  # a question word since the last cut
            for tok, nxt in zip(tokens, tokens[1:]):
                asking = asking or tok.form in _KO_QUESTION_WORDS
                if (asking and tok.form in _KO_JOINING and self._connective(text, tok)
                        and not nxt.tag.startswith("VX")):
                    end = tok.start + tok.len
                    cuts.append((end, end))
                    asking = False
        parts, start = [], 0
        for cut, resume in sorted(cuts):
            parts.append(text[start:cut])
            start = resume
        parts.append(text[start:])
        # "…? Also, is there housing?": the "also" joins it to the one before, and says nothing
        parts = [_OPENING_CONJUNCTION.sub("", p) if i else p for i, p in enumerate(parts)]
        return [p.strip(" ,") for p in parts if p.strip(" ,")]

    @staticmethod
    def _connective(text: str, tok) -> bool:
        """Whether a "-고"/"-며" token ends a clause. Kiwi sometimes reads "얼마고 멘토링은" as
        the prefix 고- of "멘토링": glued to the word before it and a space after, it is the
        ending all the same."""
        if tok.tag in ("EC", "JC"):
            return True
        end = tok.start + tok.len
        return (tok.start > 0 and not text[tok.start - 1].isspace()
                and end < len(text) and text[end].isspace())

    def asks(self, text: str) -> bool:
        """Whether a sentence asks something, or only tells ("I'm Indian, did my PhD in
        Germany", "와이프가 중국 국적이라서요", "미국에서 박사 받았습니다"). A Korean sentence
        that ends like a statement (-다) or breaks off on a connective ending (-라서요, -는데)
        tells; one ending in -요 could be either and is taken to ask. Asking is the default:
        only a sentence that is plainly a statement tells."""
        if "?" in text or "？" in text:
            return True
        if not _HANGUL.search(text):
            return not _EN_ABOUT_ONESELF.search(text) or bool(_EN_ASKS.search(text))
        tokens = self._tokens(text)
        if any(t.form in _KO_QUESTION_WORDS or t.form.startswith(_KO_ASKING_STEMS)
               for t in tokens):
            return True
        words = [t for t in tokens if not t.tag.startswith(_PUNCTUATION_TAGS)]
        if len(words) > 1 and words[-1].form == "요" and words[-1].tag == "JX":
            words.pop()  # "박사라서요": the connective "라서" with a polite "요"
        if not words:
            return False
        last = words[-1]
        return not (last.tag == "EC" or last.tag == "EF" and last.form.endswith("다"))

    def set_aside(self, text: str) -> list[str]:
        """What a question asks about besides, item by item: ["job ads"] in "Besides job ads,
        how do they recruit?", ["설명회", "공고"] in "설명회랑 공고 말고 다른 방법은?"; none
        when it sets nothing aside."""
        if not _HANGUL.search(text):
            match = _EN_SET_ASIDE.search(text)
            return [item for item in _EN_LIST_JOIN.split(match.group(1).strip()) if item] \
                if match else []
        match = _KO_SET_ASIDE.search(text)
        if not match:
            return []
        items = [match.group(1)]
        # ...and the words joined to it by a comma or a joining particle ("설명회랑", "연봉이나")
        for word in reversed(text[:match.start(1)].split()):
            if word.endswith(","):
                items.insert(0, word.rstrip(","))
            elif (tokens := self._tokens(word)) and tokens[-1].tag == "JC" and tokens[-1].start:
                items.insert(0, word[:tokens[-1].start])
            else:
                break
        return items

    def has_question_word(self, text: str) -> bool:
        """Whether `text` asks with a question word of its own ("연구단 몇 개예요?", "who can
        apply?"), not only by pointing at the question before it ("what about GIST?",
        "UNIST는요?")."""
        if not _HANGUL.search(text):
            return bool(_EN_QUESTION_WORD.search(text))
        return any(t.form in _KO_QUESTION_WORDS for t in self._tokens(text))

    def names_only(self, text: str) -> bool:
        """Whether a question only names what it is about ("What about New York?", "and the
        manufacturing one?", "설계-제조 연구단은요?"): no question word or verb of its own, as
        "Do I need to speak Korean?" and "설명회도 했나요?" have."""
        if self.has_question_word(text):
            return False
        if not _HANGUL.search(text):
            return not re.search(_EN_QUESTION_ORDER, text, re.IGNORECASE)
        return not self.predicates(text)

    def asked_part(self, text: str) -> str:
        """What a message asks once the context its writer gives is set aside: its question
        sentences after statements ("I make ~150k USD in industry. Is there any way to get
        more than the base salary?"), or the clause after a Korean background clause in -는데
        ("지금 미국에서 받는 돈이 훨씬 많은데 연봉 더 얹어줄 방법은 없나요?"); "" when it
        gives no context."""
        sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
        if len(sentences) > 1 and not sentences[0].rstrip().endswith(("?", "？")):
            asking = [s.strip() for s in sentences if s.rstrip().endswith(("?", "？"))]
            if asking:
                return " ".join(asking)
        if _HANGUL.search(text):
            background = [t.start + t.len for t in self._tokens(text)
                          if t.tag == "EC" and t.form in _KO_BACKGROUND]
            if background and text[background[-1]:].strip(" ,"):
                return text[background[-1]:].strip(" ,")
        return ""

    def space(self, text: str) -> str:
        """Insert the spaces a Korean text is missing (keeps the ones it has)."""
        with self._lock:
            return self._korean().space(text, reset_whitespace=False)

    def junction(self, left: str, right: str) -> str | None:
        """What joins Korean text that a line break parted (`left` ends a line, `right` starts
        the next), read from the morphemes of the two together: INSIDE a morpheme ("연" /
        "구를"), ATTACHED (a particle, ending, suffix or the copula opens `right`: none
        starts a word), APART (a particle, an ending or a bound noun closes `left` and a word
        opens `right`: Korean puts a space after them, "논문의" / "게재료를", "4대" /
        "과학기술원"); None when they do not tell."""
        cut = len(left)
        tokens = self._tokens(left + right)
        if across := next((t for t in tokens if t.start < cut < t.start + t.len), None):
            # (a noun across it may be two that Kiwi took for one name: "옥스퍼드" / "대학교")
            return None if across.tag.startswith("N") else INSIDE
        before = [t for t in tokens if t.start + t.len <= cut]
        after = [t for t in tokens if t.start >= cut]
        if not before or not after:
            return None
        if after[0].tag.startswith(("J", "E", "XS", "VCP")) or (
                before[-1].tag == "SN" and after[0].tag == "NNB"):  # a counter: "8" / "개"
            return ATTACHED
        if before[-1].tag.startswith(("J", "E", "NNB")) and before[-1].tag != "EP":
            return APART  # (a pre-final ending, "-시-", "-었-", is always followed by another)
        return None


@lru_cache(maxsize=1)
def default_analyzer() -> Analyzer:
    return Analyzer()
