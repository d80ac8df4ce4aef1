"""Stage 3, the index folder: building it (embedding in checkpointed batches), the dense vectors
(FAISS), BM25 over jieba words, the manifest that says what the index holds and whether it is stale,
and loading it.

May import :mod:`qa.core`, :mod:`qa.ingest`, :mod:`qa.models`.
"""
