"""Reading seed files: encodings, line ends, and files that must be skipped by name."""

from __future__ import annotations

import pytest

from qa.ingest.decoding import decode_text
from qa.ingest.sources import list_seed_paths, read_seed_file

TEXT = "标题\r\n\r\n滨湖文隽企业服务中心占地约5000平方米。\r\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_decodes_common_chinese_encodings(encoding):
    text, used = decode_text(TEXT.encode(encoding))
    assert text == TEXT
    assert used in (encoding, "gb18030", "utf-8-sig", "utf-16")


def test_gb18030_only_characters():
    text = "𠀀 (扩展B) 与 € 符号。"
    assert decode_text(text.encode("gb18030"))[0] == text


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"), (b" \n\r\n", "empty"), (b"\x00\x01\x02binary\x00", "binary"),
    (bytes(range(1, 32)) * 50, "binary"),
])
def test_rejects_empty_and_binary(data, reason):
    with pytest.raises(ValueError, match=reason):
        decode_text(data)


def test_seed_file_records_skip_reason(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_text("题目\n\n正文。", encoding="gbk")
    results = {p.name: read_seed_file(p, tmp_path) for p in list_seed_paths(tmp_path)}
    assert results["empty.txt"].text is None and "empty" in results["empty.txt"].skipped
    assert results["good.txt"].text == "题目\n\n正文。" and results["good.txt"].encoding == "gbk" or \
        results["good.txt"].encoding == "gb18030"


def test_walk_is_recursive_sorted_and_survives_symlink_loops(tmp_path):
    (tmp_path / "b" / "深层").mkdir(parents=True)
    (tmp_path / "b" / "深层" / "新闻.txt").write_text("x。", encoding="utf-8")
    (tmp_path / "a.txt").write_text("y。", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("z。", encoding="utf-8")
    (tmp_path / "b" / "loop").symlink_to(tmp_path)
    skipped: list = []
    names = [p.relative_to(tmp_path).as_posix() for p in list_seed_paths(tmp_path, skipped)]
    assert names == ["a.txt", "b/深层/新闻.txt"]
    assert skipped == [("b/loop", "symlink loop")]
