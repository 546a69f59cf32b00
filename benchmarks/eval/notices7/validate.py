#!/usr/bin/env python3
"""Validate the notices7 fixture (questions.yaml against the fictional notices in docs/).

Run with:  /tmp/venv/bin/python validate.py
Needs: PyYAML, pypdf, python-docx.  Exit code 0 = all checks passed.
"""
import re
import sys
from collections import Counter
from pathlib import Path

import yaml
from docx import Document
from pypdf import PdfReader

HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"
KNOWLEDGE = HERE.parent.parent.parent / "knowledge"   # /work/main/knowledge (read only)
SUFFIXES = (".ko.txt", ".en.pdf", ".ko.docx", ".en.docx")
EXPECTED_DOCS = {
    "research-fund-guide.ko.txt": ("ko", "fund"),
    "oa-fee-support.en.pdf": ("en", "oa"),
    "midterm-report.ko.docx": ("ko", "midterm"),
    "korean-course.en.docx": ("en", "course"),
}
ALLOWED_TAGS = {"paraphrase", "colloquial", "typo", "short", "mixed-language",
                "cross-language", "near-miss", "unrelated"}

# Key detail words of each out-of-scope question: none of them may occur in any notice
# (nor in the knowledge base), so no document can answer the question.
OOS_ABSENT = {
    "n7-oos-ko-1": ["분실", "재발급", "잃어버", "lost card", "reissue"],
    "n7-oos-ko-2": ["세금", "원천징수", "tax"],
    "n7-oos-ko-3": ["arxiv", "preprint", "프리프린트"],
    "n7-oos-ko-4": ["영어", "영문 작성", "영문으로", "작성 언어"],
    "n7-oos-ko-5": ["topik", "토픽", "응시료"],
    "n7-oos-ko-6": ["튜터", "tutor", "one-on-one", "1:1", "일대일"],
    "n7-oos-ko-7": ["날씨", "weather", "기온"],
    "n7-oos-ko-8": ["파이썬", "python", "정렬"],
    "n7-oos-en-1": ["mobile app", "모바일", "앱"],
    "n7-oos-en-2": ["research assistant", "인건비", "학생연구원", "조교"],
    "n7-oos-en-3": ["colour", "color", "page charge", "컬러"],
    "n7-oos-en-4": ["best presentation", "presentation award", "award", "시상", "우수발표", "상금"],
    "n7-oos-en-5": ["latex", "레이텍", "overleaf", "tex template"],
    "n7-oos-en-6": ["weekend", "saturday", "sunday", "주말", "토요일", "일요일"],
    "n7-oos-en-7": ["joke", "농담", "funny"],
    "n7-oos-en-8": ["bitcoin", "비트코인", "crypto"],
}

HANGUL = re.compile(r"[\uac00-\ud7a3]")
errors = []


def err(msg):
    errors.append(msg)
    print("FAIL:", msg)


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().lower()


def read_text(path: Path) -> str:
    if path.suffix == ".txt":
        return path.read_text(encoding="utf-8")
    if path.suffix == ".pdf":
        return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    if path.suffix == ".docx":
        doc = Document(str(path))
        parts = [p.text for p in doc.paragraphs]
        for table in doc.tables:
            for row in table.rows:
                parts.extend(cell.text for cell in row.cells)
        return "\n".join(parts)
    raise ValueError(path)


def count_sections(path: Path) -> int:
    if path.suffix == ".docx":
        doc = Document(str(path))
        return sum(1 for p in doc.paragraphs if p.style.name.startswith("Heading"))
    text = read_text(path)
    return sum(1 for line in text.splitlines() if re.match(r"^\d{1,2}\. \S", line.strip()))


def stem(name: str) -> str:
    for s in SUFFIXES:
        if name.endswith(s):
            return name[: -len(s)]
    return name


