"""The Gradio page: chat with cited answers, source cards, the article list, an ``/ask`` API.

The page is thin: :class:`ui.service.QAService` holds the one :class:`qa.answer.assistant.Assistant`
of the process and :mod:`ui.format` turns what it returns into HTML.

Entry points: :func:`ui.server.serve` (``qa serve``, ``python -m ui``) blocks until
the server stops; :func:`create_app` + :func:`launch` let tests run the same page
in-process.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import gradio as gr

from qa.answer.history import history_from_api, named_person
from qa.core.errors import IndexLockedError, QAError, QuestionError
from qa.core.settings import MAX_QUESTION_CHARS, Settings

from qa.ingest.library import empty_trash

from . import access as access_mod
from . import conversations as conv
from . import format as fmt
from . import library_tab, limits, rating
from . import views as views_mod
from .catalogue import Catalogue, article_browser
from .service import DEFAULT_SOURCES, MAX_SOURCES, QAService

log = logging.getLogger(__name__)

ASK_CONCURRENCY = 4  # questions answered at once; the embedder serialises its own part
REBUILD_WAITERS = 8  # rebuild clicks handled at once: one builds, the others wait for it
PAGE_LOAD_STATUS_AGE = 5.0  # seconds a page load may reuse the last index status check
REFRESH_WAITERS = 16  # pages waiting at once for the refresh their change started
REFRESH_WAIT_SECONDS = 600.0  # a page stops waiting (and shows what is there) after this long

_PRIVATE = dict(api_visibility="private")  # page events are not API endpoints

GENERIC_ERROR = "抱歉，处理这个问题时出了点问题。请稍后再试，或换个问法。"


_QUESTION_MESSAGES = {"empty": "请先输入一个问题，例如文章中提到的地点、项目或数字。",
                      "too_long": "问题太长了，请精简到几句话以内再问。"}


def friendly_error(exc: BaseException) -> str:
    """A short Chinese message for an error, never a traceback.

    The library's messages are English and meant for the terminal, so the
    page says what the user can do instead, chosen by the error's class and ``reason``.
    """
    if isinstance(exc, QuestionError):
        return _QUESTION_MESSAGES.get(exc.reason, "这个问题无法处理，请换个问法。")
    if isinstance(exc, IndexLockedError):
        return "索引正在重建，请稍后再试。"
    if isinstance(exc, QAError):
        return "暂时无法回答：索引或模型不可用，请到“文章与索引”页查看状态。"
    return GENERIC_ERROR


# ------------------------------------------------------------------ the page


def _chat_messages(turns: list[dict]) -> list[dict]:
    messages = []
    for turn in turns:
        if turn.get("user"):
            messages.append({"role": "user", "content": turn["user"]})
        messages.append({"role": "assistant", "content": turn["bot"]})
    return messages


def _empty_hint(service: QAService) -> str:
    example = service.examples[0] if service.examples else fmt.NOT_CHINESE_EXAMPLE
    return "请先输入一个问题，例如：%s" % example


def _respond_handler(service: QAService):
    """The chat turn: (chat, input box, turns, sources panel, examples, hint line) for a typed question."""

    def respond(message, turns, max_sources):
        turns = list(turns or [])[-(conv.MAX_TURNS - 1):]  # the session's chat is bounded like the stored one
        question = message if isinstance(message, str) else ""
        skip5 = (gr.skip(),) * 5
        if not question.strip():  # Enter on an empty box: nothing to ask, but say so (it used to do nothing)
            return (*skip5, fmt.render_input_hint(_empty_hint(service), "empty"))
        length = len(question.strip())
        if length > MAX_QUESTION_CHARS:
            # Refused before anything is asked, the text left in the box to shorten: the box used to cut
            # it at the limit without a word, losing a question written at the end of a long paste.
            return (*skip5, fmt.render_input_hint(fmt.too_long_message(length, MAX_QUESTION_CHARS), "too-long"))
        # (question, answer text, the person it named): 他/她 in a follow-up means that person.
        history = [(t["q"], t["a"], t.get("named", "")) for t in turns if t.get("a") is not None]
        user_html = fmt.render_question(question)
        try:
            answer, assistant = service.ask(question, history, max_sources)
        except Exception as exc:  # every failure becomes a message in the chat
            if not isinstance(exc, QAError):
                log.exception("answering %r failed", question[:200])
            turns.append({"q": question, "a": None, "user": user_html, "bot": fmt.render_error(friendly_error(exc))})
            # Keep the typed text so the user can fix it; keep the previous sources.
            return _chat_messages(turns), gr.skip(), turns, gr.skip(), gr.skip(), ""
        # The models read Chinese: a question without a Chinese word is refused, so say what works.
        hint = ""
        if not answer.found and not fmt.has_chinese(question):
            hint = fmt.NOT_CHINESE_HINT % (service.examples[0] if service.examples else fmt.NOT_CHINESE_EXAMPLE)
        sources = fmt.render_sources(answer, assistant.articles)
        turns.append({"q": question, "a": answer.text, "named": named_person(answer), "user": user_html,
                      "bot": fmt.with_actions(fmt.render_answer(answer, hint)),
                      "sources": sources, "fb": conv.rating_payload(answer)})
        panel = fmt.render_turn_panel(sources, len(turns) - 1, True)
        return _chat_messages(turns), "", turns, panel, gr.Dataset(visible=True), ""

    return respond


def _api_handlers(service: QAService):
    """The ``/ask`` and ``/answer`` endpoints' functions; errors become short Chinese messages."""

    def api_answer(question, history, max_sources):
        try:
            return service.answer_html(question, history_from_api(history), max_sources)
        except QAError as exc:
            raise gr.Error(friendly_error(exc), print_exception=False) from None
        except Exception:
            log.exception("API question %r failed", str(question)[:200])
            raise gr.Error(GENERIC_ERROR, print_exception=False) from None

    def ask_api(question: str, history: list | None = None, max_sources: int = DEFAULT_SOURCES) -> tuple[str, str]:
        """Answer a question about the articles.

        Returns the answer text (with citation markers such as [1]) and the sources as HTML,
        the answering sentence wrapped in <mark>. history: earlier turns as [[question, answer], ...]
        or [{"role": ..., "content": ...}, ...].
        """
        text, sources, _ = api_answer(question, history, max_sources)
        return text, sources

    def answer_api(question: str, history: list | None = None, max_sources: int = DEFAULT_SOURCES) -> dict:
        """Answer a question about the articles, as data: the short answer, the quote, the form
        (fact / list / summary / parts / refusal), confidence and the numbered sources with the
        offsets of the answering sentence and of the answer inside it (Answer.to_dict())."""
        return api_answer(question, history, max_sources)[2].to_dict()

    # gr.api reads the types for the API docs and client; this module's annotations are strings
    # (``from __future__ import annotations``), so give it the real ones.
    ask_api.__annotations__ = {"question": str, "history": list | None, "max_sources": int,
                               "return": tuple[str, str]}
    answer_api.__annotations__ = {"question": str, "history": list | None, "max_sources": int, "return": dict}
    return ask_api, answer_api


