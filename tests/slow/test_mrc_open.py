"""CMRC 2018 trial in the open setting, on a fixed sample of 200 questions, with the real model and reader.

Every passage of the file is indexed as an article (all 256, so retrieval has
to find the right one), and each sampled question goes through
``Assistant.ask``. The full 1,002-question run is ``benchmarks/mrc_open.py``;
its figures are in benchmarks/RESULTS.md. The thresholds guard what the
committed reader reaches on this sample (EM 18.5, F1 42.1, text contains a gold
answer 0.475, recall@5 1.0), a few points lower.
"""

from __future__ import annotations

import sys

import pytest
from conftest import PROJECT

sys.path.insert(0, str(PROJECT / "benchmarks"))

import mrc_open  # noqa: E402


@pytest.mark.slow
def test_cmrc_trial_sample_open_setting(tmp_path_factory, embedder):
    from qa import Assistant, Retriever

    work = tmp_path_factory.mktemp("cmrc")
    questions = mrc_open.sample(mrc_open.write_seeds(mrc_open.DEFAULT_FILE, work / "seeds"), 200)
    assert len(questions) == 200
    mrc_open.build(work / "seeds", work / "index", embedder)
    result = mrc_open.run(Assistant.load(retriever=Retriever.load(work / "index", embedder=embedder)), questions)
    print("CMRC 2018 trial, 200-question sample, open setting:", {k: v for k, v in result.items() if k != "records"})
    assert len(result["records"]) == 200
    assert result["recall_at_5"] >= 0.95
    assert result["f1"] >= 38 and result["em"] >= 15
    assert result["text_contains_gold"] >= 0.40  # the hand-built answerer: 0.38


@pytest.mark.slow
def test_the_drcd_heldout_file_is_the_readers_heldout_slice_and_reads_with_gold_passages(tmp_path):
    import json

    from qa.reader.training import split_drcd

    path = mrc_open.write_drcd_heldout(tmp_path / "drcd_heldout.json")
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    ids = [qa["id"] for article in data for paragraph in article["paragraphs"] for qa in paragraph["qas"]]
    assert ids == [ex.qid for ex in split_drcd()[1]]  # the same questions every reader is scored on
    assert "新约圣经" in [article["title"] for article in data]  # titles simplified like the passages
    result = mrc_open.read_gold_passages(path, passages=6)
    assert result["questions"] >= 6 and result["f1"] >= 40  # the committed reader: 81.8 over all 301
