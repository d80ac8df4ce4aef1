"""The Gradio page: chat over the indexed articles with cited sources, plus an ``/ask`` API.

``ui.server.serve()`` runs it (``qa serve`` / ``python -m ui``); ``ui.format`` renders
answers and sources as escaped HTML and is importable without Gradio.
"""
