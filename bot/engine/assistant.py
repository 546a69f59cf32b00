"""The one platform-free entry point: `Assistant.ask(text, lang=None, previous=None) -> Reply`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import re
import threading
from typing import Callable

from cachetools import LRUCache

from bot.engine import common_words, expects, messages, smalltalk
from bot.engine.analyzer import Analyzer, default_analyzer
from bot.engine.compose import (SHORT_DOCUMENT_SECTIONS, asks_which, built_alike, enumerates,
                                events_of, notice_titles, repeats, section_label, section_texts,
                                section_title, source_of)
from bot.engine.decision import ANSWER_THRESHOLD, Decision, coverage, decide, found_in
from bot.engine.embedding import Embedder, shared_embedder
from bot.engine.index import IndexReader
from bot.engine.language import detect_lang
from bot.engine.question import clean_question
from bot.engine.retrieve import (Retrieval, Retriever, Unit, digest, document_terms_of,
                                 sections_of)
from bot.engine.types import MAX_QUESTION_CHARS, Reply, ReplyKind, Suggestion

_EDGE_PUNCTUATION = "?？!.,;:~ "
# A question that points back at the one before it: "who are its partners?", "그 연구단은?"
_REFERS_BACK = re.compile(
    r"\b(?:it|its|they|them|their|those|(?:that|this) (?:one|cent(?:er|re)|institute|institution"
    r"|university|company|session|city|place))\b"
    # "why there?", not the "there" of "how many centers are there?" (there are, there is)
    r"|(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )\bthere\W*$"
    r"|(?:^|\s)(?:그|이|저)\s?(?:연구단|센터|기관|곳|사업|설명회)|거기|그곳|그거|그게|걔네|여기",
    re.IGNORECASE)
# "참여 기관은요?", "and the partners?": what the last answer was about, asked of again
_ELLIPTICAL = re.compile(r"^\W*(?:and|what about|how about)\b|[은는]요\W*$", re.IGNORECASE)
_GENERIC_THEY = ("they", "them", "their")  # "can they top up my pay?": the program's people

# An item of a list: "…, 그리고 {}(LinkedIn)", "{} and …"
_LISTED = (r"(?:,|와|과|및|그리고|\band|\bor)\s*(?:(?:on|in|at|via)\s+)?{0}"
           r"|{0}(?:\s*\([^)]*\))?\s*(?:,|와|과|및|\band\b|\bor\b)")
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)

# A decline this close to the threshold names the closest sections (a channel offers them as
# buttons). Over the six evaluation sets 0.05 makes 48 of the 77 in-scope questions that are
# declined offer a section of a right document (0.03: 35), while 55 of 143 out-of-scope declines
# name their nearest sections too (0.03: 30), which costs the asker nothing.
NEAR_MISS = 0.05
# A short part of a message passes more easily than the whole ("E-3?" finds some section with a
# 3): the parts of a message declined as a whole must each pass by this much to answer it
PART_MARGIN = 0.05
PARTS_WITHIN = 0.02  # ...when the whole message missed by no more than this
ALONE_MARGIN = 0.10  # ...and this much, one part answered alone
NEAR_TOPICS = 2
MAX_UNITS = SHORT_DOCUMENT_SECTIONS  # sections in one reply, however many questions a message joins
NOTICES_NAMED = 5  # a decline names at most this many of the notices operators added
FOLLOW_UP_TERMS = 4  # content words: a question this short may lean on the one before it
FOLLOW_UP_COVERAGE = 0.5  # of its own words, the answer must speak about
FOLLOW_UP_SHARE = 0.5  # of the follow-up's words (by rarity) that the best section holds
TOPIC_WORDS = 2  # a follow-up that points back ("its partners") is read with this many
REST_MAX_CHARS = 200  # a longer message is read as it is, not word by word for a second topic
REST_SHARE = 0.3  # of a question's weight (rare words weigh more) its answer may leave unsaid
LISTING_WEIGHT = 2.0  # a section that lists things, asked "which ones" (dev sets: leads +8, -1)
REPLIES_KEPT = 1024  # replies remembered for the same question asked again (a few MB)


def _points_back(text: str) -> bool:
    """Whether `text` points at something said before it ("who leads it", "거기"), not only at
    the program's people ("can they top up my pay?")."""
    back = _REFERS_BACK.search(text)
    return bool(back) and back.group().lower() not in _GENERIC_THEY


