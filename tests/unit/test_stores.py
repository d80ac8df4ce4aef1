"""``--store`` spellings (issue 35): parsed once at the edge, recorded in the manifest, errors name the fix."""

from __future__ import annotations

import pytest

from qa.core.errors import StoreError
from qa.index.stores import DEFAULT_COLLECTION, LOCAL, MILVUS, StoreSpec, parse_store


def test_local_is_the_default_and_writes_nothing_new_in_the_manifest():
    assert parse_store(None) == parse_store("local") == StoreSpec()
    assert StoreSpec.from_manifest({}) == StoreSpec(LOCAL)


def test_a_milvus_lite_file_is_recorded_absolute(tmp_path):
    spec = parse_store("milvus:idx/passages.db", base=tmp_path)
    assert spec == StoreSpec(MILVUS, str(tmp_path / "idx" / "passages.db"), DEFAULT_COLLECTION)
    assert not spec.remote
    assert StoreSpec.from_manifest({"store": spec.to_dict()}) == spec


def test_a_milvus_server_is_reached_over_http_grpc():
    spec = parse_store("milvus://10.0.0.5:19530", collection="news_2026")
    assert spec.remote and spec.uri == "http://10.0.0.5:19530" and spec.collection == "news_2026"


@pytest.mark.parametrize("text, fix", [
    ("milvus://host", "milvus://HOST:PORT"),
    ("milvus:passages.sqlite", "milvus:PATH.db"),
    ("opensearch://x:9200", "milvus://HOST:PORT"),
])
def test_bad_spellings_name_the_right_one(text, fix):
    with pytest.raises(StoreError, match=fix.replace(".", r"\.")):
        parse_store(text)


def test_collection_names_are_checked_and_only_for_milvus():
    with pytest.raises(StoreError, match="letters, digits"):
        parse_store("milvus:/tmp/a.db", collection="1-bad")
    with pytest.raises(StoreError, match="Milvus store only"):
        parse_store("local", collection="x")
    with pytest.raises(StoreError, match="qa build --force"):
        StoreSpec.from_manifest({"store": {"kind": "elastic"}})
