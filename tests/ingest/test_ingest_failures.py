"""A bad document stops the ingest: the command exits non-zero naming the file and the problem,
and the previous index keeps serving, untouched."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest

from bot.ingest.cleaning import rejoin_lines
from bot.ingest.loaders import DocumentError, load_document
from tests.ingest.support import assert_still_answers, run_command, state, write_knowledge


def damaged_pdf() -> bytes:
    """A real PDF whose page content was overwritten: pypdf reads it without complaint and
    returns replacement characters."""
    from reportlab.pdfgen import canvas

    buf = BytesIO()
    pdf = canvas.Canvas(buf)
    for n in (1, 2):
        pdf.drawString(72, 800, f"Page {n}: InnoCORE recruitment notice")
        pdf.showPage()
    pdf.save()
    good = buf.getvalue()
    return good[:300] + b"\0" * 200 + good[500:]


BAD = {
    "broken front matter": ("faq/broken.en.md",
                            "---\ntitle: [never closed\nlang: en\n---\n# Broken\n\nText.\n",
                            "broken front matter"),
    "binary junk": ("faq/junk.en.md", bytes(range(256)) * 16, "binary data"),
    "not UTF-8": ("faq/latin1.en.md", "# Café\n\nDéjà vu, naïve façade.\n".encode("latin-1"),
                  "not valid UTF-8"),
    # Latin-1 that CP949 (read for Korean files saved on Windows) decodes, into Chinese characters.
    "Latin-1 read as Korean": ("faq/german.en.md",
                               "# Müßiggang\n\nMüßiggang ist aller Laster Anfang.\n".encode("latin-1"),
                               "not valid UTF-8"),
    "empty file": ("faq/empty.en.md", b"", "empty file"),
    "only front matter": ("faq/blank.en.md", "---\ntitle: Nothing here\n---\n\n", "empty document"),
    "corrupt PDF": ("notices/notice.en.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 4,
                    "unreadable PDF"),
    "damaged PDF": ("notices/damaged.en.pdf", damaged_pdf(), "unreadable PDF"),
    "corrupt DOCX": ("notices/guide.ko.docx", b"PK\x03\x04 this is not a zip archive",
                     "unreadable DOCX"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_document_keeps_the_old_index(small_copy, case):
    knowledge, index = small_copy
    rel, content, problem = BAD[case]
    write_knowledge(knowledge, {rel: content})
    before = state(index)

    done = run_command("--knowledge", knowledge, "--index", index, timeout=120)

    assert done.returncode != 0
    assert f"{rel}: {problem}" in done.stderr, done.stderr
    assert done.stdout == ""
    assert state(index) == before  # same CURRENT, no new or temporary version
    assert_still_answers(knowledge, index)


def test_one_bad_document_stops_the_good_changes_too(small_copy):
    """All or nothing: a good new document is not published beside a broken one, and every
    broken document is named at once."""
    knowledge, index = small_copy
    write_knowledge(knowledge, {"faq/faq.en.md": "# FAQ\n\n## Age\nThere is no age limit.\n",
                                "faq/a.en.md": b"", "faq/b.en.md": "---\nid: [\n---\ntext\n"})
    before = state(index)

    done = run_command("--knowledge", knowledge, "--index", index, "--json", timeout=120)

    assert done.returncode == 1
    out = json.loads(done.stdout)
    assert [p.split(":")[0] for p in out["problems"]] == ["faq/a.en.md", "faq/b.en.md"]
    assert "the index was not changed" in out["error"]
    assert state(index) == before
    assert_still_answers(knowledge, index)


def _encrypted_pdf(path: Path, user_password: str) -> Path:
    """A one-page notice, AES-encrypted as Acrobat does; an empty user password opens it."""
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen import canvas

    plain = path.with_suffix(".plain")
    pdf = canvas.Canvas(str(plain))
    pdf.drawString(72, 800, "Parking permits cost 30,000 won a month for InnoCORE postdocs.")
    pdf.save()
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password=user_password, owner_password="office", algorithm="AES-256")
    writer.write(path)
    plain.unlink()
    return path


def test_a_pdf_locked_only_against_editing_is_read(tmp_path):
    path = _encrypted_pdf(tmp_path / "parking.en.pdf", user_password="")
    assert "30,000 won" in load_document(path, tmp_path, path.read_bytes(), rejoin_lines).text


def _old_word_file(path: Path) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)  # a .doc's header
    return path


@pytest.mark.parametrize("name, make, problem", [
    ("parking.en.pdf", lambda p: _encrypted_pdf(p, user_password="secret"), "password-protected"),
    ("old.en.docx", _old_word_file, r"old Word \.doc file .*save it from Word as \.docx"),
])
def test_a_locked_pdf_or_a_renamed_doc_says_what_to_do(tmp_path, name, make, problem):
    path = make(tmp_path / name)
    with pytest.raises(DocumentError, match=problem):
        load_document(path, tmp_path, path.read_bytes(), rejoin_lines)
