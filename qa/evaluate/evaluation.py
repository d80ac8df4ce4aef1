"""Measure retrieval and answers on labelled questions; fit the answer/refuse decision.

File format (JSON Lines, one question per line)::

    {"id": "d10", "kind": "lexical", "question": "滨湖文隽企业服务中心的建筑面积是多少?",
     "gold": "建筑面积1.8万平方米", "answer": ["1.8万平方米"]}

``gold`` is a substring of the paragraph that answers the question (``null``
when the articles do not answer it); ``answer`` lists strings a correct answer
contains; ``kind`` is a free label used to break the metrics down.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from qa.answer import calibration, scoring
from qa.answer.assistant import Assistant
from qa.answer.decision import decide
from qa.answer.form_answers import asked_form
from qa.answer.forms import FACT, LIST
from qa.answer.list_answer import answered_as_fact
from qa.core.errors import EvalFileError
from qa.core.settings import get_settings
from qa.reader.spanmetrics import exact, f1
from qa.retrieve.fusion import FusionParams
from qa.retrieve.retriever import Retriever

RECALL_DEPTH = 10


@dataclass(frozen=True)
class EvalItem:
    id: str
    question: str
    gold: str | None
    answer: tuple[str, ...]
    kind: str = ""
    all_of: tuple[str, ...] = ()  # strings that must all appear in a correct answer
    history: tuple[str, ...] = ()  # earlier questions of the chat, oldest first
    article: str = ""  # the article the question was written about: cross-validation folds by it

    @property
    def answerable(self) -> bool:
        return self.gold is not None


@dataclass(frozen=True)
class ItemResult:
    item: EvalItem
    gold_rank: int  # 1-based rank of the first passage holding the gold text; 0 when not in the top 10
    answer_text: str
    found: bool
    correct: bool  # answerable: found and holds an answer string; unanswerable: refused
    confidence: float
    retrieved: tuple[str, ...]  # first characters of the top passages
    short: str = ""  # the answer itself, as the assistant gave it
    em: float = 0.0  # exact match of ``short`` against the expected answers (CMRC-style)
    f1: float = 0.0


@dataclass
class EvalReport:
    file: str
    results: list[ItemResult]
    metrics: dict = field(default_factory=dict)
    by_kind: dict = field(default_factory=dict)

    def failures(self) -> list[ItemResult]:
        return [r for r in self.results if not r.correct or (r.item.answerable and r.gold_rank != 1)]

    def to_dict(self) -> dict:
        return dict(
            file=self.file, metrics=self.metrics, by_kind=self.by_kind,
            failures=[dict(id=r.item.id, question=r.item.question, gold=r.item.gold, expected=list(r.item.answer),
                           gold_rank=r.gold_rank, answer=r.answer_text, found=r.found,
                           confidence=r.confidence, retrieved=list(r.retrieved)) for r in self.failures()],
        )


def load_eval_file(path: Path) -> list[EvalItem]:
    """Read a JSONL evaluation file; raise :class:`EvalFileError` naming the bad line."""
    path = Path(path)
    if not path.is_file():
        raise EvalFileError("evaluation file %s not found - give a JSONL file like eval/dev.jsonl" % path)
    items: list[EvalItem] = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            answers = row.get("answer") or []
            if isinstance(answers, str):
                answers = [answers]
            item = EvalItem(id=str(row.get("id", number)), question=row["question"], gold=row.get("gold"),
                            answer=tuple(str(a) for a in answers), kind=str(row.get("kind", "")),
                            all_of=tuple(str(a) for a in row.get("all") or ()),
                            history=tuple(str(h) for h in row.get("history") or ()),
                            article=str(row.get("article") or ""))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise EvalFileError("%s line %d is not a valid item (%s) - each line needs at least "
                                "\"question\" and \"gold\" (null if unanswerable)" % (path, number, exc)) from None
        if item.gold is not None and not isinstance(item.gold, str):
            raise EvalFileError("%s line %d: \"gold\" must be a string or null" % (path, number))
        items.append(item)
    if not items:
        raise EvalFileError("evaluation file %s holds no questions" % path)
    return items


def _gold_rank(gold: str, texts: list[str]) -> int:
    squeeze = lambda t: "".join(t.split())  # noqa: E731 - gold strings may differ in spacing
    for rank, text in enumerate(texts, 1):
        if gold in text or squeeze(gold) in squeeze(text):
            return rank
    return 0


def evaluate(assistant, items: list[EvalItem], file: str = "") -> EvalReport:
    """Run every item through retrieval and the assistant; compute the metrics."""
    results = []
    for item in items:
        answer = assistant.ask(item.question, history=_history(assistant, item.history))
        hits = assistant.retriever.search(answer.standalone_question or item.question, k=RECALL_DEPTH)
        correct = answer.found and holds_answer(item, answer.text) if item.answerable else not answer.found
        golds = item.answer or item.all_of
        results.append(ItemResult(
            item=item, gold_rank=_gold_rank(item.gold, [h.text for h in hits]) if item.answerable else 0,
            answer_text=answer.text, found=answer.found, correct=correct, confidence=answer.confidence,
            retrieved=tuple(h.text[:40] for h in hits[:3]), short=answer.short,
            em=exact(answer.short, golds) if golds else 0.0, f1=f1(answer.short, golds) if golds else 0.0,
        ))
    report = EvalReport(file=file, results=results)
    report.metrics = _metrics(results)
    kinds = sorted({r.item.kind for r in results})
    report.by_kind = {k: _metrics([r for r in results if r.item.kind == k]) for k in kinds}
    return report


def holds_answer(item: EvalItem, text: str) -> bool:
    """Whether ``text`` holds one of the item's answers and all of its ``all`` strings."""
    return (not item.answer or any(a in text for a in item.answer)) and all(a in text for a in item.all_of)


