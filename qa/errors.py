"""Exceptions raised by the library. Each message names the fix."""

from __future__ import annotations


class QAError(Exception):
    """Base class: a problem the user can fix; the message says how."""


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


class QuestionError(QAError):
    """The question is empty, too long or otherwise unusable."""


class EvalFileError(QAError):
    """An evaluation file is missing or malformed."""
