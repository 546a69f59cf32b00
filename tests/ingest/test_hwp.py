"""Hangul documents, .hwpx and the older .hwp (HWP 5), as Korean offices issue notices: read like
a PDF's text (numbered headings make sections, tables are kept row by row) and answered from;
one that can't be read is named with its problem. The files are written by python-hwpx."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.engine import Assistant
from bot.ingest.cleaning import rejoin_lines
from bot.ingest.loaders import DocumentError, load_document
from bot.ingest.pipeline import run_ingest
from tests.ingest.support import SALARY_EN, current_rows, write_knowledge

TITLE = "2026년 이노코어 박사후연구원 학회 참가비 지원 안내"


def make_notice(path):
    from hwpx import HwpxDocument

    document = HwpxDocument.new()
    for text in [TITLE, "1. 지원 대상",
                 "이노코어 연구단에 소속된 박사후연구원은 누구나 신청할 수 있습니다.",
                 "2. 지원 한도", "학회 한 번에 아래 표의 한도까지 참가비를 지원합니다."]:
        document.add_paragraph(text)
    table = document.add_table(3, 2)
    for row, cells in enumerate([("구분", "1회 한도"), ("국내 학회", "300,000원"),
                                 ("국외 학회", "800,000원")]):
        for column, text in enumerate(cells):
            table.set_cell_text(row, column, text)
    for text in ["3. 신청 방법",
                 "학회 시작 14일 전까지 전자우편(conf-fee@example.org)으로 신청합니다."]:
        document.add_paragraph(text)
    document.save_to_path(str(path))
    return path


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    root = tmp_path_factory.mktemp("hwp")
    knowledge = write_knowledge(root / "knowledge", {"salary.en.md": SALARY_EN})
    make_notice(knowledge / "conference-fee.ko.hwpx")
    make_notice(knowledge / "old-format.ko.hwp")
    run_ingest(knowledge, root / "index")
    return Settings(knowledge_dir=knowledge, index_dir=root / "index")


@pytest.mark.parametrize("source", ["conference-fee.ko.hwpx", "old-format.ko.hwp"])
def test_a_hangul_notice_is_read_into_its_numbered_sections(indexed, source):
    rows = [r for r in current_rows(indexed.index_dir) if r["metadata"]["source"] == source]
    sections = {r["metadata"]["section"]: r["text"] for r in rows}
    assert {r["metadata"]["title"] for r in rows} == {TITLE}
    assert list(sections) == ["1. 지원 대상", "2. 지원 한도", "3. 신청 방법"]
    assert "국외 학회 | 800,000원" in sections["2. 지원 한도"]  # the table, row by row
    assert all(r["metadata"]["lang"] == "ko" for r in rows)


def test_a_hangul_notice_is_answered_from(indexed):
    engine = Assistant.from_settings(indexed)
    amount = engine.ask("국외 학회 참가비는 얼마까지 지원돼요?")
    assert amount.answered and "800,000원" in amount.answer
    assert amount.sources[0].title == TITLE
    how = engine.ask("참가비 지원은 어떻게 신청해요?")
    assert how.answered and "conf-fee@example.org" in how.answer


def test_the_outline_paragraphs_of_a_hangul_document_keep_the_numbers_it_draws(tmp_path):
    """"개요 1" paragraphs carry no number in their text: 한/글 draws it, and the numbered
    ones head sections as in a PDF."""
    from hwpx import HwpxDocument

    document = HwpxDocument.new()
    for text, style in [("이노코어 영문 교정 지원 안내", "바탕글"), ("지원 내용", "개요 1"),
                        ("영문 논문 한 편의 교정을 무료로 지원합니다.", "바탕글"),
                        ("신청", "개요 1"), ("신청 방법", "개요 2"),
                        ("원고를 전자우편으로 보냅니다.", "바탕글")]:
        document.add_paragraph(text, style=style)
    path = tmp_path / "editing.ko.hwpx"
    document.save_to_path(str(path))
    loaded = load_document(path, tmp_path, path.read_bytes(), rejoin_lines)
    assert loaded.title == "이노코어 영문 교정 지원 안내"
    assert "## 1. 지원 내용\n" in loaded.text and "## 2. 신청\n" in loaded.text
    assert "\n가. 신청 방법\n" in loaded.text  # an item of the outline's second level


@pytest.mark.parametrize("name, raw, problem", [
    ("renamed.ko.hwpx", "이노코어 안내".encode(), "not a Hangul document"),
    ("damaged.ko.hwpx", b"PK\x03\x04 the rest is lost", "unreadable Hangul document"),
    ("damaged.ko.hwp", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
     "unreadable Hangul document"),
])
def test_a_hangul_file_that_cannot_be_read_is_named_with_its_problem(tmp_path, name, raw,
                                                                      problem):
    path = tmp_path / name
    path.write_bytes(raw)
    with pytest.raises(DocumentError, match=f"{name}: {problem}"):
        load_document(path, tmp_path, raw, rejoin_lines)
