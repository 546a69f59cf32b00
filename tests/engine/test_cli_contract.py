"""`python -m bot ask --json`: the fixed contract other tools read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _run(args, index_settings, stdin=None):
    env = dict(os.environ, INNOCORE_INDEX_DIR=str(index_settings.index_dir),
               INNOCORE_KNOWLEDGE_DIR=str(index_settings.knowledge_dir))
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=REPO, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def _check_contract(obj):
    assert set(obj) == {"question", "answer", "answered", "lang", "sources"}
    assert isinstance(obj["question"], str) and isinstance(obj["answer"], str)
    assert isinstance(obj["answered"], bool) and obj["lang"] in ("ko", "en")
    for source in obj["sources"]:
        assert set(source) == {"title", "source", "section", "score"}
        assert isinstance(source["score"], float)


def test_json_per_argument_in_order(index_settings):
    done = _run(["ask", "--json", "How much is the salary?", "비자는 어떻게 받나요?", "hello"],
                index_settings)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 3
    objs = [json.loads(line) for line in lines]
    for obj in objs:
        _check_contract(obj)
    assert objs[0]["question"] == "How much is the salary?" and objs[0]["answered"]
    assert objs[0]["sources"]
    assert objs[1]["answered"] is False and objs[1]["lang"] == "ko"
    assert objs[2]["answered"] is False


def test_json_from_stdin_one_per_line(index_settings):
    done = _run(["ask", "--json", "-"], index_settings,
                stdin="연봉은 얼마인가요?\n\nWho leads the brain disease center?\n")
    assert done.returncode == 0, done.stderr
    objs = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["question"] for o in objs] == ["연봉은 얼마인가요?", "Who leads the brain disease center?"]
    for obj in objs:
        _check_contract(obj)
        assert obj["answered"]


def test_plain_ask_prints_answer_and_sources(index_settings):
    done = _run(["ask", "How much is the salary?"], index_settings)
    assert done.returncode == 0
    assert "90 million" in done.stdout and "Sources:" in done.stdout


def test_ask_builds_the_index_when_there_is_none(tmp_path, index_settings):
    env = dict(os.environ, INNOCORE_INDEX_DIR=str(tmp_path / "fresh"),
               INNOCORE_KNOWLEDGE_DIR=str(index_settings.knowledge_dir))
    done = subprocess.run([sys.executable, "-m", "bot", "ask", "--json", "연봉은?"], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["answered"]
    assert (tmp_path / "fresh" / "CURRENT").exists()


def test_chat_session(index_settings):
    done = _run(["chat"], index_settings, stdin="How much is the salary?\n포닥 몇 명 뽑아요?\n")
    assert done.returncode == 0
    assert "90 million" in done.stdout and "400" in done.stdout


@pytest.mark.parametrize("word", ["quit", "EXIT", "종료"])
def test_a_chat_ends_on_a_quit_word_without_answering_it(index_settings, word):
    done = _run(["chat"], index_settings, stdin=f"How much is the salary?\n{word}\n연봉은?\n")
    assert done.returncode == 0, done.stderr
    assert "90 million" in done.stdout
    assert "don't cover" not in done.stdout and "9천만" not in done.stdout  # nothing after it


def test_in_a_chat_a_number_picks_a_section_a_near_miss_named(index_settings, assistant, near_miss):
    offered = assistant.ask(near_miss).suggestions
    done = _run(["chat"], index_settings, stdin=f"{near_miss}\n{len(offered)}\n")
    assert done.returncode == 0
    before, after = done.stdout.split(f"  {len(offered)}) {offered[-1].label}", 1)
    assert "1) " + offered[0].label in before
    # The number is not asked as a question: the section it names is quoted, with its source.
    assert f"- {offered[-1].label}" in after


def test_in_a_chat_a_short_follow_up_leans_on_the_question_before_it(index_settings):
    done = _run(["chat"], index_settings, stdin="수소 연구단은 어디가 주관해요?\n참여 기관은요?\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("지능형 수소기술 혁신연구단 › 참여 연구기관") == 2


def test_in_a_chat_a_message_without_words_is_answered_in_the_conversations_language(index_settings):
    done = _run(["chat"], index_settings, stdin="연봉은 얼마인가요?\n7\n")
    assert done.returncode == 0, done.stderr
    assert "Please type your question" not in done.stdout


def _loaded(pid: int, library: str) -> bool:
    """Whether process `pid` has mapped a shared library whose path names `library`."""
    return library in Path(f"/proc/{pid}/maps").read_text()


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads /proc/PID/maps")
def test_a_chat_in_a_terminal_loads_the_korean_analyzer_while_the_person_types(index_settings):
    # the first reply then waits for nothing; piped questions (above) come at once, so there
    # nothing loads ahead of them
    import pty
    import select
    import time

    env = dict(os.environ, INNOCORE_INDEX_DIR=str(index_settings.index_dir),
               INNOCORE_KNOWLEDGE_DIR=str(index_settings.knowledge_dir))
    controller, terminal = pty.openpty()
    chat = subprocess.Popen([sys.executable, "-m", "bot", "chat"], cwd=REPO, env=env,
                            stdin=terminal, stdout=terminal, stderr=subprocess.DEVNULL)
    os.close(terminal)
    try:
        def shown_until(text: str, seconds: float = 60) -> bytes:
            shown, deadline = b"", time.monotonic() + seconds
            while text.encode() not in shown and time.monotonic() < deadline:
                if select.select([controller], [], [], 1)[0]:
                    shown += os.read(controller, 4096)
            return shown

        assert "도우미".encode() in shown_until("끝냅니다.")  # (input() prompts on stderr)
        deadline = time.monotonic() + 60
        while not _loaded(chat.pid, "kiwipiepy") and time.monotonic() < deadline:
            time.sleep(0.2)  # no question asked yet
        assert _loaded(chat.pid, "kiwipiepy")
        os.write(controller, "연봉은 얼마예요?\n".encode())
        assert "9천만".encode() in shown_until("9천만")
        os.write(controller, b"quit\n")
        assert chat.wait(timeout=30) == 0
    finally:
        chat.kill()
        os.close(controller)
