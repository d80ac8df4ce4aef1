"""The model's 250k-piece tokenizer, opened in a third of the time: a compact copy for the scripts news is written in.

``tokenizers`` spends ~0.7 s building the Unigram model of multilingual-e5's
250,002 pieces, at every start of ``qa ask``, ``qa build`` and ``qa serve``. Fewer than
half of the pieces can occur in Chinese news: the rest are written in Cyrillic, Arabic,
Devanagari, Hangul, Thai... A Unigram segmentation only ever considers pieces that
are substrings of the text, so for a text whose characters (after the tokenizer's own
normalisation) all lie in :data:`COVERED`, a vocabulary of the pieces written in those
characters gives exactly the segmentation of the whole one, once each compact id is
mapped back to the model's id. The piece of the lowest score is kept too: the unknown
piece's penalty is computed from it.

The compact copy is derived once from ``tokenizer.json`` and kept beside it, named by
the digests of its source and of :data:`COVERED` (``tokenizer.compact-<sha12>-<sha8>.json``
and ``.ids.npy``, the JSON written last); a text with any other character is encoded by the whole
tokenizer, parsed only then. A folder that cannot be written to costs the
derivation at every start, nothing else.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.core.cachefile import keep_file
from qa.core.errors import ModelError
from qa.core.hashing import sha256_unless_unchanged

log = logging.getLogger(__name__)

# Unicode blocks of Chinese news copy: ASCII and Greek letters (not accented Latin: 27k pieces); symbols (°±·×),
# arrows, enclosed numbers, shapes and dingbats (☆, ①, ℃); CJK radicals, punctuation, kana, bopomofo,
# ideographs (with the extensions names use) and their compatibility, vertical, small and full-width
# forms; private-use glyphs of scraped pages; emoji. ▁ is the word-start marker.
_RANGES = ((0x20, 0x7E), (0xA0, 0xBF), (0xD7, 0xD7), (0xF7, 0xF7), (0x370, 0x3FF), (0x2000, 0x2BFF),
           (0x2E80, 0x2FDF), (0x3000, 0x312F), (0x31C0, 0x31EF), (0x3200, 0x4DBF), (0x4E00, 0x9FFF),
           (0xE000, 0xFAFF), (0xFE00, 0xFE6F), (0xFF00, 0xFFEF), (0x1F000, 0x1FAFF), (0x20000, 0x2FA1F))
_PINYIN = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê"  # tone marks in romanised names and annotations
COVERED = "".join("%s-%s" % (chr(a), chr(b)) for a, b in _RANGES) + _PINYIN + "\u2581"
_UNCOVERED = re.compile("[^%s]" % COVERED)
# In the copy's name with its source's digest: a copy cut for other characters is never read.
_COVERAGE = hashlib.sha256(COVERED.encode("utf-8")).hexdigest()[:8]
_SPECIALS = 4  # <s> <pad> </s> <unk>: ids 0-3 in both vocabularies


@dataclass(frozen=True)
class Encoded:
    """Token ids of a text in the model's vocabulary, with each token's character offsets."""

    ids: list[int]
    offsets: list[tuple[int, int]]


class SubwordTokenizer:
    """``encode`` / ``encode_batch`` like a ``tokenizers.Tokenizer``, through the compact copy when a
    text allows it, ids always in the whole vocabulary."""

    def __init__(self, path: Path, compact=None, full_ids: np.ndarray | None = None):
        # Every file of this content that was opened: the whole tokenizer is parsed from whichever
        # still exists when a text first needs it (a test's or an old export's folder may be gone).
        self.paths = [Path(path)]
        self._compact = compact
        self._full_ids = full_ids
        self._whole = None
        self._lock = threading.Lock()

    def _whole_tokenizer(self):
        with self._lock:
            if self._whole is None:
                from tokenizers import Tokenizer

                path = next((p for p in self.paths if p.is_file()), None)
                if path is None:
                    raise ModelError("the tokenizer %s is gone - run the setup script again" % self.paths[-1])
                log.debug("a text outside the compact tokenizer's characters: parsing %s", path)
                self._whole = Tokenizer.from_file(str(path))
            return self._whole

    def _fits(self, text: str) -> bool:
        return self._compact is not None and not _UNCOVERED.search(self._compact.normalizer.normalize_str(text))

    def _mapped(self, encoding) -> Encoded:
        return Encoded(self._full_ids[np.asarray(encoding.ids, dtype=np.int64)].tolist(), encoding.offsets)

    @staticmethod
    def _as_is(encoding) -> Encoded:
        return Encoded(encoding.ids, encoding.offsets)

    def encode(self, text: str, add_special_tokens: bool = True) -> Encoded:
        """The tokens of ``text`` (with <s>/</s> unless told otherwise)."""
        if self._fits(text):
            return self._mapped(self._compact.encode(text, add_special_tokens=add_special_tokens))
        return self._as_is(self._whole_tokenizer().encode(text, add_special_tokens=add_special_tokens))

    def encode_batch(self, texts: list[str]) -> list[Encoded]:
        """The tokens of each text, with <s>/</s>, in order (encoded in parallel by ``tokenizers``)."""
        fits = [self._fits(t) for t in texts]
        out: list[Encoded | None] = [None] * len(texts)
        compact = [i for i, f in enumerate(fits) if f]
        whole = [i for i, f in enumerate(fits) if not f]
        if compact:
            for i, encoding in zip(compact, self._compact.encode_batch([texts[i] for i in compact])):
                out[i] = self._mapped(encoding)
        if whole:
            for i, encoding in zip(whole, self._whole_tokenizer().encode_batch([texts[i] for i in whole])):
                out[i] = self._as_is(encoding)
        return out


_opened: dict[str, SubwordTokenizer] = {}
_opened_lock = threading.Lock()


def load_tokenizer(folder: Path) -> SubwordTokenizer:
    """The tokenizer of ``folder/tokenizer.json``: <s>/</s>, no truncation, no padding.

    Opened once per process for each distinct file content: the embedder's ONNX
    folder and the converted model hold the same tokenizer. Shared, so it is never
    reconfigured: callers cut their own lengths (``onnx_backend.encode_ids``, the
    reader's windows).
    """
    path = Path(folder) / "tokenizer.json"
    key = sha256_unless_unchanged(path)
    with _opened_lock:  # a second loader of the same content waits for the first
        if key not in _opened:
            _opened[key] = open_subwords(path)
        elif path not in _opened[key].paths:
            _opened[key].paths.append(path)
        return _opened[key]


def open_subwords(path: Path) -> SubwordTokenizer:
    """The tokenizer of ``path`` (a ``tokenizer.json``), its compact copy derived and kept on first use."""
    from tokenizers import Tokenizer

    path = Path(path)
    stem = "tokenizer.compact-%s-%s" % (sha256_unless_unchanged(path)[:12], _COVERAGE)
    vocab_file, ids_file = path.with_name(stem + ".json"), path.with_name(stem + ".ids.npy")
    if vocab_file.is_file():  # written last: the ids are there too
        try:
            full_ids = np.load(ids_file, allow_pickle=False)
            compact = Tokenizer.from_file(str(vocab_file))
            if compact.get_vocab_size() == len(full_ids) and full_ids.dtype.kind == "i":
                return SubwordTokenizer(path, compact, full_ids)
            log.warning("the compact tokenizer %s does not match its ids; deriving it again", vocab_file)
        except Exception as exc:  # OSError, ValueError, or tokenizers' own untyped errors
            log.warning("the compact tokenizer %s is unreadable (%s); deriving it again", vocab_file, exc)
    try:
        text, full_ids = _derive(path)
    except ValueError as exc:  # another kind of tokenizer: used whole
        log.debug("no compact copy of %s: %s", path, exc)
        return SubwordTokenizer(path)
    keep_file(ids_file, lambda handle: np.save(handle, full_ids, allow_pickle=False))
    keep_file(vocab_file, lambda handle: handle.write(text.encode("utf-8")))
    return SubwordTokenizer(path, Tokenizer.from_str(text), full_ids)


def _derive(path: Path) -> tuple[str, np.ndarray]:
    """(the compact tokenizer's JSON, the whole vocabulary's id of each compact id)."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    model = spec.get("model") if isinstance(spec, dict) else None
    if not isinstance(model, dict) or model.get("type") != "Unigram" or model.get("byte_fallback") \
            or not isinstance(model.get("vocab"), list):
        raise ValueError("%s is not a Unigram tokenizer without byte fallback" % path)
    vocab = model["vocab"]
    lowest = min(range(len(vocab)), key=lambda i: vocab[i][1])
    kept = [i for i, (piece, _score) in enumerate(vocab)
            if i < _SPECIALS or i == lowest or not _UNCOVERED.search(piece)]
    spec["model"] = dict(model, vocab=[vocab[i] for i in kept])
    return json.dumps(spec, ensure_ascii=False), np.asarray(kept, dtype=np.int32)
