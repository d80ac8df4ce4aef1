#!/usr/bin/env python
"""Abuse reproductions of issue 10, measured against a running ``qa serve`` (loopback only).

    .venv/bin/python benchmarks/abuse.py                  # 150 MB body, 4 x 200-turn histories, 200 MB corpus
    .venv/bin/python benchmarks/abuse.py --corpus-mb 20   # a smaller corpus for the page-weight part
    .venv/bin/python benchmarks/abuse.py --smoke          # seconds-scale version (CI)

Three parts, each on its own server started as ``qa serve --host 127.0.0.1``:

1. **body**: one ``/ask`` body of ``--body-mb`` MB (Content-Length announced, the whole
   body sent as an attacker would): seconds until the server answers, its status, and
   the server's RSS before and after.
2. **history**: a normal question's latency alone (median of 5), then while 4 requests
   carrying ``--turns`` turns of 990 characters each are in flight (median of 3 rounds),
   for the issue's 200 turns and for as many turns as fit under the request-size limit
   (both reach the assistant, which keeps only the most recent turns). Real default
   model, the bundled seeds.
3. **corpus**: ``--corpus-mb`` MB of seed pages indexed with a fast fake encoder (so the
   build takes minutes, not hours; the page does not depend on the encoder), then
   ``qa serve`` start-up time, the size of its root page and of ``/config``, and RSS.

Bounded in count and time (``--timeout`` per part); servers are stopped by their pid.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))  # this checkout's qa and ui, also in the servers started below
import load  # noqa: E402
from load import HOST, Server, free_port  # noqa: E402

load.qa_executable = lambda: [sys.executable, "-m", "qa"]  # run from ROOT: this checkout, not an installed copy

SEED_PAGE = ROOT / "seeds" / "000_b3f8d82462db3b47.txt"
NORMAL_QUESTION = "滨湖文隽企业服务中心的建筑面积是多少?"


def _rss(server: Server) -> float:
    return round(server.rss_mib(), 1)


def _start(index: Path, seeds: Path, log: Path, timeout: float, command: list[str] | None = None) -> tuple[Server, float]:
    server = Server(index, seeds, free_port(), log, command)
    return server, server.wait_ready(time.monotonic() + timeout)


def _post_body(url: str, size: int, timeout: float) -> tuple[int, float]:
    """Send an /ask body of ``size`` bytes; (HTTP status, seconds until the answer arrived)."""
    head = json.dumps({"data": [NORMAL_QUESTION, None, 3]}).encode()
    chunk = b" " * (1 << 20)
    start = time.perf_counter()
    with socket.create_connection((HOST, int(url.rsplit(":", 1)[1].strip("/"))), timeout=timeout) as sock:
        sock.sendall(("POST /gradio_api/call/ask HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
                      "Content-Length: %d\r\nConnection: close\r\n\r\n" % (HOST, size)).encode() + head)
        reply: dict = {}

        def read():
            try:
                reply["data"] = sock.recv(4096)
                reply["at"] = time.perf_counter()
            except OSError:
                reply["data"] = b""

        reader = threading.Thread(target=read)
        reader.start()
        sent = len(head)
        try:
            while sent < size and not reply:
                n = min(len(chunk), size - sent)
                sock.sendall(chunk[:n])
                sent += n
        except OSError:  # the server answered and closed: the rest is never read
            pass
        reader.join(timeout)
    data = reply.get("data", b"")
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    return status, reply.get("at", time.perf_counter()) - start


def part_body(args, work: Path) -> dict:
    from gradio_client import Client

    seeds_index = _seed_index(work)
    server, startup = _start(seeds_index, ROOT / "seeds", work / "serve-body.log", args.timeout)
    try:
        client = Client(server.url, verbose=False, analytics_enabled=False, download_files=False)
        client.predict(NORMAL_QUESTION, api_name="/ask")  # warm
        before = _rss(server)
        status, seconds = _post_body(server.url, args.body_mb << 20, args.timeout)
        time.sleep(1.0)
        after = _rss(server)
        ok = NORMAL_QUESTION and "1.8万平方米" in client.predict(NORMAL_QUESTION, api_name="/ask")[0]
        return dict(body_mb=args.body_mb, status=status, seconds=round(seconds, 3), rss_before_mib=before,
                    rss_after_mib=after, rss_growth_mib=round(after - before, 1), still_answers=bool(ok),
                    startup_s=round(startup, 1))
    finally:
        server.stop()


def _seed_index(work: Path) -> Path:
    """An index of the bundled seeds with the real default model (built once per work folder)."""
    index = work / "seed-index"
    if not (index / "manifest.json").exists():
        from qa.core.settings import get_settings
        from qa.index.build import build_index
        from qa.models.embedder import load_embedder

        build_index(ROOT / "seeds", index, load_embedder("default", get_settings().model_cache))
    return index


def _latency(client, question: str, history=None) -> float:
    start = time.perf_counter()
    client.predict(question, history, 3, api_name="/ask")
    return time.perf_counter() - start


def _under_load(client_factory, turns: int, rounds: int) -> dict:
    page = SEED_PAGE.read_text(encoding="utf-8").replace("\n", "")
    turn = (page * 2)[:990]
    history = [[turn, "“…”[1]"] for _ in range(turns)]
    normal, outcomes = [], []
    for _ in range(rounds):
        heavy = [client_factory().submit(turn[:40] + "?", history, 3, api_name="/ask") for _ in range(4)]
        time.sleep(0.2)  # let them take the answer slots first
        normal.append(_latency(client_factory(), NORMAL_QUESTION))
        for job in heavy:
            try:
                job.result(timeout=600)
                outcomes.append("answered")
            except Exception as exc:  # the request-size limit refuses it
                outcomes.append(type(exc).__name__)
    # As gradio_client sends it: compact UTF-8 JSON.
    body = len(json.dumps({"data": [turn[:40] + "?", history, 3]}, ensure_ascii=False, separators=(",", ":")).encode())
    return dict(turns=turns, body_bytes=body, normal_p50_s=round(statistics.median(normal), 3),
                outcomes=sorted(set(outcomes)))


def part_history(args, work: Path) -> dict:
    from gradio_client import Client

    from ui.limits import MAX_REQUEST_BYTES

    server, _ = _start(_seed_index(work), ROOT / "seeds", work / "serve-history.log", args.timeout)
    try:
        factory = lambda: Client(server.url, verbose=False, analytics_enabled=False, download_files=False)  # noqa: E731
        client = factory()
        _latency(client, NORMAL_QUESTION)  # warm
        idle = statistics.median(_latency(client, NORMAL_QUESTION) for _ in range(5))
        # As many turns as the request-size limit lets through (990 characters are 2,970 bytes of UTF-8).
        fitting = int(MAX_REQUEST_BYTES * 0.95 // (990 * 3 + 20))
        loads = [_under_load(factory, t, args.rounds) for t in (args.turns, fitting)]
        for load in loads:
            load["ratio_to_idle"] = round(load["normal_p50_s"] / idle, 2)
        return dict(idle_p50_s=round(idle, 3), loads=loads)
    finally:
        server.stop()


def make_corpus(folder: Path, megabytes: float) -> int:
    """Seed pages, each one made distinct, until ``megabytes`` of text; returns the file count."""
    page = SEED_PAGE.read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    size = len(page.encode("utf-8"))
    count = max(1, int(megabytes * 2**20 // size))
    for i in range(count):
        path = folder / ("%02d" % (i % 100)) / ("page-%05d.txt" % i)
        if not path.exists():
            path.parent.mkdir(exist_ok=True)
            path.write_text(page.replace("。", "%d。" % i), encoding="utf-8")
    return count


def part_corpus(args, work: Path) -> dict:
    from helpers_robust import (
        fake_qa,  # the real qa command with the fake embedder injected
    )

    seeds, index = work / ("corpus-%gmb" % args.corpus_mb), work / ("corpus-%gmb-index" % args.corpus_mb)
    files = make_corpus(seeds, args.corpus_mb)
    if not (index / "manifest.json").exists():
        import subprocess

        start = time.perf_counter()
        proc = subprocess.run(fake_qa() + ["build", "--seeds", str(seeds), "--out", str(index),
                                           "--max-chunks", "0", "-q"], cwd=ROOT, capture_output=True, text=True)
        if proc.returncode:
            raise SystemExit("corpus build failed:\n" + proc.stderr[-3000:])
        build_s = time.perf_counter() - start
    else:
        build_s = float("nan")
    manifest = json.loads((index / "manifest.json").read_text(encoding="utf-8"))
    server, startup = _start(index, seeds, work / "serve-corpus.log", args.timeout, fake_qa())
    try:
        root = urllib.request.urlopen(server.url, timeout=60).read()
        config = urllib.request.urlopen(server.url + "config", timeout=60).read()
        loads = []
        for _ in range(5):
            start = time.perf_counter()
            urllib.request.urlopen(server.url, timeout=60).read()
            loads.append(time.perf_counter() - start)
        from qa.index.manifest import index_status

        status_s = []
        for _ in range(2):  # what every page load checks: the first call hashes, later ones reuse the hashes
            start = time.perf_counter()
            index_status(index, seeds, manifest["model"]["id"])
            status_s.append(round(time.perf_counter() - start, 3))
        return dict(corpus_mb=args.corpus_mb, files=files, articles=manifest["counts"]["articles"],
                    status_first_s=status_s[0], status_again_s=status_s[1],
                    chunks=manifest["counts"]["chunks"], build_s=round(build_s, 1), startup_s=round(startup, 1),
                    root_bytes=len(root), config_bytes=len(config), page_load_p50_s=round(statistics.median(loads), 3),
                    rss_mib=_rss(server))
    finally:
        server.stop()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="small sizes, seconds to minutes (CI)")
    parser.add_argument("--body-mb", type=int, default=150)
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--corpus-mb", type=float, default=200)
    parser.add_argument("--parts", default="body,history,corpus")
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work" / "abuse")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    if args.smoke:
        args.body_mb, args.turns, args.rounds, args.corpus_mb = 8, 20, 1, 0.5
    args.work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    parts = {"body": part_body, "history": part_history, "corpus": part_corpus}
    results = {"command": " ".join([".venv/bin/python", "benchmarks/abuse.py"] + list(argv or sys.argv[1:]))}
    for name in args.parts.split(","):
        results[name] = parts[name](args, args.work)
        print(json.dumps({name: results[name]}, ensure_ascii=False), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
