"""Checks questions.yaml against the fictional notices in docs/.

Run: source /tmp/venv/bin/activate && python validate.py
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
SUFFIXES = (".ko.txt", ".ko.docx", ".en.pdf", ".en.docx")

# Key details of the out-of-scope questions: none may occur in any notice.
OOS_ABSENT = {
    "n6-oos-ko-1": ["주차", "parking"],
    "n6-oos-ko-2": ["침대", "세탁", "가구", "furnish"],
    "n6-oos-ko-3": ["여행자보험", "travel insurance", "insurance"],  # checked in travel-grant only
    "n6-oos-ko-4": ["유료", "구매", "추가 비용", "per hour", "price"],
    "n6-oos-ko-5": ["slurm", "쿠버네티스", "kubernetes", "스케줄러", "scheduler"],
    "n6-oos-ko-6": ["운전", "driver", "driving", "licen"],
    "n6-oos-ko-7": ["날씨", "weather"],
    "n6-oos-ko-8": ["파이썬", "python", "딕셔너리"],
    "n6-oos-en-1": ["gym", "헬스", "laundry", "세탁", "fitness"],
    "n6-oos-en-2": ["주거 지원금", "주거비", "housing allowance", "월세 지원", "rent support"],
    "n6-oos-en-3": ["exchange rate", "환율", "usd", "dollar"],
    "n6-oos-en-4": ["jupyter", "ssh", "주피터"],
    "n6-oos-en-5": ["school", "학교"],
    "n6-oos-en-6": ["income tax", "tax exempt", "세금", "소득세", "면세"],
    "n6-oos-en-7": ["pizza", "restaurant", "피자"],
    "n6-oos-en-8": ["laptop", "노트북"],
}
# Terms that legitimately appear in some other notice: restrict the check to these notices.
OOS_SCOPE = {"n6-oos-ko-3": ["travel-grant"]}


def text_of(path: Path) -> str:
    if path.suffix == ".txt":
        return path.read_text(encoding="utf-8")
    if path.suffix == ".pdf":
        return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def main() -> int:
    notices = {}
    for path in sorted(DOCS.iterdir()):
        stem = next((path.name[: -len(s)] for s in SUFFIXES if path.name.endswith(s)), None)
        if stem is None:
            print("unexpected file in docs/:", path.name)
            return 1
        raw = text_of(path)
        notices[stem] = {"raw": raw.lower(), "flat": re.sub(r"\s+", " ", raw).lower(), "file": path.name}
    errors, warnings = [], []
    qs = yaml.safe_load((HERE / "questions.yaml").read_text(encoding="utf-8"))

    ids = [q["id"] for q in qs]
    dup = [i for i, n in Counter(ids).items() if n > 1]
    if dup:
        errors.append(f"duplicate ids: {dup}")

    allowed = {"id", "q", "lang", "docs", "expect_all", "tags", "out_of_scope"}
    for q in qs:
        extra = set(q) - allowed
        if extra:
            errors.append(f"{q['id']}: unknown keys {extra}")
        if q.get("lang") not in ("ko", "en"):
            errors.append(f"{q['id']}: bad lang")
        if q.get("out_of_scope"):
            if "docs" in q or "expect_all" in q:
                errors.append(f"{q['id']}: out-of-scope question with docs/expect_all")
            continue
        if not q.get("docs") or not q.get("expect_all"):
            errors.append(f"{q['id']}: missing docs or expect_all")
            continue
        for d in q["docs"]:
            if d not in notices:
                errors.append(f"{q['id']}: unknown notice {d}")
        texts = [notices[d] for d in q["docs"] if d in notices]
        if not 1 <= len(q["expect_all"]) <= 2:
            warnings.append(f"{q['id']}: {len(q['expect_all'])} groups")
        for group in q["expect_all"]:
            if not any(a.lower() in t["flat"] for a in group for t in texts):
                errors.append(f"{q['id']}: no alternative of {group} in its notice")
            elif not any(a.lower() in t["raw"] for a in group for t in texts):
                warnings.append(f"{q['id']}: {group} matches only after joining wrapped lines")

    for q in qs:
        if not q.get("out_of_scope"):
            continue
        terms = OOS_ABSENT.get(q["id"])
        if not terms:
            errors.append(f"{q['id']}: no absent-terms entry")
            continue
        scope = OOS_SCOPE.get(q["id"], list(notices))
        for term in terms:
            for d in scope:
                if term.lower() in notices[d]["flat"]:
                    errors.append(f"{q['id']}: key detail {term!r} occurs in {notices[d]['file']}")

    ins = [q for q in qs if not q.get("out_of_scope")]
    oos = [q for q in qs if q.get("out_of_scope")]
    lang_of = {stem: v["file"].split(".")[1] for stem, v in notices.items()}
    cross = [q for q in ins if any(lang_of[d] != q["lang"] for d in q["docs"])]
    per_doc = Counter(d for q in ins for d in q["docs"])
    counts = {
        "total": len(qs),
        "in-scope": len(ins),
        "in-scope ko": sum(q["lang"] == "ko" for q in ins),
        "in-scope en": sum(q["lang"] == "en" for q in ins),
        "cross-language": len(cross),
        "out-of-scope ko": sum(q["lang"] == "ko" for q in oos),
        "out-of-scope en": sum(q["lang"] == "en" for q in oos),
        "near-miss": sum("near-miss" in q.get("tags", []) for q in oos),
    }
    expected = {"total": 56, "in-scope": 40, "in-scope ko": 20, "in-scope en": 20,
                "out-of-scope ko": 8, "out-of-scope en": 8}
    for k, v in expected.items():
        if counts[k] != v:
            errors.append(f"count {k} = {counts[k]}, expected {v}")
    if len(notices) != 4 or any(per_doc[d] == 0 for d in notices):
        errors.append(f"questions per notice: {dict(per_doc)}")

    print("counts:", counts)
    print("in-scope per notice:", dict(per_doc))
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("ERROR:", e)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
