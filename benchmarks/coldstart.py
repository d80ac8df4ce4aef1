"""Cold start (issue 14): fresh `qa search` / `qa ask` processes against `python -c "import torch"`.

Every round runs, in alternating order, three fresh processes on an index that
is already built and fresh: ``python -c "import torch"`` (the yardstick),
``qa search QUESTION`` and ``qa ask QUESTION``; wall time from spawn to exit.
The ratio to the torch import is taken per round; the report quotes medians.

    .venv/bin/python benchmarks/coldstart.py --index embeddings --rounds 5 --json benchmarks/.cache/coldstart.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
QA = ROOT / ".venv" / "bin" / "qa"
QUESTION = "滨湖文隽企业服务中心的建筑面积是多少?"


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default=str(ROOT / "embeddings"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    commands = {
        "import torch": [str(PYTHON), "-c", "import torch"],
        "qa search": [str(QA), "search", "--index", args.index, QUESTION],
        "qa ask": [str(QA), "ask", "--index", args.index, QUESTION],
    }
    wall(commands["qa search"])  # page cache warm for every side alike
    rounds = []
    for r in range(args.rounds):
        names = list(commands) if r % 2 == 0 else list(commands)[::-1]
        seconds = {n: wall(commands[n]) for n in names}
        seconds["load"] = os.getloadavg()[0]
        rounds.append(seconds)
        print(json.dumps(seconds), flush=True)
    result = dict(rounds=rounds, index=args.index)
    for n in ("qa search", "qa ask"):
        result[n] = dict(seconds=statistics.median(r[n] for r in rounds),
                         ratio=statistics.median(r[n] / r["import torch"] for r in rounds))
    result["import torch"] = statistics.median(r["import torch"] for r in rounds)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "rounds"}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