def _text_of(retrieval: Retrieval, units: list[Unit]) -> str:
    """The text of `units`, in every language they are written in."""
    chunks = retrieval.version.chunks
    return " ".join(chunks[r]["text"] for u in units for r in retrieval.sections.rows[u])


class Assistant:
    def __init__(self, reader: IndexReader, embedder: Embedder, analyzer: Analyzer,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        self.reader = reader
        self.analyzer = analyzer
        self.retriever = Retriever(reader, embedder, analyzer)
        self.today = today
        # Applicants ask the same questions: each is answered once per index version and day.
        # Keyed by a digest and kept without the question, so it holds no applicant's words.
        self._replies: LRUCache[bytes, Reply] = LRUCache(maxsize=REPLIES_KEPT)
        self._replies_lock = threading.Lock()  # request threads share it

    @classmethod
    def from_settings(cls, settings) -> "Assistant":
        """The engine over the index in `settings.index_dir` (`bot.ingest.ensure.ensure_index`
        builds it first where a command should start without one)."""
        embedder = shared_embedder(settings.embedder)
        reader = IndexReader(settings.index_dir, embedder, chroma_url=settings.chroma_url)
        return cls(reader, embedder, default_analyzer(), today=settings.current_date)

    # -- status, for health checks and staff ------------------------------------------------
    @property
    def index_version(self) -> str:
        return self.reader.current().name

    @property
    def document_count(self) -> int:
        return self.reader.current().document_count

    def warm_up(self) -> None:
        """Load the index and models now rather than on the first question."""
        self.ask("InnoCORE")
        self.ask("이노코어")  # Kiwi loads with the first Korean text
        self.reader.current().open_collection()  # chromadb, which the first reply did without
        common_words.load()
        # What is loaded by now (libraries, models, the index) stays for the life of the
        # process: keep it out of the collector's full passes, each of which otherwise held
        # one question up by 65-80 ms every few dozen questions (benchmarks/answers.py sets)
        gc.collect()
        gc.freeze()

    # -- the call every channel makes ------------------------------------------------------
    def ask(self, text: str, lang: str | None = None, previous: str | None = None) -> Reply:
        """The reply to `text`. `previous`: the same person's last answered question, when the
        channel keeps it, so that a short follow-up ("참여 기관은요?", "what about GIST?") is
        also read with it (see `_follow_up`)."""
        question = clean_question(text if isinstance(text, str) else "")
        key = digest("\0".join([question, lang or "", previous or "",
                                self.reader.current().name, self.today().isoformat()]))
        with self._replies_lock:
            kept = self._replies.get(key)
        if kept is not None:
            return dataclasses.replace(kept, question=question)
        reply = self._reply(question, lang, previous)
        self.retriever.use_index_search = True  # the first reply is out: chromadb may load now
        if not reply.read_as and not reply.open_parts:  # (those hold the asker's words)
            with self._replies_lock:
                self._replies[key] = dataclasses.replace(reply, question="")
        return reply

    def _reply(self, question: str, lang: str | None, previous: str | None) -> Reply:
        reply_lang = lang if lang in ("ko", "en") else detect_lang(question)

        def say(kind: ReplyKind, key: str) -> Reply:
            return Reply(question=question, answer=messages.text(key, reply_lang),
                         lang=reply_lang, kind=kind)

        if not _LETTERS.search(question):
            return say(ReplyKind.INVALID, "empty")
        if len(question) > MAX_QUESTION_CHARS:
            return say(ReplyKind.INVALID, "too_long")
        if small := smalltalk.classify(question):
            return say(*small)
        parts = self._questions_in(question)
        # the question without the context its writer gives, for a second reading if need be
        without = "" if parts else self.analyzer.asked_part(question)
        if _points_back(without):
            without = ""  # "…신약 연구단에 관심이 있는데, 거기 외국 기관도…": its topic is in the context
        # ...and what it sets aside ("besides job ads"), which an answer is searched for too
        aside = self.analyzer.set_aside(question)
        self.retriever.embed_together([question, *parts, *filter(None, [without]), *aside])
        retrieval = self.retriever.search(question)
        decision = decide(retrieval, question, self.analyzer)
        # (searching each part costs ~4 ms)
        read = {part: self._read(part, retrieval.version)
                for part in (parts if not decision.covered else [])}

        def passes(part: str, margin: float) -> bool:
            part_retrieval, part_decision = read[part]
            return (part_decision.score >= ANSWER_THRESHOLD + margin
                    and self._answers_part(part, part_retrieval, part_decision,
                                           part_decision.units, left_over=False))
        near_miss = decision.score >= ANSWER_THRESHOLD - PARTS_WITHIN
        asked = question  # what the reply answers: the message without the context it gives
        if read and near_miss and all(passes(part, PART_MARGIN) for part in parts):
            # "What is the salary? And how does mentoring work?": each part is covered on its
            # own, though no one section speaks to both topics well enough
            decision = dataclasses.replace(decision, covered=True)
        elif passing := [part for part in read if passes(part, ALONE_MARGIN)]:
            # "What is the salary? And is there a visa?": a part the documents answer clearly
            # is answered, and the reply names the others as not covered; its sections are
            # ordered for it ("얼마고", not the "언제" of the part left open)
            asked = passing[0]
            retrieval, decision = read[asked]
        if any(not retrieval.sections.df.get(year) for year in expects.years(question)):
            # "2026년 예산은?" when no document names 2026: the 2025 budget is no answer
            return self._decline(question, reply_lang, retrieval, decision)
        if previous and (follow_up := self._follow_up(question, clean_question(previous),
                                                      retrieval, decision)):
            together, retrieval, decision, asked = follow_up
            decision = self._set_aside(question, retrieval, decision)  # "anything besides ads?"
            reply = self._answer(asked, reply_lang, retrieval, decision, {})
            return dataclasses.replace(reply, question=question, read_as=together)
        if not decision.covered and without:
            # What the asker says of themselves ("I make ~150k USD in industry.") is context:
            # the question it leads to may be covered where the whole message was not
            asked_retrieval = self.retriever.search(without)
            if (asked_decision := decide(asked_retrieval, without, self.analyzer)).covered:
                asked, retrieval, decision = without, asked_retrieval, asked_decision
        if not decision.covered:
            return self._decline(question, reply_lang, retrieval, decision)
        decision = self._set_aside(asked, retrieval, decision)
        reply = self._answer(asked, reply_lang, retrieval, decision, parts, read)
        if not parts and not expects.gives(reply.answer, expects.expected_kind(asked), asked):
            # "How much is the IRB fee?" answered by a section on the IRB that names no fee
            return self._decline(question, reply_lang, retrieval, decision)
        if parts and len(reply.open_parts) == len(parts):
            # every question the message asks is left open: whatever the sections say, it
            # answers none of them
            return self._decline(question, reply_lang, retrieval, decision)
        if asked != question:
            reply = dataclasses.replace(reply, question=question, read_as=asked)
        return reply

    def _follow_up(self, question: str, previous: str, alone: Retrieval,
                   decision: Decision) -> tuple[str, Retrieval, Decision, str] | None:
        """A short question read together with the one before it, when that reading is
        answered better than the question alone and the answer speaks about the follow-up's
        own words ("참여 기관은요?" after a question about the hydrogen center gets that
        center's partners; "visa?" after "salary?" stays a decline: read with the salary
        question it would pass on the salary's merits). One that points back is read with what
        it points at (`_pointed_at`); one that only names another center asks the last question
        again of it (`_asked_again`). One asking "and X?" ("참여 기관은요?") is read like one
        that points back when, read with the last question, it finds other documents than the
        last answer came from."""
        if not previous or len(alone.query_terms) > FOLLOW_UP_TERMS:
            return None
        refers_back = _REFERS_BACK.search(question)
        if self.analyzer.joins(question) and not refers_back:
            return None  # "연봉이랑 지원 자격 알려줘" asks two things of its own, nothing of the last
        if decision.covered and not refers_back and self.analyzer.has_question_word(question):
            return None  # "연구단 몇 개예요?" after a question on mentors: a question of its own
        asked_again = None
        if refers_back:
            together, retrieval, read_together, document = self._pointed_at(question, previous,
                                                                            alone)
        elif again := self._asked_again(question, previous, alone):
            together, document = again  # answered from the page the follow-up names
            asked_again = together
            retrieval, read_together = self._read(together, alone.version)
        else:
            together, vector = self.retriever.read_together(previous, question)
            retrieval = self.retriever.search(together, version=alone.version, vector=vector)
            read_together, document = decide(retrieval, together, self.analyzer), None
            if _ELLIPTICAL.search(question) and not {
                    u.document for u in read_together.units} <= self._answered_documents(
                        previous, alone.version, detect_lang(question)).keys():
                # "참여 기관은요?" after "지스트가 맡은 연구단은?": the partners of the center
                # the last answer named, which the last question's words do not name
                together, retrieval, read_together, document = self._pointed_at(
                    question, previous, alone)
        # (the last question asked again of something else is what "what about X?" means,
        # however well X alone was answered)
        if not read_together.covered or (decision.covered and not refers_back and not asked_again
                                         and read_together.score <= decision.score):
            return None
        if document:  # which of its sections: the one the follow-up's own words ask about
            read_together = dataclasses.replace(read_together,
                                                units=retrieval.sections.by_doc[document])
        own_words = coverage(alone, read_together.units, detect_lang(question),
                             self.analyzer.predicates(question))
        if own_words < FOLLOW_UP_COVERAGE and (alone.query_terms or not refers_back):
            return None  # (a question only pointing back, "why there?", has no words of its own)
        # Of what the two questions together find, the sections the follow-up itself asks
        # about: not the whole short page the first question was already answered with.
        asked = set(alone.query_terms)
        sections = retrieval.sections
        shared = {u: sum(sections.idf(t) for t in asked & sections.terms[u])
                  for u in read_together.units}
        most = max(shared.values())
        # ...and the one closest in meaning to the follow-up alone: "which companies are in
        # it?" asks for the partner list, which never says "companies"
        meaning = sections.level_languages(retrieval.version.embeddings,
                                           self.retriever.vector(question))[0]
        closest = max(read_together.units, key=lambda u: meaning[sections.rows[u]].max())
        units = [u for u in read_together.units
                 if shared[u] >= FOLLOW_UP_SHARE * most and (shared[u] or not document)
                 or u == closest]
        # what the reply answers (and is ordered by): the last question, when asked again
        return (together, retrieval, dataclasses.replace(read_together, units=units),
                asked_again or question)

    def _pointed_at(self, question: str, previous: str, alone: Retrieval
                    ) -> tuple[str, Retrieval, Decision, tuple[str, str] | None]:
        """A follow-up that points back ("그 연구단 참여기관은?") read with what it may point
        at: the previous question's rarest words (its topic; not all of it, its "주관" too),
        or a document the previous question was answered from, named by its title. After
        "DGIST가 주관하는 연구단은?", answered with the physical-AI center, "거기" is that
        center, which "DGIST" and "주관" name no better than any other center. Of the readings,
        the one whose sections hold most of the follow-up's own words, then the best match."""
        version, lang = alone.version, detect_lang(question)
        topic = self._topic_of(previous, alone)
        answered = self._answered_documents(previous, version, lang)
        readings = {f"{question} {topic}": None,
                    **{f"{question} {title} {topic}": document
                       for document, title in answered.items()}}
        self.retriever.embed_together(list(readings))
        predicates = self.analyzer.predicates(question)
        best, best_key = None, None
        for text, document in readings.items():
            retrieval = self.retriever.search(text, version=version)
            decision = decide(retrieval, text, self.analyzer)
            key = (decision.covered, coverage(alone, decision.units, lang, predicates)
                   if decision.covered else 0.0, decision.score)
            if best_key is None or key > best_key:
                best, best_key = (text, retrieval, decision, document), key
        return best

    def _asked_again(self, question: str, previous: str, alone: Retrieval
                     ) -> tuple[str, tuple[str, str]] | None:
        """"What about the space solar one?" after "수소 연구단 참여기관 알려주세요": the last
        question asked again of what the follow-up names, that is without its words that only
        the document its answer opened with holds, not the one the follow-up finds ("What about
        the space solar one? 연구단 참여기관 알려주세요"), with the document the follow-up names.
        None when the follow-up names nothing that document lacks, or the last question was
        declined."""
        if not alone.hits or not self.analyzer.names_only(question):
            return None
        retrieval, decision = self._read(previous, alone.version)
        named = alone.hits[0].unit.document
        if not decision.covered or named == (answered_from := decision.units[0].document):
            return None
        if not built_alike(alone.version, named, answered_from):
            return None  # "salary?" after the hydrogen center: a new topic, not another center
        by_doc = retrieval.sections.by_doc

        def only_in(first: tuple[str, str], second: tuple[str, str],
                    words: Retrieval) -> Callable[[str], bool]:
            in_first, in_second = found_in(words, by_doc[first]), found_in(words, by_doc[second])
            return lambda term: in_first(term) and not in_second(term)
        if not any(map(only_in(named, answered_from, alone), alone.query_terms)):
            return None  # "partners?" names nothing new: it asks more of the same
        about_old = only_in(answered_from, named, retrieval)
        kept = [word for word in previous.split()
                if not any(map(about_old, self.analyzer.terms(word)))]
        return f"{question} {' '.join(kept)}", named

    def _answered_documents(self, previous: str, version, lang: str) -> dict[tuple[str, str], str]:
        """The documents `previous` was answered from, with their titles (none if declined)."""
        retrieval, decision = self._read(previous, version)
        if not decision.covered:
            return {}
        return {unit.document: section_title(version, unit, lang) for unit in decision.units}

    def _topic_of(self, previous: str, retrieval: Retrieval) -> str:
        """The words of `previous` that name its topic: its TOPIC_WORDS rarest in the
        documents (that the documents hold at all)."""
        sections = retrieval.sections
        rarity = {}
        for word in previous.split():
            known = [t for t in self.analyzer.terms(word) if sections.df.get(t)]
            if known:
                rarity[word] = max(sections.idf(t) for t in known)
        return " ".join(sorted(rarity, key=rarity.get, reverse=True)[:TOPIC_WORDS])

    def _set_aside(self, question: str, retrieval: Retrieval, decision: Decision) -> Decision:
        """The decision without the sections about what the question sets aside ("Besides job
        ads, how do they recruit?" is not answered with the ads): the one matching the set-aside
        words best, and those whose heading names them."""
        asides = self.analyzer.set_aside(question)
        if not asides:
            return decision
        version, sections = retrieval.version, retrieval.sections
        candidates = {*decision.units, *(hit.unit for hit in retrieval.hits)}
        headings = {u: set(self.analyzer.terms(
            version.chunks[sections.rows[u][0]]["metadata"].get("section", "")))
            for u in candidates}
        excluded: set[Unit] = set()
        for aside in asides:  # each thing set aside ("A랑 B 말고")
            named = set(self.analyzer.terms(aside))  # none in "그 외에" (besides that)
            if named and (found := self.retriever.search(aside, version=version)).hits:
                best = found.hits[0].unit
                # ...not a section listing it among others: "링크드인 말고 어디어디?" is
                # answered by the other places the section names
                listed = _LISTED.format(re.escape(aside))
                best_too = not re.search(listed, _text_of(retrieval, [best]), re.IGNORECASE)
                excluded |= {u for u in candidates
                             if u == best and best_too or named <= headings[u]}
        if not excluded:
            return decision
        # a schedule is quoted whole whichever of its items matches: set aside, it goes whole
        excluded |= {u for x in excluded if events_of(version, sections.rows[x][0])
                     for u in sections.by_doc[x.document]}
        units = [u for u in decision.units if u not in excluded] or [
            h.unit for h in retrieval.hits if h.unit not in excluded][:1]
        return dataclasses.replace(decision, units=units)

    def _read(self, question: str, version) -> tuple[Retrieval, Decision]:
        """`question` searched in the index `version` and decided on."""
        retrieval = self.retriever.search(question, version=version)
        return retrieval, decide(retrieval, question, self.analyzer)

    def _answer(self, question: str, lang: str, retrieval: Retrieval, decision: Decision,
                parts: dict[str, str], read: dict[str, tuple[Retrieval, Decision]] | None = None
                ) -> Reply:
        """The sections that answer the question, quoted. A message that joins several
        questions (`parts`, as searched and as written) also gets each part's sections, and is
        told which part the documents leave open, in its own words; so is a second topic joined
        to the first ("salary and deadline?"). (A short part alone passes more easily than the
        whole message: "몇 부 필요해요?" would find some section with numbers. So parts extend
        an answer, and make one only when every part is covered or one passes by a wide margin:
        see `ask`.)"""
        units = self._telling_first(retrieval, list(decision.units), question)
        scores = {h.unit: h.dense for h in retrieval.hits}
        uncovered: list[str] = []
        firsts: list[Unit] = []  # each answered part's best section of its own
        rest = "" if parts else self._rest_of(question, retrieval, units)
        for part in parts or ([rest] if rest else []):
            part_retrieval, part_decision = (read or {}).get(part) or self._read(
                part, retrieval.version)
            # (a section restating the ones chosen adds nothing, unless it states what the part
            # asks for and they do not: "…MIT 대비 몇 퍼센트였음?" after the two salaries)
            kind = expects.expected_kind(part)
            lacking = kind and not expects.gives(_text_of(retrieval, units), kind, part)
            part_units = [u for u in part_decision.units if u not in units and (
                not repeats(part_retrieval, u, units)
                or lacking and expects.gives(_text_of(retrieval, [u]), kind, part))]
            # (its sections may all be quoted already: then they are what answers it)
            if not self._answers_part(part, part_retrieval, part_decision,
                                      part_units or part_decision.units, left_over=part == rest):
                if part == rest or not self._said_by(part, retrieval, units):
                    # (not "wat is the salry", which the answer gives)
                    uncovered.append(parts.get(part, part))
                continue
            units += part_units
            firsts += part_units[:1]
            scores.update({h.unit: h.dense for h in part_retrieval.hits if h.unit not in scores})
        # The reply's length limit leaves no part out: the whole message's sections make room
        room = MAX_UNITS - len(firsts)
        units = [u for u in units if u in firsts or (room := room - 1) >= 0]
        reply = self._quote(question, lang, retrieval.version, units,
                            {s for t in retrieval.query_terms for s in retrieval.spellings(t)},
                            scores)
        if uncovered:
            notes = [messages.text("part_not_covered", lang, part=p) for p in uncovered]
            reply = dataclasses.replace(reply, answer="\n".join([reply.answer] + notes),
                                        open_parts=tuple(uncovered))
        return reply

    def _telling_first(self, retrieval: Retrieval, units: list[Unit],
                       question: str) -> list[Unit]:
        """`units`, those stating the kind of answer asked for (a day for "when") first, and
        of those, the ones holding more of what the question names (otherwise in their
        order): "Which center does UIUC take part in?" is answered with the partner list
        naming UIUC before the page on open research centers that scored as close. A word
        weighs its rarity squared, so that one rare name outweighs a few common words; verbs
        and one-letter Korean words ("일") say how something is asked more than what. A word
        that names a document ("LLM" for the LLM center's page) counts for all its sections:
        "LLM 연구단에 참여하는 기업은?" is asked of the partner list, not of the overview that
        happens to spell "LLM"."""
        sections = retrieval.sections
        names = ({t for t in retrieval.query_terms if len(t) > 1}
                 - self.analyzer.predicates(question))
        found = {u: found_in(retrieval, [u]) for u in units}
        names_document = {}
        for term in names:
            holders = {u.document for u in units if found[u](term)}
            if len(holders) == 1:
                (document,) = holders
                in_document = sum(term in sections.terms[u] for u in sections.by_doc[document])
                if in_document and in_document >= sections.df.get(term, 0):
                    names_document[term] = document

        def holds(unit: Unit) -> float:
            return sum(sections.idf(t) ** 2 for t in names
                       if (names_document[t] == unit.document if t in names_document
                           else found[unit](t)))
        lang = detect_lang(question)
        held = {u: holds(u) for u in units if lang in sections.langs[u]}
        # A section written only in the other language can't be weighed by the question's
        # words: it keeps its place before those that hold no more than the best
        best = max(held.values(), default=0.0)
        listing = asks_which(question)
        kind = expects.expected_kind(question)

        def weight(unit: Unit) -> tuple[bool, bool, float]:
            # "Which companies are in the LLM center?" is answered by the sentence naming them
            # (which never says "companies"), not by the one about the companies' researchers
            enumerated = listing and enumerates(retrieval.version, unit)
            # "When is the workshop?" by its dates, not by its contact's office hours: the
            # kind of answer asked for comes first, in either language; and of those a dated
            # schedule, which says which of its items is next, before a text listing its dates
            return (not kind or expects.pinpoints(_text_of(retrieval, [unit]), kind, question),
                    kind == "time" and bool(events_of(retrieval.version, sections.rows[unit][0])),
                    held.get(unit, best) * (LISTING_WEIGHT if enumerated else 1.0))
        return sorted(units, key=weight, reverse=True)

    def _said_by(self, part: str, retrieval: Retrieval, units: list[Unit]) -> bool:
        """Whether the sections already chosen answer one part of a message: they hold most of
        its words (by rarity) and give the kind of answer it asks for. Sections all in the other
        language can't show its words: the kind of answer is what tells ("how long can I stay?"
        of a Korean notice saying "최대 12개월")."""
        gives = expects.gives(_text_of(retrieval, units), expects.expected_kind(part), part)
        if not any(detect_lang(part) in retrieval.sections.langs[u] for u in units):
            return gives
        # what it asks about, not how: "기업은 어디어디 들어가요?" is said by the companies named
        terms = self.analyzer.terms(part)
        named = [t for t in terms if t not in self.analyzer.predicates(part)] or terms
        return gives and coverage(retrieval, units, terms=named) >= FOLLOW_UP_COVERAGE

    def _answers_part(self, part: str, retrieval: Retrieval, decision: Decision,
                      units: list[Unit], left_over: bool) -> bool:
        """Whether `units` answer one part of a message: the part passes the decision, they
        give the kind of answer it asks for and, for words left over from a question
        (`left_over`), they speak about those words."""
        if not decision.covered or left_over and coverage(
                retrieval, decision.units) < FOLLOW_UP_COVERAGE:
            return False
        return expects.gives(_text_of(retrieval, units), expects.expected_kind(part), part)

    def _questions_in(self, question: str) -> dict[str, str]:
        """The separate questions of a message that joins several (none when it is one): each
        as it is searched, and as it was written."""
        clauses = self.analyzer.clauses(question)
        if len(clauses) < 2:  # the usual case: no second analysis of the question
            return {}
        # What the asker tells beside their question ("Can foreigners apply? I'm Indian, did my
        # PhD in Germany") is context for it, not a question of its own
        parts = [p for p in clauses if self.analyzer.terms(p) and self.analyzer.asks(p)]
        # One that names nothing the part before it did not ("Is the Max Planck Institute in a
        # center? which one") asks that part again, not something else the documents may say
        named = [set(self.analyzer.terms(p)) for p in parts]
        parts = [p for i, p in enumerate(parts) if not i or not named[i] <= named[i - 1]]
        # One that points back at it ("is there a faster option? how often can i use it") is
        # searched with it: "it" alone finds whatever else can be used
        searched = {(f"{parts[i - 1]} {p}" if i and _points_back(p) else p): p
                    for i, p in enumerate(parts)}
        return searched if len(searched) > 1 else {}

    def _rest_of(self, question: str, retrieval: Retrieval, units: list[Unit]) -> str:
        """What a question joining two topics also asks that its answer leaves out:
        "연봉이랑 지원 자격 알려줘" answered with the salary still asks "지원 자격". Its words
        that the answer does not cover; "" when nothing (much) is left."""
        if len(question) > REST_MAX_CHARS or not self.analyzer.joins(question):
            return ""  # one topic; what its answer leaves out is its wording, not a second topic
        sections = retrieval.sections
        lang = detect_lang(question)
        units = [u for u in units if lang in sections.langs[u]]
        if not units:
            return ""  # text in the other language can't show which of its words it leaves out
        in_units = found_in(retrieval, units)
        # what the question sets aside ("설명회 말고") is left out on purpose
        aside = {t for item in self.analyzer.set_aside(question) for t in self.analyzer.terms(item)}

        def found(term: str) -> bool:
            return term in aside or in_units(term)
        terms = list(dict.fromkeys(retrieval.query_terms))
        missing = [t for t in terms if not found(t) and len(t) > 1]  # not "둘" (both)
        total = sum(sections.idf(t) for t in terms)
        if sum(sections.idf(t) for t in missing) < REST_SHARE * total:
            return ""
        worded = [(w, ts) for w in question.split() if (ts := self.analyzer.terms(w))]
        left = [i for i, (_, ts) in enumerate(worded) if not all(map(found, ts))]
        if not left or left[-1] - left[0] >= len(left):
            return ""  # scattered words are how one topic is worded; a second topic is in one piece
        rest = " ".join(worded[i][0] for i in left).strip(_EDGE_PUNCTUATION)
        # Only a verb or adjective left ("KAIST랑 UNIST 연봉 달라요?": "달라요") asks how, not what
        return rest if set(self.analyzer.terms(rest)) - self.analyzer.predicates(rest) else ""

    def _decline(self, question: str, lang: str, retrieval: Retrieval, decision: Decision) -> Reply:
        """The honest decline; when the question only just missed, it names the closest
        sections, so that someone who meant one of them can ask again in other words (or,
        where the channel has buttons, pick one: `answer_suggestion`)."""
        answer = messages.text("decline", lang)
        if notices := notice_titles(retrieval.version, lang)[:NOTICES_NAMED]:
            answer += "\n" + messages.text("notices_too", lang, titles="; ".join(notices))
        suggestions: dict[str, Suggestion] = {}
        if decision.score >= ANSWER_THRESHOLD - NEAR_MISS:
            for hit in retrieval.hits[:NEAR_TOPICS]:
                label = section_label(retrieval.version, hit.unit, lang)
                suggestions.setdefault(label, Suggestion(label, hit.unit.doc_id,
                                                         hit.unit.section_index, hit.unit.lang))
            answer += "\n" + messages.text("near_topics", lang, topics="; ".join(suggestions))
        return Reply(question=question, answer=answer, lang=lang, kind=ReplyKind.DECLINE,
                     suggestions=tuple(suggestions.values()))

    def answer_suggestion(self, suggestion: Suggestion, lang: str) -> Reply:
        """The section a near-miss decline offered, quoted in `lang` with its source; a decline
        if the documents no longer have it."""
        version = self.reader.current()
        unit = Unit(suggestion.doc_id, suggestion.section_index, suggestion.doc_lang)
        if unit not in sections_of(version).rows:
            return Reply(question=suggestion.label, answer=messages.text("decline", lang),
                         lang=lang, kind=ReplyKind.DECLINE)
        return self._quote(suggestion.label, lang, version, [unit], set(), {})

    def _quote(self, question: str, lang: str, version, units: list[Unit], query_terms: set[str],
               score: dict[Unit, float]) -> Reply:
        vector = self.retriever.vector(question)
        known = version.sentence_vectors

        def closeness(sentence: str) -> float | None:
            return float(known[sentence] @ vector) if sentence in known else None
        lines, quoted = section_texts(version, units, lang, query_terms,
                                      document_terms_of(version, self.analyzer),
                                      self.today(), question,
                                      self.analyzer.has_question_word(question),
                                      closeness if known else None)
        # Each source with how well it matches the question (a section quoted as the rest of a
        # short document was not among the hits), in the order the reply quotes them.
        rows = sections_of(version).rows
        sources = [source_of(version, r, score[u] if u in score else
                             float((version.embeddings[rows[u]] @ vector).max()))
                   for u, r in quoted]
        return Reply(question=question, answer="\n".join(lines), lang=lang,
                     kind=ReplyKind.ANSWER, sources=tuple(sources))
