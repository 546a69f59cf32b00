"""The command's output: `--json` is one JSON object, `--dry-run` writes nothing, and the
progress bar shows only on a terminal."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import termios

from tests.ingest.support import REPO, clean_env, command, run_command, state, write_knowledge

FAQ = {"faq/faq.en.md": "# FAQ\n\n## Age\nThere is no age limit.\n"}


def test_json_prints_one_object(small_index):
    knowledge, index = small_index
    done = run_command("--knowledge", knowledge, "--index", index, "--json", timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1
    report = json.loads(done.stdout)
    assert set(report) >= {"added", "updated", "removed", "unchanged", "chunks_added",
                           "chunks_removed", "chunks_total", "documents_total", "version",
                           "dry_run", "seconds"}
    assert report["version"] == state(index)[0] and report["chunks_added"] == 0


def test_dry_run_writes_nothing(small_copy):
    knowledge, index = small_copy
    write_knowledge(knowledge, FAQ)
    (knowledge / "centers" / "centers.ko.md").unlink()
    before = state(index)
    current_file = index / "CURRENT"
    stamp = current_file.stat().st_mtime_ns

    done = run_command("--knowledge", knowledge, "--index", index, "--dry-run", "--json",
                       timeout=60)

    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["dry_run"] is True
    assert (report["added"], report["removed"]) == (["faq/faq.en.md"], ["centers/centers.ko.md"])
    assert report["chunks_added"] == 1 and report["version"] == before[0]
    assert state(index) == before and current_file.stat().st_mtime_ns == stamp


def test_a_file_the_bot_cannot_read_is_named_not_silently_ignored(small_copy):
    knowledge, index = small_copy
    write_knowledge(knowledge, {"notices/공고.html": b"<p>HTML</p>", "notices/slides.pptx": b"PK",
                                # what Word leaves beside a document it has open: not a document
                                "notices/~$slides.docx": b"\x0bjdoe", "faq/faq.en.md~": b"old"})

    done = run_command("--knowledge", knowledge, "--index", index, "--dry-run", timeout=60)

    assert done.returncode == 0, done.stderr  # the documents it can read are still indexed
    assert "skipped: notices/slides.pptx" in done.stdout
    assert "skipped: notices/공고.html" in done.stdout
    assert ".docx" in done.stdout and ".pdf" in done.stdout  # what to save them as
    report = json.loads(run_command("--knowledge", knowledge, "--index", index, "--dry-run",
                                    "--json", timeout=60).stdout)
    assert report["skipped"] == ["notices/slides.pptx", "notices/공고.html"]


def test_dry_run_on_a_new_index_creates_nothing(small_index, tmp_path):
    knowledge, _ = small_index
    done = run_command("--knowledge", knowledge, "--index", tmp_path / "new", "--dry-run",
                       timeout=60)
    assert done.returncode == 0, done.stderr
    assert "3 added" in done.stdout and "dry run: nothing was written" in done.stdout
    assert not (tmp_path / "new").exists()


def run_on_a_terminal(*args) -> tuple[int, str, str]:
    """Run the command with stderr on a pseudo-terminal; (exit code, stdout, terminal output)."""
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # rows, columns
    try:
        proc = subprocess.Popen(command(*args), cwd=REPO, env=clean_env(), stdout=subprocess.PIPE,
                                stderr=child, text=True)
        os.close(child)
        screen = b""
        while True:  # read until the child closes the terminal (EIO on Linux)
            try:
                data = os.read(main, 4096)
            except OSError:
                break
            if not data:
                break
            screen += data
        out, _ = proc.communicate(timeout=120)
    finally:
        os.close(main)
    return proc.returncode, out, screen.decode("utf-8", "replace")


def test_progress_bar_only_on_a_terminal(small_copy):
    knowledge, index = small_copy
    write_knowledge(knowledge, FAQ)
    code, out, screen = run_on_a_terminal("--knowledge", knowledge, "--index", index)
    assert code == 0, screen
    assert "embedding" in screen  # tqdm's bar
    assert "1 added" in out and "embedding" not in out

    write_knowledge(knowledge, {"faq/more.en.md": "# More\n\nThe contract lasts three years.\n"})
    done = run_command("--knowledge", knowledge, "--index", index, timeout=120)  # pipes only
    assert done.returncode == 0 and "embedding" not in done.stderr + done.stdout


def test_json_stays_one_clean_line_on_a_terminal(small_copy):
    knowledge, index = small_copy
    write_knowledge(knowledge, FAQ)
    code, out, screen = run_on_a_terminal("--knowledge", knowledge, "--index", index, "--json")
    assert code == 0, screen
    assert out.count("\n") == 1 and json.loads(out)["added"] == ["faq/faq.en.md"]
    assert "embedding" not in screen


def test_a_document_in_one_language_only_is_named_until_its_translation_is_beside_it(small_copy):
    # A question in the other language finds such a notice less surely: the operator is told
    knowledge, index = small_copy
    report = json.loads(run_command("--knowledge", knowledge, "--index", index, "--dry-run",
                                    "--json", timeout=60).stdout)
    assert report["one_language"] == ["centers/centers.ko.md", "program/salary.en.md",
                                      "sessions/sessions.en.yaml"]

    write_knowledge(knowledge, {"program/salary.ko.md": "# 연봉\n\n## 연봉\n연봉은 9천만 원입니다.\n"})
    done = run_command("--knowledge", knowledge, "--index", index, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "one language: centers/centers.ko.md" in done.stdout
    assert "salary" not in "".join(line for line in done.stdout.splitlines()
                                   if line.startswith("  one language:"))
