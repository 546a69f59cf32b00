"""Soak: the real `serve` process under a sustained mixed load while the documents change.

The bot runs as its own process (`python -m bot serve`) against a
fake Telegram Bot API and a fake Slack Web API in this process. Simulated applicants ask
questions from benchmarks/eval/questions.yaml on Telegram, simulated staff mention the bot on
Slack, and every few seconds the knowledge base changes (a document's fact is rewritten) and
is re-ingested, alternately by `python ingest.py` and by `/innocore reingest` in Slack; a probe
then asks about the changed fact until the new answer arrives.

    python benchmarks/soak.py                       # 240 s, 60 Telegram + 20 Slack users
    python benchmarks/soak.py --seconds 600 --reingest-every 10
    python benchmarks/soak.py --index data/index    # copy an index instead of building one

Prints answered, failed (an apology or an empty reply) and lost (no reply within --timeout)
counts, latency from sending to the reply, how long each changed fact took to be answered,
and the bot's memory (RSS) at start-up, after the warm-up and at the end. Ends with SIGTERM
and checks the bot exits 0. Exit status 1 if anything failed or was lost, a changed fact was
not answered, the bot did not exit 0, or its memory grew more than --max-growth-mb.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
# benchmarks/telegram.py would shadow the `telegram` library: keep this folder off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(REPO))

from bot.channels.telegram import texts  # noqa: E402
from tests.fakes import slack_api  # noqa: E402
from tests.fakes.telegram_api import FakeTelegram  # noqa: E402

# The start of the Telegram bot's apology after an engine error (the HTML may escape the rest).
APOLOGY = tuple(texts.text(lang, "apology")[:20] for lang in texts.LANGS)
CHANGING_DOC = "faq/soak-zeppelin.en.md"
CHANGING_TEXT = """---
id: soak-zeppelin
lang: en
title: Parking a zeppelin at the InnoCORE campus
---
# Parking a zeppelin at the InnoCORE campus

