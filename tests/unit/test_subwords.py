"""The compact copy of the model's tokenizer gives the whole tokenizer's ids, or hands the text to it."""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

import pytest

from qa.core import cachefile
from qa.models import subwords
from qa.models.subwords import SubwordTokenizer, open_subwords

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def source():
    from qa.core.settings import get_settings
    from qa.models.convert import converted_model_dir

    return converted_model_dir(get_settings().model_cache) / "tokenizer.json"


@pytest.fixture(scope="module")
def whole(source):
    from tokenizers import Tokenizer

    return Tokenizer.from_file(str(source))


@pytest.fixture
def folder(tmp_path, source):
    shutil.copy(source, tmp_path / "tokenizer.json")
    return tmp_path


def _texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "seeds").iterdir()) + sorted((ROOT / "eval" / "forms_articles").iterdir()):
        texts += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    trial = json.loads((ROOT / "data" / "mrc" / "cmrc2018_trial.json").read_text(encoding="utf-8"))
    for article in trial["data"][:60]:
        for paragraph in article["paragraphs"]:
            texts.append(paragraph["context"])
            texts += [qa["question"] for qa in paragraph["qas"]]
    return texts + [
        "passage: Mixed 文本 with ASCII, 数字 65.26 and ｆｕｌｌ-width ﬁ ligatures ①②, ㎡ 30℃ ±10m",
        "query: 滨湖集团的CEO是谁?", "", "   ", "x" * 3000,
        # Scripts the compact copy leaves out (the whole tokenizer encodes these), and accented Latin.
        "Москва 莫斯科", "서울 首尔", "กรุงเทพ 曼谷", "مرحبا", "表情 😀👍", "हिन्दी", "Zoë Straße 拼音 pīnyīn",
    ]


def test_every_text_gets_the_whole_tokenizers_ids_and_offsets(folder, whole):
    tokenizer = open_subwords(folder / "tokenizer.json")
    texts = _texts()
    assert sum(tokenizer._fits(t) for t in texts) > 0.9 * len(texts)  # news copy is covered
    assert not tokenizer._fits("Москва") and not tokenizer._fits("서울") and tokenizer._fits("表情 😀 ☆ ①")
    for text in texts:
        for specials in (True, False):
            ours, theirs = tokenizer.encode(text, add_special_tokens=specials), whole.encode(text, add_special_tokens=specials)
            assert (ours.ids, ours.offsets) == (theirs.ids, theirs.offsets), text[:60]
    # A batch mixing covered and uncovered texts keeps its order.
    batch = texts[:40] + texts[-6:] + texts[40:80]
    assert [e.ids for e in tokenizer.encode_batch(batch)] == [e.ids for e in whole.encode_batch(batch)]


def test_the_compact_copy_is_kept_beside_its_source_and_read_back(folder, whole, monkeypatch):
    open_subwords(folder / "tokenizer.json")
    kept = sorted(p.name for p in folder.glob("tokenizer.compact-*"))
    assert len(kept) == 2 and kept[0].endswith(".ids.npy") and kept[1].endswith(".json")
    assert os.stat(folder / kept[1]).st_size < 0.6 * os.stat(folder / "tokenizer.json").st_size

    def no_derivation(path):
        raise AssertionError("derived again although the copy is kept")

    monkeypatch.setattr(subwords, "_derive", no_derivation)
    again = open_subwords(folder / "tokenizer.json")
    assert again._compact is not None and again.encode("武进区人社局").ids == whole.encode("武进区人社局").ids


def test_a_changed_source_gets_its_own_copy(folder):
    open_subwords(folder / "tokenizer.json")
    spec = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
    spec["model"]["vocab"][5][1] -= 1.0  # another tokenizer: another digest, another copy
    (folder / "tokenizer.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    open_subwords(folder / "tokenizer.json")
    assert len(list(folder.glob("tokenizer.compact-*.json"))) == 2


@pytest.mark.parametrize("damage", ["json", "ids"])
def test_a_damaged_copy_is_derived_again(folder, whole, damage, caplog):
    open_subwords(folder / "tokenizer.json")
    target = next(folder.glob("tokenizer.compact-*.json" if damage == "json" else "tokenizer.compact-*.ids.npy"))
    if damage == "json":
        target.write_text('{"model": ', encoding="utf-8")
    else:
        import numpy as np

        np.save(target, np.arange(10, dtype=np.int32))  # ids of another vocabulary size
    with caplog.at_level(logging.WARNING, logger="qa.models.subwords"):
        tokenizer = open_subwords(folder / "tokenizer.json")
    assert "deriving it again" in caplog.text
    assert tokenizer.encode("武进区人社局与阜宁县人社局").ids == whole.encode("武进区人社局与阜宁县人社局").ids
    assert open_subwords(folder / "tokenizer.json")._compact is not None  # and kept whole again


def test_a_folder_that_cannot_be_written_still_gets_the_compact_tokenizer(folder, whole, monkeypatch):
    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")  # a read-only cache (root may write anywhere)

    monkeypatch.setattr(cachefile.tempfile, "mkstemp", refused)
    tokenizer = open_subwords(folder / "tokenizer.json")
    assert tokenizer._compact is not None and not list(folder.glob("tokenizer.compact-*"))
    assert tokenizer.encode("石墨烯小镇").ids == whole.encode("石墨烯小镇").ids


def test_another_kind_of_tokenizer_is_used_whole(tmp_path):
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import Whitespace

    other = Tokenizer(WordLevel({"[UNK]": 0, "武进": 1, "区": 2}, unk_token="[UNK]"))
    other.pre_tokenizer = Whitespace()
    other.save(str(tmp_path / "tokenizer.json"))
    tokenizer = open_subwords(tmp_path / "tokenizer.json")
    assert isinstance(tokenizer, SubwordTokenizer) and tokenizer._compact is None
    assert tokenizer.encode("武进 区").ids == [1, 2]
    assert not list(tmp_path.glob("tokenizer.compact-*"))


def test_a_shared_tokenizer_outlives_the_folder_it_was_first_opened_from(tmp_path, source, whole):
    from qa.models.subwords import load_tokenizer

    content = json.loads(source.read_text(encoding="utf-8"))
    content["model"]["vocab"][7][1] -= 0.5  # content of its own: not shared with other tests' tokenizers
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        folder.mkdir()
        (folder / "tokenizer.json").write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    shared = load_tokenizer(first)
    assert load_tokenizer(second) is shared
    shutil.rmtree(first)  # say an export in an older format, pruned
    assert shared.encode("Москва 莫斯科").ids == whole.encode("Москва 莫斯科").ids


def test_a_tokenizer_whose_file_is_gone_says_how_to_fix_it(folder):
    from qa.core.errors import ModelError

    tokenizer = open_subwords(folder / "tokenizer.json")
    shutil.rmtree(folder)
    assert tokenizer.encode("石墨烯小镇").ids  # the compact copy is in memory
    with pytest.raises(ModelError, match="setup script"):
        tokenizer.encode("Москва")
