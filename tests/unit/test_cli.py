"""The qa command: exit codes and messages, with the real model and real FAISS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
QA = [sys.executable, "-m", "qa"]


def run(*args, cwd=None):
    env = dict(os.environ, HF_HUB_OFFLINE="1", PYTHONIOENCODING="utf-8")
    return subprocess.run(QA + list(args), capture_output=True, text=True, cwd=cwd or PROJECT, env=env, timeout=300)


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    seeds = folder / "seeds"
    seeds.mkdir()
    (seeds / "page.txt").write_bytes((PROJECT / "seeds" / "000_b3f8d82462db3b47.txt").read_bytes())
    out = folder / "index"
    result = run("build", "--seeds", str(seeds), "--out", str(out), "-q")
    assert result.returncode == 0, result.stderr
    assert "5 articles" in result.stdout
    return seeds, out


def test_build_again_does_nothing_and_status_is_fresh(cli_index):
    seeds, out = cli_index
    again = run("build", "--seeds", str(seeds), "--out", str(out), "-q")
    assert again.returncode == 0 and "up to date" in again.stdout
    status = run("status", "--seeds", str(seeds), "--index", str(out))
    assert status.returncode == 0 and "up to date" in status.stdout


def test_status_with_only_index_compares_the_folder_it_was_built_from(cli_index, tmp_path):
    """Run elsewhere (the project's seeds/ differs), `--index` alone still finds the index's own seeds."""
    seeds, out = cli_index
    status = run("status", "--index", str(out), cwd=tmp_path)
    assert status.returncode == 0 and "up to date" in status.stdout, status.stdout + status.stderr
    assert "seeds:   %s" % seeds.resolve() in status.stdout
    project = run("status", "--index", str(out))  # inside the project, whose seeds/ holds more files
    assert project.returncode == 0 and "up to date" in project.stdout
    explicit = run("status", "--seeds", str(PROJECT / "seeds"), "--index", str(out))
    assert explicit.returncode == 1  # an explicit --seeds still wins


def test_status_is_1_and_lists_changes_when_stale(cli_index, tmp_path):
    seeds, out = cli_index
    other = tmp_path / "seeds"
    other.mkdir()
    (other / "page.txt").write_text("改过的报道\n\n内容。", encoding="utf-8")
    (other / "extra.txt").write_text("新报道\n\n内容。", encoding="utf-8")
    status = run("status", "--seeds", str(other), "--index", str(out))
    assert status.returncode == 1
    assert "added:   extra.txt" in status.stdout and "changed: page.txt" in status.stdout


def test_search_prints_ranked_passages_and_json(cli_index):
    _, out = cli_index
    result = run("search", "--index", str(out), "-k", "2", "滨湖文隽企业服务中心的建筑面积是多少?")
    assert result.returncode == 0 and result.stdout.startswith("[1]")
    assert "建筑面积1.8万平方米" in result.stdout.split("[2]")[0]
    hits = json.loads(run("search", "--index", str(out), "--json", "-k", "3", "阜宁县委书记是谁?").stdout)
    assert len(hits) == 3 and {"text", "score", "chunk_id", "title", "source"} <= set(hits[0])


def test_ask_prints_answer_and_numbered_sources(cli_index):
    _, out = cli_index
    result = run("ask", "--index", str(out), "滨湖文隽企业服务中心的建筑面积是多少?")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "1.8万平方米"  # the answer itself first, then the quote with its citation
    assert "1.8万平方米" in lines[1] and lines[1].endswith("[1]")
    assert lines[3].startswith("[1] 高新区滨湖文隽企业服务中心投用  本报讯 (记者 史莲寅)")
    assert "【滨湖文隽企业服务中心占地约5000平方米,建筑面积1.8万平方米,由滨湖集团投资。】" in result.stdout
    # Each source says what it is to the answer, as the page's cards do.
    heads = [line for line in lines if line.startswith("[")]
    assert heads[0].endswith("  引用") and all(h.endswith("  其他相关段落") for h in heads[1:])
    refused = run("ask", "--index", str(out), "石墨烯小镇的门票多少钱?").stdout.splitlines()
    assert all(h.endswith("  相关段落（未引用）") for h in refused if h.startswith("["))
    data = json.loads(run("ask", "--index", str(out), "--json", "石墨烯小镇的门票多少钱?").stdout)
    assert data["found"] is False and data["sources"]


def test_missing_index_names_qa_build_without_traceback(tmp_path):
    result = run("search", "--index", str(tmp_path / "none"), "问题")
    assert result.returncode == 1
    assert "qa build" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("question", ["", "   "])
def test_empty_question_fails_cleanly(cli_index, question):
    _, out = cli_index
    result = run("ask", "--index", str(out), question)
    assert result.returncode == 1 and "empty" in result.stderr and "Traceback" not in result.stderr


def test_usage_errors_exit_2():
    assert run("frobnicate").returncode == 2
    assert run("search").returncode == 2


def test_python_m_qa_and_console_script_agree():
    script = Path(sys.executable).with_name("qa")
    if not script.exists():
        pytest.skip("console script not installed next to this interpreter")
    help_text = subprocess.run([str(script), "--help"], capture_output=True, text=True).stdout
    assert help_text.startswith("usage: qa") and "build" in help_text and "ask" in help_text
    assert run("--help").stdout == help_text


def test_folders_come_from_the_project_folder_found_upwards(cli_index, tmp_path):
    """Like git finding .git: the nearest folder upwards holding seeds/ (or qa.toml) is the project."""
    seeds, out = cli_index
    project = seeds.parent
    below = project / "notes" / "deeper"
    below.mkdir(parents=True, exist_ok=True)
    (project / "qa.toml").write_text('index = "index"\n', encoding="utf-8")
    try:
        status = run("status", cwd=below)
    finally:
        (project / "qa.toml").unlink()
    assert status.returncode == 0, status.stdout + status.stderr
    assert "project: %s" % project.resolve() in status.stdout
    assert "seeds:   %s" % (project.resolve() / "seeds") in status.stdout
    assert "index:   %s" % (project.resolve() / "index") in status.stdout and "up to date" in status.stdout


def test_outside_any_project_the_error_names_the_flags(tmp_path):
    lonely = tmp_path / "nowhere"
    lonely.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("QA_SEEDS_DIR", "QA_INDEX_DIR")}
    result = subprocess.run(QA + ["status"], capture_output=True, text=True, cwd=lonely, timeout=120,
                            env=dict(env, HF_HUB_OFFLINE="1", PYTHONIOENCODING="utf-8"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "no project folder found" in result.stderr and "--seeds" in result.stderr and "qa.toml" in result.stderr
