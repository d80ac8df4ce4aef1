"""Reading comprehension in the open setting: a SQuAD-format file as a news archive.

Every passage of the file becomes one article (a seed file: title line, blank
line, the passage), the folder is indexed with ``qa build``'s own
``build_index``, and every question goes through ``Assistant.ask`` exactly as a
user's would. Reported: EM and F1 of ``Answer.short`` (CMRC 2018's mixed
segmentation, best over the gold answers; a refusal scores 0), how often
``Answer.text`` contains a gold answer, retrieval recall@1/@5 (a passage of the
question's own article ranked there), refusals and ask latency.

    .venv/bin/python benchmarks/mrc_open.py                       # CMRC 2018 trial, all 1,002 questions
    .venv/bin/python benchmarks/mrc_open.py --sample 200 --write  # a fixed sample; write RESULTS.md's section
    .venv/bin/python benchmarks/mrc_open.py --smoke               # seconds: 8 passages
    .venv/bin/python benchmarks/mrc_open.py --drcd-heldout        # the reader's held-out DRCD slice instead
    .venv/bin/python benchmarks/mrc_open.py --gold-passage        # the reader alone, given each question's passage
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from corpus import pct  # noqa: E402

DEFAULT_FILE = ROOT / "data" / "mrc" / "cmrc2018_trial.json"
SECTION = "## Reading comprehension, open setting (issue 12)"


@dataclass(frozen=True)
class OpenQuestion:
    qid: str
    question: str
    answers: tuple[str, ...]
    source: str  # the seed file of the question's passage


def write_seeds(path: Path, folder: Path, passages: int = 0) -> list[OpenQuestion]:
    """One seed file per passage of the SQuAD-format ``path``; the questions that go with them."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))["data"]
    folder.mkdir(parents=True, exist_ok=True)
    questions, number = [], 0
    for article in data:
        for paragraph in article["paragraphs"]:
            if passages and number >= passages:
                return questions
            name = "p%04d.txt" % number
            number += 1
            title = (article.get("title") or name).strip()
            text = "%s\n\n%s\n" % (title, paragraph["context"].strip())
            target = folder / name
            if not target.is_file() or target.read_text(encoding="utf-8") != text:
                target.write_text(text, encoding="utf-8")
            for qa in paragraph["qas"]:
                golds = tuple(dict.fromkeys(a["text"].strip() for a in qa.get("answers", []) if a["text"].strip()))
                if golds:
                    questions.append(OpenQuestion(qa["id"], qa["question"], golds, name))
    return questions


def sample(questions: list[OpenQuestion], n: int, seed: int = 12) -> list[OpenQuestion]:
    """A fixed random sample (the same for every run with the same ``seed``)."""
    if not n or n >= len(questions):
        return list(questions)
    return sorted(random.Random(seed).sample(questions, n), key=lambda q: q.qid)


SHORT_GOLD = 8  # characters: the split of "short" gold answers reported apart


def write_drcd_heldout(path: Path) -> Path:
    """The reader's own held-out DRCD slice (whole articles, the fixed split seed; simplified characters,
    titles included) as a SQuAD-format file at ``path``: a Wikipedia-style set no reader trained on."""
    from qa.core.text import to_simplified
    from qa.reader.training import DATA_DIR, HELDOUT_QUESTIONS, HELDOUT_SEED, load_squad

    articles = load_squad(DATA_DIR / "DRCD_dev.json", True) + load_squad(DATA_DIR / "DRCD_test.json", True)
    random.Random(HELDOUT_SEED).shuffle(articles)
    data, count = [], 0
    for title, examples in articles:
        if count >= HELDOUT_QUESTIONS:
            break
        count += len(examples)
        paragraphs: dict[str, list] = {}
        for ex in examples:
            paragraphs.setdefault(ex.context, []).append(
                {"id": ex.qid, "question": ex.question, "answers": [{"text": ex.answer, "answer_start": ex.answer_start}]})
        data.append({"title": to_simplified(title),
                     "paragraphs": [{"context": c, "qas": qas} for c, qas in paragraphs.items()]})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"data": data}, ensure_ascii=False), encoding="utf-8")
    return path