## Where can applicants park a zeppelin?
Applicants who arrive by zeppelin can moor it at Hangar {n} of the Daejeon campus.
"""
PROBE_QUESTION = "Where can I park my zeppelin?"


def load_questions() -> list[tuple[str, str]]:
    items = yaml.safe_load((REPO / "benchmarks/eval/questions.yaml").read_text(encoding="utf-8"))
    return [(item["q"], item.get("lang", "en")) for item in items]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


class Load:
    """The simulated users and the re-ingests, and every outcome: answered (a reply that is
    neither an apology nor empty; declines included), failed, or lost (no reply in time)."""

    def __init__(self, args, fake: FakeTelegram, api: "SlackFake", sender, knowledge: Path,
                 index: Path) -> None:
        self.args, self.fake, self.api, self.sender = args, fake, api, sender
        self.knowledge, self.index = knowledge, index
        self.loop = asyncio.get_running_loop()
        self.questions = load_questions()
        self.until = 0.0
        self.ts = itertools.count(1)
        self.waiting: dict[object, asyncio.Future] = {}  # chat id, thread ts or respond path
        self.outcomes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.switches: list[tuple[str, float]] = []     # (how, seconds to the new answer)
        self.problems: list[str] = []
        fake.listeners.append(self.on_telegram_call)
        api.listener = self.on_slack_call

    # --- replies, as the fakes record them --------------------------------------------------

    def expect(self, key) -> asyncio.Future:
        self.waiting[key] = future = self.loop.create_future()
        return future

    def on_telegram_call(self, call) -> None:  # the fake's server thread
        if call.method == "sendMessage":
            future = self.waiting.get(call.params["chat_id"])
            if future is not None:
                self.loop.call_soon_threadsafe(_resolve, future, (call.at, call.params["text"]))

    def on_slack_call(self, call) -> None:  # this loop
        key = call.args.get("thread_ts") if call.method == "chat.postMessage" else call.path
        if key in self.waiting:
            _resolve(self.waiting[key], (time.monotonic(), call.text()))

    async def reply(self, key, future: asyncio.Future, timeout: float | None = None):
        """(arrival time, text) of the reply, or None when it did not come in time."""
        try:
            return await asyncio.wait_for(future, timeout or self.args.timeout)
        except asyncio.TimeoutError:
            return None
        finally:
            self.waiting.pop(key, None)

    def record(self, channel: str, sent: float, reply: tuple[float, str] | None) -> None:
        if reply is None:
            self.outcomes[channel]["lost"] += 1
            return
        at, text = reply
        failed = not text.strip() or any(a in text for a in APOLOGY)
        self.outcomes[channel]["failed" if failed else "answered"] += 1
        if not failed:
            self.latency[channel].append(at - sent)

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.outcomes.values())

    # --- the users ----------------------------------------------------------------------------

    async def telegram_user(self, user: int) -> None:
        rng = random.Random(user)
        await asyncio.sleep(rng.uniform(0, self.args.think))
        while time.monotonic() < self.until:
            question, lang = rng.choice(self.questions)
            future, sent = self.expect(user), time.monotonic()
            self.fake.text(user, question, lang=lang)
            self.record("telegram", sent, await self.reply(user, future))
            # Applicants pause between questions; Telegram's flood guard allows 20 a minute.
            await asyncio.sleep(rng.uniform(self.args.think, self.args.think * 1.7))

    async def slack_user(self, n: int) -> None:
        rng = random.Random(10_000 + n)
        await asyncio.sleep(rng.uniform(0, self.args.think))
        while time.monotonic() < self.until:
            question, _ = rng.choice(self.questions)
            sent = time.monotonic()
            reply = await self.mention(question, f"USTAFF{n}", "C0GENERAL", self.args.timeout)
            self.record("slack", sent, reply)
            await asyncio.sleep(rng.uniform(self.args.think, self.args.think * 1.7))

    async def mention(self, question: str, user: str, channel: str, timeout: float):
        ts = f"1700000000.{next(self.ts):06d}"
        future = self.expect(ts)
        status, _ = await self.sender.event(slack_api.mention(question, user=user,
                                                              channel=channel, ts=ts))
        if status != 200:
            self.waiting.pop(ts, None)
            return (time.monotonic(), "")  # refused: counted as failed
        return await self.reply(ts, future, timeout)

    # --- the documents change -----------------------------------------------------------------

    async def reingester(self) -> None:
        """Rewrite the changing document, re-ingest (alternating the two ways), then probe
        until the rewritten fact is answered."""
        for n in itertools.count(1):
            await asyncio.sleep(max(0.0, min(self.args.reingest_every,
                                             self.until - time.monotonic())))
            if time.monotonic() >= self.until:
                return
            hangar = f"Hangar {100 + n}"
            (self.knowledge / CHANGING_DOC).write_text(CHANGING_TEXT.format(n=100 + n),
                                                       encoding="utf-8")
            how = "ingest.py" if n % 2 else "/innocore reingest"
            problem = await (self.run_ingest() if n % 2 else self.slack_reingest(n))
            if problem:
                self.problems.append(f"re-ingest {n} ({how}): {problem}")
                continue
            published = time.monotonic()
            while True:
                reply = await self.mention(PROBE_QUESTION, "UPROBE", "C0PROBE", 30)
                if reply and hangar in reply[1]:
                    self.switches.append((how, time.monotonic() - published))
                    break
                if time.monotonic() - published > 30:
                    self.problems.append(f"re-ingest {n} ({how}): {hangar} not answered in 30 s")
                    break
                await asyncio.sleep(0.2)

    async def run_ingest(self) -> str | None:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, str(REPO / "ingest.py"), "--knowledge", str(self.knowledge),
            "--index", str(self.index), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, err = await proc.communicate()
        return f"exit {proc.returncode}: {err.decode()[-300:]}" if proc.returncode else None

    async def slack_reingest(self, n: int) -> str | None:
        path = f"/respond/reingest-{n}"
        future = self.expect(path)
        await self.sender.command("reingest", user_id=slack_api.ADMIN,
                                  response_url=self.api.root + path)
        reply = await self.reply(path, future, 120)
        if reply is None:
            return "no report in 120 s"
        return None if "published index version" in reply[1] else reply[1][:300]


def _resolve(future: asyncio.Future, value) -> None:
    if not future.done():
        future.set_result(value)


class SlackFake(slack_api.SlackAPIFake):
    """The Slack fake, telling `listener` about each call as it arrives."""

    listener = None

    async def _record(self, call) -> None:
        if self.listener:
            self.listener(call)
        await super()._record(call)


class BotProcess:
    """The serve process; its stderr is kept in a file."""

    def __init__(self, env: dict, slack_port: int, log: Path) -> None:
        self.log = log
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--slack-port", str(slack_port)],
            env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=open(log, "wb"),
            preexec_fn=_die_with_parent)

    async def ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while "innocore-bot: ready" not in self.log.read_text(errors="replace"):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the bot did not start:\n" + self.log.read_text())
            await asyncio.sleep(0.1)


def scrape(port: int) -> dict[str, float]:
    from prometheus_client.parser import text_string_to_metric_families

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        text = response.read().decode()
    return {s.name + "".join(f"{{{k}={v}}}" for k, v in sorted(s.labels.items())): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


async def soak(args, work: Path) -> int:
    knowledge, index = work / "knowledge", work / "index"
    shutil.copytree(REPO / "knowledge", knowledge)
    (knowledge / CHANGING_DOC).write_text(CHANGING_TEXT.format(n=100), encoding="utf-8")
    if args.index:
        shutil.copytree(args.index, index, ignore=shutil.ignore_patterns(".ingest.lock"))
    print("updating the copied index..." if args.index else "building the index...", flush=True)
    subprocess.run([sys.executable, str(REPO / "ingest.py"), "--knowledge", str(knowledge),
                    "--index", str(index)], check=True, stdout=subprocess.DEVNULL)

    api = await SlackFake(channel_ids={"#staff": slack_api.STAFF_CHANNEL_ID}).start()
    slack_port, metrics_port = free_port(), free_port()
    with FakeTelegram() as fake:
        env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"),
               "PYTHONPATH": str(REPO), "INNOCORE_KNOWLEDGE_DIR": str(knowledge),
               "INNOCORE_INDEX_DIR": str(index), "INNOCORE_DB": str(work / "innocore.db"),
               "INNOCORE_METRICS_PORT": str(metrics_port),
               "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_URL": fake.api_url,
               "SLACK_BOT_TOKEN": slack_api.BOT_TOKEN, "SLACK_API_URL": api.base_url,
               "SLACK_SIGNING_SECRET": slack_api.SIGNING_SECRET,
               "SLACK_STAFF_CHANNEL": "#staff", "SLACK_ADMIN_USERS": slack_api.ADMIN}
        bot = BotProcess(env, slack_port, work / "bot.log")
        sender = slack_api.SlackSender(f"http://127.0.0.1:{slack_port}/slack/events")
        load = Load(args, fake, api, sender, knowledge, index)
        try:
            await bot.ready()
            rss = {"at start-up": rss_mb(bot.proc.pid)}
            began = time.monotonic()
            load.until = began + args.seconds
            tasks = [asyncio.create_task(load.telegram_user(user))
                     for user in range(1, args.telegram_users + 1)]
            tasks += [asyncio.create_task(load.slack_user(n))
                      for n in range(1, args.slack_users + 1)]
            tasks.append(asyncio.create_task(load.reingester()))
            await asyncio.sleep(min(args.warmup, args.seconds / 2))
            rss["after the warm-up"] = rss_mb(bot.proc.pid)
            samples: list[float] = []
            sampler = asyncio.create_task(sample_rss(bot.proc.pid, samples, 10.0))
            await asyncio.gather(*tasks)
            sampler.cancel()
            elapsed = time.monotonic() - began
            rss["at the end"] = rss_mb(bot.proc.pid)
            metrics = scrape(metrics_port)
            stop_began = time.monotonic()
            bot.proc.send_signal(signal.SIGTERM)
            exit_code = await asyncio.to_thread(bot.proc.wait, 60)
            stop_seconds = time.monotonic() - stop_began
        finally:
            if bot.proc.poll() is None:
                bot.proc.kill()
            await sender.close()
            await api.stop()

    report(args, load, elapsed, rss, samples, metrics)
    print(f"shutdown: SIGTERM -> exit {exit_code} in {stop_seconds:.1f} s")
    growth = rss["at the end"] - rss["after the warm-up"]
    if growth > args.max_growth_mb:
        print(f"memory grew {growth:.0f} MB after the warm-up (over --max-growth-mb "
              f"{args.max_growth_mb:g})")
    bad = (load.total("failed") + load.total("lost") + len(load.problems) + (exit_code != 0)
           + (growth > args.max_growth_mb))
    if bad:
        print("\nbot log (last lines):\n" + "\n".join(
            (work / "bot.log").read_text(errors="replace").splitlines()[-20:]))
    return 1 if bad else 0


async def sample_rss(pid: int, samples: list[float], every: float) -> None:
    while True:
        samples.append(rss_mb(pid))
        await asyncio.sleep(every)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def report(args, load: Load, elapsed: float, rss: dict, samples: list, metrics: dict) -> None:
    sent = sum(sum(c.values()) for c in load.outcomes.values())
    print(f"\nsoak: {elapsed:.0f} s, {args.telegram_users} Telegram + {args.slack_users} Slack "
          f"users, a re-ingest every {args.reingest_every:g} s")
    print(f"questions: {sent} sent ({sent / elapsed:.1f}/s), {load.total('answered')} answered, "
          f"{load.total('failed')} failed, {load.total('lost')} lost")
    everything = [v for values in load.latency.values() for v in values]
    print(f"latency (sent -> reply): p50 {ms(percentile(everything, 50))}, "
          f"p95 {ms(percentile(everything, 95))}, max {ms(max(everything, default=0))}")
    for channel, values in sorted(load.latency.items()):
        print(f"  {channel}: {dict(load.outcomes[channel])}, p95 {ms(percentile(values, 95))}")
    by_way = defaultdict(list)
    for how, seconds in load.switches:
        by_way[how].append(seconds)
    print(f"re-ingests: {len(load.switches)} with the new fact answered"
          + "".join(f"; {how}: {len(v)}, new fact answered after median "
                    f"{percentile(v, 50):.1f} s, max {max(v):.1f} s"
                    for how, v in sorted(by_way.items())))
    for problem in load.problems:
        print(f"  problem: {problem}")
    print("memory (bot RSS): " + ", ".join(f"{v:.0f} MB {k}" for k, v in rss.items())
          + f" (end - warm-up: {rss['at the end'] - rss['after the warm-up']:+.0f} MB)")
    print("  every 10 s after the warm-up: " + " ".join(f"{v:.0f}" for v in samples) + " MB")
    counted = {k.replace("innocore_", ""): v for k, v in metrics.items() if k.startswith(
        ("innocore_questions_total", "innocore_errors_total", "innocore_declines_total"))}
    print("bot /metrics: " + ", ".join(f"{k} {v:.0f}" for k, v in sorted(counted.items())))


def _die_with_parent() -> None:
    """In the bot's process before exec (Linux): die with the soak rather than linger."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG survives exec
    except (OSError, AttributeError):
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=240, help="how long (default 240)")
    parser.add_argument("--telegram-users", type=int, default=60)
    parser.add_argument("--slack-users", type=int, default=20)
    parser.add_argument("--think", type=float, default=3.5,
                        help="seconds a user pauses between questions, at least (default 3.5)")
    parser.add_argument("--reingest-every", type=float, default=5.0, metavar="SECONDS")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="a reply later than this is lost (default 30 s)")
    parser.add_argument("--warmup", type=float, default=60.0,
                        help="seconds before the second memory reading (default 60: long enough "
                             "for the first re-ingests inside the bot, which load ingest's own "
                             "models once)")
    parser.add_argument("--max-growth-mb", type=float, default=25.0,
                        help="RSS growth after the warm-up counted as a failure (default 25)")
    parser.add_argument("--index", type=Path, help="an index folder to copy (else built)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="innocore-soak-") as work:
        return asyncio.run(soak(args, Path(work)))


if __name__ == "__main__":
    sys.exit(main())
