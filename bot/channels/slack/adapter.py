"""The one place that turns Slack data into our types and our types into Slack messages.

Incoming: `question_of(event, bot_user_id)` turns a message or mention into plain question
text. Outgoing: `reply_message(reply)` and `ticket_message(ticket)` return the keyword
arguments of a Web API call (`text` for notifications, `blocks` for the layout).
"""

from __future__ import annotations

import html
import re
from typing import Any

from bot.engine.types import Reply, ReplyKind
from bot.store import Ticket

# Slack refuses a section text longer than 3000 characters; stay well under it.
SECTION_LIMIT = 2900
RESOLVE_ACTION = "innocore_ticket_resolve"

LANGUAGES = {"ko": "Korean", "en": "English"}
KINDS = {
    ReplyKind.ANSWER: "answered from the documents",
    ReplyKind.DECLINE: "declined: the documents do not cover this",
    ReplyKind.GREETING: "small talk",
    ReplyKind.HELP: "help",
    ReplyKind.INVALID: "not a question it can read",
}

_LINK = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")


# --- Slack -> plain text ------------------------------------------------------------------------

def plain_text(text: str, *, bot_user_id: str | None = None) -> str:
    """Slack's mrkdwn wire format as a person would read it: mentions of the bot dropped,
    links shown by their label, entities (&amp; &lt; &gt;) decoded."""

    def link(match: re.Match) -> str:
        target, label = match.group(1), match.group(2)
        if bot_user_id and target == f"@{bot_user_id}":
            return ""
        if label:
            return label
        if target[:1] in "@#!":  # an unlabelled user, channel or special mention
            return ""
        return target

    return " ".join(html.unescape(_LINK.sub(link, text or "")).split())


def question_of(event: dict, bot_user_id: str | None) -> str:
    """The question in a message or app_mention event."""
    return plain_text(event.get("text", ""), bot_user_id=bot_user_id)


def is_human_message(event: dict) -> bool:
    """A message a person typed (not an edit, a join, or another bot's post)."""
    return (event.get("subtype") in (None, "thread_broadcast")
            and not event.get("bot_id") and bool(event.get("user")))


# --- plain text -> Slack ------------------------------------------------------------------------

def escape(text: str) -> str:
    """Plain text made safe for mrkdwn: only &, < and > need escaping."""
    return html.escape(text, quote=False)


def quote(text: str) -> str:
    return "\n".join("> " + line for line in escape(text).splitlines() or [""])


def sections(text: str) -> list[dict]:
    """mrkdwn text as section blocks, split on line ends to respect Slack's size limit."""
    blocks, chunk = [], ""
    for line in text.splitlines() or [""]:
        while len(line) > SECTION_LIMIT:
            if chunk:
                blocks.append(chunk)
                chunk = ""
            blocks.append(line[:SECTION_LIMIT])
            line = line[SECTION_LIMIT:]
        if chunk and len(chunk) + 1 + len(line) > SECTION_LIMIT:
            blocks.append(chunk)
            chunk = line
        else:
            chunk = f"{chunk}\n{line}" if chunk else line
    if chunk or not blocks:
        blocks.append(chunk or " ")
    return [{"type": "section", "text": {"type": "mrkdwn", "text": b}} for b in blocks]


def context(*lines: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": line} for line in lines]}


def source_lines(reply: Reply) -> list[str]:
    """One line per source, with its retrieval score, for staff to judge the answer."""
    lines = []
    for i, s in enumerate(reply.sources, 1):
        section = f" › {escape(s.section)}" if s.section and s.section != s.title else ""
        lines.append(f"{i}. *{escape(s.title)}*{section} — `{escape(s.source)}` "
                     f"(score {float(s.score):.2f})")
    return lines


def reply_message(reply: Reply, *, asked: str | None = None) -> dict[str, Any]:
    """A Reply as a staff-facing Slack message: the answer, then its sources and scores.

    `asked` quotes the question above the answer (for slash commands, whose text is not shown).
    """
    blocks: list[dict] = []
    if asked is not None:
        blocks += sections(quote(asked))
    blocks += sections(escape(reply.answer))
    meta = f"{LANGUAGES.get(reply.lang, reply.lang)} · {KINDS.get(reply.kind, reply.kind.value)}"
    if reply.sources:
        blocks.append(context("*Sources*\n" + "\n".join(source_lines(reply))))
    blocks.append(context(meta))
    return {"text": reply.answer, "blocks": blocks}


def ticket_message(ticket: Ticket, *, closed_by: str | None = None) -> dict[str, Any]:
    """A hand-off ticket as the staff channel sees it; its status line follows the ticket."""
    lang = LANGUAGES.get(ticket.lang, ticket.lang)
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text",
                                    "text": f"Ticket #{ticket.id}: an applicant needs a person"}},
        *sections(f"*Question* ({escape(lang)}, from {escape(ticket.channel.title())})\n"
                  + quote(ticket.question)),
        *sections("*The bot replied*\n" + quote(ticket.attempted_answer or "(nothing)")),
        context(ticket_status(ticket, closed_by=closed_by)),
    ]
    if ticket.status != "closed":
        blocks.append({"type": "actions", "elements": [{
            "type": "button", "action_id": RESOLVE_ACTION, "value": str(ticket.id),
            "style": "primary", "text": {"type": "plain_text", "text": "Resolved"}}]})
    text = f"Ticket #{ticket.id} ({lang}): {ticket.question}"
    return {"text": text, "blocks": blocks}


def ticket_status(ticket: Ticket, *, closed_by: str | None = None) -> str:
    """Where the ticket stands, in one line."""
    if ticket.answer is None:
        delivery = ""
    elif ticket.relayed:
        delivery = f"<@{ticket.staff_user}>'s answer was delivered to the applicant."
    else:
        why = f" (last error: {escape(ticket.last_error)})" if ticket.last_error else ""
        delivery = (f"<@{ticket.staff_user}>'s answer is not delivered yet; "
                    f"retrying{why}.")
    if ticket.status == "closed":
        by = f" by <@{closed_by}>" if closed_by else ""
        return " ".join(p for p in (f":white_check_mark: Resolved{by}.", delivery) if p)
    if ticket.answer is None:
        return ":speech_balloon: Open: reply in this thread to answer the applicant."
    return (":outbox_tray: " + delivery + " Another reply in this thread is sent too; "
            "press Resolved when done.")