def _rebuild_handler(service: QAService, refresher, full_views):
    def rebuild(editor, progress=gr.Progress()):
        if editor is not True:  # checked here too: the queue endpoint is reachable without the button
            return (*full_views(), "<span class='qa-note-bad'>%s</span>" % library_tab.NOT_EDITOR)

        def report_progress(update):
            progress(update.fraction, desc=fmt.progress_text(update))

        try:
            joined = service.rebuild_running  # a second click waits for the running rebuild instead of repeating it
            report = service.rebuild(progress=report_progress, join=True)
            # A full rebuild is where deleted files stop being restorable (the page says so at delete time).
            empty_trash(service.seeds_dir)
            note = ("<span class='qa-note-ok'>%s索引已重建：%d 篇文章、%d 个段落，新计算 %d 个向量，用时 %.1f 秒。</span>"
                    % ("已有一次重建在进行，已等待它完成。" if joined else "",
                       report.articles, report.chunks, report.embedded, report.seconds))
        except IndexLockedError:
            note = "<span class='qa-note-bad'>已有一次重建正在进行，请稍后再试。</span>"
        except QAError as exc:
            log.warning("rebuild failed: %s", exc)
            note = "<span class='qa-note-bad'>重建失败，原索引继续提供服务。详情见服务器日志。</span>"
        except Exception:
            log.exception("rebuild failed")
            note = "<span class='qa-note-bad'>重建失败，原索引继续提供服务。详情见服务器日志。</span>"
        return (*full_views(), note)

    return rebuild


