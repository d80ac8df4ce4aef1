"""Stage 0, the ground every other stage stands on: text helpers and Chinese character classes
(:mod:`~qa.core.zh`, with the jieba segmenter), the exceptions, settings filled in once at the edge,
hashing, atomic cache files, background work, typed-question cleaning.

Imports nothing of ``qa`` outside ``qa.core``.
"""
