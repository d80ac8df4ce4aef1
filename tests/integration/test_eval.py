"""qa eval: metric arithmetic on a hand-made file with known answers, and the real command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from qa.answer.assistant import Assistant
from qa.core.errors import EvalFileError
from qa.core.settings import get_settings
from qa.evaluate.evaluation import evaluate, format_report, load_eval_file

PROJECT = Path(__file__).resolve().parents[2]


@dataclass
class _Hit:
    text: str


@dataclass
class _Answer:
    text: str
    found: bool
    confidence: float = 0.5
    short: str = ""
    standalone_question: str = ""


class _Retriever:
    def __init__(self, ranked):
        self.ranked = ranked

    def search(self, question, k=10):
        return [_Hit(t) for t in self.ranked[question][:k]]


class _Assistant:
    """Canned retrieval and answers, so every metric has a known value."""

    def __init__(self, ranked, answers):
        self.retriever = _Retriever(ranked)
        self.answers = answers

    def ask(self, question, history=None):
        return self.answers[question]


ITEMS = [
    {"id": "a", "kind": "k1", "question": "q1", "gold": "GOLD1", "answer": ["X"]},
    {"id": "b", "kind": "k1", "question": "q2", "gold": "GOLD2", "answer": ["Y", "Z"]},
    {"id": "c", "kind": "k2", "question": "q3", "gold": "GOLD3", "answer": ["W"]},
    {"id": "d", "kind": "unanswerable", "question": "q4", "gold": None, "answer": []},
    {"id": "e", "kind": "unanswerable", "question": "q5", "gold": None, "answer": []},
]
RANKED = {
    "q1": ["has GOLD1 here", "other"],  # rank 1
    "q2": ["no", "no", "GOLD2 at three"],  # rank 3
    "q3": ["n"] * 7 + ["GOLD3"],  # rank 8: outside @5
    "q4": ["x"], "q5": ["y"],
}
ANSWERS = {
    "q1": _Answer("“X”[1]", True),  # correct
    "q2": _Answer("“Z”[1]", True),  # correct (second accepted string)
    "q3": _Answer("文章中没有找到", False),  # wrongly refused
    "q4": _Answer("文章中没有找到", False),  # rightly refused
    "q5": _Answer("“oops”[1]", True),  # wrongly answered
}


@pytest.fixture()
def eval_file(tmp_path):
    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in ITEMS) + "\n", encoding="utf-8")
    return path


def test_metrics_on_a_tiny_file_with_known_answers(eval_file):
    report = evaluate(_Assistant(RANKED, ANSWERS), load_eval_file(eval_file), str(eval_file))
    m = report.metrics
    assert (m["questions"], m["answerable"], m["unanswerable"]) == (5, 3, 2)
    assert m["recall_at_1"] == round(1 / 3, 4)
    assert m["recall_at_5"] == round(2 / 3, 4)
    assert m["mrr"] == round((1 + 1 / 3 + 1 / 8) / 3, 4)
    assert m["answer_accuracy"] == round(2 / 3, 4)
    # Refused: q3 (answerable) and q4 (unanswerable) -> precision 1/2; recall 1/2 (q5 was answered).
    assert m["refusal_precision"] == 0.5 and m["refusal_recall"] == 0.5 and m["refusal_f1"] == 0.5
    assert report.by_kind["k1"]["answer_accuracy"] == 1.0 and report.by_kind["k2"]["recall_at_5"] == 0.0
    assert {r.item.id for r in report.failures()} == {"b", "c", "e"}
    text = format_report(report)
    assert "failing questions: 3" in text and "[c] q3" in text


def test_bad_files_are_reported_by_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "q", "gold": null}\n{"gold": "x"}\n', encoding="utf-8")
    with pytest.raises(EvalFileError, match="line 2"):
        load_eval_file(bad)
    with pytest.raises(EvalFileError, match="not found"):
        load_eval_file(tmp_path / "missing.jsonl")


@pytest.mark.slow  # a whole-set quality gate: scripts/test runs it, --fast leaves it out
def test_qa_eval_command_on_the_dev_set(seed_index):
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    result = subprocess.run([sys.executable, "-m", "qa", "eval", "--index", str(seed_index), "--json",
                             str(PROJECT / "eval" / "dev.jsonl")], capture_output=True, text=True, env=env,
                            timeout=600)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    m = data["metrics"]
    assert m["questions"] == 18 and m["answerable"] == 16
    assert m["recall_at_5"] >= 0.95 and m["mrr"] >= 0.85 and m["answer_accuracy"] >= 0.9
    assert set(data["by_kind"]) == {"lexical", "paraphrase", "meta", "repair", "unanswerable"}


def test_the_ablation_turns_off_each_named_check(seed_index, tmp_path):
    from qa.answer.checks import CHECKS
    from qa.evaluate.evaluation import ablation_table

    path = tmp_path / "two.jsonl"
    path.write_text(
        '{"question": "滨湖文隽企业服务中心的建筑面积是多少?", "gold": "建筑面积1.8万平方米", "answer": ["1.8万平方米"], "article": "a"}\n'
        '{"question": "北京今天的天气怎么样?", "gold": null, "article": "b"}\n', encoding="utf-8")
    table = ablation_table(path, replace(get_settings(), index_dir=seed_index))
    rows = [line for line in table.splitlines() if line.startswith("| without ")]
    assert [row.split(" | ")[0][len("| without "):] for row in rows] == list(CHECKS)
    default = next(line for line in table.splitlines() if "(default)" in line)
    assert "| 1.000 | 1/1 |" in default  # answered and refused as it should
    with pytest.raises(ValueError, match="unknown checks"):
        Assistant.load(settings=replace(get_settings(), index_dir=seed_index), disabled=frozenset({"nonsense"}))
