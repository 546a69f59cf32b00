"""The console channel: `python -m bot ask` and `python -m bot chat`, the same engine in a terminal."""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from typing import Iterable, Iterator

from bot.channels.startup import open_engine
from bot.config import Settings
from bot.engine import Assistant, Reply, messages


def format_for_terminal(reply: Reply) -> str:
    """The answer, then its sources: `title › section`."""
    lines = [reply.answer]
    if reply.sources:
        label = "출처" if reply.lang == "ko" else "Sources"
        lines.append("")
        lines.append(f"{label}:")
        lines += [f"  - {s.label}" for s in reply.sources]
    return "\n".join(lines)


def _questions(args: argparse.Namespace) -> Iterator[str]:
    for q in args.questions:
        if q == "-":
            for line in sys.stdin:
                if line.strip():
                    yield line.rstrip("\n")
        else:
            yield q


def ask(assistant: Assistant, questions: Iterable[str], *, as_json: bool, lang: str | None) -> None:
    for question in questions:
        reply = assistant.ask(question, lang=lang)
        if as_json:
            print(json.dumps(reply.to_json(), ensure_ascii=False), flush=True)
        else:
            print(format_for_terminal(reply), end="\n\n", flush=True)


def format_offers(reply: Reply) -> str:
    """The sections a near-miss decline named, numbered for picking (the terminal's buttons)."""
    lines = [messages.text("pick_by_number", reply.lang)]
    lines += [f"  {n}) {s.label}" for n, s in enumerate(reply.suggestions, 1)]
    return "\n".join(lines)


# What people type to leave a terminal program; asked as a question it would get a decline
QUIT_WORDS = frozenset({"quit", "exit", "bye", "q", ":q", "/quit", "/exit", "종료", "나가기"})


def chat(assistant: Assistant, *, lang: str | None) -> None:
    print("InnoCORE assistant — ask in Korean or English; quit, an empty line or Ctrl-D ends.\n"
          "이노코어 도우미 — 한국어나 영어로 질문하세요. 종료, 빈 줄이나 Ctrl-D로 끝냅니다.\n")
    if sys.stdin.isatty():
        # While the person types the first question, load what its reply would wait for (the
        # Korean analyzer, chromadb: 1-2 s). Not for piped questions, which come at once.
        threading.Thread(target=assistant.warm_up, name="warm-up").start()
    offered: Reply | None = None  # the last near-miss decline, whose sections a number picks
    previous: str | None = None   # the last question answered, for a follow-up to lean on
    spoken: str | None = None     # the language of the last reply
    while True:
        try:
            question = input("> ").strip()
        except EOFError:
            print()
            return
        if not question or question.lower() in QUIT_WORDS:
            return
        if offered and question.isdigit() and 1 <= int(question) <= len(offered.suggestions):
            reply = assistant.answer_suggestion(offered.suggestions[int(question) - 1], offered.lang)
        else:
            # A message with no words to tell its language by ("3", "?") gets the reply in the
            # conversation's language so far.
            wordless = not any(ch.isalpha() for ch in question)
            reply = assistant.ask(question, lang=lang or (spoken if wordless else None),
                                  previous=previous)
            if reply.answered:
                previous = reply.read_as or reply.question
        spoken = reply.lang
        offered = reply if reply.suggestions else None
        text = format_for_terminal(reply)
        if offered:
            text += "\n" + format_offers(offered)
        print(text, end="\n\n", flush=True)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if (assistant := open_engine(settings)) is None:
        return 1
    try:
        if args.command == "chat":
            chat(assistant, lang=args.lang)
        else:
            ask(assistant, _questions(args), as_json=args.json, lang=args.lang)
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0