def _history(assistant, questions) -> list:
    """A chat's earlier turns, answered in order, as the assistant's history."""
    turns: list = []
    for question in questions:
        turns.append(assistant.ask(question, history=list(turns)))
    return turns


def _metrics(results: list[ItemResult]) -> dict:
    answerable = [r for r in results if r.item.answerable]
    unanswerable = [r for r in results if not r.item.answerable]
    out: dict = dict(questions=len(results), answerable=len(answerable), unanswerable=len(unanswerable))
    if answerable:
        n = len(answerable)
        out.update(
            recall_at_1=round(sum(r.gold_rank == 1 for r in answerable) / n, 4),
            recall_at_5=round(sum(1 <= r.gold_rank <= 5 for r in answerable) / n, 4),
            mrr=round(sum(1 / r.gold_rank for r in answerable if r.gold_rank) / n, 4),
            answer_accuracy=round(sum(r.correct for r in answerable) / n, 4),
            median_answer_chars=statistics.median(len(r.answer_text) for r in answerable),
            short_em=round(100 * sum(r.em for r in answerable) / n, 1),
            short_f1=round(100 * sum(r.f1 for r in answerable) / n, 1),
        )
    refused = [r for r in results if not r.found]
    true_refusals = sum(1 for r in refused if not r.item.answerable)
    precision = true_refusals / len(refused) if refused else 1.0
    recall = true_refusals / len(unanswerable) if unanswerable else 1.0
    out.update(
        refusal_precision=round(precision, 4), refusal_recall=round(recall, 4),
        refusal_f1=round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
    )
    return out


def evaluate_file(path: Path, settings=None, assistant=None) -> EvalReport:
    """Evaluate ``assistant`` (default: the one over the index of ``settings``) on the JSONL file ``path``."""
    items = load_eval_file(path)
    if assistant is None:
        assistant = Assistant.load(settings=settings)
    return evaluate(assistant, items, str(path))


