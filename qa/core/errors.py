"""Exceptions raised by the library. Each message names the fix."""

from __future__ import annotations


class QAError(Exception):
    """Base class: a problem the user can fix; the message says how."""


class ProjectNotFoundError(QAError):
    """No project folder (one holding ``qa.toml`` or ``seeds/``) was found and no folder was named."""


class CalibrationError(QAError):
    """The answer/refuse calibration (``qa/answer/calibration.json``) is missing or damaged."""


class ModelError(QAError):
    """The embedding model cannot be found, converted or loaded."""


class SeedsError(QAError):
    """The seeds folder is missing or holds nothing readable."""


class IndexMissingError(QAError):
    """There is no index where one was expected."""


class IndexCorruptError(QAError):
    """Index files are damaged, truncated or inconsistent."""


class IndexStaleError(QAError):
    """The index no longer matches the seeds or the model."""


class IndexLockedError(QAError):
    """Another build holds the index lock."""


class IndexWriteError(QAError):
    """The index cannot be written: the disk is full, read-only or not writable; names the folder."""


class BuildTooLargeError(QAError):
    """A build would embed more chunks than allowed (``--max-chunks``); the message has the estimate."""


class ReaderTrainingError(QAError):
    """A reader training run cannot go on as asked (its work folder holds another run)."""


class QuestionError(QAError):
    """The question is empty, too long or otherwise unusable.

    ``reason`` is machine-readable ("empty", "too_long" or "invalid") so that a
    UI can word its own message; ``limit`` is the length limit for "too_long".
    """

    def __init__(self, message: str, reason: str = "invalid", limit: int = 0):
        super().__init__(message)
        self.reason = reason
        self.limit = limit


class FormatError(QAError):
    """A document (.pdf, .docx, .html, .md) holds no text that can be read; the message is the reason."""


class UploadError(QAError):
    """Files offered to the seeds folder are refused (too many, too big, wrong type, unsafe name)."""


class EvalFileError(QAError):
    """An evaluation file is missing or malformed."""


class StoreError(QAError):
    """The index store named by ``--store`` or an index manifest (Milvus) cannot be used: its package is not
    installed, the server cannot be reached, or the collection is missing; the message names the fix."""


class EngineError(QAError):
    """The build engine named by ``--engine`` (Ray) cannot run: its package is not installed, the cluster
    cannot be reached, or its workers failed; the message names the fix."""
