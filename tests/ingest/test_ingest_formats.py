"""Every supported format, in one knowledge folder ingested once: Markdown with front matter,
plain text, YAML events, a PDF (reportlab) and a Korean DOCX with headings (python-docx)."""

from __future__ import annotations

import json

import pytest

from bot.ingest.pipeline import run_ingest
from tests.ingest.support import SALARY_EN, SESSIONS_EN, current_rows, state, write_knowledge

PDF_PAGES = [
    ["InnoCORE recruitment notice", "",
     "The four science and technology institutes recruit four hundred postdoctoral",
     "researchers for eight research centers in artificial intelligence convergence."],
    ["Application", "",
     "Applicants submit a research plan and two letters of recommendation to the center",
     "they wish to join. Interviews take place online."],
]

TXT = ("InnoCORE stands for Innovation CORE.\n"
       "The program is run by the Ministry of Science and ICT with four institutes.\n")


# Windows editors still save Korean text in CP949, and Notepad's "Unicode" is UTF-16.
LEGACY_KO = "이노코어 주거 안내\n\n교내 숙소는 임용 예정일 60일 전까지 신청합니다.\n"
UTF16_KO = "이노코어 문의 안내\n\n문의는 이메일로 받습니다.\n"


def make_pdf(path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle("Recruitment notice")
    for page in PDF_PAGES:
        y = 800
        for line in page:
            pdf.drawString(72, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()


def make_docx(path):
    import docx

    document = docx.Document()
    document.add_heading("이노코어 연구단 안내", level=0)
    document.add_heading("지원 자격", level=1)
    document.add_paragraph("국내외 박사학위 취득자와 신규 박사학위 취득 예정자가 지원할 수 있다.")
    document.add_heading("연봉", level=1)
    document.add_paragraph("선발된 박사후연구원에게는 연 9천만원 수준의 연봉을 보장한다.")
    table = document.add_table(rows=2, cols=2)
    for row, (field, center) in zip(table.rows, [("AI+에너지", "지능형 수소기술 혁신연구단"),
                                                 ("AI+바이오", "AI-혁신신약 연구단")]):
        row.cells[0].text, row.cells[1].text = field, center
    document.save(str(path))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("formats")
    knowledge = write_knowledge(root / "knowledge", {
        "salary.en.md": SALARY_EN, "sessions.en.yaml": SESSIONS_EN, "about.en.txt": TXT,
        "housing.ko.txt": LEGACY_KO.encode("cp949"), "contact.ko.txt": UTF16_KO.encode("utf-16")})
    make_pdf(knowledge / "notice.en.pdf")
    make_docx(knowledge / "guide.ko.docx")
    report = run_ingest(knowledge, root / "index")
    index = root / "index"
    manifest = json.loads((index / "versions" / state(index)[0] / "manifest.json").read_text())
    return report, manifest, current_rows(index)


def rows_of(rows, source):
    found = [r for r in rows if r["metadata"]["source"] == source]
    assert found, f"no chunk from {source}"
    return found


def test_every_format_is_ingested(built):
    report, manifest, rows = built
    expected = ["about.en.txt", "contact.ko.txt", "guide.ko.docx", "housing.ko.txt", "notice.en.pdf",
                "salary.en.md", "sessions.en.yaml"]
    assert sorted(report.added) == expected == sorted(manifest["documents"])
    assert report.chunks_total == len(rows)


def test_markdown_front_matter_becomes_metadata(built):
    _, manifest, rows = built
    doc = manifest["documents"]["salary.en.md"]
    assert (doc["id"], doc["lang"], doc["title"]) == ("salary", "en", "Postdoc salary")
    salary = rows_of(rows, "salary.en.md")
    assert {r["metadata"]["section"] for r in salary} == {"Annual salary", "Extra support"}
    assert all((r["metadata"]["doc_id"], r["metadata"]["lang"], r["metadata"]["title"])
               == ("salary", "en", "Postdoc salary") for r in salary)
    assert "---" not in " ".join(r["text"] for r in salary)  # the front matter is not text


def test_plain_text(built):
    _, manifest, rows = built
    assert manifest["documents"]["about.en.txt"]["lang"] == "en"
    text = " ".join(r["text"] for r in rows_of(rows, "about.en.txt"))
    assert "InnoCORE stands for Innovation CORE." in text
    assert "run by the Ministry of Science and ICT with four institutes." in text


def test_korean_text_saved_in_a_windows_encoding_is_read(built):
    _, manifest, rows = built
    assert manifest["documents"]["housing.ko.txt"]["title"] == "이노코어 주거 안내"
    assert "교내 숙소는 임용 예정일 60일 전까지 신청합니다." in rows_of(rows, "housing.ko.txt")[0]["text"]
    assert "문의는 이메일로 받습니다." in rows_of(rows, "contact.ko.txt")[0]["text"]


def test_yaml_events_keep_their_dates(built):
    _, manifest, rows = built
    doc = manifest["documents"]["sessions.en.yaml"]
    assert [(e["city"], e["date"]) for e in doc["events"]] == [
        ("Boston", "2025-06-18"), ("New York", "2025-06-20")]
    texts = [r["text"] for r in rows_of(rows, "sessions.en.yaml")]
    assert any("Boston: Wednesday, 18 June 2025" in t and "New York: Friday, 20 June 2025" in t
               for t in texts)  # the section that lists them all
    assert all(r["metadata"]["kind"] == "events" for r in rows_of(rows, "sessions.en.yaml"))


def test_pdf_sections_follow_its_headings(built):
    _, manifest, rows = built
    assert manifest["documents"]["notice.en.pdf"]["title"] == "Recruitment notice"
    pdf = rows_of(rows, "notice.en.pdf")
    # The first line is the title; "Application" heads the second part.
    assert [r["metadata"]["section"] for r in pdf] == ["Recruitment notice", "Application"]
    # Lines broken by the page layout are rejoined into sentences.
    assert ("recruit four hundred postdoctoral researchers for eight research centers"
            in pdf[0]["text"])
    assert "two letters of recommendation to the center they wish to join" in pdf[1]["text"]


def test_korean_docx_headings_become_sections(built):
    _, manifest, rows = built
    doc = manifest["documents"]["guide.ko.docx"]
    assert (doc["lang"], doc["title"]) == ("ko", "이노코어 연구단 안내")
    docx_rows = rows_of(rows, "guide.ko.docx")
    by_section = {r["metadata"]["section"]: r["text"] for r in docx_rows}
    assert "신규 박사학위 취득 예정자가 지원할 수 있다" in by_section["지원 자격"]
    assert "연 9천만원 수준의 연봉을 보장한다" in by_section["연봉"]
    assert "AI+에너지 | 지능형 수소기술 혁신연구단" in by_section["연봉"]  # the table, row by row
    assert all(r["metadata"]["lang"] == "ko" for r in docx_rows)
