"""The one place that turns Telegram data into our terms and our Reply into a Telegram message.

Nothing here talks to the network: functions in, values out, so each can be tested alone.
"""

from __future__ import annotations

import hashlib
import hmac
import html
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageEntity

from bot.channels.telegram import texts
from bot.engine.types import Reply, ReplyKind

CHANNEL = "telegram"
MAX_MESSAGE_CHARS = 4096  # Telegram's limit for one message
MAX_SOURCES = 3


@dataclass(frozen=True)
class Asked:
    """A text question as the rest of the bot sees it: no Telegram objects."""

    text: str
    chat_id: int
    user_key: str          # a salted hash of the Telegram user id, never the id itself


@dataclass(frozen=True)
class Outgoing:
    """One message to send: HTML text and its inline keyboard."""

    html: str
    markup: InlineKeyboardMarkup | None = None


def esc(text: str) -> str:
    """Escape text for HTML parse mode (quotes need no escaping outside attributes)."""
    return html.escape(text, quote=False)


# --- Telegram -> our terms ------------------------------------------------------------------

def user_key(user_id: int, salt: bytes) -> str:
    """A stable pseudonym for a Telegram user: the raw id never reaches the store."""
    digest = hmac.new(salt, str(user_id).encode(), hashlib.sha256).hexdigest()
    return "tg:" + digest[:16]


def ui_lang(language_code: str | None) -> str:
    """Our notes' language from the Telegram app's: Korean for ko*, English otherwise."""
    return "ko" if (language_code or "").lower().startswith("ko") else "en"


def is_private(message: Message) -> bool:
    return message.chat.type == "private"


def mentions_bot(message: Message, username: str | None, bot_id: int) -> bool:
    """True when the message @-mentions this bot (by username or as a text mention)."""
    entities = message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
    for entity, value in entities.items():
        if entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot_id:
            return True
        if username and value.lower() == "@" + username.lower():
            return True
    return False


def replies_to_bot(message: Message, bot_id: int) -> bool:
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == bot_id)


def strip_mention(text: str, username: str | None) -> str:
    """The question without the bot's @username (groups address the bot that way)."""
    if username:
        mention = "@" + username
        lowered = text.lower()
        at = lowered.find(mention.lower())
        while at != -1:
            text = text[:at] + text[at + len(mention):]
            lowered = text.lower()
            at = lowered.find(mention.lower())
    return " ".join(text.split())


def asked_from_message(message: Message, salt: bytes, username: str | None) -> Asked:
    user = message.from_user
    return Asked(
        text=strip_mention(message.text or "", username),
        chat_id=message.chat.id,
        user_key=user_key(user.id if user else message.chat.id, salt),
    )


# --- callback data: short, typed, parsed in one place ----------------------------------------

def feedback_data(question_id: int, helpful: bool) -> str:
    return f"fb:{question_id}:{int(helpful)}"


def handoff_data(question_id: int) -> str:
    return f"ho:{question_id}"


def near_data(question_id: int, index: int) -> str:
    return f"near:{question_id}:{index}"


def parse_callback(data: str | None) -> tuple[str, str, str]:
    """("fb", question_id, "1"|"0"), ("ho", question_id, ""), ("near", question_id, index),
    ("menu", topic, ""), ("lang", code, ""), or ("", "", "") for anything else."""
    parts = (data or "").split(":")
    kind = parts[0]
    if kind == "fb" and len(parts) == 3 and parts[1].isdigit() and parts[2] in ("0", "1"):
        return kind, parts[1], parts[2]
    if kind == "near" and len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        return kind, parts[1], parts[2]
    if kind == "ho" and len(parts) == 2 and parts[1].isdigit():
        return kind, parts[1], ""
    if kind == "menu" and len(parts) == 2 and parts[1] in texts.MENU_LABELS:
        return kind, parts[1], ""
    if kind == "lang" and len(parts) == 2 and parts[1] in ("ko", "en", "auto"):
        return kind, parts[1], ""
    return "", "", ""


# --- our terms -> Telegram ------------------------------------------------------------------

def menu_keyboard() -> InlineKeyboardMarkup:
    names = list(texts.MENU_LABELS)
    rows = [[InlineKeyboardButton(texts.MENU_LABELS[n], callback_data=f"menu:{n}")
             for n in names[i:i + 2]] for i in range(0, len(names), 2)]
    return InlineKeyboardMarkup(rows)


def lang_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=f"lang:{code}")
                                  for code, label in texts.LANG_BUTTONS]])


