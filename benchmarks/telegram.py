"""Telegram throughput and latency: many simulated applicants against a fake Bot API.

The bot (the real Application, engine and SQLite store) runs in this process; the fake Bot API
and the simulated users run in a second process, as Telegram would, so they do not share this
process's interpreter lock. Latency is measured inside the fake, on one clock: from the
getUpdates response that hands an update out to the sendMessage that answers it.

    python benchmarks/telegram.py                      # 120 msg/s offered for 20 s
    python benchmarks/telegram.py --rate 0             # as fast as it goes (64 in flight)
    python benchmarks/telegram.py --fresh              # every question new (no engine cache)
    python benchmarks/telegram.py --telegram-limits    # the library's 30 msg/s overall limit
    python benchmarks/telegram.py --index data/index   # reuse an index instead of building one
    python benchmarks/telegram.py --no-engine          # the channel alone: a canned reply

Questions come from benchmarks/eval/questions.yaml (Korean and English, in and out of scope).
Target on a 2-core machine: at least 100 answered messages per second, p95 under 250 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import multiprocessing as mp
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections import deque
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
# This file is named telegram.py: keep its folder off the path so `import telegram` finds the
# library, not this script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(REPO))

from tests.fakes.telegram_api import FakeTelegram  # noqa: E402

APOLOGY = ("Sorry, something went wrong", "죄송합니다. 답변을 만드는")


def load_questions() -> list[tuple[str, str]]:
    items = yaml.safe_load((REPO / "benchmarks/eval/questions.yaml").read_text(encoding="utf-8"))
    return [(item["q"], item.get("lang", "en")) for item in items]


# --- the other process: fake Bot API and simulated users ----------------------------------

class Load:
    """Offers questions at `rate` per second (0: as fast as replies come back), at most
    `in_flight` at once, each from the least recently active of `users` applicants."""

    def __init__(self, fake: FakeTelegram, args: dict) -> None:
        self.fake = fake
        self.args = args
        self.questions = load_questions()
        self.idle: deque[int] = deque(range(1, args["users"] + 1))
        self.outstanding: dict[int, tuple[int, float]] = {}  # chat -> (update_id, queued at)
        self.lock = threading.Condition()
        self.measuring = False
        self.results: list[tuple[float, float, str]] = []  # (handed-out latency, total, text)
        self.sent = 0

    def on_call(self, call) -> None:
        if call.method != "sendMessage":
            return
        chat = call.params["chat_id"]
        with self.lock:
            entry = self.outstanding.pop(chat, None)
            if entry is None:
                return
            update_id, queued = entry
            if self.measuring:
                handed = self.fake.handed_out.get(update_id, queued)
                self.results.append((call.at - handed, call.at - queued, call.params["text"]))
            self.idle.append(chat)
            self.lock.notify()

    def offer(self, seconds: float) -> int:
        rate, cap = self.args["rate"], self.args["in_flight"]
        start = time.monotonic()
        offered = 0
        while (now := time.monotonic()) - start < seconds:
            if rate:
                due = start + offered / rate
                if due > now:
                    time.sleep(due - now)
            with self.lock:
                while not self.idle or len(self.outstanding) >= cap:
                    if not self.lock.wait(timeout=max(0.0, seconds - (time.monotonic() - start))):
                        return offered
                user = self.idle.popleft()
                question, lang = self.questions[self.sent % len(self.questions)]
                if self.args["fresh"]:
                    question = f"{question} (#{self.sent})"
                self.sent += 1
                update_id = self.fake.text(user, question, lang=lang)
                self.outstanding[user] = (update_id, time.monotonic())
            offered += 1
        return offered

    def drain(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        with self.lock:
            while self.outstanding and time.monotonic() < deadline:
                self.lock.wait(timeout=0.5)


def fake_side(conn, args: dict) -> None:
    with FakeTelegram(max_poll=0.5) as fake:
        load = Load(fake, args)
        fake.listeners.append(load.on_call)
        conn.send((fake.api_url, fake.token))
        conn.recv()  # the bot is polling
        load.offer(args["warmup"])
        load.drain()
        load.measuring = True
        began = time.monotonic()
        offered = load.offer(args["seconds"])
        load.drain()
        elapsed = time.monotonic() - began
        conn.send({"offered": offered, "elapsed": elapsed, "results": load.results,
                   "unanswered": len(load.outstanding)})
        conn.recv()  # the bot has stopped


# --- this process: the bot --------------------------------------------------------------

class CannedAssistant:
    """For --no-engine: what the channel alone costs, with a fixed answer and one source."""

    def ask(self, text: str, lang: str | None = None, previous: str | None = None):
        from bot.engine.types import Reply, ReplyKind, Source

        return Reply(question=text, answer="InnoCORE postdocs are paid 90 million won a year.",
                     lang=lang or "en", kind=ReplyKind.ANSWER,
                     sources=(Source("Salary and support", "program/program-salary.en.md",
                                     "Salary", 0.9),))


class TimedAssistant:
    """The real engine, with the wall time of each ask() recorded."""

    def __init__(self, assistant) -> None:
        self.assistant = assistant
        self.times: list[float] = []

    def ask(self, text: str, lang: str | None = None, previous: str | None = None):
        began = time.perf_counter()
        try:
            return self.assistant.ask(text, lang=lang, previous=previous)
        finally:
            self.times.append(time.perf_counter() - began)


async def bot_side(conn, settings, assistant, args) -> dict:
    from telegram.ext import AIORateLimiter

    from bot.channels.telegram.app import build_application, running
    from bot.store import open_store

    limiter = (AIORateLimiter(max_retries=3) if args.telegram_limits
               else AIORateLimiter(overall_max_rate=0, max_retries=3))
    with open_store(settings.db) as store:
        app = build_application(settings, assistant, store, rate_limiter=limiter,
                                engine_workers=args.engine_workers, relay_interval=None)
        async with running(app):
            profile = cProfile.Profile() if args.profile else None
            conn.send("go")
            cpu0, wall0 = _cpu(), time.monotonic()
            if profile:
                profile.enable()
            report = await asyncio.to_thread(conn.recv)
            if profile:
                profile.disable()
                profile.dump_stats(args.profile)
            report["cpu"] = (_cpu() - cpu0) / (time.monotonic() - wall0)
    conn.send("stopped")
    return report


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=120, help="messages offered per second "
                        "(0: as fast as replies return; default 120)")
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds (default 20)")
    parser.add_argument("--warmup", type=float, default=3, help="unmeasured seconds first")
    parser.add_argument("--users", type=int, default=2000, help="simulated applicants")
    parser.add_argument("--in-flight", type=int, default=64, help="most questions unanswered "
                        "at once (default 64)")
    parser.add_argument("--engine-workers", type=int, default=4)
    parser.add_argument("--fresh", action="store_true", help="make every question unique")
    parser.add_argument("--telegram-limits", action="store_true",
                        help="keep AIORateLimiter's default 30 messages/s overall limit")
    parser.add_argument("--index", type=Path, help="an existing index folder to reuse")
    parser.add_argument("--profile", metavar="FILE",
                        help="write a cProfile of the event-loop thread to FILE")
    parser.add_argument("--no-engine", action="store_true",
                        help="a canned reply instead of the engine: the channel's own cost")
    args = parser.parse_args(argv)

    from bot.config import Settings
    from bot.engine import Assistant
    from bot.ingest.ensure import ensure_index

    ctx = mp.get_context("spawn")
    conn, child_conn = ctx.Pipe()
    fake = ctx.Process(target=fake_side, args=(child_conn, vars(args)), daemon=True)
    fake.start()
    api_url, token = conn.recv()

    work = Path(tempfile.mkdtemp(prefix="innocore-tg-bench-"))
    settings = Settings(knowledge_dir=REPO / "knowledge", index_dir=args.index or work / "index",
                        db=str(work / "innocore.db"), telegram_token=token,
                        telegram_api_url=api_url)
    began = time.monotonic()
    if args.no_engine:
        assistant = TimedAssistant(CannedAssistant())
    else:
        ensure_index(settings)
        assistant = TimedAssistant(Assistant.from_settings(settings))
        assistant.assistant.warm_up()
    print(f"engine ready in {time.monotonic() - began:.1f} s", flush=True)

    load_before = os.getloadavg()[0]
    report = asyncio.run(bot_side(conn, settings, assistant, args))
    fake.join(10)

    results = report["results"]
    handed = [r[0] * 1000 for r in results]
    total = [r[1] * 1000 for r in results]
    apologies = sum(r[2].startswith(APOLOGY) for r in results)
    engine_ms = [t * 1000 for t in assistant.times]
    mode = "as fast as possible" if not args.rate else f"{args.rate:g} msg/s offered"
    print(f"load:        {mode}, {args.users} users, at most {args.in_flight} in flight, "
          f"{'fresh' if args.fresh else 'eval-set'} questions, "
          f"{'NO ENGINE (canned reply), ' if args.no_engine else ''}"
          f"{'30 msg/s Telegram limit' if args.telegram_limits else 'no overall send limit'}, "
          f"{args.engine_workers} engine threads, {os.cpu_count()} CPUs")
    print(f"answered:    {len(results)} messages in {report['elapsed']:.1f} s = "
          f"{len(results) / report['elapsed']:.1f} msg/s   (offered {report['offered']}, "
          f"unanswered {report['unanswered']}, apologies {apologies})")
    if results:
        print(f"latency:     handed out -> reply  p50 {statistics.median(handed):.0f} ms  "
              f"p95 {percentile(handed, 95):.0f} ms  p99 {percentile(handed, 99):.0f} ms  "
              f"max {max(handed):.0f} ms")
        print(f"             queued -> reply      p50 {statistics.median(total):.0f} ms  "
              f"p95 {percentile(total, 95):.0f} ms")
    print(f"engine:      ask() wall time p50 {statistics.median(engine_ms):.1f} ms  "
          f"p95 {percentile(engine_ms, 95):.1f} ms (in its thread, under load)")
    print(f"bot process: {report['cpu']:.2f} CPU cores busy on average; machine load average "
          f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after (other work skews figures)")
    ok = (len(results) / report["elapsed"] >= 100 and results and percentile(handed, 95) < 250)
    print(f"target:      >= 100 msg/s and p95 < 250 ms: {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
