"""The page's upload handler refuses bad uploads with a clear message and changes nothing (no model needed)."""

from __future__ import annotations

from types import SimpleNamespace

from ui import library_tab


class _Refresher:
    started = 0

    def start(self):
        self.started += 1


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

    html = library_tab.upload_files(service, refresher, [str(exe), str(big)])
    assert "程序文件" in html and "文件太大" in html
    html = library_tab.upload_files(service, refresher, [str(p) for p in many])
    assert "未做任何更改" in html and "500 files at once is too many" in html
    html = library_tab.paste_text(service, refresher, "../../x", "正文。")[0]
    assert "已添加" in html  # a title is not a path: stored as a plain name inside the folder
    assert sorted(p.name for p in seeds.iterdir()) == ["_.._x.txt", "a.txt"]
    assert "未做任何更改" in library_tab.upload_files(service, refresher, [traversal])
    assert not (tmp_path / "x.txt").exists() and not (tmp_path.parent / "x.txt").exists()
    assert refresher.started == 1  # only the pasted text changed the folder
