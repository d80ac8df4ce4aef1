"""Issue 6.5 - hostile article text (library, Python API and CLI; the page is tested in tests/test_ui_*).

An article holding <script>, <img onerror>, a javascript: Markdown link, HTML
entities and terminal control sequences (in its headline, byline and body):

* the API keeps it verbatim, as data: chunk and source texts, Answer.to_dict()
  and its JSON round trip hold exactly what the file says (nothing escaped,
  nothing unescaped);
* the CLI shows it as text: `qa ask` / `qa search` output (plain and --json)
  carries no raw control character from the article - --json escapes them
  (\\u001b), the plain form replaces them - so article text cannot clear the
  screen, recolour it, retitle the window or reorder what is shown;
* `qa serve` binds to 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import json
import re
import sys
import types

import pytest
from helpers_robust import (  # noqa: F401 (real_embedder is a fixture)
    HOSTILE_ARTICLE,
    HOSTILE_ENTITIES,
    HOSTILE_IMG,
    HOSTILE_LINK,
    HOSTILE_SCRIPT,
    HOSTILE_TERMINAL,
    SEED_FILE,
    FakeEmbedder,
    real_embedder,
    run_qa,
)

from qa.answer.assistant import Assistant
from qa.cli import build_parser, format_answer, main
from qa.index.build import build_index
from qa.index.store import load_index
from qa.ingest.articles import parse_page
from qa.retrieve.retriever import Retriever

QUESTIONS = {
    "script": "星河测试中心的建筑面积是多少?",
    "entities": "星河测试中心的网页说明写着什么?",
    "terminal": "星河测试中心的终端说明写着什么?",
}
OUR_COLOURS = re.compile(r"\x1b\[1;3[36]m|\x1b\[0m")  # format_answer's own highlight and citation colours


def as_json(data):
    """``data`` as JSON gives it back (tuples become lists)."""
    return json.loads(json.dumps(data))


def terminal_safe(text: str) -> bool:
    """Nothing a terminal would act on: every character printable, or a line break."""
    return all(ch.isprintable() or ch == "\n" for ch in text)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, real_embedder):
    root = tmp_path_factory.mktemp("hostile")
    seeds = root / "seeds"
    seeds.mkdir()
    (seeds / "hostile.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    (seeds / "page.txt").write_text(SEED_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    report = build_index(seeds, root / "index", real_embedder)
    assert report.skipped == ()  # a few control characters do not make an article "binary"
    assistant = Assistant.load(retriever=Retriever.load(root / "index", embedder=real_embedder))
    answers = {name: assistant.ask(q) for name, q in QUESTIONS.items()}
    return root / "index", assistant, answers


def test_the_index_keeps_article_text_verbatim(hostile):
    index_dir, _, _ = hostile
    loaded = load_index(index_dir)
    expected = {p.text for a in parse_page(HOSTILE_ARTICLE, "hostile.txt").articles for p in a.paragraphs}
    stored = {c.text for c in loaded.chunks if c.source == "hostile.txt"}
    assert stored == expected
    text = "\n".join(stored)
    for piece in (HOSTILE_SCRIPT, HOSTILE_IMG, HOSTILE_LINK, HOSTILE_ENTITIES, HOSTILE_TERMINAL):
        assert piece in text, piece
    titles = {c.title for c in loaded.chunks if c.source == "hostile.txt"}
    assert titles == {"恶意标签\x1b[5m测试中心投用"}


def test_answers_keep_hostile_text_as_data(hostile):
    _, _, answers = hostile
    script = answers["script"]
    assert script.found and HOSTILE_SCRIPT in script.quote and "2.6万平方米" in script.quote
    data = script.to_dict()
    top = data["sources"][0]
    for piece in (HOSTILE_SCRIPT, HOSTILE_IMG, HOSTILE_LINK):
        assert piece in top["text"]
    assert top["title"] == "恶意标签\x1b[5m测试中心投用" and "\x1b[8m" in top["byline"]
    texts = [s["text"] for a in answers.values() for s in a.to_dict()["sources"]]
    assert any(HOSTILE_ENTITIES in t for t in texts)  # entities stay entities: not unescaped
    assert any(HOSTILE_TERMINAL in t for t in texts)  # control characters stay, as data
    for answer in answers.values():
        data = answer.to_dict()
        decoded = json.loads(json.dumps(data, ensure_ascii=False))
        assert decoded == as_json(data) and decoded["quote"] == answer.quote
        assert [s["text"] for s in decoded["sources"]] == [s.text for s in answer.sources]
        assert [s["title"] for s in decoded["sources"]] == [s.title for s in answer.sources]
        for source in data["sources"]:  # highlights index the verbatim text
            for a, b in source["highlights"]:
                assert 0 <= a < b <= len(source["text"])


def test_hits_keep_hostile_text_as_data(hostile):
    _, assistant, _ = hostile
    hits = assistant.retriever.search(QUESTIONS["terminal"], k=3)
    assert any(HOSTILE_TERMINAL in h.text for h in hits)


@pytest.mark.parametrize("name", list(QUESTIONS))
def test_format_answer_strips_terminal_control(hostile, name):
    _, _, answers = hostile
    plain = format_answer(answers[name])
    assert terminal_safe(plain), repr(plain)
    assert "恶意标签" in plain and "测试中心投用" in plain
    coloured = format_answer(answers[name], color=True)
    assert terminal_safe(OUR_COLOURS.sub("", coloured)), repr(coloured)
    if name == "script":  # markup is shown as the text it is
        assert HOSTILE_SCRIPT in plain and HOSTILE_IMG in plain and HOSTILE_LINK in plain
    if name == "entities":
        assert any(HOSTILE_ENTITIES in s.text for s in answers[name].sources)
        assert HOSTILE_ENTITIES in plain.replace("【", "").replace("】", "")  # 【】 mark the answering sentence


def test_qa_ask_and_search_output_is_terminal_safe(hostile, capsys):
    index_dir, _, answers = hostile
    chunks = load_index(index_dir).chunk_by_id
    for name, question in QUESTIONS.items():
        for extra in ([], ["--json"]):
            assert main(["ask", "--index", str(index_dir), *extra, question]) == 0
            out = capsys.readouterr().out
            assert terminal_safe(out), (name, extra, repr(out))
            if extra:  # JSON: the indexed text, verbatim once decoded
                data = json.loads(out)
                assert data["question"] == question
                for source in data["sources"]:
                    chunk = chunks[source["chunk_id"]]
                    assert (source["text"], source["title"], source["byline"]) == (chunk.text, chunk.title, chunk.byline)
                assert not data["quote"] or any(data["quote"] in s["text"] for s in data["sources"])
    assert main(["search", "--index", str(index_dir), "-k", "100", QUESTIONS["terminal"]]) == 0
    out = capsys.readouterr().out
    assert terminal_safe(out) and HOSTILE_SCRIPT in out and HOSTILE_ENTITIES in out, repr(out)
    assert main(["search", "--index", str(index_dir), "--json", "-k", "100", QUESTIONS["terminal"]]) == 0
    out = capsys.readouterr().out
    assert terminal_safe(out), repr(out)
    assert "\\u001b[2J" in out and "\\u009b" in out and "\\u202e" in out  # escaped, not dropped
    texts = [h["text"] for h in json.loads(out)]
    for piece in (HOSTILE_SCRIPT, HOSTILE_IMG, HOSTILE_LINK, HOSTILE_ENTITIES, HOSTILE_TERMINAL):
        assert any(piece in t for t in texts), piece


def test_the_real_qa_search_writes_no_control_bytes(hostile):
    index_dir, _, _ = hostile
    proc = run_qa("search", "--index", index_dir, "-k", "100", QUESTIONS["terminal"], timeout=240)  # every chunk
    assert proc.returncode == 0, proc.stderr
    for piece in (HOSTILE_SCRIPT, HOSTILE_IMG, HOSTILE_LINK, HOSTILE_ENTITIES, "终端说明写着 [2J [31m红色"):
        assert piece in proc.stdout, piece
    assert terminal_safe(proc.stdout), repr(proc.stdout)


def test_status_and_build_messages_are_terminal_safe(tmp_path, capsys, monkeypatch):
    """File names are article data too: a name with ESC in it is shown without it."""
    import qa.models.embedder

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "page.txt").write_text(SEED_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    build_index(seeds, tmp_path / "index", FakeEmbedder())
    (seeds / "new\x1b]0;owned\x07.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    (seeds / "junk\x1b[2J.bin").write_bytes(b"\x00" * 8)
    for argv in (["status", "--seeds", str(seeds), "--index", str(tmp_path / "index"), "--model", "fake-hash-32"],
                 ["status", "--json", "--seeds", str(seeds), "--index", str(tmp_path / "index")]):
        assert main(argv) == 1  # stale: a file was added
        out = capsys.readouterr().out
        assert "new" in out and terminal_safe(out), repr(out)
    monkeypatch.setattr(qa.models.embedder, "load_embedder", lambda *a, **k: FakeEmbedder())
    assert main(["build", "--seeds", str(seeds), "--out", str(tmp_path / "index"), "-q"]) == 0
    captured = capsys.readouterr()
    assert "skipped junk [2J.bin" in captured.err
    assert terminal_safe(captured.out + captured.err), repr(captured.err)


def test_qa_serve_binds_to_localhost_by_default(monkeypatch):
    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"
    calls = []
    fake = types.ModuleType("ui.server")
    fake.serve = lambda settings, **kwargs: calls.append(kwargs)
    monkeypatch.setitem(sys.modules, "ui.server", fake)
    assert main(["serve"]) == 0
    assert calls and calls[0]["host"] == "127.0.0.1"
    monkeypatch.delitem(sys.modules, "ui.server")
    try:
        import inspect

        from ui.server import serve
    except ImportError:  # the page is optional for the library
        return
    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"