@dataclass
class _ChatPanel:
    """The chat tab's components."""

    conv_pick: object
    new_conv: object
    chatbot: object
    msg: object
    send: object
    clear_btn: object
    hint: object
    feedback_note: object
    feedback_box: object
    examples: object
    max_sources: object
    sources: object
    turn_pick: object  # hidden: the browser asks here for an older reply's sources (its badge was clicked)
    turn_go: object
    undo_clear: object


def _chat_panel(service: QAService, welcome: str) -> _ChatPanel:
    """The chat column (conversations, chat, input, examples, settings) and the sources column."""
    with gr.Row(equal_height=False):
        with gr.Column(scale=7, min_width=420, elem_id="qa-chat-col"):
            with gr.Row(elem_id="qa-conv-row"):
                conv_pick = gr.Dropdown(choices=[], label="对话记录（保存在本浏览器）", scale=4, elem_id="qa-conversations")
                new_conv = gr.Button("新对话", scale=1, min_width=84, elem_id="qa-new-conv")
            chatbot = gr.Chatbot(
                value=[], show_label=False, elem_id="qa-chat", height=500, placeholder=welcome,
                examples=[{"text": q, "display_text": q} for q in service.examples],
                latex_delimiters=[],  # "$" in articles is money, not maths
                sanitize_html=True, render_markdown=True, feedback_options=("Like", "Dislike"),
                # (their English tooltips are reworded in Chinese by ui.style.HEAD)
                buttons=[], autoscroll=True, layout="bubble",
                group_consecutive_messages=False,  # a notice after a notice stays its own bubble
            )
            with gr.Row(elem_id="qa-input-row"):
                # No max_length: the box cut a long paste at the limit without a word. The counter under
                # it (ui.style.HEAD) shows the length near the limit, and the server refuses longer ones.
                msg = gr.Textbox(placeholder="输入问题，回车发送，可追问", show_label=False, container=False,
                                 lines=1, max_lines=4, scale=8, elem_id="qa-input", autofocus=True)
                send = gr.Button("发送", variant="primary", scale=1, min_width=84, elem_id="qa-send")
                clear_btn = gr.Button("清空对话", variant="secondary", scale=1, min_width=96, elem_id="qa-clear")
            gr.HTML("<div id='qa-counter' class='qa-counter' data-max='%d' aria-live='polite'></div>" % MAX_QUESTION_CHARS,
                    elem_id="qa-counter-box", padding=False)
            hint = gr.HTML("", elem_id="qa-input-hint", padding=False)
            # 清空对话 can be taken back: the chat it removed is kept in the session until the next question.
            undo_clear = gr.Button("撤销清空（恢复刚才的对话）", visible=False, size="sm", elem_id="qa-undo-clear")
            feedback_note = gr.HTML("", elem_id="qa-feedback-note")
            feedback_box = gr.Textbox(label="补充说明（可选，按回车提交）", max_lines=3, max_length=2000,
                                      visible=False, elem_id="qa-feedback-comment")
            examples = gr.Dataset(label="试试这些问题", components=[msg], samples=[[q] for q in service.examples],
                                  elem_id="qa-examples", layout="gallery", visible=False)
            with gr.Accordion("设置", open=False, elem_id="qa-settings"):
                max_sources = gr.Slider(1, MAX_SOURCES, value=DEFAULT_SOURCES, step=1, label="显示来源数量",
                                        info="每个回答下方列出的原文段落数", elem_id="qa-max-sources")
        with gr.Column(scale=5, min_width=360, elem_id="qa-sources-col"):
            sources = gr.HTML(fmt.render_sources(), elem_id="qa-sources")
            # A citation badge of an older reply: ui.style.HEAD writes "reply index:nonce" here and presses the button.
            turn_pick = gr.Textbox(visible="hidden", elem_id="qa-turn-pick", show_label=False, container=False)
            turn_go = gr.Button("显示来源", visible="hidden", elem_id="qa-turn-go")
    return _ChatPanel(conv_pick, new_conv, chatbot, msg, send, clear_btn, hint, feedback_note, feedback_box, examples,
                      max_sources, sources, turn_pick, turn_go, undo_clear)


