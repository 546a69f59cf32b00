"""A notice's title: its own title field when the author set one, else its first short line,
never a writer's placeholder ("untitled", "Microsoft Word - x.docx")."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest.cleaning import rejoin_lines
from bot.ingest.loaders import load_document

BODY = ["Joint seminar notice", "",
        "The four institutes hold a joint seminar for InnoCORE postdocs.", "",
        "Venue", "", "The seminar takes place in the KAIST conference hall."]


def make_pdf(path: Path, title: str | None, body: list[str] = BODY) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    if title is not None:
        pdf.setTitle(title)
    y = 800
    for line in body:
        pdf.drawString(72, y, line)
        y -= 16
    pdf.save()
    return path


@pytest.mark.parametrize("field, expected", [
    (None, "Joint seminar notice"),                       # reportlab writes "untitled"
    ("Microsoft Word - seminar.docx", "Joint seminar notice"),
    ("Seminar for InnoCORE postdocs", "Seminar for InnoCORE postdocs"),
])
def test_pdf_title(tmp_path, field, expected):
    path = make_pdf(tmp_path / "seminar.en.pdf", field)
    doc = load_document(path, tmp_path, path.read_bytes(), rejoin_lines)
    assert doc.title == expected
    assert "## Venue" in doc.text


def test_a_pdf_title_that_wraps_over_two_lines_is_not_taken_for_a_section_heading(tmp_path):
    title = "2027 InnoCORE Joint Seminar of the Four Institutes"
    body = ["2027 InnoCORE Joint Seminar of the", "Four Institutes", "", *BODY[2:]]
    path = make_pdf(tmp_path / "seminar.en.pdf", title, body)
    doc = load_document(path, tmp_path, path.read_bytes(), rejoin_lines)
    assert doc.title == title
    assert doc.text.startswith(f"# {title}\n\nThe four institutes hold a joint seminar")
    assert "## Four Institutes" not in doc.text and "## Venue" in doc.text


def test_docx_placeholder_title_gives_way_to_the_first_line(tmp_path):
    import docx

    document = docx.Document()
    document.core_properties.title = "Untitled"
    for line in BODY:
        if line:
            document.add_paragraph(line)
    path = tmp_path / "seminar.en.docx"
    document.save(str(path))
    assert load_document(path, tmp_path, path.read_bytes(), rejoin_lines).title == "Joint seminar notice"


def test_a_docx_table_stays_under_its_heading_and_typed_headings_are_sections(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("이노코어 합동 세미나 안내")
    document.add_paragraph("4대 과학기술원이 합동 세미나를 엽니다.")
    document.add_paragraph("1. 일정")                      # a heading typed as a paragraph
    table = document.add_table(rows=2, cols=2)
    for row, (what, when) in zip(table.rows, [("세미나", "2027년 4월 8일"), ("신청 마감", "3월 31일")]):
        row.cells[0].text, row.cells[1].text = what, when
    document.add_paragraph("2. 장소")
    document.add_paragraph("KAIST 학술문화관에서 열립니다.")
    path = tmp_path / "seminar.ko.docx"
    document.save(str(path))
    doc = load_document(path, tmp_path, path.read_bytes(), rejoin_lines)
    assert doc.title == "이노코어 합동 세미나 안내"
    schedule = doc.text.split("## 1. 일정")[1].split("## 2. 장소")[0]
    assert "세미나 | 2027년 4월 8일" in schedule and "신청 마감 | 3월 31일" in schedule


def test_running_headers_footers_and_page_numbers_of_a_pdf_are_not_text(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pages = [["The four institutes hold a joint seminar for InnoCORE postdocs in spring.", "",
              "Venue", "", "The seminar takes place in the KAIST conference hall in Daejeon."],
             ["Registration", "", "Participants register online by the end of March this year."],
             ["Contact", "", "Questions about the seminar go to the program office by e-mail."]]
    path = tmp_path / "seminar.en.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for number, page in enumerate(pages, 1):
        pdf.drawString(72, 810, "InnoCORE joint seminar 2027")     # running header
        y = 770
        for line in page:
            pdf.drawString(72, y, line)
            y -= 16
        pdf.drawString(280, 40, f"- {number} -")                    # page number
        pdf.showPage()
    pdf.save()
    doc = load_document(path, tmp_path, path.read_bytes(), rejoin_lines)
    assert doc.title == "InnoCORE joint seminar 2027"  # no other title shows: the header's
    assert "InnoCORE joint seminar 2027" not in doc.text
    assert "- 2 -" not in doc.text and "- 3 -" not in doc.text
    assert [l for l in doc.text.splitlines() if l.startswith("## ")] == [
        "## Venue", "## Registration", "## Contact"]


def test_docx_headings_are_found_by_outline_level_whatever_their_style_is_called(tmp_path):
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def outline_level(properties, level: int) -> None:
        element = OxmlElement("w:outlineLvl")
        element.set(qn("w:val"), str(level))
        properties.append(element)

    document = docx.Document()
    document.core_properties.title = "이노코어 합동 세미나 안내"
    outline = document.styles.add_style("개요 1", WD_STYLE_TYPE.PARAGRAPH)  # an HWP conversion's
    outline_level(outline.element.get_or_add_pPr(), 0)
    document.add_paragraph("4대 과학기술원이 이노코어 박사후연구원을 위한 합동 세미나를 엽니다.")
    document.add_paragraph("세미나 일정(4월 8일)과 장소", style=outline)  # a date: body text by its looks
    document.add_paragraph("KAIST 학술문화관에서 2027년 4월 8일에 열립니다.")
    asked = document.add_paragraph("참가 신청 방법과 마감")                # level set by hand
    outline_level(asked._p.get_or_add_pPr(), 1)
    document.add_paragraph("온라인으로 합니다.")                           # shorter than a heading's text
    path = tmp_path / "seminar.ko.docx"
    document.save(str(path))
    doc = load_document(path, tmp_path, path.read_bytes(), rejoin_lines)
    assert [l for l in doc.text.splitlines() if l.startswith("## ")] == [
        "## 세미나 일정(4월 8일)과 장소", "## 참가 신청 방법과 마감"]


def test_a_notice_that_opens_with_a_numbered_heading_keeps_it_as_a_section(tmp_path):
    path = tmp_path / "seminar.ko.txt"
    path.write_text("1. 목적\n\n박사후연구원의 연구 교류를 넓히기 위해 합동 세미나를 엽니다.\n\n"
                    "2. 장소\n\nKAIST 학술문화관에서 열립니다.\n", encoding="utf-8")
    doc = load_document(path, tmp_path, path.read_bytes(), rejoin_lines)
    assert doc.title != "1. 목적"
    assert "## 1. 목적" in doc.text and "## 2. 장소" in doc.text


def test_a_text_notice_with_a_blank_line_after_every_paragraph_keeps_its_title(tmp_path):
    # A blank line after nearly every line is also what the seed's PDF extraction gives, where
    # blank lines fall inside sentences; the first line above a blank line is a title all the same
    path = tmp_path / "seminar.ko.txt"
    path.write_text("\n\n".join([
        "이노코어 박사후연구원 합동 세미나 개최 안내",
        "이노코어 교류지원팀 공고 제2027-3호 (2027년 2월 1일)",
        "이노코어 교류지원팀은 연구단 사이의 교류를 위해 합동 세미나를 엽니다.",
        "1. 일시", "세미나는 2027년 3월 5일(금) 오후 2시에 시작합니다.",
        "2. 장소", "KAIST 학술문화관 2층 회의실에서 열립니다.",
        "3. 문의", "교류지원팀 seminar@example.org"]) + "\n", encoding="utf-8")
    doc = load_document(path, tmp_path, path.read_bytes(), rejoin_lines)
    assert doc.title == "이노코어 박사후연구원 합동 세미나 개최 안내"
    assert "안내이노코어" not in doc.text and "## 1. 일시" in doc.text


@pytest.mark.parametrize("first_line", ["제목: 합동 세미나 개최 안내", "Title: 합동 세미나 개최 안내",
                                        "합동 세미나 개최 안내"])
def test_a_title_line_labelled_as_one_is_the_title_without_its_label(tmp_path, first_line):
    path = tmp_path / "seminar.ko.txt"
    path.write_text(f"{first_line}\n\n1. 일시\n\n세미나는 3월 5일에 열립니다.\n", encoding="utf-8")
    doc = load_document(path, tmp_path, path.read_bytes(), rejoin_lines)
    assert doc.title == "합동 세미나 개최 안내"
    assert "제목" not in doc.text and "Title" not in doc.text


def test_a_pdf_title_is_found_by_its_type_size_whole_and_below_a_running_header(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "dormitory.en.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for number, page in enumerate([["Venue", "The seminar takes place in the KAIST conference hall."],
                                   ["Contact", "Questions go to the program office by e-mail."]], 1):
        pdf.setFont("Helvetica", 8)
        pdf.drawString(72, 810, f"InnoCORE Program Office | Notice 2026-17 | Page {number} of 2")
        y = 770
        if number == 1:
            pdf.setFont("Helvetica-Bold", 16)
            for line in ["Guide to the Joint Seminar for InnoCORE", "Postdoctoral Researchers"]:
                pdf.drawString(72, y, line)
                y -= 22
        pdf.setFont("Helvetica", 10)
        for line in page:
            pdf.drawString(72, y, line)
            y -= 24
        pdf.showPage()
    pdf.save()
    doc = load_document(path, tmp_path, path.read_bytes(), rejoin_lines)
    assert doc.title == "Guide to the Joint Seminar for InnoCORE Postdoctoral Researchers"
    assert "Program Office" not in doc.text and "Postdoctoral Researchers" not in doc.text.splitlines()
    assert [l for l in doc.text.splitlines() if l.startswith("## ")] == ["## Venue", "## Contact"]


def test_pdf_bullets_stay_bullets_and_each_item_its_own_line(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "exchange.en.pdf"
    pdf = canvas.Canvas(str(path))
    y = 800
    for line in ["Exchange notice", "", "Applicants must meet all of the following conditions:",
                 "\u2022 employed as an InnoCORE postdoc for six months;",
                 "\u2022 a signed invitation letter from the partner institution."]:
        pdf.drawString(72, y, line)  # Helvetica: pypdf reads its bullet as DEL
        y -= 16
    pdf.save()
    text = load_document(path, tmp_path, path.read_bytes(), rejoin_lines).text
    assert "\x7f" not in text
    assert "\n\n• employed as an InnoCORE postdoc for six months;\n\n• a signed invitation" in text


def test_a_sentence_that_runs_on_to_the_next_pdf_page_stays_one_paragraph(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "exchange.en.pdf"
    pdf = canvas.Canvas(str(path))
    for y, line in [(800, "Exchange notice"), (780, "The exchange programme is open to every postdoc."),
                    (760, "Application"),
                    (740, "Every application for the exchange programme of the InnoCORE office must be")]:
        pdf.drawString(72, y, line)
    pdf.showPage()
    pdf.drawString(72, 800, "accompanied by a signed invitation letter from the partner institution.")
    pdf.save()
    text = load_document(path, tmp_path, path.read_bytes(), rejoin_lines).text
    assert "office must be accompanied by a signed invitation letter" in text


def test_a_page_number_under_a_two_line_running_header_is_not_text(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "grant.en.pdf"
    pdf = canvas.Canvas(str(path))
    body = [["Grant notice", "The office pays article fees for postdocs in every center.",
             "Eligibility", "Every InnoCORE postdoc who is the first author of the paper and"],
            ["whose paper was accepted this year may apply.", "Contact",
             "Questions about the grant go to the research office by e-mail."]]
    for number, lines in enumerate(body, 1):
        pdf.drawString(72, 815, "InnoCORE Joint Postdoc Office notice 2026-31")  # running header
        pdf.drawString(72, 803, "Article fee support")                            # ...of two lines
        pdf.drawString(280, 791, f"- {number} -")                                 # page number
        for y, line in zip(range(760, 0, -20), lines):
            pdf.drawString(72, y, line)
        pdf.showPage()
    pdf.save()
    text = load_document(path, tmp_path, path.read_bytes(), rejoin_lines).text
    assert "- 2 -" not in text and "Article fee support" not in text
    assert "first author of the paper and whose paper was accepted" in text  # across the page


def test_a_pdf_table_keeps_each_row_together_and_a_bullet_or_number_starts_its_item(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "editing.en.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 800, "Editing service notice")
    pdf.drawString(72, 780, "The office edits the manuscripts of postdocs free of charge.")
    pdf.drawString(72, 760, "Turnaround times")
    for y, cells in [(740, ["Manuscript type", "Standard", "Express"]),
                     (724, ["Research article", "5 working days", "3 working days"]),
                     (708, ["Review article", "7 working days", "4 working days"])]:
        for x, cell in zip((72, 250, 400), cells):  # each cell drawn on its own, as tables are
            pdf.drawString(x, y, cell)
    pdf.drawString(72, 680, "Send these with the manuscript:")
    for y, (mark, item) in [(664, ("1", "the completed request form,")),
                            (648, ("2", "the target journal's author guidelines.")),
                            (632, ("\u2022", "Keep a copy of every file you send to the office."))]:
        pdf.drawString(72, y, mark)
        pdf.drawString(90, y, item)
    pdf.save()
    paragraphs = load_document(path, tmp_path, path.read_bytes(), rejoin_lines).text.split("\n\n")
    assert "Review article | 7 working days | 4 working days" in paragraphs
    assert "1) the completed request form," in paragraphs
    assert "2) the target journal's author guidelines." in paragraphs
    assert "• Keep a copy of every file you send to the office.\n" in paragraphs


def test_a_bullet_list_running_over_pdf_pages_keeps_its_bullets(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "housing.en.pdf"
    pdf = canvas.Canvas(str(path))
    pages = [["Housing notice", "The guest residence has rooms for postdocs who just arrived.",
              "House rules", "* Smoking is not allowed anywhere in the building."],
             ["* Quiet hours are from 23:00 to 07:00.",
              "* Visitors must be registered at the housing desk."]]
    for lines in pages:
        for y, line in zip(range(800, 0, -20), lines):
            if line.startswith("* "):  # a bullet drawn apart: pypdf reads it as a line of its own
                pdf.drawString(60, y, "\u2022")
                line = line[2:]
            pdf.drawString(72, y, line)
        pdf.showPage()
    pdf.save()
    text = load_document(path, tmp_path, path.read_bytes(), rejoin_lines).text
    assert "\n\n• Smoking is not allowed" in text and "\n\n• Quiet hours are" in text
