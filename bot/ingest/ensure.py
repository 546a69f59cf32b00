"""An index to answer from before a command starts: built when there is none (`python -m bot ask`
on a fresh clone answers without a separate `python ingest.py`), checked against the documents
when there is one."""

from __future__ import annotations

import logging

from bot.engine.embedding import embedder_name
from bot.engine.index import read_manifest
from bot.ingest.pipeline import run_ingest, unindexed

log = logging.getLogger(__name__)


def ensure_index(settings) -> None:
    """Build the index in `settings.index_dir` from `settings.knowledge_dir` when there is none
    built with the configured embedder (raises IngestError as `run_ingest` does); otherwise
    warn when documents changed since it was built."""
    manifest, wanted = read_manifest(settings.index_dir), embedder_name(settings.embedder)
    if manifest is None or manifest.get("embedder", wanted) != wanted:
        log.warning("no index of %s in %s yet: building it from %s", settings.embedder,
                    settings.index_dir, settings.knowledge_dir)
        run_ingest(settings.knowledge_dir, settings.index_dir, wait=True,
                   chroma_url=settings.chroma_url, embedder=settings.embedder)
    elif settings.knowledge_dir.is_dir():
        # An operator who edited the documents but did not ingest gets the old answers: say so
        # where they will look
        if changed := unindexed(settings.knowledge_dir, settings.index_dir):
            log.warning("%d document(s) in %s changed since the index was built (%s): answers "
                        "come from the index; run `python ingest.py` to take them in",
                        len(changed), settings.knowledge_dir, ", ".join(changed[:3])
                        + (", ..." if len(changed) > 3 else ""))