def _wire_chat(service: QAService, chat: _ChatPanel, turns, store, rating_id):
    """Questions, ratings and conversations kept in the browser; returns the page-load restore."""
    respond = _respond_handler(service)
    outputs = [chat.chatbot, chat.msg, turns, chat.sources, chat.examples, chat.hint]

    def respond_example(evt: gr.SelectData, turns_value, max_sources):
        value = evt.value
        return respond(value.get("text", "") if isinstance(value, dict) else str(value or ""), turns_value, max_sources)

    def respond_dataset(sample, turns_value, max_sources):
        text = sample[0] if isinstance(sample, (list, tuple)) and sample else sample
        return respond(text if isinstance(text, str) else "", turns_value, max_sources)

    def keep(store_value, turns_value):
        saved = conv.save(store_value, turns_value)
        # A new question ends the chance to undo 清空对话.
        return saved, gr.Dropdown(choices=conv.choices(saved), value=saved["active"] or None), gr.Button(visible=False)

    ask = dict(concurrency_limit=ASK_CONCURRENCY, concurrency_id="ask", show_progress="minimal", **_PRIVATE)
    saving = dict(fn=keep, inputs=[store, turns], outputs=[store, chat.conv_pick, chat.undo_clear], queue=False,
                  **_PRIVATE)
    chat.msg.submit(respond, [chat.msg, turns, chat.max_sources], outputs, **ask).then(**saving)
    chat.send.click(respond, [chat.msg, turns, chat.max_sources], outputs, **ask).then(**saving)
    chat.chatbot.example_select(respond_example, [turns, chat.max_sources], outputs, **ask).then(**saving)
    chat.examples.click(respond_dataset, [chat.examples, turns, chat.max_sources], outputs, **ask).then(**saving)
    chat.chatbot.like(rating.rate_handler(service), turns, [chat.feedback_note, rating_id, chat.feedback_box],
                      queue=False, **_PRIVATE)
    chat.feedback_box.submit(lambda rid, text: rating.comment(service, rid, text), [rating_id, chat.feedback_box],
                             [chat.feedback_note, chat.feedback_box], queue=False, **_PRIVATE)
    chat.turn_go.click(turn_sources, [chat.turn_pick, turns], chat.sources, queue=False, show_progress="hidden",
                       **_PRIVATE)
    return _wire_conversations(chat, turns, store)


def turn_sources(request: str, turns: list) -> str:
    """The sources panel of chat reply ``request`` ("index:nonce", the index counting replies from 0).

    Every reply has its own sources; the panel shows the latest answer's, so a badge of an older
    answer used to highlight a card of the latest one. A reply whose sources were not kept
    (older turns of a restored chat, error notices) gets a panel that says so, never other cards.
    """
    turns = [t for t in (turns or []) if isinstance(t, dict)]
    head = str(request or "").split(":", 1)[0]
    try:
        index = _latest_answer(turns) if head == "latest" else int(head)
    except ValueError:
        return gr.skip()
    if not 0 <= index < len(turns):
        return gr.skip()
    turn = turns[index]
    latest = index == _latest_answer(turns)
    if turn.get("a") is None and not turn.get("sources"):
        html = ('<div class="qa-sources qa-sources-empty"><p>这条消息没有来源。</p></div>')
        return fmt.render_turn_panel(html, index, latest, index + 1)
    return fmt.render_turn_panel(turn.get("sources") or None, index, latest, index + 1)


