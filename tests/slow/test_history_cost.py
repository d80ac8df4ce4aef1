"""Issue 34, item 6: a huge chat history costs what its capped turns cost (real `qa serve`, real model).

Four clients ask follow-ups at once, each carrying either a short history or 200 turns of
990 characters; meanwhile a fifth asks a plain question. Its wait is measured side by side,
the two kinds of round interleaved so that a busy machine slows both alike.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request

import pytest
from ui_fixtures import PROJECT, SEEDS, copy_index, free_port

pytestmark = pytest.mark.slow

PLAIN = "滨湖文隽企业服务中心的建筑面积是多少?"
ROUNDS = 4
MAX_RATIO = 1.5


@pytest.fixture()
def served(tmp_path, seed_index):
    port = free_port()
    log = open(tmp_path / "serve.log", "wb")
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1")
    proc = subprocess.Popen([sys.executable, "-m", "qa", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--index", str(copy_index(seed_index, tmp_path / "index")), "--seeds", str(SEEDS)],
                            cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = "http://127.0.0.1:%d/" % port
    deadline = time.monotonic() + 180
    while True:
        assert proc.poll() is None, (tmp_path / "serve.log").read_text(errors="replace")[-2000:]
        try:
            with urllib.request.urlopen(url, timeout=2):
                break
        except OSError:
            assert time.monotonic() < deadline, "qa serve did not start"
            time.sleep(0.3)
    yield url
    proc.send_signal(signal.SIGTERM)  # stopped by its own pid only
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def _plain_wait_under(url, history, question) -> float:
    """Seconds a plain question takes while four clients ask ``question`` after ``history``."""
    from gradio_client import Client

    clients = [Client(url, verbose=False, download_files=False) for _ in range(5)]
    jobs = [c.submit(question, history, 3, api_name="/ask") for c in clients[:4]]
    time.sleep(0.2)  # let them take the answer slots first
    start = time.perf_counter()
    text, _ = clients[4].predict(PLAIN, [], 3, api_name="/ask")
    waited = time.perf_counter() - start
    for job in jobs:
        job.result(timeout=300)
    assert "1.8万平方米" in text
    return waited


def test_a_huge_history_costs_no_more_than_a_short_one(served):
    page = (SEEDS / "000_b3f8d82462db3b47.txt").read_text(encoding="utf-8").replace("\n", "")
    turn = (page * 2)[:990]
    follow_up = turn[:40] + "?"
    short = [[PLAIN, "“1.8万平方米”[1]"]]
    huge = [[turn, "“…”[1]"] for _ in range(200)]
    from gradio_client import Client

    Client(served, verbose=False).predict(PLAIN, api_name="/ask")  # warm
    waits: dict[str, list[float]] = {"short": [], "huge": []}
    for _ in range(ROUNDS):
        for name, history in (("short", short), ("huge", huge)):
            waits[name].append(_plain_wait_under(served, history, follow_up))
    short_s, huge_s = statistics.median(waits["short"]), statistics.median(waits["huge"])
    print("plain question under 4 follow-ups: short histories %.2f s, 200 x 990-character histories %.2f s (x%.2f)"
          % (short_s, huge_s, huge_s / short_s))
    assert huge_s <= MAX_RATIO * short_s, waits
