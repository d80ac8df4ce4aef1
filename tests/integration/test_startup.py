"""Quick start (issue 14): what a cold `qa ask` / `qa serve` no longer repeats, and that it stays safe.

* Model files are hashed once and then trusted while their size, inode, mtime and
  ctime stay the same; any write to a file (which moves its ctime) makes it hashed again.
* The 250k-piece tokenizer is parsed once per process for the embedder and the reader,
  and texts are cut to 512 positions exactly as the tokenizer's own truncation did.
* The ONNX copies keep their weights in external data files (memory-mapped, checksummed).
* The page's example questions are remembered per index build, reader and calibration.
"""

from __future__ import annotations

import json
import os
import shutil
from types import SimpleNamespace

import pytest

import qa.core.hashing
from qa.core.hashing import STAMPS_FILE, sha256_file, sha256_unless_unchanged


@pytest.fixture
def settled(monkeypatch):
    """Files count as settled at once (normally only after two seconds)."""
    monkeypatch.setattr(qa.core.hashing, "_SETTLED_NS", 0)


def test_a_file_is_hashed_again_only_after_it_changed(tmp_path, settled):
    path = tmp_path / "model.bin"
    path.write_bytes(b"A" * 100_000)
    real = sha256_file(path)
    assert sha256_unless_unchanged(path) == real
    stamps = json.loads((tmp_path / STAMPS_FILE).read_text(encoding="utf-8"))
    assert stamps["model.bin"]["sha256"] == real
    # The stamp is what is read while the file is unchanged (a forged digest shows it)...
    stamps["model.bin"]["sha256"] = "f" * 64
    (tmp_path / STAMPS_FILE).write_text(json.dumps(stamps), encoding="utf-8")
    assert sha256_unless_unchanged(path) == "f" * 64
    # ...and any write, even one of the same size that puts the mtime back, makes it hash again.
    before = path.stat()
    with open(path, "r+b") as handle:
        handle.seek(50_000)
        handle.write(b"B" * 16)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert sha256_unless_unchanged(path) == sha256_file(path) != real


def test_a_file_changed_moments_ago_is_not_trusted_next_time(tmp_path):
    path = tmp_path / "fresh.bin"
    path.write_bytes(b"new")
    assert sha256_unless_unchanged(path) == sha256_file(path)
    assert not (tmp_path / STAMPS_FILE).exists()  # its timestamps could still repeat


def test_stamps_that_cannot_be_kept_cost_only_the_hashing(tmp_path, settled):
    path = tmp_path / "m.bin"
    path.write_bytes(b"x" * 10)
    (tmp_path / STAMPS_FILE).mkdir()  # neither readable nor replaceable as a file, even for root
    assert sha256_unless_unchanged(path) == sha256_unless_unchanged(path) == sha256_file(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [STAMPS_FILE, "m.bin"]  # no temporary files left


def test_a_flipped_block_in_the_converted_model_is_still_caught_after_stamps(tmp_path, settled):
    from qa.core.settings import get_settings
    from qa.models.convert import converted_model_dir, damaged_files

    source = converted_model_dir(get_settings().model_cache)
    folder = tmp_path / source.name
    shutil.copytree(source, folder)  # stamps copied too: the copies' new inodes and ctimes must not match them
    assert damaged_files(folder) == []
    assert "model.safetensors" in json.loads((folder / STAMPS_FILE).read_text(encoding="utf-8"))
    with open(folder / "model.safetensors", "r+b") as handle:
        handle.seek(1 << 20)
        handle.write(os.urandom(4096))
    assert damaged_files(folder) == ["model.safetensors"]


def test_one_tokenizer_is_shared_and_cuts_like_its_own_truncation(tmp_path):
    from tokenizers import Tokenizer

    from qa.core.settings import get_settings
    from qa.models.convert import converted_model_dir
    from qa.models.onnx_backend import encode_ids, load_tokenizer

    base = converted_model_dir(get_settings().model_cache)
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(base / "tokenizer.json", copy / "tokenizer.json")
    shared = load_tokenizer(base)
    assert load_tokenizer(copy) is shared  # the same content is parsed once

    own = Tokenizer.from_file(str(base / "tokenizer.json"))
    own.enable_truncation(512)
    texts = ["passage: " + "滨湖文隽企业服务中心占地约5000平方米。" * 60, "query: 你好", "x" * 3000, ""]
    assert encode_ids(shared, texts) == [e.ids for e in own.encode_batch(texts)]
    assert len(encode_ids(shared, texts[:1])[0]) == 512


def test_the_onnx_copies_keep_checksummed_external_weights():
    from qa.core.settings import get_settings
    from qa.models.convert import converted_model_dir
    from qa.models.model_cache import reader_onnx_dir
    from qa.models.onnx_backend import CHECKSUMS, VARIANTS, onnx_model_dir
    from qa.reader.model import verify_weights
    from qa.reader.onnx import VARIANTS as READER_VARIANTS

    cache = get_settings().model_cache
    embedder = onnx_model_dir(converted_model_dir(cache))
    reader = reader_onnx_dir(cache, verify_weights()["sha256"])
    for folder, names in ((embedder, VARIANTS.values()), (reader, READER_VARIANTS.values())):
        recorded = json.loads((folder / CHECKSUMS).read_text(encoding="utf-8"))["files"]
        for name in names:
            data = name + ".data"
            assert data in recorded and name in recorded, (folder, sorted(recorded))
            # The graph file is small; the weights live beside it.
            assert (folder / name).stat().st_size < 5 << 20 < (folder / data).stat().st_size


class _CountingAssistant:
    """Enough of an Assistant for the example rules: one article, every candidate answered from it."""

    def __init__(self, build_id: str):
        from qa.ingest.articles import Article, Paragraph

        text = "滨湖文隽企业服务中心占地约5000平方米,建筑面积1.8万平方米。"
        article = Article(article_id="a1", source="a.txt", ordinal=1, headline="滨湖文隽企业服务中心投用",
                          paragraphs=(Paragraph(text=text, line=3),))
        self.articles = {"a1": article}
        self.retriever = SimpleNamespace(build_id=build_id)
        self.reader = SimpleNamespace(meta={"sha256": "r" * 64})
        self.params = SimpleNamespace(threshold=0.39)
        self.asked = []

    def ask(self, question):
        self.asked.append(question)
        return SimpleNamespace(found=True, sources=[SimpleNamespace(article_id="a1")])


def test_example_questions_are_remembered_per_index_build(tmp_path):
    from ui.examples import CACHE_FILE, remembered_examples

    first = _CountingAssistant("build-1")
    examples = remembered_examples(first, tmp_path)
    assert examples and first.asked
    again = _CountingAssistant("build-1")
    assert remembered_examples(again, tmp_path) == examples and again.asked == []  # a restart asks nothing
    rebuilt = _CountingAssistant("build-2")
    assert remembered_examples(rebuilt, tmp_path) == examples and rebuilt.asked  # a new build is asked again
    (tmp_path / CACHE_FILE).write_text("{not json", encoding="utf-8")  # a damaged cache is only a miss
    assert remembered_examples(_CountingAssistant("build-1"), tmp_path) == examples


def test_an_assistant_that_does_not_name_its_build_is_asked_every_time(tmp_path):
    from ui.examples import CACHE_FILE, remembered_examples

    anonymous = _CountingAssistant("")
    assert remembered_examples(anonymous, tmp_path) and anonymous.asked
    assert not (tmp_path / CACHE_FILE).exists()