def reply_keyboard(reply: Reply, question_id: int | None) -> InlineKeyboardMarkup | None:
    """👍/👎 under answers and declines; on a decline, or an answer that leaves a part of the
    message open, also the way to a person."""
    if question_id is None or reply.kind not in (ReplyKind.ANSWER, ReplyKind.DECLINE):
        return None
    rows = [[InlineKeyboardButton(texts.text(reply.lang, "helpful"),
                                  callback_data=feedback_data(question_id, True)),
             InlineKeyboardButton(texts.text(reply.lang, "not_helpful"),
                                  callback_data=feedback_data(question_id, False))]]
    if reply.declined:
        # "Did you mean…": the closest sections of a near miss, one button each.
        rows += [[InlineKeyboardButton(_button_label("🔎 " + s.label),
                                       callback_data=near_data(question_id, i))]
                 for i, s in enumerate(reply.suggestions)]
    if reply.declined or reply.open_parts:
        rows.append([InlineKeyboardButton(texts.text(reply.lang, "handoff_button"),
                                          callback_data=handoff_data(question_id))])
    return InlineKeyboardMarkup(rows)


def _button_label(label: str, limit: int = 60) -> str:
    return label if len(label) <= limit else label[:limit - 1] + "…"


def _without(markup: InlineKeyboardMarkup | None, prefix: str) -> InlineKeyboardMarkup | None:
    """The same keyboard minus the buttons whose callback data starts with `prefix`."""
    if markup is None:
        return None
    rows = [[b for b in row if not (b.callback_data or "").startswith(prefix)]
            for row in markup.inline_keyboard]
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(rows) if rows else None


def without_feedback(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """Once feedback is given, its row goes."""
    return _without(markup, "fb:")


def without_handoff(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """Once the question was passed on, its button goes."""
    return _without(markup, "ho:")


def _sources_html(reply: Reply) -> str:
    seen: list[tuple[str, str]] = []
    for source in reply.sources:
        key = (source.title.strip(), source.section.strip())
        if key[0] and key not in seen:
            seen.append(key)
        if len(seen) == MAX_SOURCES:
            break
    if not seen:
        return ""
    lines = [f"• {esc(title)}" + (f" › {esc(section)}" if section else "")
             for title, section in seen]
    return f"\n\n<b>{esc(texts.text(reply.lang, 'sources'))}</b>\n" + "\n".join(lines)


def render_reply(reply: Reply, question_id: int | None) -> Outgoing:
    """The engine's reply as an HTML message: escaped answer, its sources, feedback buttons."""
    sources = _sources_html(reply) if reply.kind is ReplyKind.ANSWER else ""
    room = MAX_MESSAGE_CHARS - len(sources)
    answer = esc(reply.answer.strip())
    if len(answer) > room:
        answer = _cut(reply.answer.strip(), room)
    return Outgoing(answer + sources, reply_keyboard(reply, question_id))


def note(lang: str | None, key: str, **values: object) -> str:
    """One of our interface strings, escaped for HTML parse mode."""
    return esc(texts.text(lang, key, **values))


def render_staff_answer(question: str, answer: str, lang: str) -> list[str]:
    """A staff answer with a short header; several messages if it exceeds Telegram's limit."""
    header = (f"<b>{esc(texts.text(lang, 'staff_header'))}</b>\n"
              f"<i>{esc(texts.text(lang, 'your_question'))}: "
              f"{_cut(question.strip(), 600)}</i>\n\n")
    first_room = MAX_MESSAGE_CHARS - len(header)
    pieces = _split_escaped(answer.strip(), first_room, MAX_MESSAGE_CHARS)
    return [header + pieces[0], *pieces[1:]]


def _cut(plain: str, limit: int) -> str:
    """Escape `plain`, cut to at most `limit` characters on a whole escaped character."""
    out: list[str] = []
    used = 0
    for ch in plain:
        piece = esc(ch)
        if used + len(piece) > limit - 1:
            out.append("…")
            break
        out.append(piece)
        used += len(piece)
    return "".join(out)


def _split_escaped(plain: str, first: int, rest: int) -> list[str]:
    """Escape `plain` into pieces of at most `first`, then `rest`, characters, preferring to
    break at a newline."""
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    limit = first
    last_newline = -1
    for ch in plain:
        piece = esc(ch)
        if used + len(piece) > limit:
            cut = last_newline + 1 if last_newline >= 0 else len(current)
            pieces.append("".join(current[:cut]))
            current = current[cut:]
            used = sum(len(p) for p in current)
            limit = rest
            last_newline = -1
        current.append(piece)
        used += len(piece)
        if ch == "\n":
            last_newline = len(current) - 1
    pieces.append("".join(current))
    return [p for p in pieces if p.strip()] or [""]
