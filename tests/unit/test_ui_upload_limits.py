"""The page's upload handler refuses bad uploads with a clear message and changes nothing (no model needed)."""

from __future__ import annotations

from types import SimpleNamespace

from ui import library_tab


class _Refresher:
    started = 0

    def start(self):
        self.started += 1
        return self.started


def test_bad_uploads_through_the_page_handler(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("标题\n\n正文。", encoding="utf-8")
    service, refresher = SimpleNamespace(seeds_dir=seeds), _Refresher()
    upload = tmp_path / "upload"
    upload.mkdir()
    exe = upload / "report.pdf"
    exe.write_bytes(b"MZ\x90\x00" + b"\x00" * 1000)
    big = upload / "big.txt"
    with open(big, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse
    many = []
    for i in range(500):
        many.append(upload / ("n%d.txt" % i))
        many[-1].write_text("题%d\n\n正文%d。" % (i, i), encoding="utf-8")
    weird = upload / "x"
    weird.mkdir()
    traversal = str(weird) + "/../../x.txt"  # a name that climbs out of the folder

    html, reports, ticket = library_tab.upload_files(service, refresher, [str(exe), str(big)])
    assert "程序文件" in html and "文件太大" in html and ticket == 0
    html = library_tab.upload_files(service, refresher, [str(p) for p in many])[0]
    # In the page's language only; the English reason is for the server log.
    assert "未做任何更改" in html and "文件太多" in html and "too many" not in html
    html = library_tab.paste_text(service, refresher, "../../x", "正文。")[0]
    assert "已添加" in html  # a title is not a path: stored as a plain name inside the folder
    assert sorted(p.name for p in seeds.iterdir()) == ["_.._x.txt", "a.txt"]
    assert "未做任何更改" in library_tab.upload_files(service, refresher, [traversal])[0]
    assert not (tmp_path / "x.txt").exists() and not (tmp_path.parent / "x.txt").exists()
    assert refresher.started == 1  # only the pasted text changed the folder


def test_a_reader_session_cannot_write(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("标题\n\n正文。", encoding="utf-8")
    service, refresher = SimpleNamespace(seeds_dir=seeds), _Refresher()
    upload = tmp_path / "b.txt"
    upload.write_text("题\n\n正文。", encoding="utf-8")
    for editor in (False, None, "true", 1):  # only the server's own True counts
        assert "需要编辑权限" in library_tab.upload_files(service, refresher, [str(upload)], editor)[0]
        assert "需要编辑权限" in library_tab.delete_files(service, refresher, ["a.txt"], editor)[0]
        assert "需要编辑权限" in library_tab.paste_text(service, refresher, "t", "正文。", editor)[0]
    assert sorted(p.name for p in seeds.iterdir()) == ["a.txt"] and refresher.started == 0


def test_delete_goes_to_the_trash_and_undo_restores_it(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("标题\n\n正文。", encoding="utf-8")
    service, refresher = SimpleNamespace(seeds_dir=seeds), _Refresher()
    html, reports, ticket, batch = library_tab.delete_files(service, refresher, ["a.txt", "missing.txt"])
    assert [r.status for r in reports] == ["removed", "skipped"] and ticket == 1 and batch
    assert "已移到回收站" in html and not (seeds / "a.txt").exists()
    from qa.ingest.library import empty_trash, list_documents

    assert list_documents(seeds) == []  # the hidden trash is not part of the library
    (seeds / "a.txt").write_text("新的同名文件\n\n正文。", encoding="utf-8")  # the name was taken again meanwhile
    html, reports, ticket = library_tab.restore_files(service, refresher, batch)
    assert [r.status for r in reports] == ["restored"] and ticket == 2 and "已从回收站恢复" in html
    assert list_documents(seeds) == ["a-2.txt", "a.txt"]
    assert (seeds / "a-2.txt").read_text(encoding="utf-8").startswith("标题")
    # A batch restores once; the message says why in Chinese.
    assert "回收站里已没有这批文件" in library_tab.restore_files(service, refresher, batch)[0]
    library_tab.delete_files(service, refresher, ["a.txt"])
    assert empty_trash(seeds) == 1 and not (seeds / ".trash").exists()
