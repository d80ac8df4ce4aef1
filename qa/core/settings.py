"""Configuration, filled in once at the edge (the ``qa`` command, the page, ``Retriever.load``).

The project folder is found the way git finds ``.git``: from the working
directory upwards, the nearest folder holding a ``qa.toml`` or a ``seeds/``
folder. Its ``seeds/`` and ``embeddings/`` (or the folders ``qa.toml`` names)
are the defaults; environment variables and command-line flags override them.
Everything below the edge takes these values as explicit arguments.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from qa.core.errors import ProjectNotFoundError
from qa.core.text import one_line

DEFAULT_MODEL = "default"
PROJECT_FILE = "qa.toml"
MAX_QUESTION_CHARS = 1000
# A follow-up needs the subject of the last few questions, not the whole chat:
# every kept turn is analysed (jieba POS tagging) for every new question.
MAX_HISTORY_TURNS = 6
MAX_HISTORY_CHARS = 1000
# Third-party loggers that talk at INFO on every load or request; the CLI and the server quiet them.
NOISY_LOGGERS = ("sentence_transformers", "transformers", "faiss", "bm25s", "httpx", "jieba")


def _cache_home(env) -> Path:
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "qa-news"


@dataclass(frozen=True)
class Settings:
    """Where things live and which model builds new indexes.

    Environment variables (all optional): ``QA_SEEDS_DIR``, ``QA_INDEX_DIR``,
    ``QA_MODEL`` (``default`` or any sentence-transformers model id or folder),
    ``QA_MODEL_CACHE`` (where the converted default model is kept),
    ``QA_BATCH_SIZE``, ``QA_BACKEND`` (the embedding engine: ``auto``,
    ``torch-fp32``, ``torch-bf16``, ``onnx-fp32``, ``onnx-int8``; see
    ``qa/models/embedder.py``), ``QA_READER_BACKEND`` (the reader's engine, same
    names; see ``qa/reader/loading.py``). ``seeds_dir`` and ``index_dir`` are None
    when no project folder was found and nothing named them.
    """

    seeds_dir: Path | None = None
    index_dir: Path | None = None
    project_dir: Path | None = None  # the folder the defaults came from
    model: str = DEFAULT_MODEL
    model_cache: Path = _cache_home(os.environ)
    batch_size: int = 16
    backend: str = "auto"
    reader_backend: str = "auto"
    # The password editors log in with when `qa serve` is reachable beyond 127.0.0.1 (``QA_EDITOR_TOKEN``,
    # or ``editor_token`` in a qa.toml kept out of version control). Kept out of repr: it is a secret.
    editor_token: str = field(default="", repr=False)

    @classmethod
    def from_env(cls, env=None, cwd: Path | None = None) -> "Settings":
        """Settings from the project folder found from ``cwd`` upwards, then the environment."""
        env = os.environ if env is None else env
        project = find_project(Path.cwd() if cwd is None else Path(cwd))
        base = cls(model_cache=_cache_home(env), **(_project_defaults(project) if project else {}))
        changes: dict = {}
        for key, var in (("seeds_dir", "QA_SEEDS_DIR"), ("index_dir", "QA_INDEX_DIR"),
                         ("model_cache", "QA_MODEL_CACHE")):
            if env.get(var):
                changes[key] = Path(env[var])
        for key, var in (("model", "QA_MODEL"), ("backend", "QA_BACKEND"), ("reader_backend", "QA_READER_BACKEND"),
                         ("editor_token", "QA_EDITOR_TOKEN")):
            if env.get(var):
                changes[key] = env[var]
        if env.get("QA_BATCH_SIZE", "").isdigit() and int(env["QA_BATCH_SIZE"]) > 0:
            changes["batch_size"] = int(env["QA_BATCH_SIZE"])
        return replace(base, **changes)

    def with_overrides(self, **changes) -> "Settings":
        """A copy with the non-None values of ``changes`` applied (CLI flags)."""
        clean = {k: (Path(v) if k.endswith("_dir") else v) for k, v in changes.items() if v is not None}
        return replace(self, **clean)

    def require(self, *names: str) -> "Settings":
        """These settings, after checking that the folders ``names`` (``seeds_dir``, ``index_dir``) are known."""
        missing = [n for n in names if getattr(self, n) is None]
        if missing:
            flags = " and ".join({"seeds_dir": "--seeds DIR", "index_dir": "--index DIR"}[n] for n in missing)
            raise ProjectNotFoundError(
                "no project folder found from %s upwards (a folder holding %s or seeds/) - run qa inside your "
                "project folder, pass %s, or set %s" % (Path.cwd(), PROJECT_FILE, flags, " / ".join(
                    {"seeds_dir": "QA_SEEDS_DIR", "index_dir": "QA_INDEX_DIR"}[n] for n in missing)))
        return self

    def describe(self) -> str:
        """Which folders and model these settings use, one per line (``qa status``)."""
        show = lambda p: one_line(str(p)) if p is not None else "(none)"  # noqa: E731
        return "\n".join(["project: %s" % show(self.project_dir), "seeds:   %s" % show(self.seeds_dir),
                          "index:   %s" % show(self.index_dir), "model:   %s (backend %s)" % (one_line(self.model), self.backend)])


def find_project(start: Path) -> Path | None:
    """The nearest folder from ``start`` upwards that holds a ``qa.toml`` or a ``seeds/`` folder."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / PROJECT_FILE).is_file() or (folder / "seeds").is_dir():
            return folder
    return None


def _project_defaults(project: Path) -> dict:
    """The folders (and model) of the project in ``project``; ``qa.toml`` may name others."""
    values: dict = {}
    config = project / PROJECT_FILE
    if config.is_file():
        values = _read_project_file(config)
    return dict(project_dir=project, seeds_dir=project / values.get("seeds", "seeds"),
                index_dir=project / values.get("index", "embeddings"),
                **{k: values[k] for k in ("model", "editor_token") if isinstance(values.get(k), str)})


def _read_project_file(path: Path) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProjectNotFoundError("the project file %s cannot be read (%s) - fix or delete it" % (path, exc)) from None
    section = data.get("qa", data)
    return {k: v for k, v in section.items() if k in ("seeds", "index", "model", "editor_token") and isinstance(v, str)}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the working directory and environment on first use."""
    offline_defaults()
    return Settings.from_env()


def offline_defaults() -> None:
    """Keep every library off the network unless the user explicitly opted in."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # torch's OpenMP threads busy-wait by default; on a shared 2-core machine that
    # made one query embedding ~20x slower (benchmarks/RESULTS.md, "Findings").
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
