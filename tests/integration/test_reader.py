"""The learned reader: committed weights, spans inside quotes and highlights, scores, training smoke run."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
from conftest import PROJECT
from safetensors.numpy import load_file

from qa.core.errors import ModelError
from qa.reader.model import WEIGHTS_DIR, make_windows, verify_weights
from qa.reader.spanmetrics import exact, f1, tokens


def test_committed_weights_match_their_checksum_and_are_small():
    meta = verify_weights()
    assert (WEIGHTS_DIR / "reader.safetensors").stat().st_size <= 45 * 2**20  # the cap: 45 MB
    # A trained reader records its run; an average records the runs it averages (docs/reader.md).
    runs = meta.get("averaged_from") or [meta]
    assert all(run["steps"] > 0 and run["config"]["seed"] for run in runs)
    assert meta["drcd_heldout"]["questions"] >= 300


def test_damaged_weights_are_refused_with_the_fix(tmp_path):
    folder = tmp_path / "reader"
    shutil.copytree(WEIGHTS_DIR, folder)
    data = bytearray((folder / "reader.safetensors").read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte, same size
    (folder / "reader.safetensors").write_bytes(bytes(data))
    with pytest.raises(ModelError, match="damaged.*qa train-reader"):
        verify_weights(folder)
    (folder / "reader.safetensors").unlink()
    with pytest.raises(ModelError, match="missing"):
        verify_weights(folder)


def test_mixed_segmentation_metrics():
    assert tokens("1.8万平方米, about 5 km") == ["1.8", "万", "平", "方", "米", "about", "5", "km"]
    assert exact("“1.8万平方米”", ["1.8万平方米"]) == 1.0
    assert exact("1.8万", ["1.8万平方米"]) == 0.0
    assert f1("1.8万", ["1.8万平方米"]) == pytest.approx(2 * 1.0 * 0.4 / 1.4)
    assert f1("", ["乔俊杰"]) == 0.0
    assert f1("乔俊杰", ["张三", "乔俊杰"]) == 1.0


def test_windows_cover_a_long_passage_with_overlap():
    from tokenizers import Tokenizer

    from qa.core.settings import get_settings
    from qa.models.convert import ensure_default_model

    tokenizer = Tokenizer.from_file(str(ensure_default_model(get_settings().model_cache) / "tokenizer.json"))
    text = "滨湖文隽企业服务中心占地约5000平方米,建筑面积1.8万平方米。" * 30
    windows = make_windows(tokenizer, [5, 6, 7], text, max_len=64, stride=16)
    assert len(windows) > 3 and all(len(w.ids) <= 64 for w in windows)
    covered = set()
    for w in windows:
        for a, b in w.offsets:
            covered.update(range(a, b))
    assert covered >= set(range(len(text))) - {i for i, ch in enumerate(text) if ch in "。,"}


def test_every_window_of_a_long_passage_offers_its_spans_at_its_own_margin():
    """A window whose no-answer score is high (here the one without the headline-like 甲) still
    offers its best span, ranked by its margin over its own window's no-answer score."""
    import numpy as np
    from tokenizers import Tokenizer

    from qa.core.settings import get_settings
    from qa.models.convert import ensure_default_model
    from qa.reader.model import Reader

    tokenizer = Tokenizer.from_file(str(ensure_default_model(get_settings().model_cache) / "tokenizer.json"))
    first, second = tokenizer.token_to_id("甲"), tokenizer.token_to_id("乙")

    def engine(ids, mask):  # 甲's window: null 2, 甲 scores 10 (margin 8); the others: null 6, 乙 scores 8 (margin 2)
        logits = np.zeros(ids.shape + (2,), dtype=np.float32)
        for row, window in enumerate(ids):
            logits[row, 0] = 1.0 if first in window else 3.0
            logits[row, window == first] = 5.0
            logits[row, window == second] = 4.0
        return logits

    passage = "甲。" + "天气很好。" * 60 + "乙。"
    reader = Reader(engine, tokenizer, {"max_len": 64, "stride": 16})
    (span,) = reader.read("问题", [passage], top=2)
    assert passage[span.start:span.end] == "甲" and span.margin == pytest.approx(8.0)
    margins = {passage[a:b]: score - span.null_score for a, b, score in span.alternatives}
    assert margins["乙"] == pytest.approx(2.0)


@pytest.mark.parametrize("question, short", [
    ("滨湖文隽企业服务中心的建筑面积是多少?", "1.8万平方米"),
    ("滨湖集团什么时候启动了滨湖文隽企业服务中心项目?", "2021年6月"),  # the reader stops at 2021年
    ("武进直采了多少阜宁农产品?", "200万元"),
])
def test_short_answer_is_the_fact_inside_the_quote_and_the_highlight(assistant, question, short):
    answer = assistant.ask(question)
    assert answer.found and answer.form == "fact", answer.text
    assert short in answer.short and len(answer.short) <= len(short) + 6, answer.short
    assert answer.short in answer.text  # the quote holds the span
    source = answer.sources[0]
    a, b = source.answer_span
    assert source.text[a:b] == answer.short
    (s, e), = source.highlights
    assert s <= a < b <= e  # the span lies inside the highlighted sentence


def test_refusal_has_no_short_answer(assistant):
    answer = assistant.ask("武进区有多少常住人口?")
    assert not answer.found and answer.form == "refusal" and answer.short == ""
    assert all(s.answer_span is None for s in answer.sources)


