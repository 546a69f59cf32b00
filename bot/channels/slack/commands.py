"""`/innocore ask|stats|gaps|reingest|help`: parsing, who may run what, and the texts shown.

Nothing here talks to Slack; app.py calls these and sends what they return.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.channels.slack.adapter import escape

COMMAND = "/innocore"
ADMIN_ONLY = frozenset({"stats", "gaps", "reingest"})
SUBCOMMANDS = ("ask", "stats", "gaps", "reingest", "help")

USAGE = (
    f"*{COMMAND}* — the InnoCORE applicant assistant, for staff\n"
    f"• `{COMMAND} ask QUESTION` — what the bot would answer, with its sources and scores\n"
    f"• `{COMMAND} stats [DAYS]` — questions, decline rate, feedback, open tickets (admins)\n"
    f"• `{COMMAND} gaps [DAYS]` — what the bot left unanswered most often (declined questions, "
    "parts of questions), default last 30 days: what the knowledge base lacks (admins)\n"
    f"• `{COMMAND} reingest` — rebuild the index from the knowledge folder (admins)\n"
    f"• `{COMMAND} help` — this message\n"
    "You can also mention the bot in a channel or send it a direct message."
)


@dataclass(frozen=True)
class Command:
    name: str        # one of SUBCOMMANDS, or "" when the text named none we know
    arg: str         # the rest of the text
    days: int | None = None  # a leading number of days, for stats and gaps

    @property
    def admin_only(self) -> bool:
        return self.name in ADMIN_ONLY


def parse(text: str) -> Command:
    """`ask what is the salary` -> Command("ask", "what is the salary"); empty -> help."""
    head, _, rest = (text or "").strip().partition(" ")
    name = head.lower()
    rest = rest.strip()
    if not name:
        return Command("help", "")
    if name not in SUBCOMMANDS:
        return Command("", text.strip())
    days = None
    if name in ("stats", "gaps") and rest:
        first = rest.split()[0]
        if first.isdigit() and int(first) > 0:
            days = int(first)
    return Command(name, rest, days)


def is_admin(user_id: str, admins: tuple[str, ...]) -> bool:
    return user_id in admins


def refusal(command: Command, user_id: str) -> str:
    return (f":no_entry: `{COMMAND} {command.name}` is for administrators only. "
            f"An administrator can add your Slack user ID (`{user_id}`) to SLACK_ADMIN_USERS.")


def unknown(command: Command) -> str:
    return f"I don't know `{escape(command.arg)}`.\n\n{USAGE}"


def stats_text(stats: dict, days: int | None) -> str:
    period = f"the last {days} days" if days else "all time"
    votes = stats["helpful"] + stats["not_helpful"]
    helpful = f" ({stats['helpful'] / votes:.0%} helpful)" if votes else ""
    return "\n".join([
        f"*InnoCORE bot, {period}*",
        f"• Questions: *{stats['questions']}* — {stats['answered']} answered from the documents, "
        f"{stats['declined']} declined (decline rate *{stats['decline_rate']:.0%}*)",
        f"• Feedback: :+1: {stats['helpful']}  :-1: {stats['not_helpful']}{helpful}",
        f"• Open hand-off tickets: *{stats['open_tickets']}*",
    ])


def gaps_text(gaps: list[tuple[str, int]], days: int) -> str:
    if not gaps:
        return f"No unanswered questions in the last {days} days: no gap to report."
    lines = [f"*Questions (or parts) the bot left unanswered most often, last {days} days* "
             "(what the knowledge base lacks):"]
    lines += [f"{i}. {escape(q)} — {n}×" for i, (q, n) in enumerate(gaps, 1)]
    return "\n".join(lines)


def ingest_text(summary: str, user_id: str) -> str:
    return f"<@{user_id}> re-ingested the knowledge base:\n```{escape(summary)}```"


def ingest_failed_text(message: str, problems: list[str]) -> str:
    lines = [f":warning: Re-ingest failed; the previous index keeps serving.\n{escape(message)}"]
    lines += [f"• {escape(p)}" for p in problems[:20]]
    if len(problems) > 20:
        lines.append(f"… and {len(problems) - 20} more")
    return "\n".join(lines)
