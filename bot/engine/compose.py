"""Turn retrieved sections into a grounded reply: quote them in the asker's language.

Every sentence of an answer is taken from the documents; the only added words are the
interface texts in messages.py, which carry no facts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable

from bot.engine import expects, messages
from bot.engine.index import IndexVersion
from bot.engine.language import detect_lang
from bot.engine.retrieve import Retrieval, SectionHit, Unit, per_version, sections_of
from bot.engine.sentences import split_sentences
from bot.engine.types import Source

MAX_SECTION_CHARS = 700   # a longer section is trimmed to its sentences closest to the question
MAX_SENTENCES = 3
MAX_EVENTS_LISTED = 8     # a short schedule is always given whole, with what is past marked
_ITEM_MARKER = re.compile(r"^(?:Q\s*\d*|문\s*\d*|\d{1,2})\s*[.):]\s*")  # "Q3. ", "문 2) ", "4. "


def rows_in(version: IndexVersion, unit: Unit, lang: str) -> tuple[list[int], str]:
    """The section's rows in `lang` when the document has a version in that language, else
    in the language it has. (A section is a document's n-th section in every language, so the
    two versions of a document are expected to run in parallel, as knowledge/README.md asks;
    when they do not, each language has units of its own: see retrieve.Unit.)"""
    sections = sections_of(version)
    rows = sections.rows[unit]
    by_lang: dict[str, list[int]] = {}
    for r in rows:
        by_lang.setdefault(version.chunks[r]["metadata"]["lang"], []).append(r)
    if lang in by_lang:
        return by_lang[lang], lang
    own = next(iter(by_lang))
    return by_lang[own], own


def section_sentences(version: IndexVersion, rows: list[int]) -> list[str]:
    """The sentences of one section, dropping the overlap the chunker repeated."""
    out: list[str] = []
    seen: set[str] = set()
    for r in rows:
        for sentence in split_sentences(version.chunks[r]["text"]):
            if sentence not in seen:
                seen.add(sentence)
                out.append(sentence)
    return out


def trim(sentences: list[str], query_terms: set[str], terms_of) -> list[str]:
    """A long section: keep the sentences sharing most terms with the question, in order."""
    if len(" ".join(sentences)) <= MAX_SECTION_CHARS:
        return sentences
    overlap = [len(query_terms & set(terms_of(s))) for s in sentences]
    ranked = sorted(range(len(sentences)), key=lambda i: (-overlap[i], i))[:MAX_SENTENCES]
    keep = set(ranked) if overlap[ranked[0]] else set(range(MAX_SENTENCES))
    return [s for i, s in enumerate(sentences) if i in keep]


# Questions that ask for an enumeration ("list all…", "which centers…", "what … are there",
# "…다 알려줘").
_WANTS_LIST = re.compile(
    r"\b(?:list|all|every|which|what are|kinds? of|types? of)\b"
    r"|\bwhat\s+(?:\w+\s+){1,3}are\s+there\b"  # "what research centers are there?"
    r"|목록|전부|모두|다\s*알려|뭐가\s*있|무엇이\s*있|어떤\s*\S+\s*[이가]?\s*있|어디\s*어디|종류"
    r"|뭐\s*뭐|몇\s*개",
    re.IGNORECASE)
_WHICH = re.compile(r"어떤\s*\S+")  # "어떤 기업이 참여해?": which ones, or which one
LIST_TIE = 0.04   # a list section this close to the best answers a list question first
ENUMERATED = 4    # commas in one sentence that make it a list of names
_ENUMERATION_COMMA = re.compile(r"[,，、](?!\d)")  # not the comma of "3,000"
SHORT_DOCUMENT = 900  # characters (in its longer language): answered whole…
SHORT_DOCUMENT_SECTIONS = 6  # …when it has no more sections than a reply quotes
SAME_DOCUMENT_TIE = 0.03  # a longer one adds its sections this close to the best, after it
RESTATED_MIN_TERMS = 4  # shorter sentences are never dropped as repeats
RESTATED_SHARE = 0.85  # (at 0.8 the space-solar partners were a "repeat" of the hydrogen ones)
# Text in the other language only, which the question's words can't sharpen, scores closer
# together: the sections as close to the best are looked for further down (notices sets: right
# answers +4 of 128, notices4-6 +5 of 120, declines unchanged; such replies ~40% longer)
CROSS_LANGUAGE_WINDOW = 5
MEANING_TIE = 0.002   # cosine: no difference in meaning ("연봉 🤔": the salary, not its comparison)
SHORT_REPLY = 3       # words: a Q&A answer opening this short ("Yes.", "네.") is led by its question
# the marks of a list's items, as plain text, PDFs and Korean notices draw them ("ㅇ ", "○ ")
_BULLETS = ("- ", "* ", "• ", "▪ ", "● ", "○ ", "◦ ", "ㅇ ", "ㆍ ")
_YES_OR_NO = re.compile(r"\s*(?:yes|no|네|예|아니요|아니오|아뇨)[.,!]?(?:\s+|$)", re.IGNORECASE)


def wants_list(question: str) -> bool:
    return bool(_WANTS_LIST.search(question))


def asks_which(question: str) -> bool:
    """Whether a question asks which ones, or which one: a section naming several is its answer
    more often than not (a list asked for is more: see `wants_list`)."""
    return wants_list(question) or bool(_WHICH.search(question))


def is_list(version: IndexVersion, unit: Unit) -> bool:
    """A section that is itself an enumeration: three or more bullet lines."""
    rows = sections_of(version).rows[unit]
    lines = "\n".join(version.chunks[r]["text"] for r in rows).splitlines()
    return sum(1 for line in lines if line.lstrip().startswith(_BULLETS)) >= 3


def enumerates(version: IndexVersion, unit: Unit) -> bool:
    """A section that lists things: in bullet lines, or in one sentence naming many ("KAIST
    (lead), GIST, DGIST and UNIST, Seoul National University, Naver, LG AI Research…")."""
    rows = sections_of(version).rows[unit]
    return is_list(version, unit) or any(
        len(_ENUMERATION_COMMA.findall(sentence)) >= ENUMERATED
        for r in rows for sentence in split_sentences(version.chunks[r]["text"]))


def is_question_item(version: IndexVersion, unit: Unit) -> bool:
    """A section headed by a question (an FAQ or Q&A item): it answers that question alone."""
    rows = sections_of(version).rows[unit]
    return version.chunks[rows[0]]["metadata"].get("section", "").rstrip().endswith(("?", "？"))


def repeats(retrieval: Retrieval, unit: Unit, chosen: list[Unit], share: float = 0.6) -> bool:
    """True when most of a section's words are already in the chosen sections (an FAQ answer
    restating a program page adds length, not information)."""
    terms = retrieval.sections.terms[unit]
    if not terms:
        return True
    known = set().union(*(retrieval.sections.terms[u] for u in chosen))
    return len(terms & known) / len(terms) >= share


# Questions asking which ones: "어느 연구단", "어디가 참여", "which centers".
_ASKS_WHICH = re.compile(  # which ones, or all of them, or how many
    r"\bwhich\b|\ball\b|\bevery\b|\bhow\s+many\b|어느|어디|어떤|몇\s*(?:개|곳)|다\s*알려|전부|모두|모든"
    r"|뭐뭐", re.IGNORECASE)
SIBLINGS_MIN = 3  # documents built alike (one page per center): this many share a heading
NAMED_RARELY = 1.25  # a name in at most this many sections per section alike
SUMMED_UP = 3  # a section naming this many of the names that sections alike give sums them up


def sibling_sections(version: IndexVersion, unit: Unit) -> list[Unit]:
    """The sections of other documents under the same heading as `unit` (each center's
    "Participating institutions"), in index order."""
    return [u for u in section_groups(version).get(_heading(version, unit), [])
            if u.document != unit.document]


def built_alike(version: IndexVersion, first: tuple[str, str], second: tuple[str, str]) -> bool:
    """Two documents built alike, as one page per center is: most sections of the first
    (two at least) under a heading the second has too."""
    sections = sections_of(version).by_doc[first]
    shared = sum(any(u.document == second for u in sibling_sections(version, unit))
                 for unit in sections)
    return shared >= max(2, len(sections) / 2)


def section_groups(version: IndexVersion) -> dict[frozenset[str], list[Unit]]:
    """The sections of the index by heading."""
    return per_version(version, "_siblings", lambda: _group_by(
        sections_of(version).rows, lambda u: _heading(version, u)))


def _heading(version: IndexVersion, unit: Unit) -> frozenset[str]:
    return frozenset(version.chunks[r]["metadata"].get("section", "")
                     for r in sections_of(version).rows[unit])


def _group_by(units, key) -> dict:
    groups: dict = {}
    for unit in units:
        groups.setdefault(key(unit), []).append(unit)
    return groups


def named_in_siblings(retrieval: Retrieval, best: Unit, question: str) -> list[Unit]:
    """For a question asking which ones, the sections alike (same heading, in documents built
    alike) that name what the question names, when only some of them do and the documents
    name it rarely elsewhere (a partner's name, not "participate" or a lead institute
    mentioned everywhere): "which centers does Seoul National University take part in?" is
    answered by every center's participants that list it, not by the first. When the best
    section is alike to no other but sums up sections alike (it names several of the names
    they give one by one: every partner of the program at once), those answer, also a
    question that does not ask which ones ("is Harvard involved in any center?")."""
    version = retrieval.version
    own = [best] + sibling_sections(version, best)
    if len(own) >= SIBLINGS_MIN:
        if not _ASKS_WHICH.search(question):
            return []
        return [u for u in _naming(retrieval, own, best) if u != best]
    rank = {h.unit: n for n, h in enumerate(retrieval.hits)}
    options = [found for heading, group in section_groups(version).items()
               if any(heading) and len(group) >= SIBLINGS_MIN
               and len({u.document for u in group}) == len(group)
               and _names_of(retrieval, group, retrieval.sections.terms[best]) >= SUMMED_UP
               and (found := _naming(retrieval, group, best, few=True))]
    return min(options, key=lambda found: min(rank.get(u, len(rank)) for u in found), default=[])


def _names_of(retrieval: Retrieval, alike: list[Unit], terms: Iterable[str]) -> int:
    """How many of `terms` are names that a few (at most half) of the sections `alike` give
    ("Harvard" one center's partners; not "이름", which five of eight research parts say)."""
    held = retrieval.sections.terms
    rare = NAMED_RARELY * len(alike)
    return sum(1 for t in terms if retrieval.sections.df.get(t, 0) <= rare
               and 0 < 2 * sum(t in held[u] for u in alike) <= len(alike))


def _naming(retrieval: Retrieval, alike: list[Unit], best: Unit, few: bool = False) -> list[Unit]:
    """The sections of `alike` naming a rare name of the question that `best` names too
    (`few`: that at most half of them name)."""
    if len(alike) < SIBLINGS_MIN:
        return []
    terms = retrieval.sections.terms
    found: list[Unit] = []
    rare = NAMED_RARELY * len(alike)
    for term in dict.fromkeys(retrieval.query_terms):
        spellings = retrieval.spellings(term)  # "지스트": also "gist"
        holders = [u for u in alike if spellings & terms[u]]
        if (spellings & terms[best] and holders and len(holders) < len(alike)
                and (not few or 2 * len(holders) <= len(alike))
                and max(retrieval.sections.df.get(t, 0) for t in spellings) <= rare):
            found += [u for u in holders if u not in found]
    return found


def _says_all(retrieval: Retrieval, best: Unit, document: list[Unit], question: str) -> bool:
    """Whether the best section holds every word of the question that its document holds
    (in any spelling the documents give): then it answers alone what the document can say
    ("문의 전화번호 알려줘" needs a notice's contact part, not the whole notice). Never for a
    question in a language the document is not written in, whose words can't tell."""
    if question and detect_lang(question) not in retrieval.sections.langs[best]:
        return False
    terms = retrieval.sections.terms
    in_document = set().union(*(terms[u] for u in document))
    asked = [retrieval.spellings(t) for t in retrieval.query_terms]
    return all(spellings & terms[best] for spellings in asked if spellings & in_document)


# Two parts of a notice speak of all of it, and their words match a question about anything
# in it: its opening, under the title and before the first heading (who issues it, what it is
# about), and its contact section ("문의", "Contact"), whose e-mail address names the notice's
# topic, in English even in a Korean notice. They often scored first for a question they do not
# answer ("when is the career fair?" was led by the fair's contact desk). So they rank this much
# lower among the sections a reply quotes, unless the question asks what they say: whom to ask
# or where to write, or why the notice is and who issues it. (The decision still counts how
# close they came: they show which notice was asked about.)
WHOLE_NOTICE_LOWER = 0.03
_CONTACT_HEADING = re.compile(r"문의|연락처|\bcontacts?\b|\binquir|\benquir", re.IGNORECASE)
_ASKS_CONTACT = re.compile(
    r"문의|연락|이메일|메일|전화|상담|어디로|누구(?:한테|에게)|담당"
    r"|\bcontact|\be-?mail|\bphone|\bcall\b|\breach\b|\bwrite\s+to\b"
    r"|\bwho\s+(?:do|should|can)\s+i\b|\boffice\b|\bdesk\b|\baddress",
    re.IGNORECASE)
# ...and the opening is what answers why the notice is, and who issues it
_ASKS_ABOUT_NOTICE = re.compile(
    r"\bwhy\b|\bpurpose|\bwhat\s+(?:is|are)\b[^?]{0,40}\bfor\b"
    r"|\bwho\s+(?:organi[sz]es|runs|hosts|holds|issues|is\s+behind)\b"
    r"|왜|목적|취지|주최|주관", re.IGNORECASE)


def _heading_and_title(version: IndexVersion, unit: Unit) -> tuple[str, str]:
    """A section's heading and its document's title."""
    meta = version.chunks[sections_of(version).rows[unit][0]]["metadata"]
    return str(meta.get("section", "")), str(meta.get("title", ""))


def is_contact(version: IndexVersion, unit: Unit) -> bool:
    """Whether a section is a document's contact section (by its own heading, in any of its
    languages)."""
    return any(_CONTACT_HEADING.search(h.split("›")[-1]) for h in _heading(version, unit))


def is_opening(version: IndexVersion, unit: Unit) -> bool:
    """Whether a section is a notice's text before its first heading. (Not in the knowledge
    base's own documents, whose opening introduces the topic; nor in a notice without
    headings, which is all opening.)"""
    sections = sections_of(version)
    heading, title = _heading_and_title(version, unit)
    if unit.section_index != 0 or heading != title:
        return False
    if of_knowledge_base(version.chunks[sections.rows[unit][0]]["metadata"]):
        return False
    return any(_heading_and_title(version, u)[0] != title for u in sections.by_doc[unit.document])


def quoting_order(retrieval: Retrieval, question: str) -> list[SectionHit]:
    """The hits in the order a reply considers them: the sections that speak of a whole notice
    lower (see WHOLE_NOTICE_LOWER)."""
    if not question:
        return retrieval.hits
    contact_asked = bool(_ASKS_CONTACT.search(question))
    notice_asked = bool(_ASKS_ABOUT_NOTICE.search(question))

    def of_whole_notice(unit: Unit) -> bool:
        return (not notice_asked and is_opening(retrieval.version, unit)
                or not contact_asked and is_contact(retrieval.version, unit))
    lowered = [dataclasses.replace(h, score=h.score - WHOLE_NOTICE_LOWER)
               if of_whole_notice(h.unit) else h for h in retrieval.hits]
    return sorted(lowered, key=lambda h: h.score, reverse=True)


def answer_units(retrieval: Retrieval, question: str = "", window: int = 3,
                 tie: float = 0.01) -> list[Unit]:
    """The best section first; then the rest of its document when that is short (a center's
    overview and its partner list answer "who takes part" together; not so a Q&A item's
    neighbours, which answer other questions), else its sections among the top `window` that
    scored close to it; a section of another document that scored practically the same (the
    question may span both); and, for a question asking for a list, a close section that is a
    list. Between sections that score practically the same, the closer meaning (cosine)
    leads the answer; at the same meaning too, the better score of the two sides together.
    (The hits in `quoting_order`: a notice's opening and contact section come lower.)"""
    hits = quoting_order(retrieval, question)
    top = hits[0].score
    close = [h for h in hits[:window] if h.score >= top - tie]
    closest = max(h.dense for h in close)
    # ...and of those as close in meaning too, the better match of the two sides together
    best = max(close, key=lambda h: (h.dense >= closest - MEANING_TIE, h.score))
    sections = retrieval.sections
    if question and detect_lang(question) not in sections.langs[best.unit]:
        window = max(window, CROSS_LANGUAGE_WINDOW)
    whole = sections.by_doc[best.unit.document]
    alike = named_in_siblings(retrieval, best.unit, question)
    if alike:  # one section from each document that names it, not the first document whole
        same_doc = [best.unit] + alike
    elif (sum(sections.length[u] for u in whole) <= SHORT_DOCUMENT
            and len(whole) <= SHORT_DOCUMENT_SECTIONS
            and not is_question_item(retrieval.version, best.unit)
            and not _says_all(retrieval, best.unit, whole, question)):
        same_doc = whole  # a short document (one center's page) is answered whole
    else:
        same_doc = [best.unit] + sorted(
            (h.unit for h in hits[:window] if h.unit.document == best.unit.document
             and h.unit != best.unit and h.score >= top - SAME_DOCUMENT_TIE),
            key=lambda u: u.section_index)
    units = list(same_doc)
    alike_best = sibling_sections(retrieval.version, best.unit)
    for hit in hits[:window]:
        # the same part of a page built alike speaks of another center, however alike its words
        if (hit.unit.doc_id != best.unit.doc_id and hit.score >= top - tie
                and (hit.unit in alike_best or not repeats(retrieval, hit.unit, units))):
            units.append(hit.unit)
    if wants_list(question) and not alike:  # "KIST는 몇 개 연구단에 참여해?": those naming it
        listing = next((h.unit for h in hits
                        if h.score >= top - LIST_TIE and is_list(retrieval.version, h.unit)),
                       None)
        if listing is not None and listing not in units:
            units = [listing] + units
    return units


def section_title(version: IndexVersion, unit: Unit, lang: str) -> str:
    """The title of a section's document, in `lang` when the document has it."""
    rows, _ = rows_in(version, unit, lang)
    return version.chunks[rows[0]]["metadata"].get("title", "")


def section_label(version: IndexVersion, unit: Unit, lang: str) -> str:
    """"Title › section" of a section, in `lang` when the document has it."""
    rows, _ = rows_in(version, unit, lang)
    return source_of(version, rows[0], 0.0).label


def notice_titles(version: IndexVersion, lang: str) -> list[str]:
    """Titles of the documents an operator added as notices (no front-matter `section`, which
    the knowledge base's own documents have), in `lang` when a notice has it, in index order:
    the decline's fixed list of topics does not know them."""
    return [by_lang.get(lang) or next(iter(by_lang.values()))
            for by_lang in per_version(version, "_notice_titles", lambda: _notices(version))]


def of_knowledge_base(meta: dict) -> bool:
    """Whether a chunk (by its metadata) is of the knowledge base's own documents, whose front
    matter names their part of it (`section`), not of a notice an operator added."""
    return "doc_section" in meta


def _notices(version: IndexVersion) -> list[dict[str, str]]:
    """Each notice's title by language."""
    titles: dict[str, dict[str, str]] = {}
    curated: set[str] = set()
    for chunk in version.chunks:
        meta = chunk["metadata"]
        if of_knowledge_base(meta):
            curated.add(meta["doc_id"])
        titles.setdefault(meta["doc_id"], {}).setdefault(meta["lang"], meta.get("title", ""))
    return [by_lang for doc_id, by_lang in titles.items() if doc_id not in curated]


def source_of(version: IndexVersion, row: int, score: float) -> Source:
    meta = version.chunks[row]["metadata"]
    return Source(title=meta.get("title", ""), source=meta.get("source", ""),
                  section=meta.get("section", ""), score=score, doc_id=meta.get("doc_id", ""))


# What a reply quoting a dated schedule says besides its items: which one is next, which have
# passed (`compose_events`). Questions about that ("which sessions are left?", "설명회 아직
# 남았어요?") are answered by any schedule, whatever its items.
SCHEDULE_STATUS_WORDS = ("remaining left past passed ahead coming over "
                         "앞으로 남은 남았어요 아직 이미 지났어요 끝났어요")


def events_of(version: IndexVersion, row: int) -> list[dict]:
    meta = version.chunks[row]["metadata"]
    return version.manifest.get("documents", {}).get(meta.get("source", ""), {}).get("events", [])


def _introduction(version: IndexVersion, unit: Unit, lang: str, question: str) -> list[str]:
    """The sentences a schedule opens with, before its items, for a question asking why it
    is held ("Why are the info sessions held in the US?"): the items say when and where, the
    introduction why. None for other questions, or a schedule without an introduction."""
    if not _ASKS_ABOUT_NOTICE.search(question):
        return []
    first = sections_of(version).by_doc[unit.document][0]
    heading, title = _heading_and_title(version, first)
    if heading != title:  # a schedule without an introduction: its first section is an item
        return []
    return section_sentences(version, rows_in(version, first, lang)[0])


def compose_events(events: list[dict], title: str, lang: str, today: dt.date,
                   named: Callable[[dict], bool] = lambda event: False) -> list[str]:
    """A dated schedule: every item with past ones marked, and which one is next (or that
    all have passed). The items a question `named` ("when was the New York session?") are
    listed first, the rest after them in date order."""
    dated = sorted(events, key=lambda e: e["date"])
    upcoming = [e for e in dated if dt.date.fromisoformat(e["date"]) >= today]
    lines = [messages.text("next_event", lang, item=upcoming[0]["_text"]) if upcoming
             else messages.text("all_past", lang, title=title)]
    for event in sorted(dated, key=lambda e: not named(e)):
        past = dt.date.fromisoformat(event["date"]) < today
        lines.append("- " + event["_text"] + (messages.text("past_marker", lang) if past else ""))
    return lines


def named_items(items: list[str], query_terms: set[str], terms_of) -> set[int]:
    """Which items of a list or a schedule a question names: those holding a word of it that
    fewer than half the items hold (a place or a field, not "session" or "연구단"). A Korean
    word is looked for in an item's text too, as the analyzer may cut one item's "혁신연구단"
    otherwise than another's "연구단". Naming them all is naming none."""
    words = [(set(terms_of(item)), item) for item in items]

    def has(term: str, item: int) -> bool:
        terms, text = words[item]
        return term in terms or not term.isascii() and term in text
    naming = [t for t in query_terms if 2 * sum(has(t, i) for i in range(len(items))) <= len(items)]
    named = {i for i in range(len(items)) if any(has(t, i) for t in naming)}
    return named if len(named) < len(items) else set()


def named_first(lines: list[str], query_terms: set[str], terms_of) -> list[str]:
    """A list's items that the question names first, the rest after them, as in a schedule:
    "에너지 분야 연구단은 뭐가 있어?" gets the two energy centers at the top of the list of eight.
    The lines around the items keep their places."""
    items = [i for i, line in enumerate(lines) if line.startswith(_BULLETS)]
    if len(items) < 3 or items != list(range(items[0], items[-1] + 1)):
        return lines
    named = named_items([lines[i] for i in items], query_terms, terms_of)
    order = sorted(range(len(items)), key=lambda i: i not in named)
    return lines[:items[0]] + [lines[items[i]] for i in order] + lines[items[-1] + 1:]


def _named_in(events: list[dict], query_terms: set[str], terms_of) -> Callable[[dict], bool]:
    """Whether a question names an item of a schedule (see `named_items`)."""
    named = {events[i]["_text"] for i in named_items([e["_text"] for e in events], query_terms,
                                                      terms_of)}
    return lambda event: event["_text"] in named


def restated(terms: set[str], said: list[set[str]]) -> bool:
    """True when an earlier sentence of the reply (from another section: an FAQ answer and a
    program page often say the same thing) already holds nearly all of a sentence's `terms`."""
    return len(terms) >= RESTATED_MIN_TERMS and any(
        len(terms & earlier) >= RESTATED_SHARE * len(terms) for earlier in said)


LEADING = 2  # lines: a reply's first sentences, which should say what was asked
_TABLE_ROW = " | "  # how ingest writes a table row's cells (its CELL_SEPARATOR: DOCX, HWP, PDF)
# The numbering of a list's items, by its kind: a circled number, "1)" / "1.", "가." (or bullets)
_LIST_NUMBERS = (re.compile(r"^[①-⑳]"), re.compile(r"^\(?\d{1,2}[.)]\s"),
                 re.compile(r"^\(?[가-하][.)]\s"))


_ENDS_SENTENCE = re.compile(r"[.!?。]['\"”’)]?\s*$")


def _marker_kind(sentence: str) -> int | None:
    """Which kind of list item `sentence` is: -1 for a bullet's, else its numbering's."""
    if sentence.startswith(_BULLETS):
        return -1
    return next((kind for kind, number in enumerate(_LIST_NUMBERS) if number.match(sentence)),
                None)


def answer_first(sentences: list[str], terms: list[set[str]], weight: Callable[[set[str]], float],
                 asks: Callable[[str], bool]) -> tuple[list[str], list[set[str]]]:
    """A section's sentences (and their `terms`) with the one that answers the question moved to
    the front when it comes after the first lines and answers better than they do: it `asks`
    (states the kind of answer asked for: a date for "until when", an amount for "how much"),
    then holds more of the question's words by `weight`. "교내 숙소 신청은 언제까지 해야 하나요?"
    is answered by a section's third sentence, "…임용 예정일 60일 전까지 … 신청해야 합니다".
    In text that holds none of the question's words (the other language's), the one sentence
    that states the kind asked for leads. Otherwise they stay in the text's order."""
    rank = [(asks(s), weight(t)) for s, t in zip(sentences, terms)]
    best = max(range(len(sentences)), key=lambda i: (rank[i], -i))
    only_one_asks = not any(w for _, w in rank) and sum(a for a, _ in rank) == 1
    if best < LEADING or not (rank[best][1] or only_one_asks) or any(
            rank[i] >= rank[best] for i in range(LEADING)):
        return sentences, terms
    # a row of a table comes with the table's header row (its first), which says what its
    # cells are
    header = best
    while _TABLE_ROW in sentences[best] and header and _TABLE_ROW in sentences[header - 1]:
        header -= 1
    # ...and an item of a list with the label that leads the list ("다. 제출 서류" above "① …",
    # "The residence has three types of units:"), not with a sentence of its own
    kind = _marker_kind(sentences[best])
    if kind is not None and header == best:
        while header and _marker_kind(sentences[header - 1]) == kind:
            header -= 1
        labelled = header and not _ENDS_SENTENCE.search(sentences[header - 1])
        header = header - 1 if labelled else best
    first = [header, best] if header != best else [best]
    order = first + [i for i in range(len(sentences)) if i not in first]
    return [sentences[i] for i in order], [terms[i] for i in order]


def section_texts(version: IndexVersion, units: list[Unit], lang: str, query_terms: set[str],
                  terms_of, today: dt.date, question: str = "", asks_what: bool = False,
                  closeness: Callable[[str], float | None] | None = None
                  ) -> tuple[list[str], list[tuple[Unit, int]]]:
    """Sentences for the reply, and the sections quoted with the row each came from. A section
    of a dated schedule brings the whole schedule, once, where the section comes, with what is
    past marked; sentences anywhere in the reply that only restate its dates are left out. Text
    that exists only in the other language is quoted as it is, after a note saying so. The
    first section quoted leads with its sentence that answers the `question`, if not first;
    when `closeness` (a sentence's cosine with the question, None if unknown) knows all of its
    sentences, with the closest of them in meaning, and then that one."""
    idf = sections_of(version).idf
    names = {t for t in query_terms if len(t) > 1}  # not "일" (day, work, one)

    def weight(terms: set[str]) -> float:
        return sum(idf(t) ** 2 for t in names & terms)

    kind = expects.expected_kind(question)

    def asks(sentence: str) -> bool:
        return expects.pinpoints(sentence, kind, question)
    lines: list[str] = []
    quoted: list[tuple[Unit, int]] = []
    said: list[set[str]] = []   # the terms of each sentence quoted so far
    schedules: dict[tuple[str, str], list[str]] = {}
    for unit in units:
        rows, _ = rows_in(version, unit, lang)
        events = events_of(version, rows[0])
        if events and len(events) <= MAX_EVENTS_LISTED and unit.document not in schedules:
            title = version.chunks[rows[0]]["metadata"].get("title", "")
            named = _named_in(events, query_terms, terms_of)
            # why it is held: its introduction says, unless the question names an item, whose
            # own line says why there ("Why Boston?")
            why = [] if any(map(named, events)) else _introduction(version, unit, lang, question)
            schedules[unit.document] = why + compose_events(events, title, lang, today, named)
            # Cited as the whole schedule it gives, even when one item was what matched.
            listing = next((u for u in sections_of(version).by_doc[unit.document]
                            if is_list(version, u)), unit)
            quoted.append((listing, rows_in(version, listing, lang)[0][0]))
    said += [set(terms_of(" ".join(schedule))) for schedule in schedules.values()]
    shown_lang = lang
    for unit in units:
        rows, text_lang = rows_in(version, unit, lang)
        if unit.document in schedules:
            lines += schedules[unit.document]  # the whole schedule, the first time only
            schedules[unit.document] = []
            shown_lang = lang
            continue
        sentences, terms = quoted_sentences(version, unit, rows, query_terms, terms_of, said,
                                            asks_what)
        if not sentences:
            continue  # all said already: not a source of this reply
        if not lines and not is_question_item(version, unit) and not wants_list(question):
            # the reply's first section; an FAQ item answers its question from the start, and
            # a list asked for stays whole, in order
            sentences, terms = answer_first(sentences, terms, weight, asks)
            if closeness is not None:
                sentences, terms = closest_first(section_sentences(version, rows), sentences,
                                                 terms, closeness, terms_of, asks)
        quoted.append((unit, rows[0]))
        if text_lang != shown_lang and text_lang != lang:
            lines.append(messages.text("other_language", lang))
        shown_lang = text_lang
        lines += sentences
        said += terms
    return lines, quoted


def closest_first(candidates: list[str], sentences: list[str], terms: list[set[str]],
                  closeness: Callable[[str], float | None], terms_of,
                  asks: Callable[[str], bool] = lambda sentence: True
                  ) -> tuple[list[str], list[set[str]]]:
    """`sentences` (quoted of a section whose sentences are `candidates`) led by the candidate
    closest in meaning to the question, quoted too if it was not; of the candidates that
    state what the question `asks` for (a date for "when") if any do. Unchanged when the
    closeness of any candidate is unknown (a document in both languages: its words show what
    answers)."""
    scores = {c: closeness(c) for c in candidates}
    if not scores or None in scores.values():
        return sentences, terms
    best = max([c for c in candidates if asks(c)] or candidates, key=scores.__getitem__)
    if best in sentences:
        at = sentences.index(best)
        return ([best] + sentences[:at] + sentences[at + 1:],
                [terms[at]] + terms[:at] + terms[at + 1:])
    return [best] + sentences, [set(terms_of(best))] + terms


def quoted_sentences(version: IndexVersion, unit: Unit, rows: list[int], query_terms: set[str],
                     terms_of, said: list[set[str]], asks_what: bool = False
                     ) -> tuple[list[str], list[set[str]]]:
    """What a reply quotes of one section (its `rows` in one language): its sentences closest
    to the question, less those the reply already `said`; and the terms of each. `asks_what`:
    the question asks with a question word (who, how many...), not for a yes or a no."""
    sentences, terms = [], []
    for sentence in named_first(trim(section_sentences(version, rows), query_terms, terms_of),
                                query_terms, terms_of):
        words = set(terms_of(sentence))
        if not restated(words, said):
            sentences.append(sentence)
            terms.append(words)
    bare = sentences and is_question_item(version, unit) and _YES_OR_NO.match(sentences[0])
    if bare and asks_what:
        # "멘토는 누가 맡아요?" is not answered by the "네." of "멘토가 있나요?": leave it out
        if rest := sentences[0][bare.end():].strip():
            sentences[0] = rest
        else:
            sentences, terms = sentences[1:], terms[1:]
    elif sentences and is_question_item(version, unit) and len(sentences[0].split()) <= SHORT_REPLY:
        # "No." or "없습니다." means nothing without the question it answers; nor alone on its
        # line, before the sentence that says what it means
        if len(sentences) > 1:
            sentences = [f"{sentences[0]} {sentences[1]}", *sentences[2:]]
            terms = [terms[0] | terms[1], *terms[2:]]
        question = _ITEM_MARKER.sub("", version.chunks[rows[0]]["metadata"]["section"])
        sentences = ["Q: " + question] + sentences
    return sentences, terms
