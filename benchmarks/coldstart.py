"""Cold start (issue 14): fresh `qa search` / `qa ask` / `qa serve` processes against `python -c "import torch"`.

Every round runs, in alternating order, fresh processes on an index that is
already built and fresh: ``python -c "import torch"`` (the yardstick),
``qa search QUESTION``, ``qa ask QUESTION`` (wall time from spawn to exit), and
``qa serve --index I --seeds S --host 127.0.0.1 --port N``: wall time from spawn
to the first answer received through ``gradio_client``'s ``/ask`` endpoint (the
client is created as soon as the page answers HTTP 200; the time to that 200 is
recorded too). ``python -c "import gradio"`` runs beside them as the floor
under ``qa serve``: the page's framework alone, before any model or index. The server is stopped with SIGTERM (then SIGKILL) by its pid;
only 127.0.0.1 is contacted. Each process's peak RSS is its ``ru_maxrss`` from
``wait4`` (which also counts this small parent at fork time). The ratio to the
torch import is taken per round; the report quotes medians.

    .venv/bin/python benchmarks/coldstart.py --index embeddings --rounds 5 --json benchmarks/.cache/coldstart.json
    .venv/bin/python benchmarks/coldstart.py --index /tmp/seedidx --smoke    # one round (CI)
"""

from __future__ import annotations

import argparse
import json
import os
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
QUESTION = "滨湖文隽企业服务中心的建筑面积是多少?"
HOST = "127.0.0.1"
PYTHON = sys.executable  # run with .venv/bin/python: the yardstick and the qa command share one environment
sys.path.insert(0, str(HERE))

from corpus import child_env, qa_command  # noqa: E402


def _reap(proc: subprocess.Popen, block: bool = True) -> tuple[int, float] | None:
    """Reap ``proc`` with ``wait4``: (exit status, its peak RSS in MiB), or None while it runs (``block=False``).

    Used instead of ``Popen.poll``/``wait``, which reap the child without its resource usage.
    """
    pid, status, usage = os.wait4(proc.pid, 0 if block else os.WNOHANG)
    if pid == 0:
        return None
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_maxrss / 1024.0


