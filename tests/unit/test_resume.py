"""A build killed midway resumes from its saved batches and ends with the same index (issue 14)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
from helpers_robust import FakeEmbedder, fake_qa, qa_env

from qa.index.build import build_index
from qa.index.checkpoint import PREFIX
from qa.index.manifest import read_manifest
from qa.index.store import load_index

BATCH = 2


def _seeds(folder: Path, articles: int = 12) -> Path:
    folder.mkdir()
    for n in range(articles):
        paragraphs = ["第%d篇文章的第%d段,记者报道了本地第%d个项目的进展。" % (n, p, n * 10 + p) for p in range(3)]
        (folder / ("a%02d.txt" % n)).write_text("标题%d\n\n" % n + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return folder


def _saved_batches(index_dir: Path) -> int:
    return sum(len(list(d.glob("batch-*.npy"))) for d in index_dir.glob(PREFIX + "*"))


def _same_index(a: Path, b: Path) -> None:
    left, right = load_index(a), load_index(b)
    assert np.array_equal(left.vector_array, right.vector_array)
    assert [c.to_dict() for c in left.chunks] == [c.to_dict() for c in right.chunks]
    ma, mb = read_manifest(a), read_manifest(b)
    assert {k: v["sha256"] for k, v in ma["files"].items()} == {k: v["sha256"] for k, v in mb["files"].items()}
    assert ma["vector_index"] == mb["vector_index"] and ma["seed_files"] == mb["seed_files"]


def test_a_build_killed_at_60_percent_resumes_and_matches_an_uninterrupted_one(tmp_path):
    seeds = _seeds(tmp_path / "seeds")
    reference = tmp_path / "reference"
    build_index(seeds, reference, FakeEmbedder(), batch_size=BATCH)
    total = len(load_index(reference).chunks)
    batches = -(-total // BATCH)

    index_dir = tmp_path / "index"
    env = qa_env(QA_BATCH_SIZE=str(BATCH))
    proc = subprocess.Popen([*fake_qa(delay=0.25), "build", "--seeds", str(seeds), "--out", str(index_dir), "-q"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _saved_batches(index_dir) < 0.6 * batches and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    saved = _saved_batches(index_dir)
    assert 0.6 * batches <= saved < batches, (saved, batches, proc.stderr.read())
    assert not (index_dir / "manifest.json").exists()  # nothing half-written is served

    counting = FakeEmbedder()
    report = build_index(seeds, index_dir, counting, batch_size=BATCH)
    assert report.built and report.chunks == total
    # Only the batches the killed build had not saved were embedded again.
    assert counting.passages_encoded <= total - saved * BATCH + BATCH
    _same_index(index_dir, reference)
    assert not list(index_dir.glob(PREFIX + "*"))  # the saved batches are gone once the build is written


def test_saved_batches_of_other_texts_are_never_used(tmp_path):
    seeds = _seeds(tmp_path / "seeds", articles=4)
    index_dir = tmp_path / "index"
    build_index(seeds, index_dir, FakeEmbedder(), batch_size=BATCH)
    # A leftover folder from a build of other texts, with a batch of wrong vectors in it.
    stale = index_dir / (PREFIX + "0" * 20)
    stale.mkdir()
    np.save(stale / "batch-000000.npy", np.ones((BATCH, 32), np.float32))
    (seeds / "a00.txt").write_text("新标题\n\n全新的段落内容,与以前不同。\n", encoding="utf-8")
    counting = FakeEmbedder()
    build_index(seeds, index_dir, counting, batch_size=BATCH)
    reference = tmp_path / "reference"
    build_index(seeds, reference, FakeEmbedder(), batch_size=BATCH)
    _same_index(index_dir, reference)
    assert counting.passages_encoded >= 1 and not stale.exists()
    assert json.loads((index_dir / "manifest.json").read_text("utf-8"))["counts"]["chunks"] == 10
