"""Ask latency with the reader, next to its floor, side by side in one run.

The floor of one question is one bare forward pass of the reader over the
same windows it reads for that question (the top passages the retriever
returns, cut into the same windows); ``Assistant.ask`` adds the query
embedding, retrieval, question analysis and composing the answer. Questions
are asked one at a time, the two sides alternate, several passes; the report
quotes absolute p50/p95 and the median of the per-question ratios.

    .venv/bin/python benchmarks/reader_latency.py --index embeddings --write
    .venv/bin/python benchmarks/reader_latency.py --smoke
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from corpus import pct  # noqa: E402
from mrc_open import write_section  # noqa: E402

SECTION = "## Ask latency with the reader (issue 12)"


def floor_windows(assistant, question: str) -> list:
    """The windows the reader reads for ``question`` (same passages, same cutting)."""
    from qa.answer.assistant import READER_PASSAGES
    from qa.reader.model import make_windows, tokenize_question

    reader = assistant.reader
    hits = assistant.retriever.search(question, k=READER_PASSAGES)
    q_ids = tokenize_question(reader.tokenizer, question)
    texts = [assistant.chunk(h.chunk_id).indexed_text for h in hits]
    return [w for t in texts for w in make_windows(reader.tokenizer, q_ids, t, reader.max_len, reader.stride)]


def measure(assistant, questions: list[str], passes: int) -> dict:
    ask, floor, ratios = [], [], []
    windows = {q: floor_windows(assistant, q) for q in questions}
    for p in range(passes):
        for i, q in enumerate(questions):
            sides = ["ask", "floor"] if (i + p) % 2 == 0 else ["floor", "ask"]
            took = {}
            for side in sides:
                started = time.perf_counter()
                if side == "ask":
                    assistant.ask(q)
                else:
                    for first in range(0, len(windows[q]), 8):
                        assistant.reader.logits(windows[q][first:first + 8])
                took[side] = time.perf_counter() - started
            ask.append(took["ask"])
            floor.append(took["floor"])
            ratios.append(took["ask"] / took["floor"])
    return dict(questions=len(questions), passes=passes,
                windows_per_question=round(statistics.mean(len(w) for w in windows.values()), 2),
                ask_p50_s=round(pct(ask, 0.5), 3), ask_p95_s=round(pct(ask, 0.95), 3),
                floor_p50_s=round(pct(floor, 0.5), 3), floor_p95_s=round(pct(floor, 0.95), 3),
                ratio_p50=round(pct(ratios, 0.5), 2))


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--index", default=str(ROOT / "embeddings"), help="index folder")
    p.add_argument("--questions", default=str(ROOT / "eval" / "dev.jsonl"), help="JSONL with a question field")
    p.add_argument("--passes", type=int, default=3)
    p.add_argument("--write", action="store_true", help="write the section in benchmarks/RESULTS.md")
    p.add_argument("--smoke", action="store_true", help="3 questions, 1 pass")
    args = p.parse_args(argv)
    from qa.core.settings import offline_defaults

    offline_defaults()
    from qa.answer.assistant import Assistant

    rows = [json.loads(line) for line in Path(args.questions).read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [r["question"] for r in rows]
    if args.smoke:
        questions, args.passes = questions[:3], 1
    assistant = Assistant.load(args.index)
    assistant.ask(questions[0])  # warm up: first-call costs are the cold start's, not a question's
    result = measure(assistant, questions, args.passes)
    print(json.dumps(result))
    if args.write:
        write_section("\n".join([
            SECTION, "",
            "`benchmarks/reader_latency.py %s`: %d questions one at a time, %d passes, %.1f reader windows a "
            "question (top passages cut to the reader's window)." % (
                " ".join(argv), result["questions"], result["passes"], result["windows_per_question"]), "",
            "| | p50 | p95 |", "|---|---|---|",
            "| `Assistant.ask` | %.3f s | %.3f s |" % (result["ask_p50_s"], result["ask_p95_s"]),
            "| floor: one bare reader forward pass over the same windows | %.3f s | %.3f s |" % (
                result["floor_p50_s"], result["floor_p95_s"]),
            "", "Median per-question ratio ask / floor: **%.2fx** (target <= 1.5x)." % result["ratio_p50"], ""]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
