"""Read one file of the knowledge folder into a `Document`, or fail with a `DocumentError`
that names the file and the problem.

Formats: Markdown (YAML front matter optional), plain text, YAML structured data, and PDF and
DOCX (read by pdf.py and docx_loader.py, which build on the helpers here). Text from PDFs (and
plain-text extractions of them) has its broken lines rejoined.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from bot.engine.language import detect_lang
from bot.ingest.outline import NUMBERED_HEADING, outline_headings

SUPPORTED = {".md", ".markdown", ".txt", ".yaml", ".yml", ".pdf", ".docx", ".hwp", ".hwpx"}
_LANG_SUFFIX = re.compile(r"[._-](ko|en)$", re.IGNORECASE)
KOREAN_SHARE = 0.9  # of the non-ASCII letters of a legacy-encoded file, for it to count as Korean


class DocumentError(Exception):
    """A document that cannot be ingested. str() is 'path: problem'."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem


@dataclass
class Document:
    """One source file, normalised: Markdown-ish text with `##` sections, plus metadata."""

    source: str            # path relative to the knowledge folder
    doc_id: str            # shared by the Korean and English versions of one document
    lang: str              # "ko" | "en"
    title: str
    text: str              # Markdown: "## heading" lines start sections
    metadata: dict = field(default_factory=dict)
    events: list[dict] = field(default_factory=list)   # structured items with a date


def _stem_id(path: Path) -> tuple[str, str | None]:
    """notice.ko.pdf -> ('notice', 'ko')."""
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    match = _LANG_SUFFIX.search(stem)
    if match:
        return stem[: match.start()], match.group(1).lower()
    return stem, None


