"""A kill in the middle and two ingests at once: the index that serves is never half-built."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from bot.ingest.pipeline import ingest_lock, run_ingest
from tests.ingest.support import (REPO, assert_still_answers, clean_env, command, run_command,
                                  state, write_knowledge)

WORDS = ("postdoctoral researchers join eight research centers where artificial intelligence "
         "meets science and engineering and every center pairs them with mentors from "
         "universities institutes and companies at home and abroad").split()


def generated(n: int) -> dict[str, str]:
    """`n` one-chunk English documents, different enough to be embedded one by one."""
    docs = {}
    for i in range(n):
        words = [WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(100)]
        docs[f"generated/doc-{i:03d}.en.md"] = f"# Note {i}\n\n{' '.join(words)}.\n"
    return docs


def wait_for(condition, timeout: float, what: str, step: float = 0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (found := condition()):
            return found
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def tmp_versions(index: Path) -> list[Path]:
    return sorted((index / "versions").glob(".tmp-*"))


def test_kill_during_embedding_keeps_the_old_index(small_copy):
    knowledge, index = small_copy
    docs = generated(100)  # embedding them takes seconds; the kill comes well before the end
    write_knowledge(knowledge, docs)
    before = state(index)

    proc = subprocess.Popen(command("--knowledge", knowledge, "--index", index), cwd=REPO,
                            env=clean_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        # The temporary version folder is opened while the chunks are being embedded.
        wait_for(lambda: tmp_versions(index) or proc.poll() is not None, 120,
                 "the ingest to open its temporary version folder")
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"

    left = tmp_versions(index)
    assert left and state(index)[0] == before[0]  # an unfinished folder, never published
    assert not (left[0] / "embeddings.npy").exists()  # killed before the vectors were done
    assert_still_answers(knowledge, index)

    # The next ingest succeeds and removes what the killed one left behind.
    for rel in list(docs)[2:]:
        (knowledge / rel).unlink()
    done = run_command("--knowledge", knowledge, "--index", index, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "2 added, 0 updated, 0 removed, 3 unchanged" in done.stdout
    assert tmp_versions(index) == []
    assert_still_answers(knowledge, index)


def test_no_change_run_also_removes_a_killed_ingests_folder(small_copy):
    knowledge, index = small_copy
    leftover = index / "versions" / ".tmp-20250101T000000000000Z-1"
    (leftover / "chroma").mkdir(parents=True)
    report = run_ingest(knowledge, index)
    assert not report.changed and not leftover.exists()


def test_second_ingest_refuses_while_one_runs(small_copy):
    knowledge, index = small_copy
    write_knowledge(knowledge, {"faq/faq.en.md": "# FAQ\n\n## Age\nThere is no age limit.\n"})
    before = state(index)
    with ingest_lock(index, wait=False):
        done = run_command("--knowledge", knowledge, "--index", index, timeout=60)
    assert done.returncode == 1
    assert f"another ingest is running on {index}" in done.stderr
    assert "--wait" in done.stderr
    assert state(index) == before
    assert_still_answers(knowledge, index)


def waiting_for_lock(pid: int) -> bool:
    """/proc/locks lists a process blocked in flock() with '->' before the lock type."""
    return any("->" in line and f" {pid} " in line
               for line in Path("/proc/locks").read_text().splitlines())


def test_wait_queues_behind_the_running_ingest(small_copy):
    knowledge, index = small_copy
    write_knowledge(knowledge, {"faq/faq.en.md": "# FAQ\n\n## Age\nThere is no age limit.\n"})
    before = state(index)
    with ingest_lock(index, wait=False):
        proc = subprocess.Popen(
            command("--knowledge", knowledge, "--index", index, "--wait", "--json"), cwd=REPO,
            env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            wait_for(lambda: waiting_for_lock(proc.pid) or proc.poll() is not None, 60,
                     "the second ingest to wait for the lock")
            assert proc.poll() is None, proc.communicate()
            assert state(index) == before
        except BaseException:
            proc.kill()
            raise
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert '"added": ["faq/faq.en.md"]' in out
    assert state(index)[0] != before[0]
