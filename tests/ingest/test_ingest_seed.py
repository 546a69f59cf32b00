"""The seed announcement is a PDF text extraction: its lines break in the middle of Korean
words ("첨단전략 연" / "구를"). Ingesting it must give chunks with every such word whole."""

from __future__ import annotations

import re
import shutil

import pytest

from bot.ingest.pipeline import run_ingest
from tests.ingest.support import SEED, current_rows

HANGUL = "\uac00-\ud7a3"
BREAK_IN_CHUNK = re.compile(rf"(\S*[{HANGUL}])[ \t]*\n\s*([{HANGUL}]\S*)")

# The rule below also flags places where the two lines are separate blocks of the announcement,
# not one word cut in two; each was checked against the file. They must stay apart (gluing them
# would make a word that does not exist), and a line break may stand between them.
BLOCK_ENDS = {
    ("이끈다", "과기정통부·4대"): "the headline, then its subtitle",
    ("출범", "박사후연구원"): "the subtitle, then the lead",
    ("포스터", "광주과학기술원(GIST,"): "a picture caption, then the body",
    ("배경", "이노코어"): "a section heading, then its first paragraph",
    ("창출", "구체적"): "a footnote, then the next paragraph",
    ("바이오", "뇌질환"): "a table's field cell, then the center's name",
    ("에너지", "지능형"): "a table's field cell, then the center's name",
}


def flagged_breaks(raw: str) -> list[tuple[str, str]]:
    """Every line that ends in a Hangul syllable with no trailing space, followed by a non-empty
    line that starts with one: (last token of the line, first token of the next)."""
    lines = raw.split("\n")
    found = []
    for i, line in enumerate(lines):
        if not re.search(f"[{HANGUL}]$", line):
            continue
        following = next((l for l in lines[i + 1:] if l.strip()), "")
        if re.match(f"[{HANGUL}]", following):
            found.append((line.split()[-1], following.split()[0]))
    return found


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    root = tmp_path_factory.mktemp("seed")
    (root / "knowledge").mkdir()
    shutil.copy(SEED, root / "knowledge" / SEED.name)
    run_ingest(root / "knowledge", root / "index")
    return SEED.read_text(encoding="utf-8"), [r["text"] for r in current_rows(root / "index")]


def test_every_cut_word_is_whole_in_a_chunk(seed):
    raw, chunks = seed
    cuts = [pair for pair in flagged_breaks(raw) if pair not in BLOCK_ENDS]
    assert len(cuts) >= 30  # the extraction is full of them
    missing = [a + b for a, b in cuts if not any(a + b in text for text in chunks)]
    assert missing == []
    # ... and never left in two pieces, with a space or a line break between them.
    broken = [f"{a} {b}" for a, b in cuts
              if any(re.search(re.escape(a) + r"\s+" + re.escape(b), t) for t in chunks)]
    assert broken == []


def test_blocks_that_end_in_hangul_stay_apart(seed):
    raw, chunks = seed
    assert set(BLOCK_ENDS) <= set(flagged_breaks(raw))
    glued = [a + b for a, b in BLOCK_ENDS if any(a + b in text for text in chunks)]
    assert glued == []


def test_no_chunk_has_a_line_break_inside_a_word(seed):
    _, chunks = seed
    inside = [m.group(0) for text in chunks for m in BREAK_IN_CHUNK.finditer(text)
              if (m.group(1), m.group(2)) not in BLOCK_ENDS]
    assert inside == []