def wall(cmd: list[str]) -> tuple[float, float]:
    """(seconds from spawn to exit, peak RSS MiB) of one process; it must exit 0."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                            cwd=ROOT, env=child_env())
    code, rss = _reap(proc)
    seconds = time.perf_counter() - start
    if code != 0:
        raise RuntimeError("%s exited with %d" % (" ".join(cmd), code))
    return seconds, rss


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def serve_to_first_answer(index: str, seeds: str, timeout: float, log_path: Path) -> dict:
    """Spawn ``qa serve``; seconds to HTTP 200 and to the first ``/ask`` answer; then SIGTERM it."""
    from gradio_client import (
        Client,  # imported before the clock starts: the harness, not the server
    )

    port = free_port()
    url = "http://%s:%d/" % (HOST, port)
    cmd = qa_command() + ["serve", "--host", HOST, "--port", str(port), "--index", index, "--seeds", seeds]
    with open(log_path, "wb") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=child_env(), stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        out: dict = {}
        reaped = None
        try:
            deadline = time.monotonic() + timeout
            while True:
                reaped = _reap(proc, block=False)
                if reaped is not None:
                    raise RuntimeError("qa serve exited with %s before answering; log:\n%s"
                                       % (reaped[0], log_path.read_text(errors="replace")[-3000:]))
                if time.monotonic() > deadline:
                    raise TimeoutError("qa serve did not answer HTTP 200 in %s s" % timeout)
                try:
                    with urllib.request.urlopen(url, timeout=2) as resp:
                        if resp.status == 200:
                            break
                except Exception:
                    pass
                time.sleep(0.1)
            out["http_200_s"] = time.perf_counter() - start
            client = Client(url, verbose=False, analytics_enabled=False, download_files=False)
            out["client_ready_s"] = time.perf_counter() - start
            text, _sources = client.submit(QUESTION, api_name="/ask").result(timeout=max(1.0, deadline - time.monotonic()))
            out["first_answer_s"] = time.perf_counter() - start
            out["answer"] = text[:200]
        finally:
            if reaped is None:
                os.kill(proc.pid, signal.SIGTERM)  # by pid: only the server this run started
                for _ in range(150):
                    reaped = _reap(proc, block=False)
                    if reaped is not None:
                        break
                    time.sleep(0.1)
                else:
                    os.kill(proc.pid, signal.SIGKILL)
                    reaped = _reap(proc)
            out["peak_rss_mib"] = reaped[1]
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default=str(ROOT / "embeddings"))
    parser.add_argument("--seeds", default=str(ROOT / "seeds"),
                        help="the seeds folder the index was built from (qa serve rebuilds a stale index first)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-serve", action="store_true", help="leave out qa serve")
    parser.add_argument("--timeout", type=float, default=600, help="seconds qa serve may take to its first answer")
    parser.add_argument("--smoke", action="store_true", help="one round")
    parser.add_argument("--json")
    parser.add_argument("--markdown")
    args = parser.parse_args(argv)
    if args.smoke:
        args.rounds = 1
    commands = {
        "import torch": [PYTHON, "-c", "import torch"],
        # Not a target: the page's own framework alone, the floor under `qa serve`.
        "import gradio": [PYTHON, "-c", "import gradio"],
        "qa search": qa_command() + ["search", "--index", args.index, QUESTION],
        "qa ask": qa_command() + ["ask", "--index", args.index, QUESTION],
    }
    names_all = list(commands) + ([] if args.no_serve else ["qa serve"])
    log_path = Path(args.json).with_suffix(".serve.log") if args.json else Path("/tmp/coldstart-serve-%d.log" % os.getpid())
    wall(commands["qa search"])  # page cache warm for every side alike
    rounds = []
    for r in range(args.rounds):
        names = names_all if r % 2 == 0 else names_all[::-1]
        seconds: dict = {}
        for n in names:
            if n == "qa serve":
                got = serve_to_first_answer(args.index, args.seeds, args.timeout, log_path)
                seconds[n] = got["first_answer_s"]
                seconds["qa serve detail"] = got
                seconds["qa serve rss_mib"] = got["peak_rss_mib"]
            else:
                seconds[n], seconds[n + " rss_mib"] = wall(commands[n])
        seconds["load"] = os.getloadavg()[0]
        rounds.append(seconds)
        print(json.dumps(seconds, ensure_ascii=False), flush=True)
    result = dict(rounds=rounds, index=args.index, question=QUESTION)
    result["import torch"] = statistics.median(r["import torch"] for r in rounds)
    for n in names_all[1:]:
        result[n] = dict(seconds=statistics.median(r[n] for r in rounds),
                         ratio=statistics.median(r[n] / r["import torch"] for r in rounds),
                         peak_rss_mib=statistics.median(r[n + " rss_mib"] for r in rounds))
    if "qa serve" in names_all:
        for k in ("http_200_s", "client_ready_s"):
            result["qa serve"][k] = statistics.median(r["qa serve detail"][k] for r in rounds)
    text = markdown(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    if args.markdown:
        Path(args.markdown).write_text(text, encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "rounds"}, indent=1, ensure_ascii=False))
    print(text)
    return 0


def markdown(result: dict) -> str:
    lines = ["| fresh process | median | ratio to `python -c \"import torch\"` (%.1f s here, median; per-round ratios) "
             "| peak RSS |" % result["import torch"], "|---|---|---|---|"]
    for n in ("import gradio", "qa search", "qa ask", "qa serve"):
        if n not in result:
            continue
        row = result[n]
        what = {"import gradio": "`python -c \"import gradio\"` (the floor under `qa serve`)",
                "qa serve": "`qa serve` to the first `/ask` answer (HTTP 200 at %.1f s)" % row.get("http_200_s", 0)
                }.get(n, "`%s`" % n)
        ratios = ", ".join("%.2f" % (r[n] / r["import torch"]) for r in result["rounds"])
        lines.append("| %s | %.1f s | **%.2fx** (%s) | %.0f MiB |" % (what, row["seconds"], row["ratio"], ratios,
                                                                      row["peak_rss_mib"]))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
