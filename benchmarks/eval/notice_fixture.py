"""Checks shared by the validators of the notices fixtures (notices8/ to notices10/): each set's
validate.py names its four notices, their formats and the key words of its out-of-scope
questions, and calls `validate`.

- docs/: exactly one notice of each format the set names (by default .ko.txt, .en.pdf,
  .ko.docx and .en.docx); 6-10 sections each;
  350-700 words (English) or 300-700 space-separated words (Korean); e-mail addresses
  (ASCII, so a Korean particle after one, as in "x@example.org로", is not part of it)
  only at example.org.
- questions.yaml: 56 questions, ids unique and shaped <prefix>-<topic>-<lang>-<n>; 40 in-scope
  (10 per notice: 5 ko + 5 en, so 5 cross-language each) and 16 out-of-scope (8 ko + 8 en);
  the lang field agrees with the script the question is written in.
- every expect_all group (1-2 per question) has an alternative that occurs literally
  (case-insensitive) in the text extracted from the named notice: pypdf for PDF,
  python-docx (paragraphs and table cells) for DOCX, a plain UTF-8 read for TXT.
- every out-of-scope question has key detail words (its set's OOS_TERMS), and none of them
  occurs in any notice or anywhere under knowledge/.
"""
import re
from collections import Counter, defaultdict
from pathlib import Path

import docx
import yaml
from pypdf import PdfReader

FORMATS = {".ko.txt", ".en.pdf", ".ko.docx", ".en.docx"}
KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
HANGUL = re.compile(r"[\uac00-\ud7a3]")

failures: list[str] = []


def fail(msg: str) -> None:
    failures.append(msg)
    print("FAIL:", msg)


# ---------------------------------------------------------------------------
# text extraction
# ---------------------------------------------------------------------------
def docx_text(path: Path) -> tuple[str, int]:
    """Body text in document order (paragraphs and table cells) and number of headings."""
    d = docx.Document(str(path))
    parts, headings = [], 0
    for block in d.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = docx.text.paragraph.Paragraph(block, d)
            parts.append(para.text)
            if para.style is not None and para.style.name.startswith("Heading"):
                headings += 1
        elif tag == "tbl":
            table = docx.table.Table(block, d)
            for row in table.rows:
                parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts), headings


def extract(path: Path) -> tuple[str, int]:
    name = path.name
    if name.endswith(".txt"):
        text = path.read_text(encoding="utf-8")
        return text, len(re.findall(r"^\d+\.\s", text, flags=re.M))
    if name.endswith(".pdf"):
        text = "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
        return text, len(re.findall(r"^\d+\.\s+[A-Z\uac00-\ud7a3]", text, flags=re.M))
    if name.endswith(".docx"):
        return docx_text(path)
    raise ValueError(f"unsupported notice format: {name}")


def split_name(path: Path) -> tuple[str, str, str]:
    """innocore-x.ko.docx -> (stem 'innocore-x', lang 'ko', suffix '.ko.docx')."""
    m = re.match(r"^(.*)\.(ko|en)\.(txt|pdf|docx)$", path.name)
    if not m:
        raise ValueError(f"bad notice name: {path.name}")
    return m.group(1), m.group(2), f".{m.group(2)}.{m.group(3)}"


def has_term(text: str, term: str) -> bool:
    if term.isascii():
        return re.search(r"(?<![A-Za-z0-9])" + re.escape(term) + r"(?![A-Za-z0-9])",
                         text, flags=re.I) is not None
    return term.lower() in text.lower()


# ---------------------------------------------------------------------------
# notices
# ---------------------------------------------------------------------------
def check_notices(docs_dir: Path, topics: dict[str, str],
                  formats: set[str] = FORMATS) -> dict[str, tuple[str, str]]:
    notices: dict[str, tuple[str, str]] = {}  # stem -> (lang, text)
    files = sorted(p for p in docs_dir.iterdir() if p.is_file())
    suffixes = []
    for path in files:
        stem, lang, suffix = split_name(path)
        suffixes.append(suffix)
        text, sections = extract(path)
        if stem in notices:
            fail(f"two notices share the id {stem}")
        notices[stem] = (lang, text)
        words = len(text.split())
        lo, hi = (350, 700) if lang == "en" else (300, 700)
        print(f"notice {path.name}: {sections} sections, {words} words, "
              f"{len(text)} characters")
        if not 6 <= sections <= 10:
            fail(f"{path.name}: {sections} sections (want 6-10)")
        if not lo <= words <= hi:
            fail(f"{path.name}: {words} words (want {lo}-{hi})")
        if lang == "en" and len(HANGUL.findall(text)) > 0:
            fail(f"{path.name}: English notice contains Hangul")
        if lang == "ko" and len(HANGUL.findall(text)) < 500:
            fail(f"{path.name}: Korean notice has too little Hangul")
        for addr in re.findall(r"[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", text):
            if not addr.endswith("@example.org"):
                fail(f"{path.name}: e-mail address not at example.org: {addr}")
    if sorted(suffixes) != sorted(formats):
        fail(f"notice formats {sorted(suffixes)} != {sorted(formats)}")
    if set(notices) != set(topics.values()):
        fail(f"notice ids {sorted(notices)} != {sorted(topics.values())}")
    return notices


