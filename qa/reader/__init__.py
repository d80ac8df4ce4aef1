"""Stage 5, the span reader: a fine-tuned encoder that finds the answer span in a passage.

:func:`load_reader` gives a :class:`Reader` whose ``read(question, passages)`` returns one
:class:`SpanScore` per passage (``passage``, ``start``, ``end``, ``score``, ``null_score``, ``margin``).
:mod:`~qa.reader.model` is inference and windowing, :mod:`~qa.reader.onnx` its ONNX Runtime export,
:mod:`~qa.reader.training` fine-tuning (``qa train-reader``), :mod:`~qa.reader.spanmetrics` EM/F1;
``weights/`` holds the committed weights.

May import :mod:`qa.core` and :mod:`qa.models` (and, for training data, the stages below it).
"""

from __future__ import annotations

from qa.core.lazy import lazy_getattr

__all__ = ["Reader", "SpanScore", "WEIGHTS_DIR", "load_reader"]

__getattr__ = lazy_getattr(__name__, {"Reader": "model", "SpanScore": "model", "WEIGHTS_DIR": "model",
                                      "load_reader": "loading"})
