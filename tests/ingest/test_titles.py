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


def make_pdf(path: Path, title: str | None) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    if title is not None:
        pdf.setTitle(title)
    y = 800
    for line in BODY:
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
