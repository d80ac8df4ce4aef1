"""Starting the page and rebuilding its index: the server side, with the real model and FAISS."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from ui_fixtures import (  # noqa: F401  (fixtures)
    BUILDING_ANSWER,
    BUILDING_QUESTION,
    PROJECT,
    SEEDS,
    copy_index,
    copy_seeds,
    free_port,
    settings_for,
    ui_server,
)

from qa.core.errors import IndexLockedError

NEW_ARTICLE = """湖滨新建图书馆开馆

本报讯 (记者 林书) 近日,湖滨图书馆正式开馆,馆内藏书约12万册,设有阅览座位600个。
"""


def test_only_the_ask_endpoint_is_public_and_rebuild_takes_no_input(ui_server):
    config = ui_server.demo.get_config_file()
    public = [d for d in config["dependencies"] if d.get("api_visibility", "public") == "public"]
    assert [d["api_name"] for d in public] == ["ask", "answer"]
    rebuild = [d for d in config["dependencies"] if any(
        t[0] == _elem(config, "qa-rebuild") for t in d["targets"])]
    # No path can come from the page: the rebuild's one input is the session's editor flag, a server-side State.
    states = {c["id"] for c in config["components"] if c.get("type") == "state"}
    assert rebuild and all(set(d["inputs"]) <= states and len(d["inputs"]) <= 1 for d in rebuild)


def _elem(config, elem_id):
    return next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == elem_id)


def test_rebuild_keeps_the_old_index_serving_until_the_new_one_loaded(tmp_path, seed_index):
    from ui.service import QAService

    seeds = copy_seeds(tmp_path / "seeds")
    index = copy_index(seed_index, tmp_path / "embeddings")
    service = QAService(settings_for(index, seeds)).prepare()
    assert service.status().fresh and service.examples

    (seeds / "library.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    status = service.status()
    assert not status.fresh and status.added == ("library.txt",)

    old = service.assistant
    seen_during_build = []

    def progress(update):
        if update.stage == "embedding" and not seen_during_build:
            # Mid-build: the old assistant still answers, and a second rebuild is refused.
            answer, used = service.ask(BUILDING_QUESTION)
            seen_during_build.append((used, answer.text))
            with pytest.raises(IndexLockedError):
                service.rebuild()

    report = service.rebuild(progress=progress)
    assert report.built and report.articles == len(old.articles) + 1
    assert seen_during_build and seen_during_build[0][0] is old and BUILDING_ANSWER in seen_during_build[0][1]
    assert service.assistant is not old
    assert service.status().fresh
    answer, _ = service.ask("湖滨图书馆藏书多少册?")
    assert answer.found and "12万册" in answer.text


def test_concurrent_asks_during_a_rebuild_all_succeed(tmp_path, seed_index):
    from ui.service import QAService

    seeds = copy_seeds(tmp_path / "seeds")
    service = QAService(settings_for(copy_index(seed_index, tmp_path / "embeddings"), seeds)).prepare()
    errors, answers = [], []

    def asker():
        for _ in range(5):
            try:
                answers.append(service.ask(BUILDING_QUESTION)[0].text)
            except Exception as exc:  # pragma: no cover - the failure is reported below
                errors.append(exc)

    threads = [threading.Thread(target=asker) for _ in range(3)]
    for t in threads:
        t.start()
    service.rebuild()
    for t in threads:
        t.join()
    assert not errors
    assert len(answers) == 15 and all(BUILDING_ANSWER in a for a in answers)


@pytest.mark.slow
@pytest.mark.parametrize("command", [["-m", "qa", "serve"], ["-m", "ui"]], ids=["qa serve", "python -m ui"])
def test_serve_builds_a_missing_index_with_progress_then_serves_locally(tmp_path, command):
    port = free_port()
    index = tmp_path / "embeddings"
    env = dict(os.environ, HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False", PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, *command, "--port", str(port), "--index", str(index), "--seeds", str(SEEDS)],
                            cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = []
    try:
        deadline = time.monotonic() + 150
        for line in proc.stdout:
            output.append(line)
            if "serving on" in line or time.monotonic() > deadline:
                break
        log = "".join(output)
        assert "serving on http://127.0.0.1:%d" % port in log, log
        assert "building it first" in log and "100%" in log, log  # visible build progress
        assert (index / "manifest.json").is_file()
        page = _get("http://127.0.0.1:%d/" % port)
        assert "新闻问答" in page
        config = _get("http://127.0.0.1:%d/config" % port)
        assert "gradio.live" not in log + config  # no share link
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            stopped = proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            stopped = None
    assert stopped is not None, "qa serve did not stop within 20 s of SIGTERM"
    assert stopped in (0, -signal.SIGTERM), "qa serve exited with %s on SIGTERM" % stopped


def _get(url: str) -> str:
    for _ in range(50):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8", "replace")
        except OSError:
            time.sleep(0.2)
    raise AssertionError("no answer from %s" % url)
