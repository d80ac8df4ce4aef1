"""👍/👎 on answers in the chat, and an optional comment, into the feedback log (:mod:`qa.evaluate.feedback`)."""

from __future__ import annotations

import logging

import gradio as gr

from qa.core.errors import QAError
from qa.evaluate.feedback import Rating, add_comment, record

from .conversations import turn_of_message

log = logging.getLogger(__name__)


def _rating_of(liked) -> str:
    if liked is True or liked == "Like":
        return "up"
    if liked is False or liked == "Dislike":
        return "down"
    return ""  # the rating was taken back


def rate(service, turns, evt: gr.LikeData) -> tuple[str, str, object]:
    """Record a rating of the answer the user clicked; (note, rating id, comment box update)."""
    index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
    position = turn_of_message(turns, index)
    payload = (turns[position].get("fb") if position >= 0 else None) or None
    rating = _rating_of(evt.liked)
    if not payload or not rating:
        return "", "", gr.skip()
    try:
        stored = record(service.index_dir, Rating(rating=rating, **payload))
    except (QAError, OSError, TypeError) as exc:
        log.warning("feedback not recorded: %s", exc)
        return "<span class='qa-note-bad'>反馈未能保存，请稍后再试。</span>", "", gr.skip()
    note = "感谢反馈！" + ("" if rating == "up" else "可以在下方说明哪里不对（可选）。")
    return "<span class='qa-note-ok'>%s</span>" % note, stored.id, gr.Textbox(visible=True, value="")


def comment(service, rating_id: str, text: str) -> tuple[str, object]:
    """Attach the optional comment to the last rating; (note, comment box update)."""
    if not rating_id or not (text or "").strip():
        return gr.skip(), gr.skip()
    try:
        add_comment(service.index_dir, rating_id, text)
    except (QAError, OSError) as exc:
        log.warning("feedback comment not recorded: %s", exc)
        return "<span class='qa-note-bad'>说明未能保存。</span>", gr.skip()
    return "<span class='qa-note-ok'>已记录你的说明，谢谢！</span>", gr.Textbox(visible=False, value="")


def rate_handler(service):
    """``rate`` bound to ``service``, with the annotation Gradio needs to pass the LikeData."""

    def on_like(turns, evt: gr.LikeData):
        return rate(service, turns, evt)

    return on_like
