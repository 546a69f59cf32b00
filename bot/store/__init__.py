"""The conversation store: questions, feedback, language choices and hand-off tickets.

    from bot.store import open_store
    store = open_store(settings.db)   # a SQLite path, or a postgresql:// URL

Modules: base (types and the backend interface), sqlite and postgres (the two backends),
migrations (numbered schema changes applied on open), store (the queries), purge (the
`python -m bot purge` command).
"""

from bot.store.base import Delivery, StoreError, Ticket
from bot.store.store import Store, open_store

__all__ = ["Delivery", "Store", "StoreError", "Ticket", "open_store"]
