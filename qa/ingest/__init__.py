"""Stage 1, files to articles: finding and decoding files (txt, md, html, docx, pdf in
:mod:`~qa.ingest.formats`), parsing a news page into articles, cutting articles into paragraph chunks,
and the article library (add, remove).

May import :mod:`qa.core`.
"""