def read_gold_passages(path: Path, passages: int = 0) -> dict:
    """The reader alone, given each answerable question's own passage (no retrieval, no answer layer):
    EM / F1 of its best span, best over the gold answers (``passages``: only the first N)."""
    from qa.core.settings import get_settings
    from qa.reader import load_reader
    from qa.reader.spanmetrics import exact, f1

    reader = load_reader(get_settings().model_cache, None, "onnx-fp32")
    n = em = f = 0.0
    every = [p for article in json.loads(Path(path).read_text(encoding="utf-8"))["data"] for p in article["paragraphs"]]
    for paragraph in every[:passages] if passages else every:
        context = paragraph["context"]
        for qa in paragraph["qas"]:
            golds = [a["text"].strip() for a in qa.get("answers", []) if a["text"].strip()]
            if not golds:
                continue
            spans = reader.read(qa["question"], [context])
            predicted = context[spans[0].start:spans[0].end] if spans else ""
            n, em, f = n + 1, em + exact(predicted, golds), f + f1(predicted, golds)
    n = max(n, 1)
    return dict(file=Path(path).name, questions=int(n), em=round(100 * em / n, 1), f1=round(100 * f / n, 1),
                reader=reader.meta.get("sha256", "")[:12])


def ask_all(assistant, questions: list[OpenQuestion]) -> list[dict]:
    """One record per question: the short answer, its EM/F1 (0 when refused), containment, the gold passage's rank."""
    from qa.core.errors import QuestionError
    from qa.reader.spanmetrics import exact, f1

    records = []
    for q in questions:
        record = dict(qid=q.qid, question=q.question, answers=list(q.answers), found=False, short="", em=0.0,
                      f1=0.0, contains=False, rank=0, seconds=None)
        started = time.perf_counter()
        try:
            answer = assistant.ask(q.question, max_sources=5)
        except QuestionError:  # the file has questions that are empty once cleaned: a refusal
            records.append(record)
            continue
        record["seconds"] = time.perf_counter() - started
        hits = assistant.retriever.search(answer.standalone_question or q.question, k=5)
        ranks = [h.rank for h in hits if h.source == q.source]
        record.update(rank=ranks[0] if ranks else 0, found=answer.found, short=answer.short)
        if answer.found:
            record.update(em=exact(answer.short, q.answers), f1=f1(answer.short, q.answers),
                          contains=any(g in answer.text for g in q.answers))
        records.append(record)
    return records


def summarise(records: list[dict]) -> dict:
    """EM/F1 (percent), containment, recall@1/@5, refusals and latency over ``records``."""
    n = max(len(records), 1)
    seconds = [r["seconds"] for r in records if r["seconds"] is not None]
    return dict(questions=len(records), em=round(100 * sum(r["em"] for r in records) / n, 1),
                f1=round(100 * sum(r["f1"] for r in records) / n, 1),
                text_contains_gold=round(sum(r["contains"] for r in records) / n, 3),
                recall_at_1=round(sum(r["rank"] == 1 for r in records) / n, 3),
                recall_at_5=round(sum(r["rank"] >= 1 for r in records) / n, 3),
                refused=round(sum(not r["found"] for r in records) / n, 3),
                ask_p50_s=round(pct(seconds, 0.5), 3), ask_p95_s=round(pct(seconds, 0.95), 3))


def run(assistant, questions: list[OpenQuestion]) -> dict:
    """Ask every question; the summary, the same for questions whose shortest gold answer is short or long."""
    records = ask_all(assistant, questions)
    result = summarise(records)
    short = [r for r in records if min(len(a) for a in r["answers"]) <= SHORT_GOLD]
    result["gold_up_to_%d_chars" % SHORT_GOLD] = summarise(short)
    result["gold_longer"] = summarise([r for r in records if r not in short])
    result["records"] = records
    return result