def _latest_answer(turns: list) -> int:
    """Index of the latest turn that kept a sources panel (-1: none)."""
    for i in range(len(turns) - 1, -1, -1):
        if isinstance(turns[i], dict) and turns[i].get("sources"):
            return i
    return -1


def _wire_conversations(chat: _ChatPanel, turns, store):
    """New chat, clear (with undo) and switching between kept conversations; returns the page-load restore."""
    outputs = [chat.chatbot, chat.msg, turns, chat.sources, chat.examples, chat.hint]
    cleared = gr.State(None)  # the conversation 清空对话 removed, until the next question

    def clear():
        # The empty chat shows the examples itself; the list under the input returns with the first answer.
        return [], "", [], fmt.render_sources(), gr.Dataset(visible=False), ""

    def panel_of(turns_value) -> str:
        latest = _latest_answer(turns_value)
        if latest < 0:
            return fmt.render_sources()
        return fmt.render_turn_panel(turns_value[latest]["sources"], latest, True)

    def restore(store_value):
        turns_value = conv.active_turns(store_value)
        return (_chat_messages(turns_value), turns_value, panel_of(turns_value),
                gr.Dropdown(choices=conv.choices(store_value), value=conv.active_id(store_value) or None))

    def pick(store_value, conversation_id):
        saved, _ = conv.switch(store_value, conversation_id)
        return (saved,) + restore(saved)

    def start_new(store_value):
        saved = conv.start_new(store_value)
        return (saved,) + clear() + (gr.Dropdown(choices=conv.choices(saved), value=None),)

    def clear_current(store_value, turns_value):
        # 清空对话 empties this chat: it also leaves the list, where it stayed under its old title.
        # It used to be gone for good on one click; now 撤销清空 brings it back (until the next question).
        removed = conv.active_item(store_value)
        if removed is None and turns_value:  # not saved yet (e.g. only an error notice): keep the session's turns
            removed = {"id": "", "turns": list(turns_value)}
        saved = conv.remove_active(store_value)
        undo = gr.Button(visible=removed is not None and bool(removed.get("turns")))
        note = ("<div class='qa-input-hint qa-hint-cleared'>对话已清空。</div>" if removed is not None else "")
        out = (saved,) + clear()[:-1] + (note, gr.Dropdown(choices=conv.choices(saved), value=None))
        return out + (removed, undo)

    def undo_clear(store_value, removed):
        if not isinstance(removed, dict) or not removed.get("turns"):
            return (gr.skip(),) * 8 + (None, gr.Button(visible=False))
        saved = conv.put_back(store_value, removed)
        turns_value = conv.active_turns(saved) or list(removed["turns"])
        return (saved, _chat_messages(turns_value), "", turns_value, panel_of(turns_value), gr.Dataset(visible=True),
                "", gr.Dropdown(choices=conv.choices(saved), value=conv.active_id(saved) or None),
                None, gr.Button(visible=False))

    wiring = dict(inputs=store, outputs=[store] + outputs + [chat.conv_pick], queue=False, **_PRIVATE)
    # One clear control (清空对话): the chat panel's own trash icon (tooltip "Clear") was a second one.
    chat.clear_btn.click(clear_current, [store, turns], [store] + outputs + [chat.conv_pick, cleared, chat.undo_clear],
                         queue=False, **_PRIVATE)
    chat.undo_clear.click(undo_clear, [store, cleared], [store] + outputs + [chat.conv_pick, cleared, chat.undo_clear],
                          queue=False, **_PRIVATE)
    chat.new_conv.click(start_new, **wiring)
    chat.conv_pick.input(pick, [store, chat.conv_pick], [store, chat.chatbot, turns, chat.sources, chat.conv_pick],
                         queue=False, **_PRIVATE)
    return restore