def format_report(report: EvalReport) -> str:
    """The report as a plain-text table for the terminal."""
    names = ["recall_at_1", "recall_at_5", "mrr", "answer_accuracy", "short_em", "short_f1", "median_answer_chars",
             "refusal_precision", "refusal_recall", "refusal_f1"]
    lines = ["%s: %d questions (%d answerable, %d unanswerable)" % (
        report.file, report.metrics["questions"], report.metrics["answerable"], report.metrics["unanswerable"])]
    labels = ["R@1", "R@5", "MRR", "accuracy", "EM", "F1", "med.len", "ref.P", "ref.R", "ref.F1"]
    header = "%-16s" % "kind" + "".join("%10s" % label for label in labels)
    lines += ["", header]
    for label, metrics in [("all", report.metrics)] + sorted(report.by_kind.items()):
        row = "%-16s" % (label or "-")[:16]
        for n in names:
            v = metrics.get(n)
            plain = n in ("median_answer_chars", "short_em", "short_f1")
            row += "%10s" % ("-" if v is None else ("%.3f" % v if isinstance(v, float) and not plain else v))
        lines.append(row)
    failures = report.failures()
    lines += ["", "failing questions: %d" % len(failures)]
    for r in failures:
        lines.append("- [%s] %s" % (r.item.id, r.item.question))
        if r.item.answerable:
            lines.append("    gold: %s  (rank %s)  expected: %s" % (r.item.gold, r.gold_rank or ">10",
                                                                   " / ".join(r.item.answer)))
        else:
            lines.append("    expected: a refusal")
        lines.append("    answered (%s, confidence %.2f): %s" % ("found" if r.found else "refused", r.confidence,
                                                                r.answer_text[:100]))
        for t in r.retrieved:
            lines.append("    retrieved: %s…" % t)
    return "\n".join(lines)


