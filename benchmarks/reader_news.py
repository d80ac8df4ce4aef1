"""The reader alone on real news: does its best span over the top-5 passages sit in a sentence that answers?

For each question of a news evaluation file (default: the news dev articles, ``eval/news/dev.jsonl``;
never tuned on), the retriever's top 5 passages over an index of the seed page and the news articles are
read by the reader, and the span with the highest margin over its no-answer score is taken across them.
Reported, for the answerable questions:

- ``sentence_holds_answer``: the share whose best span lies in a sentence holding one of the question's
  answer strings (or its ``gold`` piece), when the reader always answers;
- at the margin threshold that refuses at least ``--refuse`` (0.80) of the unanswerable near misses,
  ``answered_right``: the share answered (margin above the threshold) with such a sentence.

Both also with the span chosen and refused by the reader's shared softmax over every window read
(``shared_normalisation``: the highest span score; refused by the no-answer mass).

Also the reader's own figures: span exact match / F1 against the answer strings.

    .venv/bin/python benchmarks/reader_news.py --index DIR [--file eval/news/dev.jsonl] [--weights DIR] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

TOP_PASSAGES = 5


def best_span(reader, question: str, texts: list[str], shared: bool = False):
    """(passage index, start, end, confidence) of the best span over ``texts``: per window, the highest
    margin over its own window's no-answer score (confidence: that margin); with ``shared``, the highest
    span score under the reader's one softmax over every window read (confidence: minus the no-answer mass)."""
    spans = reader.read(question, texts)
    if shared:
        best = max(spans, key=lambda s: s.score)
        return best.passage, best.start, best.end, -sum(s.probability(s.null_score) for s in spans)
    best = max(spans, key=lambda s: s.margin)
    return best.passage, best.start, best.end, best.margin


def sentence_of(text: str, start: int, end: int) -> str:
    from qa.core.text import sentence_spans

    for span in sentence_spans(text):
        if span.start <= start < span.end or (start <= span.start < end):
            return text[span.start:max(span.end, end)]
    return text[start:end]


def run(retriever, reader, items: list[dict], refuse: float = 0.80, shared: bool = False) -> dict:
    from qa.reader.spanmetrics import exact, f1

    records = []
    for item in items:
        if item.get("history"):  # a follow-up needs the chat: not the reader's job alone
            continue
        hits = retriever.search(item["question"], k=TOP_PASSAGES)
        texts = [retriever.chunk(h.chunk_id).indexed_text for h in hits]  # headline + paragraph, as the assistant reads
        passage, start, end, margin = best_span(reader, item["question"], texts, shared)
        sentence = sentence_of(texts[passage], start, end)
        answers = [a for a in (item.get("answer") or []) if a] + ([item["gold"]] if item.get("gold") else [])
        pieces = item.get("all") or []
        holds = bool(item.get("gold")) and (any(a in sentence for a in answers)
                                            or bool(pieces and all(p in sentence for p in pieces)))
        span = texts[passage][start:end]
        records.append(dict(id=item["id"], answerable=item.get("gold") is not None, margin=margin, holds=holds,
                            em=exact(span, item.get("answer") or [""]) if item.get("answer") else 0.0,
                            f1=f1(span, item.get("answer") or [""]) if item.get("answer") else 0.0))
    answerable = [r for r in records if r["answerable"]]
    near = sorted((r["margin"] for r in records if not r["answerable"]), reverse=True)
    # The lowest threshold that still refuses `refuse` of the near misses (a margin must exceed it).
    allowed = int(len(near) * (1 - refuse))
    threshold = near[allowed] if near and allowed < len(near) else float("-inf")
    n = max(1, len(answerable))
    return dict(
        questions=len(records), answerable=len(answerable), unanswerable=len(near),
        sentence_holds_answer=round(sum(r["holds"] for r in answerable) / n, 4),
        threshold=round(threshold, 3),
        near_misses_refused=round(sum(m <= threshold for m in near) / max(1, len(near)), 4),
        answered_right=round(sum(r["holds"] and r["margin"] > threshold for r in answerable) / n, 4),
        span_em=round(100 * sum(r["em"] for r in answerable) / n, 1),
        span_f1=round(100 * sum(r["f1"] for r in answerable) / n, 1),
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True, help="an index of the seed page and the news articles")
    parser.add_argument("--file", default=str(ROOT / "eval" / "news" / "dev.jsonl"))
    parser.add_argument("--weights", help="reader weights folder (default: the committed ones)")
    parser.add_argument("--refuse", type=float, default=0.80)
    parser.add_argument("--json", help="write the figures here too")
    args = parser.parse_args(argv)

    from qa import Retriever
    from qa.core.settings import get_settings
    from qa.reader import load_reader

    settings = get_settings()
    reader = load_reader(settings.model_cache, Path(args.weights) if args.weights else None, "onnx-fp32")
    items = [json.loads(line) for line in Path(args.file).read_text(encoding="utf-8").splitlines() if line.strip()]
    retriever = Retriever.load(args.index, settings=settings)
    result = dict(file=args.file, weights=reader.meta.get("sha256", "")[:12],
                  **run(retriever, reader, items, args.refuse))
    # The same read, the span chosen and refused by the shared softmax instead of per-window margins.
    result["shared_normalisation"] = run(retriever, reader, items, args.refuse, shared=True)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
