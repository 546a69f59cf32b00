"""Answer quality and speed on the evaluation set (benchmarks/eval/questions.yaml).

Prints: answer accuracy (and how many right answers say it in their first lines), correct-decline
rate, retrieval hit@1 / hit@3 / MRR, numbers in replies that appear in no source, warm latency
p50/p95, cold time to the first reply, and peak memory.

    python benchmarks/answers.py            # figures
    python benchmarks/answers.py --failures # and every question that missed
    python benchmarks/answers.py --eval benchmarks/eval/fresh4.yaml       # written apart, unseen (README)
    python benchmarks/answers.py --eval benchmarks/eval/notices4/questions.yaml \
        --add-docs benchmarks/eval/notices4/docs  # operator notices the shipped knowledge lacks
    (and heldout.yaml, fresh.yaml … fresh3.yaml, notices/ … notices3/: see the README)
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.config import Settings  # noqa: E402
from bot.engine import Assistant, messages  # noqa: E402
from bot.ingest.ensure import ensure_index  # noqa: E402

from benchmarks.machine import describe as describe_machine  # noqa: E402

# "(This part is only available in Korean:)": a note, not the answer's first line
NOTES = {messages.text("other_language", lang).lower() for lang in ("ko", "en")}

NUMBER = re.compile(r"\d[\d,.]*\d|\d")
LEAD_LINES = 2  # what a reader takes in before deciding whether to read on


def numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in NUMBER.findall(text)}


def doc_ranking(assistant: Assistant, question: str) -> list[str]:
    """Distinct document ids in retrieval order."""
    retrieval = assistant.retriever.search(question)
    ranking: list[str] = []
    for hit in retrieval.hits:
        doc_id = hit.unit.doc_id
        if doc_id not in ranking:
            ranking.append(doc_id)
    return ranking


def source_text(assistant: Assistant, reply) -> str:
    version = assistant.reader.current()
    wanted = {s.source for s in reply.sources}
    return "\n".join(f'{c["metadata"].get("section", "")}\n{c["text"]}'  # headings are its words too
                     for c in version.chunks if c["metadata"]["source"] in wanted)


def cold_start(index_dir: Path, question: str) -> float:
    env = dict(os.environ, INNOCORE_INDEX_DIR=str(index_dir))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bot", "ask", question], cwd=REPO,
                   env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=REPO / "benchmarks/eval/questions.yaml")
    parser.add_argument("--failures", action="store_true", help="list every miss")
    parser.add_argument("--today", default="2026-11-25", help="INNOCORE_TODAY for the run")
    parser.add_argument("--add-docs", type=Path,
                        help="a folder of extra documents ingested beside knowledge/ (as an operator would add them)")
    args = parser.parse_args()

    cases = yaml.safe_load(args.eval.read_text(encoding="utf-8"))
    workdir = Path(tempfile.mkdtemp(prefix="innocore-bench-"))
    index_dir = workdir / "index"
    knowledge_dir = REPO / "knowledge"
    if args.add_docs:
        knowledge_dir = workdir / "knowledge"
        shutil.copytree(REPO / "knowledge", knowledge_dir)
        shutil.copytree(args.add_docs, knowledge_dir / "added")
    import datetime as dt

    settings = Settings(knowledge_dir=knowledge_dir, index_dir=index_dir,
                        today=dt.date.fromisoformat(args.today))
    ensure_index(settings)
    assistant = Assistant.from_settings(settings)
    assistant.warm_up()

    correct = declined_ok = in_scope = out_scope = 0
    leading = 0  # right answers whose first lines already say it
    declined_in_scope = offered_right = 0  # a near-miss decline names sections to pick from
    hit1 = hit3 = 0
    rr = 0.0
    ungrounded: list[str] = []
    latencies: list[float] = []
    failures: list[str] = []
    by_tag: dict[str, list[bool]] = {}
    for case in cases:
        started = time.perf_counter()
        reply = assistant.ask(case["q"])
        latencies.append(time.perf_counter() - started)
        if case.get("out_of_scope"):
            out_scope += 1
            if not reply.answered:
                declined_ok += 1
            else:
                failures.append(f"[should decline] {case['id']}: {case['q']}\n    -> {reply.answer[:160]!r}")
            continue
        in_scope += 1
        text = reply.answer.lower()
        groups_ok = all(any(alt.lower() in text for alt in group) for group in case["expect_all"])
        ok = reply.answered and groups_ok and reply.lang == case["lang"]
        correct += ok
        head = "\n".join([line for line in text.split("\n") if line not in NOTES][:LEAD_LINES])
        leading += ok and any(alt.lower() in head for alt in case["expect_all"][0])
        for tag in case.get("tags", []) + [f"lang:{case['lang']}"]:
            by_tag.setdefault(tag, []).append(ok)
        ranking = doc_ranking(assistant, case["q"])
        expected = set(case.get("docs", []))
        if not reply.answered:
            declined_in_scope += 1
            offered_right += any(s.doc_id in expected for s in reply.suggestions)
        rank = next((i for i, d in enumerate(ranking) if d in expected), None)
        hit1 += rank == 0
        hit3 += rank is not None and rank < 3
        rr += 1.0 / (rank + 1) if rank is not None else 0.0
        if reply.answered:
            missing = numbers(reply.answer) - numbers(source_text(assistant, reply))
            ungrounded += [f"{case['id']}: {n}" for n in sorted(missing)]
        if not ok:
            why = "declined" if not reply.answered else ("wrong lang" if reply.lang != case["lang"] else "missing " + str([g for g in case["expect_all"] if not any(a.lower() in text for a in g)]))
            failures.append(f"[{why}] {case['id']}: {case['q']}  (docs ranked {ranking[:3]})\n    -> {reply.answer[:200]!r}")

    lat_ms = sorted(1000 * t for t in latencies)
    # (a Korean question also loads the Korean analyzer, which an English one never needs)
    cold = cold_start(index_dir, "How much is the salary?")
    cold_ko = cold_start(index_dir, "연봉은 얼마예요?")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"questions: {in_scope} in scope, {out_scope} out of scope ({args.eval.name})")
    print(f"answer accuracy:      {correct / in_scope:.1%} ({correct}/{in_scope})   target >= 95%")
    print(f"answers that lead:    {leading / max(correct, 1):.1%} ({leading}/{correct} right answers say the "
          f"first expected text in their first {LEAD_LINES} lines)")
    print(f"correct declines:     {declined_ok / out_scope:.1%} ({declined_ok}/{out_scope})   target >= 90%")
    print("accuracy by tag:      " + ", ".join(
        f"{tag} {sum(oks) / len(oks):.0%} ({sum(oks)}/{len(oks)})" for tag, oks in sorted(by_tag.items())))
    print(f"declines that offer:  {offered_right}/{declined_in_scope} in-scope questions declined name a section "
          "of a right document to pick")
    print(f"retrieval hit@1:      {hit1 / in_scope:.1%}")
    print(f"retrieval hit@3:      {hit3 / in_scope:.1%}")
    print(f"retrieval MRR:        {rr / in_scope:.3f}")
    print(f"ungrounded numbers:   {len(ungrounded)}   target 0 {ungrounded[:10] if ungrounded else ''}")
    print(f"warm latency:         p50 {statistics.median(lat_ms):.1f} ms, p95 {lat_ms[int(0.95 * (len(lat_ms) - 1))]:.1f} ms   target p95 < 40 ms")
    print(f"cold start to reply:  {cold:.2f} s asked in English, {cold_ko:.2f} s in Korean "
          "(process start to first answer)   target < 3 s")
    print(f"peak memory:          {peak_mb:.0f} MB (this process: index, models, all questions)   target < 600 MB")
    print(describe_machine(assistant.retriever.embedder))
    if args.failures:
        print("\n".join(["", "misses:"] + failures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
