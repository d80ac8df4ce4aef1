"""Conversations kept in the browser (``gr.BrowserState``, i.e. localStorage): several chats, a list
to switch between them, and each answer's rating payload for the 👍/👎 log.

The server keeps nothing per user; a reload restores the chats from the
browser. Stored size is bounded: at most :data:`MAX_CONVERSATIONS` chats, and
the (large) sources panel only for the last few turns of each.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict

MAX_CONVERSATIONS = 20
MAX_TURNS = 100
SOURCES_KEPT = 3  # turns per chat whose sources panel is stored
STORAGE_KEY = "qa-news-conversations"
# The browser sends the whole store with every question (the save after an answer takes it as
# input), so its size is what a long history costs each request: 20 chats of 100 long turns
# were ~14 MB, over the server's 1 MB request limit. Older chats, then older turns, give way.
STORE_BUDGET_CHARS = 300_000


def empty_store() -> dict:
    return {"active": "", "items": []}


def _clean(store) -> dict:
    if not isinstance(store, dict) or not isinstance(store.get("items"), list):
        return empty_store()
    items = [c for c in store["items"] if isinstance(c, dict) and isinstance(c.get("turns"), list) and c.get("id")]
    return {"active": str(store.get("active") or ""), "items": items}


def _title(turns: list) -> str:
    first = next((t.get("q", "") for t in turns if isinstance(t, dict) and t.get("q")), "")
    return (first[:24] + ("…" if len(first) > 24 else "")) or "新对话"


def choices(store) -> list[tuple[str, str]]:
    """(label, id) pairs for the conversation list, newest first."""
    return [(c.get("title") or "新对话", c["id"]) for c in reversed(_clean(store)["items"])]


def save(store, turns) -> dict:
    """``store`` with the active conversation holding ``turns`` (a new one when none is active)."""
    store = _clean(store)
    turns = [t for t in (turns or []) if isinstance(t, dict)][-MAX_TURNS:]
    if not turns:
        return store
    kept = []
    for i, turn in enumerate(turns):
        if i < len(turns) - SOURCES_KEPT and "sources" in turn:
            turn = {k: v for k, v in turn.items() if k != "sources"}
        kept.append(turn)
    active = next((c for c in store["items"] if c["id"] == store["active"]), None)
    if active is None:
        active = {"id": uuid.uuid4().hex[:12]}
        store["items"].append(active)
        store["active"] = active["id"]
    active.update(turns=kept, title=_title(kept))
    store["items"] = store["items"][-MAX_CONVERSATIONS:]
    return _within_budget(store)


def _size(value) -> int:
    import json

    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def _within_budget(store: dict, budget: int = STORE_BUDGET_CHARS) -> dict:
    """``store`` trimmed to ``budget`` characters of JSON: the oldest other chats go first, then the
    active chat's oldest turns (its latest turn always stays)."""
    sizes = [_size(c) for c in store["items"]]
    total = sum(sizes) + 64
    i = 0
    while total > budget and i < len(store["items"]):
        if store["items"][i]["id"] != store["active"]:
            total -= sizes.pop(i)
            store["items"].pop(i)
            continue
        i += 1
    active = next((c for c in store["items"] if c["id"] == store["active"]), None)
    if active is not None and total > budget:
        turns = list(active["turns"])
        sizes = [_size(t) for t in turns]
        while len(turns) > 1 and total > budget:
            total -= sizes.pop(0)
            turns.pop(0)
        active["turns"] = turns
    return store


def start_new(store) -> dict:
    """``store`` with no active conversation: the next question opens a new one."""
    store = _clean(store)
    store["active"] = ""
    return store


def remove_active(store) -> dict:
    """``store`` without the active conversation (清空对话): the list no longer offers the chat just emptied."""
    store = _clean(store)
    store["items"] = [c for c in store["items"] if c["id"] != store["active"]]
    store["active"] = ""
    return store


def active_item(store) -> dict | None:
    """The active conversation (a copy), or None when the next question opens a new one."""
    store = _clean(store)
    found = next((c for c in store["items"] if c["id"] == store["active"]), None)
    return dict(found, turns=list(found["turns"])) if found else None


def put_back(store, item) -> dict:
    """``store`` with ``item`` (a conversation :func:`remove_active` took out) back and active: 撤销清空."""
    store = _clean(store)
    if not isinstance(item, dict) or not isinstance(item.get("turns"), list) or not item["turns"]:
        return store
    item = dict(item)
    if not item.get("id") or any(c["id"] == item["id"] for c in store["items"]):
        item["id"] = uuid.uuid4().hex[:12]
    item["title"] = item.get("title") or _title(item["turns"])
    store["items"].append(item)
    store["items"] = store["items"][-MAX_CONVERSATIONS:]
    store["active"] = item["id"]
    return _within_budget(store)


def switch(store, conversation_id) -> tuple[dict, list]:
    """(store with ``conversation_id`` active, its turns); unknown ids leave the store as it was."""
    store = _clean(store)
    found = next((c for c in store["items"] if c["id"] == conversation_id), None)
    if found is None:
        return store, []
    store["active"] = found["id"]
    return store, list(found["turns"])


def active_turns(store) -> list:
    store = _clean(store)
    found = next((c for c in store["items"] if c["id"] == store["active"]), None)
    return list(found["turns"]) if found else []


def last_sources(turns) -> str | None:
    """The sources panel of the latest answer that kept one (None: show the empty panel)."""
    for turn in reversed(turns or []):
        if isinstance(turn, dict) and turn.get("sources"):
            return turn["sources"]
    return None


def rating_payload(answer) -> dict:
    """What a later 👍/👎 needs to know about ``answer`` (stored with the turn)."""
    from qa.evaluate.feedback import rating_from_answer

    data = asdict(rating_from_answer("up", answer))
    for key in ("rating", "comment", "id", "time"):
        data.pop(key, None)
    return data


def turn_of_message(turns, message_index) -> int:
    """Index in ``turns`` of the chat message at ``message_index`` (as the chat panel numbers them), or -1."""
    position = 0
    for i, turn in enumerate(turns or []):
        count = 2 if turn.get("user") else 1
        if position <= int(message_index) < position + count:
            return i
        position += count
    return -1


def active_id(store) -> str:
    """The id of the conversation being continued ('' when the next question opens a new one)."""
    return _clean(store)["active"]
