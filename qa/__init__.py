"""Question answering over Chinese news articles: hybrid retrieval and cited extractive answers.

>>> from qa import Assistant
>>> answer = Assistant.load().ask("滨湖文隽企业服务中心的建筑面积是多少?")
>>> answer.text, answer.found, answer.sources[0].title

Heavy libraries (torch, faiss, gradio) are imported only by the functions that need them.
"""

from __future__ import annotations

from qa.core.errors import (
    BuildTooLargeError,
    CalibrationError,
    EvalFileError,
    FormatError,
    IndexCorruptError,
    IndexLockedError,
    IndexMissingError,
    IndexStaleError,
    IndexWriteError,
    ModelError,
    ProjectNotFoundError,
    QAError,
    QuestionError,
    ReaderTrainingError,
    SeedsError,
    UploadError,
)
from qa.core.lazy import lazy_getattr

__all__ = [
    "Answer",
    "Article",
    "Assistant",
    "BuildProgress",
    "BuildReport",
    "BuildTooLargeError",
    "CalibrationError",
    "Chunk",
    "Decision",
    "EvalFileError",
    "FormatError",
    "FusionParams",
    "Hit",
    "HybridRanking",
    "IndexCorruptError",
    "IndexLockedError",
    "IndexMissingError",
    "IndexStaleError",
    "IndexStatus",
    "IndexWriteError",
    "Item",
    "ModelError",
    "Part",
    "ProjectNotFoundError",
    "QAError",
    "QuestionError",
    "Reader",
    "ReaderTrainingError",
    "Retriever",
    "SeedsError",
    "Settings",
    "Source",
    "SpanScore",
    "UploadError",
    "build_index",
    "get_settings",
    "index_status",
    "load_embedder",
    "load_reader",
    "parse_page",
]

_LAZY = {
    "Answer": "answer.types", "Decision": "answer.types", "Item": "answer.types", "Part": "answer.types", "Source": "answer.types",
    "Assistant": "answer.assistant",
    "Article": "ingest.articles", "parse_page": "ingest.articles",
    "Chunk": "ingest.chunking",
    "Hit": "retrieve.retriever", "Retriever": "retrieve.retriever", "HybridRanking": "retrieve.retriever",
    "FusionParams": "retrieve.fusion",
    "BuildProgress": "index.build", "BuildReport": "index.build", "build_index": "index.build",
    "IndexStatus": "index.manifest", "index_status": "index.manifest",
    "load_embedder": "models.embedder",
    "Reader": "reader.model", "SpanScore": "reader.model", "load_reader": "reader.loading",
    "Settings": "core.settings", "get_settings": "core.settings",
}


# Lazy so that `import qa` stays fast and torch/faiss load only when used.
__getattr__ = lazy_getattr(__name__, _LAZY)


def __dir__():
    return sorted(__all__)