def _korean_legacy(raw: bytes) -> str | None:
    """The text of a file saved in the Windows Korean encoding (CP949, a superset of EUC-KR),
    as many Korean editors still save .txt files; None unless it decodes to Korean."""
    try:
        text = raw.decode("cp949")
    except UnicodeDecodeError:
        return None
    beyond_ascii = [ch for ch in text if ord(ch) > 127]
    hangul = sum(1 for ch in beyond_ascii if "\uac00" <= ch <= "\ud7a3")
    # Other legacy text (Latin-1 accents...) can decode too, but as Chinese characters.
    return text if beyond_ascii and hangul >= KOREAN_SHARE * len(beyond_ascii) else None


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Notepad's "Unicode"
        try:
            return _checked(path, raw.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise DocumentError(path, f"not valid UTF-16 text (byte {exc.start})") from None
    if b"\x00" in raw:
        raise DocumentError(path, "binary data in a text file (NUL bytes)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text = _korean_legacy(raw)
        if text is None:
            raise DocumentError(path, f"not valid UTF-8 text (byte {exc.start}); "
                                      "save it as UTF-8") from None
    return _checked(path, text)


def _checked(path: Path, text: str) -> str:
    """`text`, unless it is binary data that happened to decode."""
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise DocumentError(path, "binary junk: too many control characters for a text file")
    return text


def _first_heading(text: str) -> str | None:
    match = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else None


def finish_document(path: Path, rel: str, text: str, meta: dict, **extra: Any) -> Document:
    if not text.strip() and not extra.get("events"):
        raise DocumentError(rel, "empty document (no text to answer from)")
    stem, suffix_lang = _stem_id(path)
    lang = str(meta.get("lang") or suffix_lang or detect_lang(text)).lower()
    if lang not in ("ko", "en"):
        raise DocumentError(rel, f"lang must be 'ko' or 'en', not {lang!r}")
    doc_id = str(meta.get("id") or stem)
    title = str(meta.get("title") or _first_heading(text) or stem.replace("-", " ").replace("_", " "))
    clean_meta = {k: v for k, v in meta.items() if isinstance(v, (str, int, float, bool))}
    clean_meta.update(id=doc_id, lang=lang, title=title)
    return Document(source=rel, doc_id=doc_id, lang=lang, title=title, text=text,
                    metadata=clean_meta, **extra)


def _load_markdown(path: Path, rel: str, raw: bytes, fix: Callable) -> Document:
    import frontmatter

    text = _decode(rel, raw)
    try:
        post = frontmatter.loads(text)
    except Exception as exc:  # yaml.YAMLError and friends: report, never crash
        raise DocumentError(rel, f"broken front matter: {str(exc).splitlines()[0]}") from None
    if not isinstance(post.metadata, dict):
        raise DocumentError(rel, "front matter must be a mapping of keys to values")
    return finish_document(path, rel, post.content, dict(post.metadata))


TITLE_MAX = 100  # characters
_TITLE_LABEL = re.compile(r"^(?:제\s*목|title|subject)\s*[:：]\s*", re.IGNORECASE)  # "제목: …"


def _title_line(text: str) -> str | None:
    """A notice's first paragraph when it reads as a title: short, not a sentence, and
    followed by more text."""
    first, _, rest = text.strip().partition("\n\n")
    first = _TITLE_LABEL.sub("", first.strip().lstrip("#").strip())
    if (rest.strip() and "\n" not in first and len(first) <= TITLE_MAX
            and not re.search(r"[.!?。:]$|다\.$", first)
            and not NUMBERED_HEADING.match(first)):  # "1. 목적" heads a part, not the notice
        return first
    return None


def _without_title(text: str, title: str) -> str | None:
    """`text` without its opening paragraphs when together they read `title` (a long title
    wraps over two lines, and its second line would pass for a section heading); None when
    the text does not open with the title."""
    wanted = " ".join(title.split()).casefold()
    paragraphs = text.strip().split("\n\n")
    opening = ""
    for n, paragraph in enumerate(paragraphs[:3], 1):
        opening = " ".join((opening + " " + paragraph).split()).casefold()
        if opening == wanted:
            return "\n\n".join(paragraphs[n:])
        if not wanted.startswith(opening):
            return None
    return None


def titled_outline(text: str, known_title: str | None = None) -> tuple[str | None, str]:
    """A plain-text notice's title (`known_title` when the text opens with it, else its first
    line when it reads as one) and its text with the title as the document heading and its
    own headings marked as sections."""
    body = _without_title(text, known_title) if known_title else None
    if body is not None:
        title, text = known_title, body
    elif title := _title_line(text):  # the document's heading, not to be quoted as an answer
        text = text.strip().partition("\n\n")[2]
        title = known_title or title
    body = outline_headings(text)
    return title, (f"# {title}\n\n" + body if title else body)


def _load_text(path: Path, rel: str, raw: bytes, fix: Callable) -> Document:
    title, text = titled_outline(fix(_decode(rel, raw)))
    return finish_document(path, rel, text, {"title": title} if title else {})


def _render_item(item: dict, template: str | None) -> str:
    values = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in item.items()}
    if template:
        try:
            return template.format_map(values)
        except (KeyError, IndexError, ValueError):
            pass
    return "; ".join(f"{k}: {v}" for k, v in values.items() if v not in (None, ""))


def _item_heading(item: dict, title: str, number: int) -> str:
    """An item's section heading, as a source names it: its first field when that is a short
    name ("Boston"), else the list's title and the item's place in it."""
    first = next(iter(item.values()), None)
    if isinstance(first, str) and 0 < len(first) <= 40:
        return first
    return f"{title} — {number}"


def _load_yaml(path: Path, rel: str, raw: bytes, fix: Callable) -> Document:
    try:
        data = yaml.safe_load(_decode(rel, raw))
    except yaml.YAMLError as exc:
        raise DocumentError(rel, f"invalid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise DocumentError(rel, "YAML document must be a mapping (id, title, items or sections)")
    items = data.get("items") or []
    sections = data.get("sections") or {}
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise DocumentError(rel, "'items' must be a list of mappings")
    if not isinstance(sections, dict):
        raise DocumentError(rel, "'sections' must be a mapping of heading to text")
    template = data.get("item_template")
    title = str(data.get("title") or _stem_id(path)[0])
    parts = []
    if data.get("intro"):
        parts.append(f"## {title}\n\n{data['intro']}")
    lines = [_render_item(i, template) for i in items]
    if lines:
        # One section listing every item (answers "all of them"), then one section per item.
        parts.append(f"## {title}\n\n" + "\n".join(f"- {l}" for l in lines))
        parts.extend(f"## {_item_heading(item, title, n)}\n\n{line}"
                     for n, (item, line) in enumerate(zip(items, lines), 1))
    parts.extend(f"## {h}\n\n{t}" for h, t in sections.items())
    meta = {k: v for k, v in data.items() if k not in ("items", "sections", "intro", "item_template")}
    events = [dict(i, _text=l) for i, l in zip(items, lines) if isinstance(i.get("date"), dt.date)]
    return finish_document(path, rel, "\n\n".join(parts), meta, events=events)


# What PDF writers put in the title field when the author gave none.
_PLACEHOLDER_TITLE = re.compile(
    r"^(?:|untitled(?: document)?|document\d*|제목\s*없음|microsoft (?:word|powerpoint) - .*"
    r"|.*\.(?:docx?|hwpx?|pdf|pptx?|txt))$", re.IGNORECASE)


def real_title(field: str | None) -> str | None:
    """A file's title field, unless it is a writer's placeholder."""
    return field if field and not _PLACEHOLDER_TITLE.match(field.strip()) else None


def load_document(path: Path, root: Path, raw: bytes,
                  fix_lines: Callable[[str], str] = lambda t: t) -> Document:
    """Parse `raw` (the bytes of `path`) into a Document; `fix_lines` repairs PDF-style text."""
    # Imported here, not at the top: both modules import this one's Document and title helpers.
    from bot.ingest.docx_loader import load_docx
    from bot.ingest.hwp_loader import load_hwp
    from bot.ingest.pdf import load_pdf

    loaders = {
        ".md": _load_markdown, ".markdown": _load_markdown, ".txt": _load_text,
        ".yaml": _load_yaml, ".yml": _load_yaml, ".pdf": load_pdf, ".docx": load_docx,
        ".hwp": load_hwp, ".hwpx": load_hwp,
    }
    rel = path.relative_to(root).as_posix()
    if not raw.strip():
        raise DocumentError(rel, "empty file")
    return loaders[path.suffix.lower()](path, rel, raw, fix_lines)


def _files(root: Path) -> list[Path]:
    """The files under `root` meant for the bot: not README files (for people), nothing hidden,
    no lock file an open Word document leaves beside itself ("~$notice.docx") or editor backup."""
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and not p.name.lower().startswith(("readme", "~$")) and not p.name.endswith("~")
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def discover(root: Path) -> list[Path]:
    """Every supported document under `root`, in a stable order."""
    return [p for p in _files(root) if p.suffix.lower() in SUPPORTED]


def unsupported(root: Path) -> list[str]:
    """Files under `root` the bot can't read (a .pptx, an .html page...), relative to it:
    named in the ingest report, so that an operator knows the bot does not answer from them."""
    return [p.relative_to(root).as_posix() for p in _files(root) if p.suffix.lower() not in SUPPORTED]
