"""Hand-off: applicants' tickets go to the staff channel, staff answers go back to them.

    open ticket --post_tickets, every `post_every` s--> card in SLACK_STAFF_CHANNEL
    staff reply in the card's thread --on_thread_reply--> store.answer_ticket --deliver--> applicant
    relay failed (Telegram down) --retry_relays, every `relay_every` s, once due--> applicant
    "Resolved" button --resolve--> store.close_ticket
    each change --refresh--> the card's status line is redrawn (chat.update)

The relay is injected (`relay(ticket) -> Delivery`, never raising): for Telegram it is
`bot.channels.telegram.relay.send_staff_answer` bound to a bot and the store. It claims the
ticket in the store before sending, so this thread handler, this retry loop and the Telegram
application's own retries (here or in another process) never send one answer twice; it marks
the ticket relayed, or records the failure and when the answer is due again. Every store call
runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.repeat import describe_error, every
from bot.channels.slack.adapter import plain_text, ticket_message
from bot.store import Delivery, Store, StoreError, Ticket

log = logging.getLogger(__name__)

Relay = Callable[[Ticket], Awaitable[Delivery]]


class HandOff:
    def __init__(self, client: AsyncWebClient, store: Store, staff_channel: str, *,
                 relay: Relay | None, post_every: float = 1.0, relay_every: float = 30.0):
        self.client = client
        self.store = store
        self.staff_channel = staff_channel
        self.relay = relay
        self.post_every = post_every
        self.relay_every = relay_every
        self._pending_cards: set[int] = set()  # tickets whose card shows the answer pending
        self._closed_by: dict[int, str] = {}  # who pressed Resolved, for the card
        self._tasks: list[asyncio.Task] = []

    # --- lifetime -------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the two background loops on the running event loop."""
        self._tasks = [
            asyncio.create_task(every(self.post_every, self.post_tickets, "posting tickets",
                                      describe=_describe), name="slack-handoff-post"),
            asyncio.create_task(every(self.relay_every, self.retry_relays, "retrying relays",
                                      describe=_describe), name="slack-handoff-relay"),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []

    # --- the steps ------------------------------------------------------------------------------

    async def post_tickets(self) -> int:
        """Post every ticket not yet in the staff channel; return how many were posted."""
        posted = 0
        for ticket in await asyncio.to_thread(self.store.tickets_to_post):
            response = await self.client.chat_postMessage(channel=self.staff_channel,
                                                          **ticket_message(ticket))
            await asyncio.to_thread(self.store.mark_ticket_posted, ticket.id,
                                    slack_channel=response["channel"], slack_ts=response["ts"])
            log.info("posted ticket %s to the staff channel", ticket.id)
            posted += 1
        return posted

    async def on_thread_reply(self, event: dict) -> bool:
        """A person wrote in a thread: if it is a ticket's, that is the answer to relay.

        Returns False when the thread is no ticket's."""
        ticket = await asyncio.to_thread(self.store.ticket_for_thread, event["channel"],
                                         event["thread_ts"])
        if ticket is None:
            return False
        answer = plain_text(event.get("text", ""))
        if not answer:
            return True
        if ticket.status == "closed":
            await self._note(ticket, f"Ticket #{ticket.id} is resolved, so this message was "
                                     "not sent to the applicant.")
            return True
        try:
            ticket = await asyncio.to_thread(self.store.answer_ticket, ticket.id, answer=answer,
                                             staff_user=event["user"])
        except StoreError as exc:
            log.warning("could not record the answer to ticket %s: %s", ticket.id, exc)
            await self._note(ticket, f"I could not save this answer ({exc}); "
                                     "it was not sent to the applicant. Please try again.")
            return True
        if self.relay is None:
            await self._note(ticket, "Saved, but no Telegram bot is configured here "
                                     "(TELEGRAM_BOT_TOKEN): it will be sent once one is.")
        elif await self.deliver(ticket) is Delivery.FAILED:
            await self._note(ticket, "I could not reach the applicant just now. The answer "
                                     "is kept and I will keep retrying.")
        await self.refresh(ticket.id)
        return True

    async def deliver(self, ticket: Ticket) -> Delivery:
        """Relay a ticket's answer if it is still owed (SKIPPED when it is not, or another
        sender has it in hand)."""
        try:
            return await self.relay(ticket)
        except Exception:  # the relay promises not to raise; a bug must not stop the loop
            log.exception("relay of ticket %s raised", ticket.id)
            return Delivery.FAILED

    async def retry_relays(self) -> int:
        """Send every answer owed whose retry is due, and redraw the card of every answer
        delivered since the last pass; return how many this pass delivered."""
        delivered = set()
        if self.relay is not None:
            for ticket in await asyncio.to_thread(self.store.relays_due):
                if await self.deliver(ticket) is Delivery.DELIVERED:
                    delivered.add(ticket.id)
        # Delivered here, or by another sender (the Telegram application retries too).
        pending = {t.id for t in await asyncio.to_thread(self.store.relays_pending)}
        for ticket_id in sorted(delivered | (self._pending_cards - pending)):
            await self.refresh(ticket_id)
        return len(delivered)

    async def resolve(self, ticket_id: int, user_id: str) -> None:
        """The Resolved button: close the ticket and show who closed it."""
        await asyncio.to_thread(self.store.close_ticket, ticket_id, by=user_id)
        self._closed_by[ticket_id] = user_id
        await self.refresh(ticket_id)

    async def refresh(self, ticket_id: int) -> None:
        """Redraw a ticket's card in the staff channel from the ticket as stored."""
        ticket = await asyncio.to_thread(self.store.get_ticket, ticket_id)
        if ticket is None or not ticket.slack_ts:
            self._pending_cards.discard(ticket_id)
            return
        try:
            await self.client.chat_update(
                channel=ticket.slack_channel, ts=ticket.slack_ts,
                **ticket_message(ticket, closed_by=self._closed_by.get(ticket_id)))
        except SlackApiError as exc:
            log.warning("could not update the card of ticket %s: %s", ticket_id,
                        exc.response.get("error"))
            return
        if ticket.answer is not None and not ticket.relayed and ticket.chat_id is not None:
            self._pending_cards.add(ticket_id)  # redrawn once someone delivers it
        else:
            self._pending_cards.discard(ticket_id)

    # --- helpers --------------------------------------------------------------------------------

    async def _note(self, ticket: Ticket, text: str) -> None:
        """A short message from the bot in the ticket's thread."""
        try:
            await self.client.chat_postMessage(channel=ticket.slack_channel,
                                               thread_ts=ticket.slack_ts, text=text)
        except SlackApiError as exc:
            log.warning("could not post in ticket %s's thread: %s", ticket.id,
                        exc.response.get("error"))


def _describe(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        error = exc.response.get("error")
        if error == "not_in_channel":
            return "the bot is not in SLACK_STAFF_CHANNEL (invite it: /invite @InnoCORE bot)"
        if error == "channel_not_found":
            return "SLACK_STAFF_CHANNEL names no channel the bot can see"
        return f"Slack said {error}"
    return describe_error(exc)
