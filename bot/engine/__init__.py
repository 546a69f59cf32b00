"""The answer engine: retrieve passages, then compose a grounded reply. Knows no chat platform."""

from bot.engine.types import Reply, ReplyKind, Source, Suggestion

__all__ = ["Assistant", "Reply", "ReplyKind", "Source", "Suggestion"]


def __getattr__(name: str):
    # The Assistant pulls in chromadb and the models' bindings: import it only when asked,
    # so that `python ingest.py` with nothing to do stays quick.
    if name == "Assistant":
        from bot.engine.assistant import Assistant

        return Assistant
    raise AttributeError(name)
