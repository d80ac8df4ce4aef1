"""Shared helpers of the robustness tests (issue 6): a fast fake embedder,
messy seed folders, and running the real ``qa`` command."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from qa.models.embedder import ModelInfo

PROJECT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT / "seeds"
SEED_FILE = SEEDS / "000_b3f8d82462db3b47.txt"
QA = PROJECT / ".venv" / "bin" / "qa"
if not QA.exists():  # an installed qa next to this interpreter
    QA = Path(sys.executable).with_name("qa")


def non_space(text: str) -> str:
    """The characters of ``text`` that are not whitespace (``str.isspace``), in order."""
    return "".join(ch for ch in text if not ch.isspace())


# ------------------------------------------------------------------ fake embedder


class FakeEmbedder:
    """Deterministic character-bigram hashing vectors: fast, no torch.

    Same interface as :class:`qa.models.embedder.Embedder`; similar texts get similar
    vectors, which is enough for tests of robustness (quality is tested with
    the real model elsewhere).
    """

    def __init__(self, dim: int = 32, model_id: str = "fake-hash-32", delay: float = 0.0):
        self.info = ModelInfo(model_id, "fake hashing embedder", dim, "", "")
        self.delay = delay
        self.passages_encoded = 0

    @property
    def dim(self) -> int:
        return self.info.dim

    def _vector(self, text: str) -> np.ndarray:
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
        pairs = codes[:-1] * 1_000_003 + codes[1:] if len(codes) > 1 else codes
        v = np.bincount((pairs * 2_654_435_761) % 1_000_000_007 % self.dim, minlength=self.dim).astype(np.float32)
        v[0] += 1e-3  # never all zeros
        return v / np.linalg.norm(v)

    def encode_passages(self, texts, batch_size: int = 16, progress: bool = False) -> np.ndarray:
        if self.delay:
            import time

            time.sleep(self.delay)
        self.passages_encoded += len(texts)
        return np.stack([self._vector(t) for t in texts]).astype(np.float32)

    def encode_queries(self, texts, batch_size: int = 16) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts]).astype(np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode_queries([text])[0]


# ------------------------------------------------------------------ the qa command


def qa_env(**extra) -> dict:
    env = dict(os.environ)
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False",
               TOKENIZERS_PARALLELISM="false", PYTHONIOENCODING="utf-8", OMP_NUM_THREADS="1")
    env.update(extra)
    return env


def run_qa(*args, timeout: float = 120, base_env: dict | None = None, fake: bool = False,
           **env) -> subprocess.CompletedProcess:
    """Run the installed ``qa`` command (``fake``: with the fake embedder); stdout and stderr as text."""
    full = dict(base_env or qa_env())
    full.update(env)
    command = fake_qa() if fake else [str(QA)]
    return subprocess.run([*command, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          env=full, cwd=PROJECT, encoding="utf-8", errors="replace")


def assert_clean_failure(proc: subprocess.CompletedProcess, *needles: str) -> None:
    """Non-zero exit, an ``error:`` message naming ``needles``, and no traceback."""
    assert proc.returncode != 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "error:" in proc.stderr, proc.stderr
    for needle in needles:
        assert needle in proc.stderr, proc.stderr


# ------------------------------------------------------------------ seed folders


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def article(title: str, body: str, reporter: str = "朱梦琪") -> str:
    return "%s\n\n本报讯 (记者 %s) %s\n" % (title, reporter, body)


# Distinct articles, so a search can tell the files apart.
MESSY_ARTICLES = {
    "utf8.txt": ("utf-8", "\n", article("武进新建智能工厂", "武进区今年新建智能工厂12家,总投资30亿元。", "朱梦琪")),
    "gbk编码.txt": ("gbk", "\n", article("湖塘镇建成口袋公园", "湖塘镇今年建成口袋公园8座,新增绿地3.5万平方米。", "黄雅婷")),
    "gb18030.txt": ("gb18030", "\n", article("𠮷野家门店开业",
                                             "𠮷野家常州首家门店昨天开业,可容纳120名顾客就餐。", "张可馨")),
    "bom-utf8.txt": ("utf-8-sig", "\n", article("牛塘镇举办龙舟赛", "牛塘镇第五届龙舟赛吸引了24支队伍参赛。", "史莲寅")),
    "utf16-le.txt": ("utf-16-le-bom", "\n", article("雪堰镇杨梅丰收", "雪堰镇杨梅种植面积达到6000亩,预计产量1200吨。", "王露华")),
    "utf16-be.txt": ("utf-16-be-bom", "\n", article("礼嘉镇开通公交专线", "礼嘉镇新开通公交专线3条,日均客流5000人次。", "蒋佳利")),
    "crlf.txt": ("utf-8", "\r\n", article("嘉泽镇花木节开幕", "第十届嘉泽花木节昨天开幕,展出花木品种1500个。", "徐晶玮")),
    "cr.txt": ("utf-8", "\r", article("前黄镇建设污水管网", "前黄镇新建污水管网46公里,覆盖23个自然村。", "吴震宇")),
    "同名.txt": ("utf-8", "\n", article("洛阳镇开展消防演练", "洛阳镇组织消防演练,300名群众参加。", "赵天晟")),
    "同名.md": ("utf-8", "\n", article("遥观镇举办招聘会", "遥观镇招聘会提供岗位1800个,达成就业意向460人。", "薛红霞")),
    "新闻 稿件/二〇二三年 (终版)/报道 #1 & 'quote'.txt": (
        "utf-8", "\n", article("横林镇地板产业升级", "横林镇地板企业今年完成技术改造项目15个。", "乔俊杰")),
    "/".join("第%d层" % i for i in range(1, 31)) + "/深层报道.txt": (
        "utf-8", "\n", article("湟里镇修缮古桥", "湟里镇修缮明代古桥2座,工程历时8个月。", "于木村")),
    "\ufffdbad\x1b[31mname.txt": ("utf-8", "\n", article("郑陆镇新建养老院", "郑陆镇新建养老院床位280张。", "丁小虎")),
}
# Written under the GBK bytes of "新闻.txt": not UTF-8, so the name itself must be decoded.
GBK_NAME = "新闻.txt".encode("gbk")
GBK_NAME_ARTICLE = article("奔牛镇机场扩建", "奔牛机场扩建工程新增停机位10个。", "王海强")
# Everything that must be skipped, with a word its reason must contain.
MESSY_SKIPPED = {
    "empty.txt": "empty", "blank.txt": "empty", "photo.png": "binary", "random.bin": "",
    "bad\x1b[2Jname.bin": "binary", "链接到utf8.txt": "same file", "loop": "loop",
    "第1层/回环": "loop", "broken.txt": "broken", "self": "broken", "pipe.txt": "regular",
}


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16-le-bom":
        return b"\xff\xfe" + text.encode("utf-16-le")
    if encoding == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    return text.encode(encoding)


def make_messy_seeds(root: Path, outside: Path) -> dict[str, str]:
    """A seeds folder as users have it. Returns {name in the index: text} of every readable file."""
    import random

    root.mkdir(parents=True)
    outside.mkdir(parents=True)
    readable: dict[str, str] = {}
    for name, (encoding, newline, text) in MESSY_ARTICLES.items():
        text = text.replace("\n", newline)
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(encode(text, encoding))
        readable[name] = text
    with open(os.path.join(os.fsencode(root), GBK_NAME), "wb") as handle:
        handle.write(GBK_NAME_ARTICLE.encode("utf-8"))
    readable["新闻.txt"] = GBK_NAME_ARTICLE
    # Outside the folder, reached through links: indexed under the links' names.
    (outside / "外部文章.txt").write_text(article("戚墅堰修复老街", "戚墅堰老街修复工程完成立面整治120户。"), "utf-8")
    (outside / "dir").mkdir()
    (outside / "dir" / "链接目录中的文章.txt").write_text(
        article("卜弋街道建设农贸市场", "卜弋农贸市场建筑面积6000平方米,设摊位210个。"), "utf-8")
    os.symlink(outside / "外部文章.txt", root / "external.txt")
    os.symlink(outside / "dir", root / "外部目录")
    readable["external.txt"] = (outside / "外部文章.txt").read_text("utf-8")
    readable["外部目录/链接目录中的文章.txt"] = (outside / "dir" / "链接目录中的文章.txt").read_text("utf-8")
    # Skipped, each for its own reason.
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.txt").write_bytes(b" \r\n\t\n\xe3\x80\x80\n")
    (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    rng = random.Random(6)
    (root / "random.bin").write_bytes(bytes(rng.randrange(1, 256) for _ in range(4096)))  # no NUL bytes
    (root / "bad\x1b[2Jname.bin").write_bytes(b"\x00\x01\x02" * 100)
    os.symlink("utf8.txt", root / "链接到utf8.txt")
    os.symlink(".", root / "loop")
    os.symlink("..", root / "第1层" / "回环")
    os.symlink("does-not-exist.txt", root / "broken.txt")
    os.symlink("self", root / "self")
    os.mkfifo(root / "pipe.txt")
    (root / ".hidden.txt").write_text(article("隐藏文件", "不应被索引。"), "utf-8")
    return readable


def expected_chunks(text: str, name: str) -> list[str]:
    """The chunk texts a readable file must contribute to the index."""
    from qa.ingest.articles import parse_page
    from qa.ingest.chunking import chunk_articles

    return [c.text for c in chunk_articles(parse_page(text, name).articles)]


def index_chunks_by_source(loaded) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for chunk in loaded.chunks:
        out.setdefault(chunk.source, []).append(chunk.text)
    return out


# ------------------------------------------------------------------ the real model

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def real_embedder():
    """The default model, loaded once (load_embedder caches per process; the cache
    key matches the one Retriever.load uses, so the model is never loaded twice)."""
    from qa.core.settings import get_settings
    from qa.models.embedder import load_embedder

    return load_embedder("default", get_settings().model_cache)


# ------------------------------------------------------------------ qa with a fake model

def fake_qa(delay: float = 0.0) -> list[str]:
    """The command line of the real ``qa`` command with :class:`FakeEmbedder` injected (tests/fake_qa.py)."""
    return [sys.executable, str(Path(__file__).resolve().parent / "fake_qa.py"), "--fake-delay", str(delay)]


def make_seed_set(folder: Path, variant: str, copies: int = 6) -> Path:
    """A seeds folder of ``copies`` variants of the seed page; ``variant`` changes every chunk."""
    folder.mkdir(parents=True)
    page = SEED_FILE.read_text(encoding="utf-8")
    for i in range(copies):
        text = page.replace("。", "%s%d。" % (variant, i))
        (folder / ("page-%02d.txt" % i)).write_text(text, encoding="utf-8")
    return folder


def chunk_dicts(index_dir: Path) -> list[dict]:
    from qa.index.store import load_index

    return [c.to_dict() for c in load_index(index_dir).chunks]


# ------------------------------------------------------------------ hostile article text

HOSTILE_SCRIPT = '<script>alert("xss")</script>'
HOSTILE_IMG = "<img src=x onerror=alert(1)>"
HOSTILE_LINK = "[点这里](javascript:alert(document.cookie))"
HOSTILE_ENTITIES = "&lt;b&gt;粗体&lt;/b&gt; &amp; &#x41; &nbsp;"
# Terminal control: clear screen, colour, window title (OSC ... BEL), backspaces,
# a C1 CSI (U+009B), a bidi override (U+202E) and a zero-width joiner.
HOSTILE_TERMINAL = "\x1b[2J\x1b[31m红色\x1b[0m\x1b]0;owned\x07\x08\x08\x9b31m\u202egnp.exe\u200d"
HOSTILE_ARTICLE = (
    "恶意标签\x1b[5m测试中心投用\n\n"
    "本报讯 (记者 安\x1b[8m全) 近日,%s星河测试中心正式运营,建筑面积2.6万平方米。%s详情%s。\n\n"
    "星河测试中心的网页说明写着%s,实体保持原样。\n\n"
    "星河测试中心的终端说明写着%s,控制字符保持原样。\n\n"
    % (HOSTILE_SCRIPT, HOSTILE_IMG, HOSTILE_LINK, HOSTILE_ENTITIES, HOSTILE_TERMINAL)
    # Enough ordinary text that the few control characters do not make the file look binary.
    + "".join("星河测试中心第%d期工程包括实验室、展厅和配套用房,预计明年全部完成。\n\n" % i for i in range(1, 12))
)