def test_reader_scores_an_answering_passage_above_a_non_answering_one(assistant):
    reader = assistant.reader
    spans = reader.read("滨湖文隽企业服务中心的建筑面积是多少?", [
        "滨湖文隽企业服务中心占地约5000平方米,建筑面积1.8万平方米,由滨湖集团投资。",
        "下半年,全区科技系统将重点做好六方面工作。",
    ])
    assert spans[0].margin > spans[1].margin
    assert "1.8万平方米" in "滨湖文隽企业服务中心占地约5000平方米,建筑面积1.8万平方米,由滨湖集团投资。"[spans[0].start:spans[0].end]



def test_span_probabilities_share_one_softmax_over_every_passage_read(assistant):
    spans = assistant.reader.read("滨湖文隽企业服务中心的建筑面积是多少?", [
        "滨湖文隽企业服务中心占地约5000平方米,建筑面积1.8万平方米,由滨湖集团投资。",
        "下半年,全区科技系统将重点做好六方面工作。",
    ], top=3)
    assert spans[0].log_z == spans[1].log_z != 0.0
    spans_mass = sum(s.probability() + sum(s.probability(score) for _, _, score in s.alternatives) for s in spans)
    null_mass = sum(s.probability(s.null_score) for s in spans)
    assert 0.0 < spans_mass + null_mass <= 1.0 + 1e-9  # a part of one distribution
    assert spans[0].probability() > spans[1].probability()

@pytest.mark.slow  # a whole-set quality gate: scripts/test runs it, --fast leaves it out
def test_training_command_smoke(tmp_path):
    """`qa train-reader` on a tiny slice: it trains, exports checksummed weights that load."""
    out, work = tmp_path / "weights", tmp_path / "work"
    proc = subprocess.run(
        [sys.executable, "-m", "qa", "train-reader", "--steps", "2", "--limit", "24",
         "--work", str(work), "--out", str(out)],
        cwd=PROJECT, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "reader weights written" in proc.stdout
    meta = verify_weights(out)
    assert meta["steps"] == 2 and json.loads((out / "reader.json").read_text())["drcd_heldout"]["questions"] >= 1
    assert (work / "checkpoint.pt").is_file()
    # The last step's weights rather than the best held-out ones, recorded as such.
    last = tmp_path / "last"
    proc = subprocess.run([sys.executable, "-m", "qa", "train-reader", "--export-only", "--last", "--work", str(work),
                           "--out", str(last)], cwd=PROJECT, capture_output=True, text=True, timeout=600,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert verify_weights(last)["weights_step"] == 2
    # Training on from exported weights: a new run, its config naming the weights it started from.
    again = tmp_path / "again"
    proc = subprocess.run(
        [sys.executable, "-m", "qa", "train-reader", "--steps", "1", "--limit", "24", "--work", str(tmp_path / "work2"),
         "--out", str(again), "--start-from", str(out / "reader.safetensors"), "--lr-layers", "3e-5",
         "--max-len", "192", "--yesno-share", "0.5", "--inews-repeat", "1", "--seed", "7"],
        cwd=PROJECT, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr[-3000:]
    written = verify_weights(again)
    config = written["config"]
    assert config["start_from"] == meta["sha256"] and config["lr_layers"] == 3e-5
    assert config["max_len"] == 192 and written["max_len"] == 192  # the reader reads with the window it learned
    assert config["yesno_share"] == 0.5 and config["inews_repeat"] == 1 and config["seed"] == 7
    # A run resumed with another seed would mix two example orders: refused, with the way out named.
    proc = subprocess.run(
        [sys.executable, "-m", "qa", "train-reader", "--steps", "1", "--limit", "24", "--work", str(tmp_path / "work2"),
         "--out", str(tmp_path / "other"), "--start-from", str(out / "reader.safetensors"), "--lr-layers", "3e-5",
         "--max-len", "192", "--yesno-share", "0.5", "--inews-repeat", "1", "--seed", "8"],
        cwd=PROJECT, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert proc.returncode != 0 and "other settings" in proc.stderr and not (tmp_path / "other").exists()
    proc = subprocess.run(
        [sys.executable, "-m", "qa", "train-reader", "--steps", "1", "--limit", "24", "--work", str(tmp_path / "work3"),
         "--out", str(tmp_path / "none"), "--start-from", str(tmp_path / "missing.safetensors")],
        cwd=PROJECT, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert proc.returncode != 0 and "no weights at" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "qa", "train-reader", "--max-len", "1024", "--work", str(tmp_path / "w4")],
                          cwd=PROJECT, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert proc.returncode == 1 and "between 64 and 512" in proc.stderr
    # Averaging two readers of one recipe (a model soup): the committed weights and the smoke run's.
    soup = tmp_path / "soup"
    proc = subprocess.run([sys.executable, "-m", "qa", "average-readers", str(WEIGHTS_DIR), str(out), "--share", "0.25",
                           "--out", str(soup), "--limit", "24"],
                          cwd=PROJECT, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr[-3000:]
    averaged = verify_weights(soup)
    assert [p["sha256"] for p in averaged["averaged_from"]] == [verify_weights()["sha256"], meta["sha256"]]
    assert [p["share"] for p in averaged["averaged_from"]] == [0.25, 0.75] and averaged["drcd_heldout"]["questions"] >= 1
    a, b, c = (load_file(str(f / "reader.safetensors")) for f in (WEIGHTS_DIR, out, soup))
    name = next(iter(a))
    assert np.allclose(c[name].astype("f4"), 0.25 * a[name].astype("f4") + 0.75 * b[name].astype("f4"), atol=2e-3)
    # Readers read with other windows cannot be averaged; the message says so.
    proc = subprocess.run([sys.executable, "-m", "qa", "average-readers", str(out), str(again), "--out", str(tmp_path / "x")],
                          cwd=PROJECT, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert proc.returncode != 0 and "same window" in proc.stderr and not (tmp_path / "x" / "reader.json").exists()