# ---------------------------------------------------------------------------
# questions
# ---------------------------------------------------------------------------
def check_questions(notices: dict[str, tuple[str, str]], questions_file: Path, prefix: str,
                    topics: dict[str, str], oos_terms: dict[str, list[str]]) -> None:
    id_re = re.compile(rf"^{prefix}-({'|'.join(topics)}|oos)-(ko|en)-(\d+)$")
    questions = yaml.safe_load(questions_file.read_text(encoding="utf-8"))
    if not isinstance(questions, list):
        fail("questions.yaml is not a list")
        return
    ids = Counter(q.get("id") for q in questions)
    for qid, n in ids.items():
        if n > 1:
            fail(f"duplicate id {qid}")
    if len(questions) != 56:
        fail(f"{len(questions)} questions (want 56)")

    per_doc = defaultdict(Counter)  # stem -> Counter(lang)
    cross = Counter()
    oos_lang = Counter()
    knowledge_text = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                               for p in sorted(KNOWLEDGE.rglob("*")) if p.is_file())
    all_notices_text = "\n".join(text for _, text in notices.values())

    for q in questions:
        qid, text, lang = q.get("id"), q.get("q"), q.get("lang")
        m = id_re.match(qid or "")
        if not m:
            fail(f"{qid}: id not shaped {prefix}-<topic>-<lang>-<n>")
            continue
        if lang not in ("ko", "en") or m.group(2) != lang:
            fail(f"{qid}: lang {lang!r} disagrees with the id")
        if not isinstance(text, str) or not text.strip():
            fail(f"{qid}: empty question")
            continue
        hangul = bool(HANGUL.search(text))
        if (lang == "ko") != hangul:
            fail(f"{qid}: lang {lang} but question {'has' if hangul else 'has no'} Hangul")
        if not q.get("tags"):
            fail(f"{qid}: no tags")

        if m.group(1) == "oos":
            if q.get("out_of_scope") is not True:
                fail(f"{qid}: out-of-scope id without out_of_scope: true")
            if "docs" in q or "expect_all" in q:
                fail(f"{qid}: out-of-scope question has docs/expect_all")
            oos_lang[lang] += 1
            terms = oos_terms.get(qid)
            if not terms:
                fail(f"{qid}: no key detail words in OOS_TERMS")
                continue
            for term in terms:
                if has_term(all_notices_text, term):
                    fail(f"{qid}: key word {term!r} occurs in a notice")
                if has_term(knowledge_text, term):
                    fail(f"{qid}: key word {term!r} occurs in knowledge/")
            continue

        # in-scope
        if q.get("out_of_scope"):
            fail(f"{qid}: in-scope id marked out_of_scope")
        stem = topics[m.group(1)]
        docs_field = q.get("docs")
        if docs_field != [stem]:
            fail(f"{qid}: docs {docs_field} (want [{stem}])")
            continue
        doc_lang, doc_text = notices[stem]
        per_doc[stem][lang] += 1
        is_cross = lang != doc_lang
        cross[stem] += is_cross
        if is_cross != ("cross-lang" in (q.get("tags") or [])):
            fail(f"{qid}: cross-lang tag does not match (question {lang}, notice {doc_lang})")
        groups = q.get("expect_all")
        if not isinstance(groups, list) or not 1 <= len(groups) <= 2:
            fail(f"{qid}: expect_all must hold 1-2 groups")
            continue
        low = doc_text.lower()
        for group in groups:
            if not isinstance(group, list) or not group or not all(
                    isinstance(s, str) and s for s in group):
                fail(f"{qid}: bad group {group!r}")
                continue
            if not any(s.lower() in low for s in group):
                fail(f"{qid}: no alternative of {group} occurs in {stem}")

    for stem in topics.values():
        c = per_doc[stem]
        if c["ko"] != 5 or c["en"] != 5:
            fail(f"{stem}: {c['ko']} ko + {c['en']} en questions (want 5 + 5)")
        if cross[stem] != 5:
            fail(f"{stem}: {cross[stem]} cross-language questions (want 5)")
    if oos_lang["ko"] != 8 or oos_lang["en"] != 8:
        fail(f"out of scope: {oos_lang['ko']} ko + {oos_lang['en']} en (want 8 + 8)")
    extra = set(oos_terms) - set(ids)
    if extra:
        fail(f"OOS_TERMS names unknown ids: {sorted(extra)}")

    in_scope = sum(sum(c.values()) for c in per_doc.values())
    print(f"questions: {len(questions)} total, {in_scope} in scope "
          f"({sum(cross.values())} cross-language), "
          f"{sum(oos_lang.values())} out of scope ({oos_lang['ko']} ko, {oos_lang['en']} en)")


def validate(here: Path, prefix: str, topics: dict[str, str], oos_terms: dict[str, list[str]],
             formats: set[str] = FORMATS) -> int:
    """Check the fixture in the folder `here` (docs/, questions.yaml): 0 when every check
    passes, 1 otherwise (each failure is printed). `topics`: the ids' topic -> notice file stem;
    `formats`: the notices' suffixes, one each."""
    notices = check_notices(here / "docs", topics, formats)
    check_questions(notices, here / "questions.yaml", prefix, topics, oos_terms)
    if failures:
        print(f"\n{len(failures)} check(s) failed")
        return 1
    print("\nall checks passed")
    return 0
