"""The index folder: round trip, freshness, staleness, reuse - with the real model and real FAISS."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from conftest import SEED_FILE, SEEDS

from qa.core.errors import IndexMissingError
from qa.index.build import build_index
from qa.index.manifest import index_status, read_manifest
from qa.index.store import load_index


@pytest.fixture()
def built(tmp_path, embedder, seeds_copy):
    out = tmp_path / "index"
    report = build_index(seeds_copy, out, embedder)
    return seeds_copy, out, report


def test_round_trip(built, embedder):
    seeds, out, report = built
    loaded = load_index(out)
    assert report.built and report.articles == 5 and report.chunks == len(loaded.chunks) == loaded.vectors.ntotal
    assert loaded.vectors.d == embedder.dim == 384
    # Row-aligned: row i of the FAISS index is the embedding of chunk i.
    sample = [0, len(loaded.chunks) // 2, len(loaded.chunks) - 1]
    fresh = embedder.encode_passages([loaded.chunks[i].indexed_text for i in sample])
    assert np.allclose(loaded.vector_array[sample], fresh, atol=1e-4)
    # Chunks carry their article's context; the text shown is the paragraph as written.
    chunk = loaded.chunks[0]
    assert chunk.indexed_text.startswith(chunk.context + "\n") and chunk.indexed_text.endswith(chunk.text)
    assert chunk.title == "武进区党政代表团赴盐城市阜宁县考察交流" and chunk.byline == "本报讯 (记者 朱梦琪)"
    assert chunk.source == "000_b3f8d82462db3b47.txt" and chunk.paragraph == 1
    assert set(loaded.articles) == {c.article_id for c in loaded.chunks}


def test_manifest_describes_the_index(built):
    _, out, _ = built
    manifest = read_manifest(out)
    assert manifest["model"]["id"] == "default" and manifest["model"]["dim"] == 384
    assert manifest["model"]["query_prompt"] == "query: "
    assert manifest["chunking"]["max_chars"] > 0
    entry = manifest["seed_files"]["000_b3f8d82462db3b47.txt"]
    assert len(entry["sha256"]) == 64 and entry["articles"] == 5
    for info in manifest["files"].values():
        assert (out / info["name"]).is_file() and len(info["sha256"]) == 64
    chunks_file = out / manifest["files"]["chunks"]["name"]
    first = chunks_file.read_text(encoding="utf-8").splitlines()[0]
    assert "武进区" in first  # JSONL written with ensure_ascii=False
    assert json.loads(first)["chunk_id"].endswith("/p1")


def test_fresh_index_is_not_rebuilt_unless_forced(built, embedder):
    seeds, out, _ = built
    again = build_index(seeds, out, embedder)
    assert not again.built
    forced = build_index(seeds, out, embedder, force=True)
    assert forced.built and forced.embedded == 0  # unchanged text reuses stored vectors


def test_staleness_lists_added_changed_removed(built, embedder):
    seeds, out, _ = built
    assert index_status(out, seeds, "default").fresh
    (seeds / "new.txt").write_text("新的报道\n\n今天发布了一条消息。", encoding="utf-8")
    status = index_status(out, seeds, "default")
    assert not status.fresh and status.added == ("new.txt",)
    seed = seeds / "000_b3f8d82462db3b47.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\n追加一段。\n", encoding="utf-8")
    (seeds / "new.txt").unlink()
    status = index_status(out, seeds, "default")
    assert status.changed == ("000_b3f8d82462db3b47.txt",) and status.added == () and status.removed == ()
    assert "changed: 000_b3f8d82462db3b47.txt" in status.describe()
    shutil.move(str(seed), str(seeds / "renamed.txt"))
    status = index_status(out, seeds, "default")
    assert status.added == ("renamed.txt",) and status.removed == ("000_b3f8d82462db3b47.txt",)
    # A rebuild embeds only what changed (the new paragraph, and the photo caption
    # whose column label the appended text now follows), not the whole page.
    report = build_index(seeds, out, embedder)
    assert report.built and 1 <= report.embedded <= 2 < report.chunks
    assert index_status(out, seeds, "default").fresh


def test_a_rebuild_tokenises_only_new_text_and_matches_a_fresh_build(built, embedder, tmp_path, monkeypatch):
    import qa.index.lexical as lexical
    from qa.index import token_store

    seeds, out, _ = built
    (seeds / "new.txt").write_text("滨湖新城动态\n\n今天,滨湖新城的第二座图书馆正式开放,藏书12万册。", encoding="utf-8")
    tokenised = []
    real = lexical.index_tokens
    monkeypatch.setattr(lexical, "index_tokens", lambda text: tokenised.append(text) or real(text))
    report = build_index(seeds, out, embedder)
    assert report.built and len(tokenised) == report.embedded == 1 and "图书馆" in tokenised[0]
    monkeypatch.undo()
    fresh = tmp_path / "fresh"
    build_index(seeds, fresh, embedder)
    again, clean = load_index(out), load_index(fresh)
    assert [c.indexed_text for c in again.chunks] == [c.indexed_text for c in clean.chunks]
    saved = [token_store.load(i.index_dir / i.manifest["files"]["tokens"]["name"], lexical.TOKENIZER_VERSION)
             for i in (again, clean)]
    assert saved[0] == saved[1] == [lexical.index_tokens(c.indexed_text) for c in clean.chunks]
    for question in ("第二座图书馆藏书多少", "石墨烯小镇去年营收多少", "阜宁县委书记是谁"):
        assert np.allclose(again.lexical.scores(question), clean.lexical.scores(question))


def test_a_build_that_embeds_nothing_never_opens_the_model(built, embedder):
    from qa.core.settings import get_settings
    from qa.models.embedder import DEFAULT_BACKEND, cached_embedder

    seeds, out, _ = built
    cached_embedder.cache_clear()  # a model of our own, not the session's opened one
    try:
        unopened = cached_embedder("default", get_settings().model_cache.resolve(), DEFAULT_BACKEND)
    finally:
        cached_embedder.cache_clear()
    added = seeds / "new.txt"
    added.write_text("滨湖新城动态\n\n今天,滨湖新城的第二座图书馆正式开放,藏书12万册。", encoding="utf-8")
    build_index(seeds, out, embedder)
    added.unlink()
    report = build_index(seeds, out, unopened)
    assert report.built and report.embedded == 0 and unopened._encoder._inner is None
    added.write_text("滨湖新城动态\n\n今天,滨湖新城的第二座图书馆正式开放,藏书12万册。", encoding="utf-8")
    report = build_index(seeds, out, unopened)
    assert report.embedded == 1 and unopened._encoder._inner is not None  # opened when there was text to embed
    question = "第二座图书馆藏书多少"
    assert float(unopened.encode_query(question) @ embedder.encode_query(question)) > 0.9999


def test_a_token_file_from_another_tokenizer_or_damaged_is_not_used(tmp_path):
    from qa.index import token_store

    lists = [["滨湖", "集团"], [], ["滨湖", "2021", "年"]]
    path = tmp_path / "tokens.npz"
    path.write_bytes(token_store.to_bytes(lists, "v1"))
    assert token_store.load(path, "v1") == lists
    assert token_store.load(path, "v2") is None
    path.write_bytes(path.read_bytes()[:40])
    assert token_store.load(path, "v1") is None
    assert token_store.load(tmp_path / "missing.npz", "v1") is None


def test_another_model_makes_the_index_stale(built):
    seeds, out, _ = built
    status = index_status(out, seeds, "BAAI/bge-small-zh-v1.5")
    assert not status.fresh and status.model_changed
    assert "model" in status.describe()


def test_missing_index_names_the_fix(tmp_path):
    with pytest.raises(IndexMissingError, match="qa build"):
        load_index(tmp_path / "nothing")
    status = index_status(tmp_path / "nothing", SEEDS, "default")
    assert not status.exists and "qa build" in status.describe()


def test_bm25_words_are_jiebas_search_words_and_the_joints_beside_one_character_words():
    import qa.index.lexical as lexical
    from qa.core.text import normalize
    from qa.core.zh import load_jieba

    page = SEED_FILE.read_text(encoding="utf-8")
    for text in page.split("\n")[:40]:
        searched = load_jieba().lcut_for_search(normalize(text))
        assert lexical.tokenize(text) == [w for w in searched if w.strip() and any(c.isalnum() for c in w)
                                          and w not in lexical.STOPWORDS]
    sentence = "重点推进我区与华中科大、南航、南医大等校地合作"  # jieba: 等校|地|合作
    assert "校地" not in lexical.tokenize(sentence) and "校地" in lexical.index_tokens(sentence)
    assert "校地" in lexical.index_tokens("武进区将与哪些高校推进校地合作?")
