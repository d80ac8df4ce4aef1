#!/usr/bin/env python
"""Load test: questions fired concurrently at a running ``qa serve`` (loopback only).

    .venv/bin/python benchmarks/load.py                   # 32 concurrent questions
    .venv/bin/python benchmarks/load.py --write           # ... and update benchmarks/RESULTS.md
    .venv/bin/python benchmarks/load.py --smoke           # 8 questions (CI)

Starts ``.venv/bin/qa serve --host 127.0.0.1 --port N --index DIR --seeds SEEDS``
as a subprocess on a free loopback port, waits for HTTP 200, then through
``gradio_client`` and the named endpoint ``/ask``:

1. asks every distinct question once, one at a time: the reference answers and
   the sequential latency;
2. fires all N questions at once (N threads' worth of jobs, submitted together)
   and checks that every answer equals its sequential reference and, for the
   dev questions, still contains the gold answer when the reference did.

Bounded in count (N questions, no retries) and in time (``--timeout``); the
server is stopped with SIGTERM (then SIGKILL) however the run ends. Only
127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from corpus import pct  # noqa: E402

HOST = "127.0.0.1"
SECTION_START = "<!-- load.py: start -->"
SECTION_END = "<!-- load.py: end -->"
# bench.py rewrites RESULTS.md above this line and keeps everything from it on.
KEEP_MARKER = "<!-- Kept by bench.py: the load test (load.py) and notes written by hand. -->"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def dev_items(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [dict(question=r["question"], gold=list(r.get("answer") or [])) for r in rows if r.get("question")]


def qa_executable() -> list[str]:
    exe = Path(sys.executable).with_name("qa")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "qa"]


class Server:
    """``qa serve`` in its own process group, stopped by its pid only."""

    def __init__(self, index_dir: Path, seeds_dir: Path, port: int, log_path: Path, command: list[str] | None = None):
        self.url = "http://%s:%d/" % (HOST, port)
        env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
        self._log = open(log_path, "wb")
        self.proc = subprocess.Popen(
            (command or qa_executable()) + ["serve", "--host", HOST, "--port", str(port), "--index", str(index_dir),
                               "--seeds", str(seeds_dir)],
            cwd=str(ROOT), env=env, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.log_path = log_path

    def wait_ready(self, deadline: float) -> float:
        start = time.perf_counter()
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("the server exited with %s before answering; log:\n%s"
                                   % (self.proc.returncode, self.log_path.read_text(errors="replace")[-3000:]))
            try:
                with urllib.request.urlopen(self.url, timeout=2) as resp:
                    if resp.status == 200:
                        return time.perf_counter() - start
            except Exception:
                pass
            time.sleep(0.25)
        raise TimeoutError("the server did not answer HTTP 200 in time; log:\n%s"
                           % self.log_path.read_text(errors="replace")[-3000:])

    def rss_mib(self) -> float:
        try:
            import psutil

            return psutil.Process(self.proc.pid).memory_info().rss / 2**20
        except Exception:
            return float("nan")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        self._log.close()


def run(args) -> dict:
    from gradio_client import Client

    items = dev_items(args.questions_file)
    if not items:
        raise SystemExit("no questions in %s" % args.questions_file)
    batch = [items[i % len(items)] for i in range(args.questions)]
    distinct = list(dict.fromkeys(item["question"] for item in batch))
    gold = {item["question"]: item["gold"] for item in items}

    args.index.parent.mkdir(parents=True, exist_ok=True)
    log_path = args.index.parent / ("serve-%d.log" % os.getpid())
    deadline = time.monotonic() + args.timeout
    port = args.port or free_port()
    start = time.perf_counter()
    server = Server(args.index, args.seeds, port, log_path)
    res: dict = dict(date=_dt.datetime.now().astimezone().isoformat(timespec="minutes"),
                     command=" ".join([".venv/bin/python", "benchmarks/load.py"] + args.argv),
                     questions=len(batch), distinct=len(distinct), url=server.url)
    try:
        res["startup_s"] = server.wait_ready(deadline)
        client = Client(server.url, verbose=False, analytics_enabled=False, download_files=False,
                        max_workers=max(args.questions, 1))

        def remaining() -> float:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("load test ran out of time (--timeout %s s)" % args.timeout)
            return left

        # 1. sequential reference
        reference, sequential = {}, []
        for q in distinct:
            t0 = time.perf_counter()
            text, _sources = client.submit(q, api_name="/ask").result(timeout=remaining())
            sequential.append(time.perf_counter() - t0)
            reference[q] = text
        # 2. all at once, --bursts times
        bursts = []
        for _ in range(args.bursts):
            done: dict[int, float] = {}
            jobs = []
            t_burst = time.perf_counter()
            for i, item in enumerate(batch):
                job = client.submit(item["question"], api_name="/ask")
                job.add_done_callback(lambda _f, i=i, done=done: done.__setitem__(i, time.perf_counter()))
                jobs.append(job)
            results, errors = [], []
            for i, job in enumerate(jobs):
                try:
                    text, _sources = job.result(timeout=remaining())
                    results.append(text)
                except Exception as exc:  # recorded, and the run fails below
                    errors.append("%s: %s" % (batch[i]["question"], exc))
                    results.append(None)
            wall = max(done.values(), default=time.perf_counter()) - t_burst
            latencies = [done[i] - t_burst for i in sorted(done)]
            bursts.append(dict(results=results, errors=errors, wall=wall, latencies=latencies))
        res["server_rss_mib"] = server.rss_mib()
    finally:
        server.stop()
        res["total_s"] = time.perf_counter() - start

    gold_total = gold_hits = 0
    wrong, errors, per_burst = [], [], []
    for b in bursts:
        errors += b["errors"]
        bad = 0
        for item, text in zip(batch, b["results"]):
            q = item["question"]
            ok = text is not None and text == reference[q]
            g = gold.get(q) or []
            if g and any(a in reference[q] for a in g):
                gold_total += 1
                hit = text is not None and any(a in text for a in g)
                gold_hits += int(hit)
                ok = ok and hit
            if not ok:
                bad += 1
                wrong.append(dict(question=q, got=text, expected=reference[q]))
        lat = b["latencies"]
        per_burst.append(dict(
            correct=len(batch) - bad, seconds=b["wall"],
            throughput_qps=len(batch) / b["wall"] if b["wall"] > 0 else float("nan"),
            p50_ms=pct(lat, 0.5) * 1000, p95_ms=pct(lat, 0.95) * 1000, max_ms=max(lat, default=float("nan")) * 1000))

    def med(key):
        return statistics.median(b[key] for b in per_burst)

    res.update(
        bursts=per_burst, errors=errors, wrong=wrong,
        correct=min(b["correct"] for b in per_burst), gold_checked=gold_total, gold_hits=gold_hits,
        burst_s=med("seconds"), throughput_qps=med("throughput_qps"),
        burst_p50_ms=med("p50_ms"), burst_p95_ms=med("p95_ms"), burst_max_ms=med("max_ms"),
        seq_p50_ms=pct(sequential, 0.5) * 1000, seq_p95_ms=pct(sequential, 0.95) * 1000,
        seq_qps=len(sequential) / sum(sequential) if sequential else float("nan"),
        load=os.getloadavg()[0], omp_wait_policy=os.environ.get("OMP_WAIT_POLICY", ""),
    )
    return res


def markdown(res: dict) -> str:
    lines = [
        SECTION_START,
        "## Load: %d questions at once against `qa serve` (issue 6)" % res["questions"],
        "",
        "Written by `benchmarks/load.py` on %s. Command:" % res["date"],
        "",
        "    " + res["command"],
        "",
        "A `qa serve` subprocess on %s (startup to first HTTP 200: %.1f s) over the project seed page; "
        "the %d dev questions of `eval/dev.jsonl`, cycled to %d, all submitted at once through "
        "`gradio_client` to the `/ask` endpoint, %d bursts one after another; figures are medians over the "
        "bursts. Correct = the same answer as when the question was asked alone, and still holding the gold "
        "answer where that one did (%d of %d checks)."
        % (res["url"], res["startup_s"], res["distinct"], res["questions"], len(res["bursts"]), res["gold_hits"],
           res["gold_checked"]),
        "",
        "| figure | value |",
        "|---|---|",
        "| correct answers, worst burst | **%d / %d** |" % (res["correct"], res["questions"]),
        "| throughput, all at once | **%.2f questions/s** (%d in %.1f s) |" % (res["throughput_qps"], res["questions"],
                                                                       res["burst_s"]),
        "| latency under load, p50 / p95 / max | %.0f / **%.0f** / %.0f ms |" % (res["burst_p50_ms"],
                                                                              res["burst_p95_ms"], res["burst_max_ms"]),
        "| per burst: throughput; p95 | %s |" % "; ".join("%.2f q/s, %.0f ms" % (b["throughput_qps"], b["p95_ms"])
                                                        for b in res["bursts"]),
        "| one at a time (same run), p50 / p95; throughput | %.0f / %.0f ms; %.2f questions/s |"
        % (res["seq_p50_ms"], res["seq_p95_ms"], res["seq_qps"]),
        "| server RSS after the burst | %.0f MiB |" % res["server_rss_mib"],
        "| load average (1 min) at the end; OMP_WAIT_POLICY | %.1f; %s |" % (res["load"], res["omp_wait_policy"] or "unset"),
        "",
        SECTION_END,
    ]
    return "\n".join(lines)


def kept_tail(text: str) -> str:
    """The part of RESULTS.md that bench.py keeps: from KEEP_MARKER to the end (the marker alone if absent)."""
    if KEEP_MARKER in text:
        return text[text.index(KEEP_MARKER):].rstrip("\n") + "\n"
    if SECTION_START in text and SECTION_END in text:  # an older layout: keep the load section
        return KEEP_MARKER + "\n\n" + text[text.index(SECTION_START):text.index(SECTION_END) + len(SECTION_END)] + "\n"
    return KEEP_MARKER + "\n"


def update_results(path: Path, section: str) -> None:
    """Put ``section`` into RESULTS.md below KEEP_MARKER, replacing an earlier load section."""
    text = path.read_text(encoding="utf-8") if path.is_file() else "# Benchmark results\n"
    pattern = re.compile(re.escape(SECTION_START) + ".*?" + re.escape(SECTION_END), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section, text)
    else:
        if KEEP_MARKER not in text:
            text = text.rstrip("\n") + "\n\n" + KEEP_MARKER + "\n"
        head, tail = text.split(KEEP_MARKER, 1)
        text = head + KEEP_MARKER + "\n\n" + section + "\n" + tail
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--questions", type=int, default=32, help="questions fired at once (default 32)")
    p.add_argument("--questions-file", type=Path, default=ROOT / "eval" / "dev.jsonl")
    p.add_argument("--seeds", type=Path, default=ROOT / "seeds", help="seed folder the server indexes")
    p.add_argument("--index", type=Path, default=HERE / ".cache" / "load-index",
                   help="index folder (built by the server when missing or stale)")
    p.add_argument("--port", type=int, default=0, help="loopback port (default: a free one)")
    p.add_argument("--bursts", type=int, default=3, help="bursts of all questions at once (default 3)")
    p.add_argument("--timeout", type=float, default=600, help="whole run, seconds (default 600)")
    p.add_argument("--smoke", action="store_true", help="8 questions (CI)")
    p.add_argument("--json", type=Path, help="write the raw results as JSON here")
    p.add_argument("--markdown", type=Path, help="write the Markdown section here")
    p.add_argument("--write", action="store_true", help="update the load section of benchmarks/RESULTS.md")
    args = p.parse_args(argv)
    args.argv = list(argv)
    if args.smoke:
        args.questions = min(args.questions, 8)
        args.bursts = 1
    if args.questions < 1 or args.bursts < 1:
        p.error("--questions and --bursts must be at least 1")
    return args


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    res = run(args)
    section = markdown(res)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.markdown:
        args.markdown.write_text(section + "\n", encoding="utf-8")
    if args.write:
        update_results(HERE / "RESULTS.md", section)
    sys.stdout.write(section + "\n")
    for e in res["errors"]:
        sys.stderr.write("error: %s\n" % e)
    for w in res["wrong"]:
        sys.stderr.write("wrong: %(question)s -> %(got)r (expected %(expected)r)\n" % w)
    return 0 if res["correct"] == res["questions"] and not res["errors"] and not res["wrong"] else 1


if __name__ == "__main__":
    sys.exit(main())
