"""Ingest speed and memory, each run as the operators run it: `python ingest.py` in a new process.

Prints the time of a cold full ingest (a fresh index folder), of a re-ingest with nothing
changed, and the peak memory of the ingest process, next to their targets on a 2-core machine.
Every figure includes process start. Runs are repeated and the median is kept, because other
work on the machine slows single runs down (the load average is printed for that reason).

    python benchmarks/ingest.py                 # knowledge/, 3 runs of each
    python benchmarks/ingest.py --runs 5 --knowledge path/to/docs
    python benchmarks/ingest.py --add-docs benchmarks/eval/notices10/docs  # with operator notices
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FULL_TARGET, NO_CHANGE_TARGET = 10.0, 1.0  # seconds, process start included


@dataclass
class Run:
    seconds: float        # wall clock, process start to exit
    cpu: float            # user + system time of the process and its threads
    peak_mb: float        # maximum resident set size
    report: dict


def ingest(knowledge: Path, index: Path) -> Run:
    """One `python ingest.py --json` in a child process, measured with wait4()."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INNOCORE_")}
    cmd = [sys.executable, str(REPO / "ingest.py"), "--knowledge", str(knowledge),
           "--index", str(index), "--json"]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage, then reaped
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        output, errors = out.read(), err.read()
    if proc.returncode != 0:
        sys.exit(f"ingest failed ({proc.returncode}):\n{errors.decode()}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
               json.loads(output))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--knowledge", type=Path, default=REPO / "knowledge")
    parser.add_argument("--runs", type=int, default=3, help="runs of each kind (default 3)")
    parser.add_argument("--add-docs", type=Path,
                        help="a folder of extra documents ingested beside the knowledge folder "
                             "(as an operator adds notices; those in one language only also "
                             "get a vector for each sentence)")
    args = parser.parse_args()

    full: list[Run] = []
    no_change: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="ingest-bench-") as tmp:
        knowledge = args.knowledge
        if args.add_docs:
            knowledge = Path(tmp) / "knowledge"
            shutil.copytree(args.knowledge, knowledge)
            shutil.copytree(args.add_docs, knowledge / "added")
        for n in range(args.runs):
            index = Path(tmp) / f"index-{n}"
            full.append(ingest(knowledge, index))
            no_change.append(ingest(knowledge, index))
            shutil.rmtree(index)
    if any(r.report["chunks_added"] for r in no_change):
        sys.exit("a no-change re-ingest embedded chunks")

    def line(label: str, runs: list[Run], target: float) -> str:
        median = statistics.median(r.seconds for r in runs)
        each = " ".join(f"{r.seconds:.2f}" for r in runs)
        verdict = "ok" if median < target else "OVER"
        return (f"{label:<22}{median:6.2f} s   target < {target:g} s  {verdict:<4}  "
                f"(median; runs: {each}; cpu {statistics.median(r.cpu for r in runs):.1f} s)")

    first = full[0].report
    added = f" + {args.add_docs}" if args.add_docs else ""
    print(f"ingest of {args.knowledge}{added}: {first['documents_total']} documents, "
          f"{first['chunks_total']} chunks; {os.cpu_count()} CPUs; "
          f"load average before/after {LOAD_BEFORE} / {os.getloadavg()[0]:.2f}")
    print(line("cold full ingest", full, FULL_TARGET))
    print(line("no-change re-ingest", no_change, NO_CHANGE_TARGET))
    print(f"{'peak memory':<22}{max(r.peak_mb for r in full):6.0f} MB  (full ingest; "
          f"no-change {max(r.peak_mb for r in no_change):.0f} MB)")
    # (in this process, after the runs: loading the embedder here slows none of them)
    sys.path.insert(0, str(REPO))
    from benchmarks.machine import describe as describe_machine

    print(describe_machine())
    return 0


LOAD_BEFORE = f"{os.getloadavg()[0]:.2f}"

if __name__ == "__main__":
    sys.exit(main())