@dataclass
class _ArticlesPanel:
    """The articles tab's components."""

    status: object
    rebuild: object  # None when the page is read-only
    rebuild_note: object
    library: object  # library_tab.LibraryPanel, or None when the page is read-only
    browser: list


def _articles_panel(service: QAService, status, snap, access) -> _ArticlesPanel:
    with gr.Row(equal_height=False, elem_id="qa-art-row"):
        with gr.Column(scale=3, min_width=300, elem_id="qa-art-tools-col"):
            status_html = gr.HTML(snap.status_html, elem_id="qa-status")
            rebuild_btn = rebuild_note = None
            if access.can_edit:
                rebuild_btn = gr.Button("重建索引", variant="secondary", visible=access.editor_by_default,
                                        elem_id="qa-rebuild")
                rebuild_note = gr.HTML("", elem_id="qa-rebuild-msg")
            library = library_tab.build_panel(service, access, snap.bundled)
        with gr.Column(scale=7, elem_id="qa-art-list-col"):
            # One page of titles; further pages and whole articles load on demand.
            browser = article_browser(service.catalogue, _PRIVATE)
    return _ArticlesPanel(status_html, rebuild_btn, rebuild_note, library, list(browser))


def _view_updates(snap, library, service) -> tuple:
    """The snapshot as updates of (status, page number, list, pager, header, chat placeholder, examples[, delete picker])."""
    out = (snap.status_html, snap.page[0], snap.page[1], snap.page[2], snap.header_html,
           gr.Chatbot(placeholder=snap.welcome_html))
    if library is not None:
        out += (gr.Dropdown(choices=library_tab.file_choices(service, snap.bundled)),)
    return out


def _wire_index(demo, service: QAService, panel: _ArticlesPanel, header, chat: _ChatPanel, seen, editor,
                refresher, access) -> None:
    """Every view of the index from one snapshot: on page load, after a rebuild, when a refresh this
    page started has finished (an event), and on a slow timer for changes made in other browsers."""
    catalogue = service.catalogue
    lib = panel.library
    views = [panel.status, *panel.browser, header, chat.chatbot] + ([lib.delete_pick] if lib is not None else [])

    def full(max_age: float = 0.0):
        snap = views_mod.snapshot(service, catalogue, refresher, max_age)
        return (*_view_updates(snap, lib, service), snap.version)

    def full_with_examples():
        return (*full(), gr.Dataset(samples=[[q] for q in service.examples]))

    demo.load(lambda: full(PAGE_LOAD_STATUS_AGE), None, views + [seen], queue=False, **_PRIVATE)

    def tick(seen_value):
        """Status and refresh progress; the rest only when the index answering has changed."""
        snap = views_mod.snapshot(service, catalogue, refresher)
        if snap.version == seen_value:
            skipped = (gr.skip(),) * (len(views) - 2)  # everything but status and header
            return (snap.status_html, *skipped[:3], snap.header_html, *skipped[3:], gr.skip())
        return (*_view_updates(snap, lib, service), snap.version)

    gr.Timer(library_tab.POLL_SECONDS).tick(tick, seen, views + [seen], queue=False, show_progress="hidden",
                                            **_PRIVATE)
    if panel.rebuild is not None:
        # Several at once, so that clicks during a rebuild join it (QAService.rebuild) instead of queueing repeats.
        panel.rebuild.click(_rebuild_handler(service, refresher, full), editor,
                            views + [seen, panel.rebuild_note], concurrency_limit=REBUILD_WAITERS,
                            concurrency_id="rebuild", show_progress="full", show_progress_on=[panel.status],
                            **_PRIVATE).then(lambda: gr.Dataset(samples=[[q] for q in service.examples]), None,
                                             chat.examples, queue=False, **_PRIVATE)
    if lib is not None:
        _wire_library(service, lib, panel, refresher, access, editor, seen, views, full_with_examples, chat)


