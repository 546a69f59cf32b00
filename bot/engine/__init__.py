"""The answer engine: retrieve passages, then compose a grounded reply. Knows no chat platform."""

from bot.engine.assistant import Assistant
from bot.engine.types import Passage, Reply, ReplyKind, Source

__all__ = ["Assistant", "Passage", "Reply", "ReplyKind", "Source"]
