"""Each chunk's BM25 words, kept with the index so the next build tokenises only new text.

jieba is the slow half of a build that embeds little: adding 20 articles to a
42,000-paragraph archive spent 46 s of 63 s re-tokenising paragraphs that had not
changed. The words are stored as one vocabulary and one array of word numbers
(``np.savez``), a third of the size of the same words as JSON.
"""

from __future__ import annotations

import io
import zipfile

import numpy as np


def to_bytes(token_lists: list[list[str]], version: str) -> bytes:
    """``token_lists`` (one list per chunk, in chunk order) as an ``.npz`` file's bytes."""
    vocab: dict[str, int] = {}
    ids = [vocab.setdefault(token, len(vocab)) for tokens in token_lists for token in tokens]
    lengths = [len(tokens) for tokens in token_lists]
    words = "\n".join(vocab)  # jieba splits on whitespace, so no word holds a newline
    buffer = io.BytesIO()
    np.savez(buffer, version=np.frombuffer(version.encode("utf-8"), dtype=np.uint8),
             vocab=np.frombuffer(words.encode("utf-8"), dtype=np.uint8),
             ids=np.asarray(ids, dtype=np.int32), offsets=np.cumsum([0] + lengths, dtype=np.int64))
    return buffer.getvalue()


def load(path, version: str) -> list[list[str]] | None:
    """The token lists saved at ``path``, or None when the file is unreadable or from another tokenizer."""
    try:
        with np.load(path, allow_pickle=False) as data:
            if bytes(data["version"]).decode("utf-8") != version:
                return None
            words = bytes(data["vocab"]).decode("utf-8").split("\n") if data["vocab"].size else []
            ids, offsets = data["ids"], data["offsets"]
    except (OSError, KeyError, ValueError, UnicodeDecodeError, zipfile.BadZipFile, EOFError):
        return None
    if len(offsets) == 0 or offsets[-1] != len(ids) or (len(ids) and int(ids.max()) >= len(words)):
        return None
    all_words = [words[i] for i in ids.tolist()]
    bounds = offsets.tolist()
    return [all_words[a:b] for a, b in zip(bounds, bounds[1:])]
