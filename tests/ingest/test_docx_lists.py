"""A DOCX list's numbers are drawn by Word, not written in the paragraphs' text: the loader
writes them back, so that a notice's steps keep their order."""

from __future__ import annotations

import docx
from docx.oxml.ns import qn

from bot.ingest.docx_loader import _formatted, load_docx


def _load(tmp_path, build) -> str:
    document = docx.Document()
    build(document)
    path = tmp_path / "notice.ko.docx"
    document.save(str(path))
    return load_docx(path, path.name, path.read_bytes(), lambda text: text).text


def test_numbered_list_items_keep_their_numbers(tmp_path):
    def build(document):
        document.add_heading("육아휴직 안내", level=0)
        document.add_heading("지원 대상", level=1)
        document.add_paragraph("만 8세 이하의 자녀를 양육하는 박사후연구원", style="List Bullet")
        document.add_paragraph("성별과 국적에 관계없이 신청할 수 있음", style="List Bullet")
        document.add_heading("신청 방법", level=1)
        for step in ("휴직 30일 전까지 신청서를 제출합니다.", "연구단장이 확인 서명을 합니다.",
                     "인사팀이 7일 이내에 승인 여부를 알려 드립니다."):
            document.add_paragraph(step, style="List Number")
        document.add_paragraph("문의는 인사팀으로 해 주십시오.")

    text = _load(tmp_path, build)
    # a bullet adds nothing to the paragraph break before it (and measured, it moved answers)
    assert "\n\n만 8세 이하의 자녀를 양육하는 박사후연구원\n\n성별과 국적에" in text
    assert ("1. 휴직 30일 전까지 신청서를 제출합니다.\n\n2. 연구단장이 확인 서명을 합니다.\n\n"
            "3. 인사팀이 7일 이내에 승인 여부를 알려 드립니다.") in text
    assert "\n\n문의는 인사팀으로 해 주십시오." in text  # a paragraph outside the list has none
    assert "## 신청 방법" in text and "## 1." not in text  # the steps are no headings


def test_list_numbers_are_written_in_the_lists_own_format():
    assert [_formatted(n, "ganada") for n in (1, 2, 3)] == ["가", "나", "다"]
    assert [_formatted(n, "decimalEnclosedCircle") for n in (1, 10)] == ["①", "⑩"]
    assert [_formatted(n, "upperRoman") for n in (1, 4, 9, 14)] == ["I", "IV", "IX", "XIV"]
    assert [_formatted(n, "lowerLetter") for n in (1, 26, 27)] == ["a", "z", "aa"]
    assert _formatted(3, "chosung") == "ㄷ" and _formatted(7, "decimal") == "7"


def test_numbering_it_cannot_read_leaves_the_text_as_it_is(tmp_path):
    def build(document):
        document.add_heading("안내", level=0)
        document.add_paragraph("신청서를 제출합니다.", style="List Number")
        numbering = document.part.numbering_part.element
        for start in numbering.iter(qn("w:start")):
            start.set(qn("w:val"), "one")  # not a number

    assert "신청서를 제출합니다." in _load(tmp_path, build)