def _wire_library(service, lib, panel, refresher, access, editor, seen, views, full_with_examples, chat) -> None:
    """Login, upload, paste, delete (confirm, undo): each change, then every view once the refresh is done."""
    reports = gr.State([])
    ticket = gr.State(0)
    batch = gr.State("")
    pending = gr.State([])
    write = dict(concurrency_limit=1, concurrency_id="library", **_PRIVATE)

    def settle(ticket_value, reports_value):
        """After a change: wait for the refresh that covers it, then every view and the report's last line."""
        if not ticket_value:
            return (*(gr.skip(),) * (len(views) + 2), gr.skip())
        state = refresher.wait(ticket_value, REFRESH_WAIT_SECONDS)
        out = full_with_examples()
        snap_count = _count(service)
        refreshed = False if state.error else (snap_count if not state.running else None)
        return (*out, fmt.render_file_reports(reports_value, refreshed) if reports_value else gr.skip())

    # The wait holds no library slot: further uploads and deletes go ahead while a page waits.
    waiting = dict(fn=settle, inputs=[ticket, reports], outputs=views + [seen, chat.examples, lib.report],
                   concurrency_limit=REFRESH_WAITERS, concurrency_id="refresh-wait", show_progress="hidden",
                   **_PRIVATE)

    def on_upload(files, editor_value):
        html, done, number = library_tab.upload_files(service, refresher, files, editor_value)
        return html, None, done, number

    lib.upload.upload(on_upload, [lib.upload, editor], [lib.report, lib.upload, reports, ticket], **write).then(**waiting)

    def on_paste(title, body, editor_value):
        html, title_box, body_box, done, number = library_tab.paste_text(service, refresher, title, body, editor_value)
        return html, title_box, body_box, done, number

    lib.paste_btn.click(on_paste, [lib.paste_title, lib.paste_body, editor],
                        [lib.report, lib.paste_title, lib.paste_body, reports, ticket], **write).then(**waiting)

    def ask_confirm(names, editor_value):
        if editor_value is not True:
            return library_tab._refused(editor_value), gr.Column(visible=False), []
        names = [n for n in (names or []) if isinstance(n, str)]
        if not names:
            return fmt.render_upload_error("先在列表里选择要删除的文件。"), gr.Column(visible=False), []
        bundled = views_mod.bundled_names(service.seeds_dir)
        return (library_tab.confirm_text(names, bundled, library_tab.article_counts(service)), gr.Column(visible=True),
                names)

    lib.delete_btn.click(ask_confirm, [lib.delete_pick, editor], [lib.confirm_note, lib.confirm_row, pending],
                         queue=False, **_PRIVATE)
    lib.cancel_btn.click(lambda: ("", gr.Column(visible=False), [], gr.Dropdown(value=[])), None,
                         [lib.confirm_note, lib.confirm_row, pending, lib.delete_pick], queue=False, **_PRIVATE)

    def on_delete(names, editor_value):
        html, done, number, trash = library_tab.delete_files(service, refresher, names, editor_value)
        return (html, done, number, trash, gr.Button(visible=bool(trash)), gr.Column(visible=False), "", [],
                gr.Dropdown(value=[]))

    lib.confirm_btn.click(on_delete, [pending, editor],
                          [lib.report, reports, ticket, batch, lib.undo_btn, lib.confirm_row, lib.confirm_note,
                           pending, lib.delete_pick], **write).then(**waiting)

    def on_undo(trash, editor_value):
        html, done, number = library_tab.restore_files(service, refresher, trash, editor_value)
        return html, done, number, "", gr.Button(visible=False)

    lib.undo_btn.click(on_undo, [batch, editor], [lib.report, reports, ticket, batch, lib.undo_btn],
                       **write).then(**waiting)

    if lib.login is not None:
        def on_login(token_value):
            if access_mod.check_token(access, token_value):
                return (True, gr.Column(visible=True), gr.Column(visible=False), gr.Button(visible=True),
                        "", gr.Textbox(value=""))
            return (False, gr.skip(), gr.skip(), gr.skip(), "<span class='qa-note-bad'>编辑口令不对，请再试一次。</span>",
                    gr.Textbox(value=""))

        login_out = [editor, lib.editor_col, lib.login_box, panel.rebuild, lib.login_note, lib.token]
        login = dict(fn=on_login, inputs=lib.token, outputs=login_out, concurrency_limit=4,
                     concurrency_id="login", show_progress="hidden", **_PRIVATE)
        lib.login.click(**login)
        lib.token.submit(**login)


