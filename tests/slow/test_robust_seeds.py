"""Issue 6.2 - seed folders as users have them.

Empty and binary files, GBK/GB18030, UTF-8 with BOM, UTF-16 with BOM, CRLF and
CR line ends, a 20 MB file, deep and non-ASCII folder and file names (even
names that are not UTF-8), symlinks (a loop, a broken one, one to a file also
found directly), a FIFO: the build finishes, every skipped file is reported
by name (BuildReport.skipped and `qa build` stderr), and the chunks of every
readable file are in the loaded index.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from helpers_robust import (
    MESSY_SKIPPED,
    SEED_FILE,
    FakeEmbedder,
    assert_clean_failure,
    expected_chunks,
    index_chunks_by_source,
    make_messy_seeds,  # noqa: F401 (real_embedder is a fixture)
    real_embedder,
    run_qa,
)

from qa.core.errors import QAError, SeedsError
from qa.index.build import build_index
from qa.index.manifest import index_status
from qa.index.store import load_index


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    root = tmp_path_factory.mktemp("messy")
    readable = make_messy_seeds(root / "seeds", root / "outside")
    return root / "seeds", readable


def check_index_holds(index_dir: Path, readable: dict[str, str]) -> None:
    loaded = load_index(index_dir)
    by_source = index_chunks_by_source(loaded)
    assert sorted(by_source) == sorted(readable), "indexed files differ from the readable ones"
    for name, text in readable.items():
        assert by_source[name] == expected_chunks(text, name), name
    # One article per id, one chunk per id, every chunk's article loaded.
    assert len(loaded.chunk_by_id) == len(loaded.chunks)
    assert {c.article_id for c in loaded.chunks} <= set(loaded.articles)
    assert len(loaded.articles) == loaded.manifest["counts"]["articles"]


def test_messy_folder_builds_reports_skips_and_indexes_everything_readable(messy, tmp_path):
    seeds, readable = messy
    report = build_index(seeds, tmp_path / "index", FakeEmbedder())
    assert report.built
    skipped = dict(report.skipped)
    assert sorted(skipped) == sorted(MESSY_SKIPPED), report.skipped
    for name, word in MESSY_SKIPPED.items():
        assert word in skipped[name], (name, skipped[name])
    assert ".hidden.txt" not in skipped  # hidden files are ignored, not "skipped"
    check_index_holds(tmp_path / "index", readable)

    manifest = load_index(tmp_path / "index").manifest
    encodings = {name: entry.get("encoding") for name, entry in manifest["seed_files"].items()}
    assert encodings["gbk编码.txt"] == encodings["gb18030.txt"] == "gb18030"
    assert encodings["bom-utf8.txt"] == "utf-8-sig"
    assert encodings["utf16-le.txt"] == encodings["utf16-be.txt"] == "utf-16"
    # The file name that is not UTF-8 is shown decoded, not as surrogate escapes.
    assert "新闻.txt" in encodings
    # Same stem, different files: two articles, two ids.
    ids = {c.source: c.article_id for c in load_index(tmp_path / "index").chunks}
    assert ids["同名.txt"] != ids["同名.md"]

    # Symlinks, loops and FIFOs do not make the index look stale.
    assert index_status(tmp_path / "index", seeds, "fake-hash-32").fresh
    assert not build_index(seeds, tmp_path / "index", FakeEmbedder()).built


def test_messy_folder_with_the_real_model_through_qa_build(messy, tmp_path, real_embedder):
    """`qa build` with the default model: exit 0, skips named on stderr, everything readable searchable."""
    seeds, readable = messy
    proc = run_qa("build", "--seeds", seeds, "--out", tmp_path / "index", "-q", timeout=240)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "DEBUG" not in proc.stderr  # bm25s turned its own logger to DEBUG on import
    assert proc.stderr.count("skipped ") == len(MESSY_SKIPPED)  # each skip once (not also as a log line)
    for name in MESSY_SKIPPED:
        shown = "".join(ch if ch.isprintable() else " " for ch in name)
        assert "skipped %s:" % shown in proc.stderr, (name, proc.stderr)
    assert "\x1b" not in proc.stderr + proc.stdout  # the ESC in a file name is not passed to the terminal
    check_index_holds(tmp_path / "index", readable)

    from qa.retrieve.retriever import Retriever

    retriever = Retriever.load(tmp_path / "index", embedder=real_embedder)
    for question, source in [
        ("湖塘镇建成了多少座口袋公园?", "gbk编码.txt"),
        ("雪堰镇杨梅的预计产量是多少?", "utf16-le.txt"),
        ("礼嘉镇新开通了几条公交专线?", "utf16-be.txt"),
        ("前黄镇新建污水管网多少公里?", "cr.txt"),
        ("湟里镇修缮了几座古桥?", "/".join("第%d层" % i for i in range(1, 31)) + "/深层报道.txt"),
        ("奔牛机场新增几个停机位?", "新闻.txt"),
        ("卜弋农贸市场有多少个摊位?", "外部目录/链接目录中的文章.txt"),
    ]:
        assert retriever.search(question, k=1)[0].source == source, question

    status = run_qa("status", "--seeds", seeds, "--index", tmp_path / "index")
    assert status.returncode == 0, status.stdout + status.stderr


def test_20_mb_file(tmp_path, monkeypatch):
    """A 20 MB archive file (CRLF, GB18030) builds in seconds and every chunk of it is indexed.

    The fake encoder and a cheap BM25 tokenizer keep this about the pipeline:
    jieba alone tokenizes ~150 KB/s here (over 2 minutes for 20 MB), and the
    real model would embed ~46,000 chunks; both are linear and measured elsewhere.
    """
    import qa.index.lexical

    monkeypatch.setattr(qa.index.lexical, "index_tokens", lambda text: re.findall(r"[\u4e00-\u9fff]{2}", text[:40]) or ["_"])
    page = SEED_FILE.read_text(encoding="utf-8")
    pages = []
    size = 0
    n = 0
    while size < 20_000_000:
        n += 1
        # Vary each copy so chunks are not all duplicates.
        text = page.replace("昨天", "第%d天" % n).replace("\n", "\r\n")
        pages.append(text)
        size += len(text.encode("gb18030"))
    big = "".join(pages)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "archive.txt").write_bytes(big.encode("gb18030"))
    (seeds / "small.txt").write_text(SEED_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    assert (seeds / "archive.txt").stat().st_size >= 20_000_000

    start = time.monotonic()
    report = build_index(seeds, tmp_path / "index", FakeEmbedder())
    assert time.monotonic() - start < 120
    assert report.built and report.skipped == ()
    loaded = load_index(tmp_path / "index")
    by_source = index_chunks_by_source(loaded)
    assert by_source["archive.txt"] == expected_chunks(big, "archive.txt")
    assert by_source["small.txt"] == expected_chunks(SEED_FILE.read_text(encoding="utf-8"), "small.txt")
    assert len(loaded.chunk_by_id) == len(loaded.chunks) > 40_000


def test_a_folder_with_nothing_readable_is_a_clear_error(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "empty.txt").write_bytes(b"")
    (seeds / "image.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" * 50)
    with pytest.raises(SeedsError, match="no readable articles"):
        build_index(seeds, tmp_path / "index", FakeEmbedder())
    with pytest.raises(SeedsError, match="does not exist"):
        build_index(tmp_path / "missing", tmp_path / "index", FakeEmbedder())


def test_an_index_folder_that_is_a_file_is_a_clear_error(tmp_path):
    (tmp_path / "taken").write_text("not a folder")
    with pytest.raises(QAError, match="--out"):
        build_index(SEED_FILE.parent, tmp_path / "taken", FakeEmbedder())


def test_qa_build_bad_folders_fail_cleanly(tmp_path, monkeypatch, capsys):
    """Through the CLI code: a message and exit 1, never a traceback (fake model, in-process)."""
    import qa.models.embedder
    from qa.cli import main

    monkeypatch.setattr(qa.models.embedder, "load_embedder", lambda *a, **k: FakeEmbedder())
    (tmp_path / "taken").write_text("not a folder")
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "a.bin").write_bytes(b"\x00" * 10)
    cases = [
        (["build", "--seeds", str(tmp_path / "missing"), "--out", str(tmp_path / "i1")], "does not exist"),
        (["build", "--seeds", str(tmp_path / "junk"), "--out", str(tmp_path / "i2")], "no readable articles"),
        (["build", "--seeds", str(SEED_FILE.parent), "--out", str(tmp_path / "taken")], "--out"),
    ]
    for argv, needle in cases:
        assert main(argv) == 1, argv
        err = capsys.readouterr().err
        assert err.startswith("error: ") and needle in err, err

    # The real command, for one case: exit code and stderr of the process.
    proc = run_qa("build", "--seeds", tmp_path / "missing", "--out", tmp_path / "i3")
    assert_clean_failure(proc, "does not exist")


def test_an_index_inside_the_seeds_folder_is_not_indexed(tmp_path):
    """`qa build --out seeds/index` indexed its own previous index: 21 chunks, then 90, then 333."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "page.txt").write_text(SEED_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    counts = []
    for _ in range(3):
        report = build_index(seeds, seeds / "index", FakeEmbedder(), force=True)
        counts.append(report.chunks)
        assert report.skipped == (("index", "a qa index folder, not articles"),)
    assert counts == [21, 21, 21]
    assert index_status(seeds / "index", seeds, "fake-hash-32").fresh
    with pytest.raises(QAError, match="is the seeds folder"):
        build_index(seeds, seeds, FakeEmbedder())
