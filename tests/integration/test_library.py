"""Documents in and out of the seeds folder: answers from .pdf/.docx/.html, qa add/remove, refused uploads, feedback."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from conftest import SEED_FILE
from doc_fixtures import (
    DOCX_FACTS,
    HTML_FACTS,
    PDF_FACTS,
    make_docx,
    make_html,
    make_pdf,
)

from qa.core.errors import UploadError
from qa.ingest.library import add_documents, add_text, list_documents, remove_documents


@pytest.fixture(scope="module")
def doc_seeds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("doc-seeds")
    shutil.copy(SEED_FILE, folder / SEED_FILE.name)
    make_pdf(folder), make_docx(folder), make_html(folder)
    return folder


@pytest.fixture(scope="module")
def doc_assistant(doc_seeds, tmp_path_factory, embedder):
    from qa import Assistant, Retriever
    from qa.index.build import build_index

    index = tmp_path_factory.mktemp("doc-index")
    report = build_index(doc_seeds, index, embedder)
    assert not report.skipped, report.skipped
    return Assistant.load(retriever=Retriever.load(index, embedder=embedder))


@pytest.mark.parametrize("suffix, facts", [(".pdf", PDF_FACTS), (".docx", DOCX_FACTS), (".html", HTML_FACTS)])
def test_answers_come_from_each_format(doc_assistant, suffix, facts):
    for question, fact in facts.items():
        answer = doc_assistant.ask(question)
        first = answer.sources[0]
        assert first.source.endswith(suffix), (question, [s.source for s in answer.sources])
        assert fact in first.text or fact in answer.quote, (question, answer.text, first.text)


def snapshot(folder):
    return sorted((p.relative_to(folder).as_posix(), p.stat().st_size) for p in folder.rglob("*"))


def test_bad_uploads_are_refused_and_change_nothing(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED_FILE, seeds / SEED_FILE.name)
    before = snapshot(seeds)
    outside = tmp_path / "x.txt"

    big = tmp_path / "big.pdf"  # sparse: 200 MB on paper, nothing on disk, never read
    with open(big, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    reports = add_documents([("program.pdf", b"MZ\x90\x00" + b"\x00" * 4000), ("big.pdf", big),
                             ("../../x.txt", "标题\n\n正文。".encode()), ("/etc/passwd.txt", b"a"),
                             ("tool.exe", b"MZ")], seeds)
    reasons = {r.name: r.reason for r in reports}
    assert all(r.status == "skipped" for r in reports)
    assert "a program" in reasons["program.pdf"]
    assert "larger than the 20 MB limit" in reasons["big.pdf"]
    assert "folder path" in reasons["../../x.txt"] and "folder path" in reasons["/etc/passwd.txt"]
    assert "unsupported file type .exe" in reasons["tool.exe"]
    with pytest.raises(UploadError, match="500 files at once is too many - send at most 50"):
        add_documents([("a%d.txt" % i, ("题%d\n\n正文%d。" % (i, i)).encode()) for i in range(500)], seeds)
    assert snapshot(seeds) == before and not outside.exists()


def test_add_skips_duplicates_and_picks_free_names(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    body = "运河夜游线路开通\n\n本报讯 (记者 何川) 运河夜游线路昨晚开通，全程约5.5公里。\n".encode()
    first = add_documents([("夜游.txt", body), ("copy.txt", body)], seeds)
    assert [r.status for r in first] == ["added", "duplicate"]
    assert first[0].articles == 1 and first[0].headline == "运河夜游线路开通" and first[0].paragraphs == 1
    second = add_documents([("夜游.txt", body.replace(b"5.5", b"6.5"))], seeds)
    assert second[0].stored == "夜游-2.txt"
    pasted = add_text("市民 / 来信", "来信内容。", seeds)
    assert pasted.stored == "市民 _ 来信.txt"
    assert list_documents(seeds) == ["夜游-2.txt", "夜游.txt", "市民 _ 来信.txt"]
    assert [r.status for r in remove_documents(["夜游.txt", "../seeds/夜游-2.txt"], seeds)] == ["removed", "skipped"]
    assert list_documents(seeds) == ["夜游-2.txt", "市民 _ 来信.txt"]
    assert not [p for p in seeds.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_qa_add_and_remove_refresh_the_index(tmp_path, seed_index, capsys):
    from qa.cli import main

    seeds, index = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    shutil.copy(SEED_FILE, seeds / SEED_FILE.name)
    shutil.copytree(seed_index, index)
    docs = tmp_path / "incoming"
    docs.mkdir()
    make_html(docs), make_docx(docs)
    assert main(["add", str(docs), str(docs / "东湖湿地公园.html"), "--seeds", str(seeds), "--index", str(index), "-q"]) == 0
    out = capsys.readouterr().out
    assert "added 东湖湿地公园.html: 1 article(s)" in out and "added 光伏电站.docx" in out
    assert "2 added, 1 duplicate, 0 skipped" in out
    assert "(5 embedded," in out or "embedded, " in out  # only the new paragraphs are embedded
    reused = int(out.split(" reused)")[0].rsplit(", ", 1)[1].split(" ")[0])
    assert reused > 0
    assert main(["status", "--seeds", str(seeds), "--index", str(index)]) == 0
    assert main(["remove", "光伏电站.docx", "--seeds", str(seeds), "--index", str(index), "-q"]) == 0
    assert "removed 光伏电站.docx" in capsys.readouterr().out
    assert sorted(p.name for p in seeds.iterdir()) == sorted([SEED_FILE.name, "东湖湿地公园.html"])
    assert main(["remove", "nothing.txt", "--seeds", str(seeds), "--no-build"]) == 1
    assert "no such file" in capsys.readouterr().err


def test_feedback_log_escapes_and_exports_eval_items(tmp_path, assistant):
    from qa.evaluate.evaluation import load_eval_file
    from qa.evaluate.feedback import (
        add_comment,
        export_eval,
        log_path,
        rating_from_answer,
        read_ratings,
        record,
    )

    good = assistant.ask("滨湖文隽企业服务中心的建筑面积是多少?")
    refused = assistant.ask("武进区有多少常住人口?")
    up = record(tmp_path, rating_from_answer("up", good, comment='好\n"引号"\u2028<b>'))
    record(tmp_path, rating_from_answer("up", refused))
    down = record(tmp_path, rating_from_answer("down", good))
    add_comment(tmp_path, down.id, "引用的句子不对")
    lines = log_path(tmp_path).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and all(json.loads(line) for line in lines)  # \u2028 did not split a line
    ratings = {r.id: r for r in read_ratings(log_path(tmp_path))}
    assert ratings[up.id].comment == '好\n"引号"\u2028<b>' and ratings[down.id].comment == "引用的句子不对"
    out = tmp_path / "fb.jsonl"
    assert export_eval(tmp_path, out) == (2, 1)
    items = load_eval_file(out)
    assert items[0].gold and items[0].gold in good.sources[0].text and items[1].gold is None
    assert os.path.getsize(out) > 0
