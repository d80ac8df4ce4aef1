"""Question answering over Chinese news articles: hybrid retrieval and cited extractive answers.

>>> from qa import Assistant
>>> answer = Assistant.load().ask("滨湖文隽企业服务中心的建筑面积是多少?")
>>> answer.text, answer.found, answer.sources[0].title

Heavy libraries (torch, faiss, gradio) are imported only by the functions that need them.
"""

from __future__ import annotations

from .errors import (
    EvalFileError,
    IndexCorruptError,
    IndexLockedError,
    IndexMissingError,
    IndexStaleError,
    ModelError,
    ProjectNotFoundError,
    QAError,
    QuestionError,
    SeedsError,
)

__all__ = [
    "Answer",
    "Article",
    "Assistant",
    "BuildProgress",
    "BuildReport",
    "Chunk",
    "EvalFileError",
    "FusionParams",
    "Hit",
    "HybridRanking",
    "IndexCorruptError",
    "IndexLockedError",
    "IndexMissingError",
    "IndexStaleError",
    "IndexStatus",
    "ModelError",
    "ProjectNotFoundError",
    "QAError",
    "QuestionError",
    "Retriever",
    "SeedsError",
    "Settings",
    "Source",
    "build_index",
    "get_settings",
    "index_status",
    "load_embedder",
    "parse_page",
]

_LAZY = {
    "Answer": "answer", "Assistant": "answer", "Source": "answer",
    "Article": "articles", "parse_page": "articles",
    "Chunk": "chunking",
    "Hit": "retriever", "Retriever": "retriever",
    "BuildProgress": "build", "BuildReport": "build", "build_index": "build",
    "IndexStatus": "manifest", "index_status": "manifest",
    "FusionParams": "fusion", "HybridRanking": "retriever",
    "load_embedder": "embedder",
    "Settings": "settings", "get_settings": "settings",
}


def __getattr__(name: str):
    # Lazy so that `import qa` stays fast and torch/faiss load only when used.
    if name in _LAZY:
        import importlib

        module = importlib.import_module("." + _LAZY[name], __name__)
        return getattr(module, name)
    raise AttributeError("module 'qa' has no attribute %r" % name)


def __dir__():
    return sorted(__all__)