def ablation_table(path: Path, settings=None, checks: bool = True) -> str:
    """Retrieval variants (BM25 only, dense only, RRF, score fusion), then the assistant without each
    named check of :data:`qa.answer.checks.CHECKS`, side by side on the questions of ``path``.

    Each row gives the answers of the shipped decision; a check's row also gives the change it makes
    and, when the questions name their articles, the decision refitted without the check and
    cross-validated by article (:func:`cross_validate`), since a check's worth is what it adds to the
    decision fitted over its absence.
    """
    from qa.answer.checks import CHECKS
    from qa.reader.loading import load_reader

    items = load_eval_file(path)
    s = settings or get_settings()
    base = Retriever.load(settings=s)
    reader = _ReadOnce(load_reader(s.model_cache, None, s.reader_backend))
    variants = [
        ("BM25 only", FusionParams(dense_weight=0.0), ()),
        ("dense only", FusionParams(dense_weight=1.0), ()),
        ("hybrid, RRF (k=60)", FusionParams(method="rrf", dense_weight=1.0, lexical_weight=1.0), ()),
        ("hybrid, score fusion (default)", FusionParams(), ()),
    ]
    if checks:
        variants += [("without %s" % name, FusionParams(), (name,)) for name in CHECKS]
    grouped = len({item.article for item in items if item.article}) >= 2
    rows = ["| variant | recall@1 | recall@5 | MRR | answer accuracy | near misses refused | refusal F1 "
            "| Δ accuracy | Δ refused | CV accuracy | CV refused |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    default = None
    for name, fusion, off in variants:
        assistant = Assistant(base.with_fusion(fusion), reader, disabled=frozenset(off))
        m = evaluate(assistant, items, str(path)).metrics
        refused = round(m["refusal_recall"] * m["unanswerable"]) if m["unanswerable"] else 0
        cv = cross_validate(label_drafts(assistant, items)).get("logistic", {}) if grouped and (
            off or name.endswith("(default)")) else {}
        if not off and name.endswith("(default)"):
            default = (m.get("answer_accuracy", 0.0), refused)
        delta = ("%+.3f | %+d" % (m.get("answer_accuracy", 0.0) - default[0], refused - default[1])
                 if off and default else " | ")
        rows.append("| %s | %.3f | %.3f | %.3f | %.3f | %d/%d | %.3f | %s | %s | %s |" % (
            name, m.get("recall_at_1", 0), m.get("recall_at_5", 0), m.get("mrr", 0), m.get("answer_accuracy", 0),
            refused, m["unanswerable"], m["refusal_f1"], delta,
            "%.3f" % cv["answer_accuracy"] if cv else "", "%.3f" % cv["near_misses_refused_share"] if cv else ""))
    return "\n".join(rows)


class _ReadOnce:
    """The reader with its readings kept: the ablation's variants read the same passages for the same
    questions, so each reading is computed once."""

    def __init__(self, reader):
        self._reader = reader
        self._readings: dict = {}

    def read(self, question, passages, top=5):
        key = (question, tuple(passages), top)
        if key not in self._readings:
            self._readings[key] = self._reader.read(question, passages, top=top)
        return self._readings[key]

    def __getattr__(self, name):
        return getattr(self._reader, name)


@dataclass(frozen=True)
class DraftLabel:
    """One question's draft as the decision sees it: its features and whether showing it is right."""

    features: dict
    answerable: bool
    correct: bool  # answerable, and the draft holds an expected answer
    group: str  # the article asked about (questions without one share the group "")


def label_drafts(assistant, items: list[EvalItem]) -> list[DraftLabel]:
    """Each fact question's best draft and whether showing it would be right. A question answered in
    another form (a list, summary, several parts, overview) is decided by that form's own verdict,
    not by the drafts' decision: its draft would teach the decision nothing it applies to. A list
    question that no enumeration answers is answered, and decided, as a fact, and is kept."""
    out = []
    for item in items:
        history = _history(assistant, item.history)
        form, asked = asked_form(assistant, item.question, history)
        if form not in (FACT, LIST):
            continue
        draft = assistant.draft(item.question if form == FACT else asked, history)
        if form == LIST and not answered_as_fact(assistant, draft):
            continue
        shown = decide(draft.confidence, threshold=0.0, candidate=draft.best is not None)  # every draft shown
        # A flagged best span is refused whatever the decision says (qa.answer.decision.FLAGS): never right.
        ok = (item.answerable and draft.best is not None and not draft.best.flagged
              and holds_answer(item, assistant.compose(draft, decision=shown).text))
        out.append(DraftLabel(draft.features, item.answerable, ok, item.article))
    return out


def _decision_outcome(labels: list[DraftLabel], scores, threshold: float) -> dict:
    shown = [sc >= threshold for sc in scores]
    answerable = [x for x, sh in zip(labels, shown) if x.answerable]
    right = sum(sh and x.correct for x, sh in zip(labels, shown) if x.answerable)
    refused = sum((not sh) for x, sh in zip(labels, shown) if not x.answerable)
    unanswerable = len(labels) - len(answerable)
    return dict(answered_right=right, answerable=len(answerable), near_misses_refused=refused, unanswerable=unanswerable)


def _near_miss_weights(labels: list[DraftLabel], near_miss_weight: float) -> list[float]:
    """Each question's weight in the fit: an unanswerable one counts ``near_miss_weight`` times."""
    return [1.0 if x.answerable else float(near_miss_weight) for x in labels]


def _scorer(name: str, labels: list[DraftLabel], x: np.ndarray, y: np.ndarray, train, near_miss_weight: float = 1.0):
    """A decision model of kind ``name`` fitted on rows ``train``: a function of row indices to confidences."""
    if name == "logistic":
        fitted = [labels[i] for i in train]
        weights, bias = calibration.fit([r.features for r in fitted], y[train].tolist(),
                                        sample_weight=_near_miss_weights(fitted, near_miss_weight))
        model = calibration.Calibration(weights, bias, 0.5)
        return lambda rows: [model.confidence(labels[i].features) for i in rows]
    from sklearn.ensemble import HistGradientBoostingClassifier

    trees = HistGradientBoostingClassifier(max_depth=3, max_iter=100, learning_rate=0.1, random_state=0)
    trees.fit(x[train], y[train])
    return lambda rows: trees.predict_proba(x[rows])[:, 1].tolist()


def _matrix(labels: list[DraftLabel]) -> tuple[np.ndarray, np.ndarray]:
    """The drafts' features (columns in :data:`calibration.FEATURES` order) and whether each is right."""
    return (np.array([[float(r.features.get(k, 0.0)) for k in calibration.FEATURES] for r in labels]),
            np.array([int(r.correct) for r in labels]))


def unseen_scores(name: str, labels: list[DraftLabel], x: np.ndarray, y: np.ndarray, rows,
                  near_miss_weight: float = 1.0, folds: int = 5) -> list[float]:
    """Each of ``rows``' confidence from a model of kind ``name`` fitted on the other articles among ``rows``
    (folds of whole articles): the scores a threshold is chosen on. A model is surer of the questions it
    was fitted on than of a new article's, so a threshold chosen on its own fit's scores keeps fewer right
    answers on new articles than it was chosen to keep (docs/answers.md has the figures)."""
    from sklearn.model_selection import GroupKFold

    rows = np.asarray(rows)
    groups = [labels[i].group for i in rows]
    folds = min(folds, len(set(groups)))
    if folds < 2:  # one article: no other article to fit on
        return list(_scorer(name, labels, x, y, rows, near_miss_weight)(rows))
    out = np.zeros(len(rows))
    for fit_on, apply_to in GroupKFold(n_splits=folds).split(rows, groups=groups):
        if name == "trees" and len(set(y[rows[fit_on]])) < 2:
            out[apply_to] = float(y[rows[fit_on]][0])
            continue
        out[apply_to] = _scorer(name, labels, x, y, rows[fit_on], near_miss_weight)(rows[apply_to])
    return out.tolist()


def cross_validate(labels: list[DraftLabel], folds: int = 5, keep: float | None = None,
                   near_miss_weight: float = 1.0, repeats: int = 1, models=("logistic", "trees")) -> dict:
    """The decision fitted on all folds but one and applied to the one left out, fold by fold, the folds
    made of whole articles: answer accuracy and refusals of questions whose article the fit never saw.
    The logistic model (what :func:`tune` saves) beside gradient-boosted trees, measured the same way.

    ``repeats`` > 1 deals the articles into folds that many times (the first as GroupKFold deals them,
    the others shuffled with seeds 1, 2, …): with a few dozen articles one dealing decides a choice by a
    question or two. The counts are averaged over the repeats."""
    from sklearn.model_selection import GroupKFold

    keep = calibration.KEEP_RIGHT_ANSWERS if keep is None else keep
    groups = [x.group for x in labels]
    folds = min(folds, len(set(groups)))
    if folds < 2:
        return {}
    x, y = _matrix(labels)
    totals: dict[str, dict] = {}
    for repeat in range(repeats):
        dealer = GroupKFold(n_splits=folds) if repeat == 0 else GroupKFold(n_splits=folds, shuffle=True,
                                                                           random_state=repeat)
        for train, test in dealer.split(x, y, groups):
            for name in models:
                if name == "trees" and len(set(y[train])) < 2:
                    continue  # nothing for the trees to separate in this fold
                score = _scorer(name, labels, x, y, train, near_miss_weight)
                fitted = [labels[i] for i in train]
                threshold, _ = calibration.choose_threshold(
                    unseen_scores(name, labels, x, y, train, near_miss_weight, folds),
                    [r.answerable for r in fitted], [r.correct for r in fitted], keep=keep)
                outcome = _decision_outcome([labels[i] for i in test], score(test), threshold)
                total = totals.setdefault(name, dict.fromkeys(outcome, 0))
                for k, v in outcome.items():
                    total[k] += v
    averaged = {name: {k: (v if repeats == 1 else round(v / repeats, 1)) for k, v in t.items()}
                for name, t in totals.items()}
    return {name: dict(folds=folds, repeats=repeats, **averaged[name],
                       answer_accuracy=round(t["answered_right"] / max(1, t["answerable"]), 4),
                       near_misses_refused_share=round(t["near_misses_refused"] / max(1, t["unanswerable"]), 4))
            for name, t in totals.items()}


@dataclass(frozen=True)
class CandidateLabels:
    """One answerable question's candidate spans as the scorer sees them: features, whether each
    one's quote holds an expected answer, and whether its short answer is one, exactly."""

    features: tuple[dict, ...]
    right: tuple[bool, ...]
    group: str
    exact: tuple[bool, ...] = ()


def label_candidates(assistant, items: list[EvalItem]) -> list[CandidateLabels]:
    """Every candidate span of each answerable question, labelled. A question that names no answer
    strings counts a candidate right when its quote holds the question's gold piece or its short
    answer is part of it."""
    from tqdm.auto import tqdm

    out = []
    for item in tqdm(items, desc="reading candidates", unit="question", disable=None, leave=False):
        if not item.answerable:
            continue
        _, candidates = assistant.reader_candidates(item.question, _history(assistant, item.history))
        right, exactly = [], []
        for c in candidates:
            quote, short = c.window.of(c.chunk.text), c.answer.of(c.chunk.text)
            if item.answer or item.all_of:
                right.append(holds_answer(item, quote))
            else:
                right.append(bool(item.gold) and (item.gold in quote or (len(short) >= 2 and short in item.gold)))
            exactly.append(bool(item.answer) and exact(short, item.answer) == 1.0)
        out.append(CandidateLabels(tuple(c.features for c in candidates), tuple(right), item.article, tuple(exactly)))
    return out


def _chosen_right(labels: list[CandidateLabels], scorer, exactly: bool = False) -> int:
    """How many questions' best-scored candidate (the first of equals) is right (``exactly``: its short
    answer is an expected answer, exactly)."""
    total = 0
    for x in labels:
        if x.features:
            scores = [scorer.score(f) for f in x.features]
            marks = x.exact if exactly else x.right
            total += bool(marks) and marks[scores.index(max(scores))]
    return total


def cross_validate_scorer(labels: list[CandidateLabels], folds: int = 5) -> dict:
    """The scorer fitted on all folds of articles but one and applied to the one left out, against
    the hand-set weights on the same questions: how many questions' chosen span is right."""
    from sklearn.model_selection import GroupKFold

    groups = [x.group for x in labels]
    folds = min(folds, len(set(groups)))
    fitted_right = hand_right = fitted_exact = hand_exact = 0
    if folds >= 2:
        for train, test in GroupKFold(n_splits=folds).split(labels, groups=groups):
            fitted = scoring.SpanScorer(scoring.fit([(labels[i].features, labels[i].right) for i in train]))
            unseen = [labels[i] for i in test]
            fitted_right += _chosen_right(unseen, fitted)
            hand_right += _chosen_right(unseen, scoring.HAND_SCORER)
            fitted_exact += _chosen_right(unseen, fitted, exactly=True)
            hand_exact += _chosen_right(unseen, scoring.HAND_SCORER, exactly=True)
    n = len(labels)
    return dict(folds=folds, questions=n, any_candidate_right=sum(any(x.right) for x in labels),
                fitted_chosen_right=fitted_right, hand_chosen_right=hand_right,
                fitted_chosen_exact=fitted_exact, hand_chosen_exact=hand_exact,
                fitted_share=round(fitted_right / max(1, n), 4), hand_share=round(hand_right / max(1, n), 4))


def tune_scorer(paths, settings=None, write: bool = True, assistant=None, folds: int = 5) -> dict:
    """Fit the candidate spans' scorer (:mod:`qa.answer.scoring`) on labelled questions.

    The fitted weights are written only when, cross-validated by article, they choose a span whose quote
    holds an answer for more questions than the hand-set weights, and one whose short answer is an
    expected answer exactly for no fewer; otherwise the hand-set weights are written with the
    figures that kept them. The answer/refuse decision depends on the span chosen: refit it after
    (``qa tune``).
    """
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    items = [item for path in paths for item in load_eval_file(path)]
    assistant = assistant or Assistant.load(settings=settings, scorer=scoring.HAND_SCORER)
    labels = label_candidates(assistant, items)
    report = cross_validate_scorer(labels, folds)
    weights = scoring.fit([(x.features, x.right) for x in labels])
    report.update(all_fitted_chosen_right=_chosen_right(labels, scoring.SpanScorer(weights)),
                  all_hand_chosen_right=_chosen_right(labels, scoring.HAND_SCORER), fitted_weights=weights)
    # The quote must hold the answer more often, and the short answer must not get worse for it (a fit that
    # prefers long spans quotes right and answers 近200万元,帮助销售农产品超1000万元 for 超1000万元).
    keep = (report["fitted_chosen_right"] > report["hand_chosen_right"]
            and report["fitted_chosen_exact"] >= report["hand_chosen_exact"])
    result = scoring.SpanScorer(weights if keep else dict(scoring.HAND_WEIGHTS),
                                " + ".join(Path(p).name for p in paths) if keep else "", report)
    if write:
        result.save()
    return asdict(result)


# The share of right drafts the threshold must keep showing, and how many times an unanswerable question
# counts in the fit (a wrong answer shown as fact costs more than a refusal), chosen among these by
# cross-validation.
KEEP_CHOICES = (0.80, 0.85, 0.90, 0.95)
# One dealing of ~20 articles into five folds decides among these choices by a question or two (their
# sums of shares lay within 0.04 of each other); five dealings average that out.
CHOICE_REPEATS = 5
# The product refuses at least 85% of the questions its articles nearly answer (the news issue's bar); the
# choice must clear it cross-validated with a margin, then answers as many as it can.
MIN_NEAR_MISSES_REFUSED = 0.88
NEAR_MISS_WEIGHTS = (1.0, 2.0, 4.0)


def choose_keep(labels: list[DraftLabel], folds: int = 5) -> tuple[tuple[float, float], dict]:
    """The (``keep``, near-miss weight) whose cross-validated decision (over :data:`CHOICE_REPEATS` dealings
    of the articles into folds) answers most questions right while refusing at least
    :data:`MIN_NEAR_MISSES_REFUSED` of the near misses; when no choice refuses that many, the one that
    answers right and refuses best together (the sum of the two shares). Also the figures of every choice."""
    table = {(keep, weight): cross_validate(labels, folds, keep, weight, repeats=CHOICE_REPEATS,
                                            models=("logistic",)).get("logistic", {})
             for keep in KEEP_CHOICES for weight in NEAR_MISS_WEIGHTS}

    def shares(k):
        return table[k].get("answer_accuracy", 0), table[k].get("near_misses_refused_share", 0)

    safe = [k for k in table if shares(k)[1] >= MIN_NEAR_MISSES_REFUSED]
    if safe:  # ties: refusing more, then the higher keep, then the lighter weight
        best = max(safe, key=lambda k: (*shares(k), k[0], -k[1]))
    else:
        best = max(table, key=lambda k: (sum(shares(k)), k[0], -k[1]))
    return best, {"keep %.2f, near misses x%g" % k: v for k, v in table.items()}


def tune(paths, settings=None, write: bool = True, assistant=None, keep: float | None = None,
         folds: int = 5) -> dict:
    """Fit the answer/refuse model on labelled questions and choose its threshold.

    The target is "showing the drafted answer is right": 1 for an answerable question whose
    draft holds an expected answer, 0 otherwise. Unless ``keep`` is given, the share of right
    drafts the threshold keeps, and how much an unanswerable question counts in the fit, are chosen
    by cross-validation folded by article (:func:`choose_keep`); the report carries the
    cross-validated figures.
    """
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    items = [item for path in paths for item in load_eval_file(path)]
    assistant = assistant or Assistant.load(settings=settings)
    labels = label_drafts(assistant, items)
    rows = [x.features for x in labels]
    answerable = [x.answerable for x in labels]
    correct = [x.correct for x in labels]
    choices, near_miss_weight = {}, 1.0
    if keep is None:
        (keep, near_miss_weight), choices = choose_keep(labels, folds)
    weights, bias = calibration.fit(rows, [int(c) for c in correct],
                                    sample_weight=_near_miss_weights(labels, near_miss_weight))
    fitted = calibration.Calibration(weights=weights, bias=bias, threshold=0.5)
    scores = unseen_scores("logistic", labels, *_matrix(labels), range(len(labels)), near_miss_weight, folds)
    threshold, report = calibration.choose_threshold(scores, answerable, correct, keep=keep)
    report.update(questions=len(items), answerable=sum(answerable), drafts_correct=sum(correct),
                  near_miss_weight=near_miss_weight,
                  cross_validated_by_article=cross_validate(labels, folds, keep, near_miss_weight),
                  keep_choices=choices)
    result = replace(fitted, threshold=threshold, fitted_on=" + ".join(Path(p).name for p in paths), report=report)
    if write:
        result.save()
    return asdict(result)
