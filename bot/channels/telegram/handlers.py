"""The Telegram handlers. Each reads top to bottom; app.py chooses their filters.

Work that blocks (the engine, the store) runs in worker threads, never on the event loop.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Coroutine

from cachetools import LRUCache
from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes, filters

from bot.channels.telegram import texts
from bot.channels.telegram.adapter import (CHANNEL, Outgoing,
                                           asked_from_message, esc, is_private, lang_keyboard,
                                           mentions_bot, menu_keyboard, note, parse_callback,
                                           render_reply, replies_to_bot, ui_lang, user_key,
                                           without_feedback, without_handoff)
from bot.channels.telegram.guards import FloodGuard, Verdict
from bot.channels.telegram.handoff import Declined, HandoffBook
from bot.engine.types import MAX_QUESTION_CHARS, Reply, ReplyKind
from bot.store import StoreError

FOLLOW_UP_SECONDS = 600  # a question asked within this long of the last answer may follow it up

log = logging.getLogger(__name__)

Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


class AddressedToBot(filters.MessageFilter):
    """Private chats always; in groups only messages that mention the bot or reply to it."""

    def filter(self, message) -> bool:
        if is_private(message):
            return True
        bot = message.get_bot()
        return replies_to_bot(message, bot.id) or mentions_bot(message, bot.username, bot.id)


class Handlers:
    """The bot's behaviour, given its engine, its store and a salt for user pseudonyms."""

    def __init__(self, assistant, store, *, salt: bytes, flood: FloodGuard | None = None,
                 handoffs: HandoffBook | None = None, engine_workers: int = 4) -> None:
        self.assistant = assistant
        self.store = store
        self.salt = salt
        self.flood = flood or FloodGuard()
        self.handoffs = handoffs or HandoffBook()
        # user_key -> /lang choice
        self._langs: LRUCache[str, str | None] = LRUCache(maxsize=50_000)
        # user_key -> (when, the last question answered), for a follow-up to lean on; kept in
        # memory only, and only for FOLLOW_UP_SECONDS
        self._previous: LRUCache[str, tuple[float, str]] = LRUCache(maxsize=50_000)
        self._engine = ThreadPoolExecutor(max_workers=engine_workers, thread_name_prefix="engine")

    def close(self) -> None:
        self._engine.shutdown(wait=False, cancel_futures=True)

    # --- commands -------------------------------------------------------------------------

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Greet in Korean and English and show the topic menu."""
        self.handoffs.cancel_wait(update.effective_chat.id, update.effective_user.id)
        await update.effective_message.reply_html(esc(texts.WELCOME),
                                                  reply_markup=menu_keyboard())

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Say what the bot does and list its commands."""
        lang = await self._note_lang(update)
        await update.effective_message.reply_html(note(lang, "help"), reply_markup=menu_keyboard())

    async def choose_lang(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Offer 한국어 / English / automatic replies."""
        lang = await self._note_lang(update)
        await update.effective_message.reply_html(note(lang, "lang_pick"),
                                                  reply_markup=lang_keyboard())

    async def human(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Ask for the question to pass to staff; the next message becomes a ticket."""
        await self._start_handoff(update)

    def topic_command(self, topic: str) -> Handler:
        """A /salary-style command: ask the engine the topic's question for the user."""
        async def ask_topic(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            if await self._admit(update):
                await self._ask_topic(update, topic)
        ask_topic.__doc__ = f"Answer the menu topic {topic!r}."
        return ask_topic

    # --- messages -------------------------------------------------------------------------

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer a question: the engine's reply, its sources and feedback buttons."""
        message = update.effective_message
        if not await self._admit(update):
            return
        if len(message.text) > MAX_QUESTION_CHARS:
            lang = await self._note_lang(update)
            await message.reply_html(note(lang, "too_long", limit=MAX_QUESTION_CHARS))
            return
        asked = asked_from_message(message, self.salt, context.bot.username)
        if self.handoffs.waiting(asked.chat_id, update.effective_user.id):
            await self._ticket_from_message(update, asked.text, asked.user_key)
            return
        await self._answer_and_send(update, asked.text, asked.user_key)

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stickers, photos, voice, files, locations...: only text is answered."""
        if await self._admit(update):
            lang = await self._note_lang(update)
            await update.effective_message.reply_html(note(lang, "not_text"))

    # --- buttons --------------------------------------------------------------------------

    async def on_menu(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A menu button: a topic's answer, or the way to a person."""
        query = update.callback_query
        await query.answer()
        _, topic, _ = parse_callback(query.data)
        if topic == "human":
            await self._start_handoff(update)
        elif await self._admit(update):
            await self._ask_topic(update, topic)

    async def on_feedback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """👍/👎 under a reply: store it, thank the user, remove the buttons."""
        query = update.callback_query
        _, question_id, helpful = parse_callback(query.data)
        lang = await self._note_lang(update)
        try:
            await asyncio.to_thread(self.store.record_feedback, int(question_id), helpful == "1")
        except StoreError as exc:
            log.warning("feedback not stored: %s", exc)
            await query.answer(texts.text(lang, "feedback_gone"))
            return
        await query.answer(texts.text(lang, "feedback_thanks"))
        await _edit_markup(query, without_feedback(getattr(query.message, "reply_markup", None)))

    async def on_handoff(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """"Ask a person" under a decline: the question becomes a ticket for staff."""
        query = update.callback_query
        chat, question_id = update.effective_chat, int(parse_callback(query.data)[1])
        if not self.handoffs.start_opening(chat.id, question_id):  # pressed twice at once
            await query.answer()
            return
        try:
            await self._open_ticket(update, question_id)
        finally:
            self.handoffs.done_opening(chat.id, question_id)

    async def on_near(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A "did you mean" button under a near-miss decline: that section of the documents."""
        query = update.callback_query
        await query.answer()
        if not await self._admit(update):
            return
        _, question_id, index = parse_callback(query.data)
        key = user_key(update.effective_user.id, self.salt)
        reply = await self._in_engine(self._suggested, int(question_id), int(index), key)
        if reply is None:  # purged, someone else's question, or the documents changed
            await update.effective_chat.send_message(
                note(await self._note_lang(update), "near_gone"), parse_mode=ParseMode.HTML)
            return
        await _send(update, render_reply(reply, None))

    async def _open_ticket(self, update: Update, question_id: int) -> None:
        query, chat = update.callback_query, update.effective_chat
        ticket_id = self.handoffs.ticket_for(chat.id, question_id)
        declined = None if ticket_id else self.handoffs.take(chat.id, question_id)
        if declined is None and ticket_id is None:  # pressed after a restart: ask the store
            key = user_key(update.effective_user.id, self.salt)
            declined, ticket_id = await self._in_engine(self._recall_declined, question_id, key)
        if ticket_id:
            self.handoffs.opened(chat.id, question_id, ticket_id)
            lang = await self._note_lang(update)
            await query.answer(texts.text(lang, "handoff_already", ticket=ticket_id))
            return
        if declined is None:  # purged, or someone else's question
            await query.answer()
            await self._start_handoff(update, key="handoff_expired")
            return
        try:
            ticket = await asyncio.to_thread(functools.partial(
                self.store.open_ticket, channel=CHANNEL, chat_id=str(chat.id),
                question=declined.question, lang=declined.lang,
                attempted_answer=declined.attempted_answer, question_id=question_id))
        except BaseException:
            self.handoffs.remember(chat.id, question_id, declined)
            raise
        self.handoffs.opened(chat.id, question_id, ticket.id)
        await query.answer()
        await _edit_markup(query, without_handoff(getattr(query.message, "reply_markup", None)))
        await chat.send_message(note(declined.lang, "handoff_done", ticket=ticket.id),
                                parse_mode=ParseMode.HTML)

    async def on_lang(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A /lang choice: remember it for this user and confirm."""
        query = update.callback_query
        code = parse_callback(query.data)[1]
        choice = None if code == "auto" else code
        key = user_key(update.effective_user.id, self.salt)
        await asyncio.to_thread(self.store.set_user_lang, key, choice)
        self._langs[key] = choice
        await query.answer()
        lang = choice or ui_lang(update.effective_user.language_code)
        await query.edit_message_text(note(lang, "lang_auto" if choice is None else "lang_set"),
                                      parse_mode=ParseMode.HTML)

    async def on_stale_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button this version does not know: answer it so the client stops waiting."""
        await update.callback_query.answer()

    # --- errors ---------------------------------------------------------------------------

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the failure (never the message text) and apologise to the user if there is one."""
        if not isinstance(update, Update):
            log.warning("Telegram API problem: %s: %s", type(context.error).__name__, context.error)
            return
        log.error("failed to handle update %s", update.update_id, exc_info=context.error)
        chat, user = update.effective_chat, update.effective_user
        if chat is None:
            return
        lang = self._langs.get(user_key(user.id, self.salt)) if user else None
        lang = lang or ui_lang(user.language_code if user else None)
        try:
            if update.callback_query:
                try:
                    await update.callback_query.answer()
                except BadRequest:
                    pass  # already answered
            await chat.send_message(note(lang, "apology"), parse_mode=ParseMode.HTML)
        except TelegramError as exc:
            log.warning("could not send the apology: %s", type(exc).__name__)

    # --- steps shared by the handlers -----------------------------------------------------

    async def _admit(self, update: Update) -> bool:
        """Flood control, checked before any await so updates are judged in arrival order."""
        verdict = self.flood.check(update.effective_user.id)
        if verdict is Verdict.WARN:
            await update.effective_chat.send_message(note(await self._note_lang(update), "flood"),
                                                     parse_mode=ParseMode.HTML)
        return verdict is Verdict.ALLOW

    async def _user_lang(self, key: str) -> str | None:
        """The user's /lang choice, if any (cached; the store is asked once per user)."""
        if key in self._langs:
            return self._langs.get(key)
        lang = await asyncio.to_thread(self.store.get_user_lang, key)
        self._langs[key] = lang
        return lang

    async def _note_lang(self, update: Update) -> str:
        """The language of our own notes: the /lang choice, else the Telegram app's."""
        user = update.effective_user
        return (await self._user_lang(user_key(user.id, self.salt))
                or ui_lang(user.language_code))

    async def _ask_topic(self, update: Update, topic: str) -> None:
        key = user_key(update.effective_user.id, self.salt)
        lang = await self._note_lang(update)
        await self._answer_and_send(update, texts.TOPICS[topic][lang], key, lang=lang)

    async def _start_handoff(self, update: Update, key: str = "handoff_ask") -> None:
        self.handoffs.wait_for_question(update.effective_chat.id, update.effective_user.id)
        await update.effective_chat.send_message(note(await self._note_lang(update), key),
                                                 parse_mode=ParseMode.HTML)

    async def _answer_and_send(self, update: Update, text: str, key: str,
                               lang: str | None = None) -> None:
        reply, question_id = await self._ask(text, key, lang)
        if (reply.declined or reply.open_parts) and question_id is not None:
            self.handoffs.remember(update.effective_chat.id, question_id,
                                   Declined(reply.question, reply.lang, reply.answer))
        await _send(update, render_reply(reply, question_id))

    async def _ticket_from_message(self, update: Update, text: str, key: str) -> None:
        """The message after "talk to a person": a ticket, with what the engine would say."""
        reply, question_id = await self._ask(text, key)
        chat = update.effective_chat
        ticket = await asyncio.to_thread(functools.partial(
            self.store.open_ticket, channel=CHANNEL, chat_id=str(chat.id),
            question=reply.question or text, lang=reply.lang, attempted_answer=reply.answer,
            question_id=question_id))
        if question_id is not None:
            self.handoffs.opened(chat.id, question_id, ticket.id)
        await _send(update, Outgoing(note(reply.lang, "handoff_done", ticket=ticket.id)))

    async def _ask(self, text: str, key: str,
                   lang: str | None = None) -> tuple[Reply, int | None]:
        """The engine's reply in the user's /lang choice (else the question's language), and
        the id of its record. One trip to a worker thread does it all."""
        look_up = lang is None and key not in self._langs
        lang = lang or self._langs.get(key)
        asked = self._previous.pop(key, None)  # gone once stale, or replaced below
        previous = asked[1] if asked and time.monotonic() - asked[0] < FOLLOW_UP_SECONDS else None
        reply, question_id, chosen = await self._in_engine(self._answer, text, key, lang, look_up,
                                                           previous)
        if look_up and key not in self._langs:  # a /lang press meanwhile wins
            self._langs[key] = chosen
        if reply.answered:
            self._previous[key] = (time.monotonic(), reply.read_as or reply.question)
        elif previous:  # a question in between that was not answered does not end the thread
            self._previous[key] = asked
        return reply, question_id

    def _answer(self, text: str, key: str, lang: str | None, look_up: bool,
                previous: str | None = None) -> tuple[Reply, int | None, str | None]:
        """In a worker thread: the user's stored language if asked, the engine's reply and,
        for a real question, its record."""
        if look_up:
            lang = self.store.get_user_lang(key)
        reply = self.assistant.ask(text, lang=lang, previous=previous)
        if reply.kind not in (ReplyKind.ANSWER, ReplyKind.DECLINE):
            return reply, None, lang
        top = reply.top_source
        question_id = self.store.record_question(
            channel=CHANNEL, user_key=key, question=reply.question, lang=reply.lang,
            answered=reply.answered, declined=reply.declined,
            top_source=top.source if top else None, open_parts=reply.open_parts)
        return reply, question_id, lang

    def _recall_declined(self, question_id: int, key: str) -> tuple[Declined | None, int | None]:
        """In a worker thread, when memory has no trace of a hand-off button's question: the
        ticket already opened for it, or the declined question as the store kept it (for this
        user only) with the engine's reply to it again (that reply is not stored)."""
        question, lang = self.store.get_question(question_id, user_key=key)
        if question is None:
            return None, None
        if ticket := self.store.ticket_for_question(question_id):
            return None, ticket.id
        reply = self.assistant.ask(question, lang=lang)
        return Declined(question, lang, reply.answer), None

    def _suggested(self, question_id: int, index: int, key: str) -> Reply | None:
        """In a worker thread: the section offered as suggestion `index` when this user's
        declined question was answered (asked again: the store keeps declined questions,
        not replies)."""
        question, lang = self.store.get_question(question_id, user_key=key)
        if question is None:
            return None
        declined = self.assistant.ask(question, lang=lang)
        if index >= len(declined.suggestions):
            return None
        return self.assistant.answer_suggestion(declined.suggestions[index], declined.lang)

    async def _in_engine(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._engine, fn, *args)


async def _send(update: Update, out: Outgoing) -> None:
    """Reply to the user's message (quoted in groups), or post in the chat after a button."""
    if update.message is not None:
        await update.message.reply_html(out.html, reply_markup=out.markup)
    else:
        await update.effective_chat.send_message(out.html, parse_mode=ParseMode.HTML,
                                                 reply_markup=out.markup)


async def _edit_markup(query, markup) -> None:
    try:
        await query.edit_message_reply_markup(reply_markup=markup)
    except BadRequest as exc:  # message too old, or already without these buttons
        log.debug("keyboard not edited: %s", exc)
