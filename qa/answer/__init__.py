"""Stage 6, from passages to an answer: the :class:`~qa.answer.assistant.Assistant`, question
understanding, the answer forms (fact, list, summary, parts, overview), the relations read from text
(roles, places, aliases, identity, qualifiers), quoting, citations, the calibrated decision, and the
answer types (:mod:`~qa.answer.types`, which import nothing of ``qa``).

May import every stage below: core, ingest, models, index, retrieve, reader.
"""