def _count(service: QAService) -> int:
    assistant = service.current
    return len(assistant.articles) if assistant is not None else 0


def build_app(service: QAService, access=None):
    """The page for a prepared :class:`QAService` (not launched).

    ``access`` (:func:`ui.access.access_for`): who may change the articles; default: the local user
    (the page served on 127.0.0.1).
    """
    access = access or access_mod.Access(access_mod.LOCAL)
    service.catalogue = Catalogue(service)
    refresher = library_tab.Refresher(service)
    snap = views_mod.snapshot(service, service.catalogue, refresher)
    status = service.status(PAGE_LOAD_STATUS_AGE)
    with gr.Blocks(title="新闻问答") as demo:
        header = gr.HTML(snap.header_html, elem_id="qa-header-block")
        turns = gr.State([])
        store = gr.BrowserState(conv.empty_store(), storage_key=conv.STORAGE_KEY)
        rating_id = gr.State("")
        seen = gr.State(snap.version)
        # Per browser session and kept on the server: a reader cannot set it by sending data.
        editor = gr.State(access.editor_by_default)
        with gr.Tabs(elem_id="qa-tabs"):
            with gr.Tab("问答", id="chat", elem_id="qa-tab-chat"):
                chat = _chat_panel(service, snap.welcome_html)
            with gr.Tab("文章与索引", id="articles", elem_id="qa-tab-articles"):
                articles = _articles_panel(service, status, snap, access)
        restore = _wire_chat(service, chat, turns, store, rating_id)
        demo.load(restore, store, [chat.chatbot, turns, chat.sources, chat.conv_pick], queue=False, **_PRIVATE)
        _wire_index(demo, service, articles, header, chat, seen, editor, refresher, access)
        ask_api, answer_api = _api_handlers(service)
        gr.api(ask_api, api_name="ask", concurrency_limit=ASK_CONCURRENCY, concurrency_id="ask")
        gr.api(answer_api, api_name="answer", concurrency_limit=ASK_CONCURRENCY, concurrency_id="ask")
    demo.qa_refresher = refresher  # tests and the CLI reach the refresh through the page
    return demo


def create_app(settings: Settings, *, progress=None, show_progress: bool = False, access=None):
    """(page, service) for the index and seeds folders of ``settings``, the index built first if needed."""
    service = QAService(settings).prepare(progress=progress, show_progress=show_progress)
    return build_app(service, access), service


def launch(demo, host: str = "127.0.0.1", port: int = 7860, *, prevent_thread_lock: bool = False, quiet: bool = False):
    """Start the page on ``host:port``: no share link, analytics off, no web fonts."""
    from . import style

    demo.queue(default_concurrency_limit=1)
    return demo.launch(
        server_name=host, server_port=port, share=False, inbrowser=False, show_error=False,
        prevent_thread_lock=prevent_thread_lock, quiet=quiet, ssr_mode=False, mcp_server=False,
        # No footer: it was one English link ("Use via API"); the API is documented in the README.
        footer_links=[], theme=style.theme(), css=style.CSS, enable_monitoring=False, pwa=False,
        max_file_size=limits.MAX_UPLOAD_BYTES, app_kwargs=limits.app_kwargs(), head=style.head(),
    )
