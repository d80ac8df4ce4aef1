"""Markdown to page text: headings become heading blocks, markup goes, words stay."""

from __future__ import annotations

import re

from qa.core.errors import FormatError
from qa.ingest.decoding import decode_text
from qa.ingest.formats.base import Extracted

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_LIST = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,9}[.)])\s+")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_INLINE = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images: nothing to read
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their words
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),  # inline HTML tags
]


def _front_matter(lines: list[str]) -> tuple[dict, list[str]]:
    """YAML front matter (``---`` ... ``---`` at the top) as flat key: value pairs."""
    if not lines or lines[0].strip() != "---":
        return {}, lines
    for end in range(1, min(len(lines), 60)):
        if lines[end].strip() in ("---", "..."):
            meta = {}
            for line in lines[1:end]:
                key, _, value = line.partition(":")
                meta[key.strip().lower()] = value.strip().strip("'\"")
            return meta, lines[end + 1:]
    return {}, lines


def _inline(text: str) -> str:
    for pattern, repl in _INLINE:
        text = pattern.sub(repl, text)
    return text.strip()


def markdown_blocks(lines: list[str]) -> list[str]:
    """The text blocks of Markdown ``lines``: one per heading, paragraph, item group or code block."""
    blocks: list[str] = []
    current: list[str] = []
    in_code = False

    def flush() -> None:
        if current:
            blocks.append("\n".join(current))
            current.clear()

    for i, line in enumerate(lines):
        if _FENCE.match(line):
            flush()
            in_code = not in_code
            continue
        if in_code:
            current.append(line.rstrip())
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        heading = _HEADING.match(line)
        if heading or (line.strip() and _SETEXT.match(nxt) and not _LIST.match(line)):
            flush()
            blocks.append(_inline(heading.group(1) if heading else line))
            continue
        if not line.strip() or _RULE.match(line) or _SETEXT.match(line) or _REF_DEF.match(line) \
                or _TABLE_RULE.match(line):
            flush()
            continue
        text = re.sub(r"^\s{0,3}(>\s?)+", "", line)
        text = _LIST.sub("", text)
        if text.strip().startswith("|"):
            text = "　".join(cell.strip() for cell in text.strip().strip("|").split("|"))
        text = _inline(text)
        if text:
            current.append(text)
    flush()
    return [b for b in blocks if b.strip()]


def extract_markdown(data: bytes) -> Extracted:
    """Page text of a Markdown file (UTF-8, UTF-16 with BOM or GB18030)."""
    try:
        text, _ = decode_text(data)
    except ValueError as exc:
        raise FormatError(str(exc)) from None
    meta, lines = _front_matter(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    blocks = markdown_blocks(lines)
    if not blocks:
        raise FormatError("no text in the Markdown file")
    title = meta.get("title", "")
    body = "\n\n".join(([title] if title else []) + blocks)
    date = meta.get("date", "")[:10]
    if date:
        body += "\n\n（发布日期：%s）" % date
    return Extracted(body + "\n", "markdown", title=title or blocks[0].split("\n")[0], date=date)
