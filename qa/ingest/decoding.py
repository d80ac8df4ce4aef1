"""Bytes of a text file to text: UTF-8, UTF-16 with a BOM or GB18030, binary refused."""

from __future__ import annotations

_MAX_CONTROL_SHARE = 0.02  # share of control characters above which decoded bytes are binary


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes of a text file; return (text, encoding name).

    Tries UTF-8 (with or without BOM), UTF-16 with a BOM, then GB18030 (a
    superset of GBK and GB2312). Raises ``ValueError`` for binary or
    undecodable data, with a reason fit for a warning.
    """
    if not data.strip():
        raise ValueError("empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    else:
        if b"\x00" in data:
            raise ValueError("binary file (contains NUL bytes)")
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        text = text.lstrip("\ufeff")
        if _looks_binary(text):
            raise ValueError("binary file (mostly control characters)")
        if not text.strip():
            raise ValueError("empty file")
        return text, encoding
    raise ValueError("not UTF-8, UTF-16 or GB18030/GBK text")


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return controls > _MAX_CONTROL_SHARE * max(len(sample), 1)