def main() -> int:
    # ---- documents -------------------------------------------------------
    files = sorted(p.name for p in DOCS.iterdir() if p.is_file())
    if set(files) != set(EXPECTED_DOCS):
        err(f"docs/ must hold exactly {sorted(EXPECTED_DOCS)}, found {files}")
    texts = {}
    for name, (lang, _slug) in EXPECTED_DOCS.items():
        path = DOCS / name
        if not path.exists():
            continue
        text = read_text(path)
        texts[stem(name)] = text
        n_chars = len(text)
        n_sec = count_sections(path)
        hangul = len(HANGUL.findall(text))
        print(f"doc {name}: {n_chars} chars, {n_sec} sections, {hangul} Hangul syllables")
        if not 2500 <= n_chars <= 5000:
            err(f"{name}: {n_chars} characters, expected 2,500-5,000")
        if not 6 <= n_sec <= 10:
            err(f"{name}: {n_sec} sections, expected 6-10")
        if lang == "en" and hangul:
            err(f"{name}: English notice contains Hangul")
        if lang == "ko" and hangul < 500:
            err(f"{name}: Korean notice has only {hangul} Hangul syllables")
        for mail in re.findall(r"[\w.+-]+@[\w.-]+", text):
            if not mail.endswith("@example.org"):
                err(f"{name}: e-mail {mail} is not at example.org")
        if not re.search(r"20\d\d", text):
            err(f"{name}: no year in any date")
    # compare case-insensitively, with line wraps (PDF) and runs of spaces collapsed
    lowered = {k: norm(v) for k, v in texts.items()}

    knowledge = ""
    if KNOWLEDGE.is_dir():
        knowledge = "\n".join(p.read_text(encoding="utf-8", errors="ignore")
                              for p in KNOWLEDGE.rglob("*")
                              if p.is_file() and p.name != "README.md")  # README = format guide
        knowledge = norm(knowledge)

    # ---- questions -------------------------------------------------------
    data = yaml.safe_load((HERE / "questions.yaml").read_text(encoding="utf-8"))
    if not isinstance(data, list):
        err("questions.yaml must be a YAML list")
        return 1
    ids = [q.get("id") for q in data]
    for i, n in Counter(ids).items():
        if n > 1:
            err(f"duplicate id {i}")
    doc_lang = {stem(n): lang for n, (lang, _) in EXPECTED_DOCS.items()}
    doc_slug = {stem(n): slug for n, (_, slug) in EXPECTED_DOCS.items()}

    ins = [q for q in data if not q.get("out_of_scope")]
    oos = [q for q in data if q.get("out_of_scope")]
    c_in = Counter(q.get("lang") for q in ins)
    c_oos = Counter(q.get("lang") for q in oos)
    per_doc = Counter()
    per_doc_lang = Counter()
    cross = 0
    oos_kind = Counter()

    for q in data:
        qid = q.get("id", "?")
        for key in ("id", "q", "lang", "tags"):
            if not q.get(key):
                err(f"{qid}: missing {key}")
        if q.get("lang") not in ("ko", "en"):
            err(f"{qid}: lang must be ko or en")
        bad_tags = set(q.get("tags", [])) - ALLOWED_TAGS
        if bad_tags:
            err(f"{qid}: unknown tags {sorted(bad_tags)}")
        if q.get("out_of_scope"):
            if not re.fullmatch(rf"n7-oos-{q.get('lang')}-\d+", qid):
                err(f"{qid}: out-of-scope id must be n7-oos-<lang>-<n>")
            if "docs" in q or "expect_all" in q:
                err(f"{qid}: out-of-scope question must not have docs/expect_all")
            kinds = {"near-miss", "unrelated"} & set(q.get("tags", []))
            if len(kinds) != 1:
                err(f"{qid}: out-of-scope needs exactly one of near-miss/unrelated")
            oos_kind.update(kinds)
            words = OOS_ABSENT.get(qid)
            if not words:
                err(f"{qid}: no key detail words listed in OOS_ABSENT")
                continue
            for w in words:
                for d, t in lowered.items():
                    if norm(w) in t:
                        err(f"{qid}: key word {w!r} occurs in notice {d}")
                if norm(w) in knowledge:
                    err(f"{qid}: key word {w!r} occurs in knowledge/")
            continue
        docs = q.get("docs") or []
        if len(docs) != 1 or docs[0] not in texts:
            err(f"{qid}: docs must name exactly one notice of {sorted(texts)}")
            continue
        d = docs[0]
        per_doc[d] += 1
        per_doc_lang[(d, q.get("lang"))] += 1
        if not re.fullmatch(rf"n7-{doc_slug[d]}-{q.get('lang')}-\d+", qid):
            err(f"{qid}: id must be n7-{doc_slug[d]}-{q.get('lang')}-<n>")
        is_cross = q.get("lang") != doc_lang[d]
        if is_cross:
            cross += 1
        if is_cross != ("cross-language" in q.get("tags", [])):
            err(f"{qid}: cross-language tag does not match question/notice languages")
        groups = q.get("expect_all")
        if not isinstance(groups, list) or not 1 <= len(groups) <= 2:
            err(f"{qid}: expect_all must be a list of 1-2 groups")
            continue
        for g in groups:
            if not isinstance(g, list) or not g:
                err(f"{qid}: every expect_all group must be a non-empty list")
                continue
            found = [s for s in g if norm(str(s)) in lowered[d]]
            if not found:
                err(f"{qid}: no string of group {g} occurs in notice {d}")
            elif min(len(str(s)) for s in found) > 40:
                err(f"{qid}: group {g} has no SHORT (<=40 chars) string from the notice")

    # ---- counts ----------------------------------------------------------
    print(f"in scope: {len(ins)} (ko {c_in['ko']}, en {c_in['en']}); "
          f"out of scope: {len(oos)} (ko {c_oos['ko']}, en {c_oos['en']}; "
          f"near-miss {oos_kind['near-miss']}, unrelated {oos_kind['unrelated']}); "
          f"cross-language: {cross}")
    for d in sorted(texts):
        print(f"  {d}: {per_doc[d]} questions "
              f"(ko {per_doc_lang[(d, 'ko')]}, en {per_doc_lang[(d, 'en')]})")
    if c_in["ko"] != 20 or c_in["en"] != 20:
        err("need 20 Korean and 20 English in-scope questions")
    if c_oos["ko"] != 8 or c_oos["en"] != 8:
        err("need 8 Korean and 8 English out-of-scope questions")
    if oos_kind["near-miss"] != 12 or oos_kind["unrelated"] != 4:
        err("need 12 near-miss and 4 unrelated out-of-scope questions")
    for d in texts:
        if per_doc[d] != 10:
            err(f"{d}: {per_doc[d]} questions, expected 10")
        if per_doc_lang[(d, "ko")] != 5 or per_doc_lang[(d, "en")] != 5:
            err(f"{d}: expected 5 Korean + 5 English questions")
    if cross < 20:
        err(f"only {cross} cross-language questions, need at least 20")
    extra = set(OOS_ABSENT) - {q.get("id") for q in oos}
    if extra:
        err(f"OOS_ABSENT names unknown ids {sorted(extra)}")

    print("OK: all checks passed" if not errors else f"{len(errors)} check(s) failed")
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