def build(seeds: Path, index_dir: Path, embedder) -> None:
    from qa.index.build import build_index

    build_index(seeds, index_dir, embedder, show_progress=sys.stderr.isatty())


def markdown(result: dict, args) -> str:
    line = ("| %s | %d | %.1f | %.1f | %.3f | %.3f | %.3f | %.3f | %.2f s | %.2f s |")
    rows = [SECTION, "",
            "`%s` (%s, every passage indexed as an article; the reader `%s`)." % (
                " ".join(["benchmarks/mrc_open.py"] + args.argv), Path(args.file).name, result.get("reader", "")), "",
            "| questions | n | EM | F1 | text contains a gold answer | recall@1 | recall@5 | refused | ask p50 | ask p95 |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for label, key in (("all", None), ("shortest gold answer <= %d characters" % SHORT_GOLD,
                                        "gold_up_to_%d_chars" % SHORT_GOLD), ("longer gold answers", "gold_longer")):
        r = result[key] if key else result
        rows.append(line % (label, r["questions"], r["em"], r["f1"], r["text_contains_gold"], r["recall_at_1"],
                            r["recall_at_5"], r["refused"], r["ask_p50_s"], r["ask_p95_s"]))
    return "\n".join(rows + [""])


def write_section(text: str, path: Path = HERE / "RESULTS.md") -> None:
    """Replace (or append) this script's section of RESULTS.md, leaving the others alone."""
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    start = old.find(SECTION)
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        nxt = old.find("\n## ", start + len(SECTION))
        new = old[:start] + text + (old[nxt + 1:] if nxt >= 0 else "")
    path.write_text(new.rstrip("\n") + "\n", encoding="utf-8")


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--file", default=str(DEFAULT_FILE), help="SQuAD-format JSON (default: CMRC 2018 trial)")
    p.add_argument("--sample", type=int, default=0, help="a fixed random sample of this many questions")
    p.add_argument("--passages", type=int, default=0, help="only the first N passages (and their questions)")
    p.add_argument("--work", default=str(HERE / ".cache" / "mrc"), help="seeds and index folder")
    p.add_argument("--json", help="also write the result, with every question's answer, as JSON here")
    p.add_argument("--write", action="store_true", help="write the section in benchmarks/RESULTS.md")
    p.add_argument("--smoke", action="store_true", help="8 passages, for the test suite")
    p.add_argument("--drcd-heldout", action="store_true",
                   help="the reader's own held-out DRCD slice (301 questions) instead of --file")
    p.add_argument("--gold-passage", action="store_true",
                   help="the reader alone with each question's own passage: no index, no answer layer")
    args = p.parse_args(argv)
    args.argv = argv
    if args.smoke:
        args.passages = args.passages or 8
    from qa.core.settings import offline_defaults

    offline_defaults()
    if args.drcd_heldout:
        args.file = str(write_drcd_heldout(Path(args.work) / "drcd_heldout.json"))
    if args.gold_passage:
        print(json.dumps(read_gold_passages(Path(args.file), args.passages), ensure_ascii=False))
        return 0
    from qa.answer.assistant import Assistant
    from qa.core.settings import get_settings
    from qa.models.embedder import load_embedder
    from qa.retrieve.retriever import Retriever

    work = Path(args.work) / (Path(args.file).stem + ("-%d" % args.passages if args.passages else ""))
    questions = sample(write_seeds(Path(args.file), work / "seeds", args.passages), args.sample)
    embedder = load_embedder("default", get_settings().model_cache)
    build(work / "seeds", work / "index", embedder)
    assistant = Assistant.load(retriever=Retriever.load(work / "index", embedder=embedder))
    result = run(assistant, questions)
    result["reader"] = assistant.reader.meta.get("sha256", "")[:12]
    print(json.dumps({k: v for k, v in result.items() if k != "records"}, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.write:
        write_section(markdown(result, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
