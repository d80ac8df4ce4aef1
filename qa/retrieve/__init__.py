"""Stage 4, ranking passages for a question: the hybrid retriever and fusion, a pure function
of the dense and BM25 ranked lists.

May import the stages below: :mod:`qa.core`, :mod:`qa.ingest`, :mod:`qa.models`, :mod:`qa.index`.
"""
