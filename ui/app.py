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

from qa.answer.history import history_from_api
from qa.core.errors import IndexLockedError, QAError, QuestionError
from qa.core.settings import MAX_QUESTION_CHARS, Settings

from . import conversations as conv
from . import format as fmt
from . import library_tab, limits, rating
from .catalogue import Catalogue, article_browser
from .service import DEFAULT_SOURCES, MAX_SOURCES, QAService

log = logging.getLogger(__name__)

ASK_CONCURRENCY = 4  # questions answered at once; the embedder serialises its own part
REBUILD_WAITERS = 8  # rebuild clicks handled at once: one builds, the others wait for it
PAGE_LOAD_STATUS_AGE = 5.0  # seconds a page load may reuse the last index status check

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


def _placeholder(service: QAService) -> str:
    try:
        count = len(service.assistant.articles)
    except QAError:
        count = 0
    return ("<div class='qa-welcome'><h3>想了解这些新闻里的什么？</h3><p>已收录 %d 篇文章。回答均摘自原文并标注出处；"
            "文章里没有的内容，会如实告诉你。</p></div>" % count)


def _respond_handler(service: QAService):
    """The chat turn: (chat, input box, turns, sources panel, examples) for a typed question."""

    def respond(message, turns, max_sources):
        turns = list(turns or [])
        question = message if isinstance(message, str) else ""
        if not question.strip():  # Enter on an empty box: nothing to answer, nothing to show
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        history = [(t["q"], t["a"]) for t in turns if t.get("a") is not None]
        # Escaped only up to a little past the limit: an over-long question is refused anyway.
        shown = question[: 2 * MAX_QUESTION_CHARS]
        user_html = fmt.render_question(shown) if shown.strip() else ""
        try:
            answer, assistant = service.ask(question, history, max_sources)
        except Exception as exc:  # every failure becomes a message in the chat
            if not isinstance(exc, QAError):
                log.exception("answering %r failed", question[:200])
            turns.append({"q": question, "a": None, "user": user_html, "bot": fmt.render_error(friendly_error(exc))})
            # Keep the typed text so the user can fix it; keep the previous sources.
            return _chat_messages(turns), gr.skip(), turns, gr.skip(), gr.skip()
        sources = fmt.render_sources(answer, assistant.articles)
        turns.append({"q": question, "a": answer.text, "user": user_html, "bot": fmt.with_actions(fmt.render_answer(answer)),
                      "sources": sources, "fb": conv.rating_payload(answer)})
        return _chat_messages(turns), "", turns, sources, gr.Dataset(visible=True)

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


def _article_count(service: QAService) -> int:
    try:
        return len(service.assistant.articles)
    except QAError:
        return 0


def _index_views_handler(service: QAService, catalogue: Catalogue):
    def index_views(max_age: float = 0.0):
        """Status, the article list's first page (page number, list, page info) and the header."""
        status = service.status(max_age)
        page = catalogue.page(1)
        return (fmt.render_status(status, str(service.index_dir), str(service.seeds_dir)), page[0], page[1],
                "<span class='qa-muted'>%s</span>" % page[2], fmt.render_header(status, _article_count(service)))

    return index_views


def _rebuild_handler(service: QAService, index_views):
    def rebuild(progress=gr.Progress()):
        def report_progress(update):
            progress(update.fraction, desc=fmt.progress_text(update))

        try:
            joined = service.rebuild_running  # a second click waits for the running rebuild instead of repeating it
            report = service.rebuild(progress=report_progress, join=True)
            note = ("<span class='qa-note-ok'>%s索引已重建：%d 篇文章、%d 个段落，新计算 %d 个向量，用时 %.1f 秒。</span>"
                    % ("已有一次重建在进行，已等待它完成。" if joined else "",
                       report.articles, report.chunks, report.embedded, report.seconds))
        except IndexLockedError:
            note = "<span class='qa-note-bad'>已有一次重建正在进行，请稍后再试。</span>"
        except QAError as exc:
            log.warning("rebuild failed: %s", exc)
            note = ("<span class='qa-note-bad'>重建失败，原索引继续提供服务。</span><pre>%s</pre>" % fmt.esc(exc))
        except Exception:
            log.exception("rebuild failed")
            note = "<span class='qa-note-bad'>重建失败，原索引继续提供服务。详情见服务器日志。</span>"
        return (*index_views(), note, gr.Dataset(samples=[[q] for q in service.examples]))

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
    feedback_note: object
    feedback_box: object
    examples: object
    max_sources: object
    sources: object


def _chat_panel(service: QAService) -> _ChatPanel:
    """The chat column (conversations, chat, input, examples, settings) and the sources column."""
    with gr.Row(equal_height=False):
        with gr.Column(scale=7, min_width=420, elem_id="qa-chat-col"):
            with gr.Row(elem_id="qa-conv-row"):
                conv_pick = gr.Dropdown(choices=[], label="对话记录（保存在本浏览器）", scale=4, elem_id="qa-conversations")
                new_conv = gr.Button("新对话", scale=1, min_width=84, elem_id="qa-new-conv")
            chatbot = gr.Chatbot(
                value=[], show_label=False, elem_id="qa-chat", height=500, placeholder=_placeholder(service),
                examples=[{"text": q, "display_text": q} for q in service.examples],
                latex_delimiters=[],  # "$" in articles is money, not maths
                sanitize_html=True, render_markdown=True, feedback_options=("Like", "Dislike"),
                buttons=[], autoscroll=True, layout="bubble",
                group_consecutive_messages=False,  # a notice after a notice stays its own bubble
            )
            with gr.Row(elem_id="qa-input-row"):
                msg = gr.Textbox(placeholder="输入问题，按回车发送；可接着追问，如“那它的占地面积呢？”",
                                 show_label=False, container=False, lines=1, max_lines=4, scale=8,
                                 max_length=MAX_QUESTION_CHARS, elem_id="qa-input", autofocus=True)
                send = gr.Button("发送", variant="primary", scale=1, min_width=84, elem_id="qa-send")
                clear_btn = gr.Button("清空对话", variant="secondary", scale=1, min_width=96, elem_id="qa-clear")
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
    return _ChatPanel(conv_pick, new_conv, chatbot, msg, send, clear_btn, feedback_note, feedback_box, examples,
                      max_sources, sources)


def _wire_chat(service: QAService, chat: _ChatPanel, turns, store, rating_id):
    """Questions, ratings and conversations kept in the browser; returns the page-load restore."""
    respond = _respond_handler(service)
    outputs = [chat.chatbot, chat.msg, turns, chat.sources, chat.examples]

    def respond_example(evt: gr.SelectData, turns_value, max_sources):
        value = evt.value
        return respond(value.get("text", "") if isinstance(value, dict) else str(value or ""), turns_value, max_sources)

    def respond_dataset(sample, turns_value, max_sources):
        text = sample[0] if isinstance(sample, (list, tuple)) and sample else sample
        return respond(text if isinstance(text, str) else "", turns_value, max_sources)

    def keep(store_value, turns_value):
        saved = conv.save(store_value, turns_value)
        return saved, gr.Dropdown(choices=conv.choices(saved), value=saved["active"] or None)

    ask = dict(concurrency_limit=ASK_CONCURRENCY, concurrency_id="ask", show_progress="minimal", **_PRIVATE)
    saving = dict(fn=keep, inputs=[store, turns], outputs=[store, chat.conv_pick], queue=False, **_PRIVATE)
    chat.msg.submit(respond, [chat.msg, turns, chat.max_sources], outputs, **ask).then(**saving)
    chat.send.click(respond, [chat.msg, turns, chat.max_sources], outputs, **ask).then(**saving)
    chat.chatbot.example_select(respond_example, [turns, chat.max_sources], outputs, **ask).then(**saving)
    chat.examples.click(respond_dataset, [chat.examples, turns, chat.max_sources], outputs, **ask).then(**saving)
    chat.chatbot.like(rating.rate_handler(service), turns, [chat.feedback_note, rating_id, chat.feedback_box],
                      queue=False, **_PRIVATE)
    chat.feedback_box.submit(lambda rid, text: rating.comment(service, rid, text), [rating_id, chat.feedback_box],
                             [chat.feedback_note, chat.feedback_box], queue=False, **_PRIVATE)
    return _wire_conversations(chat, turns, store)



def _wire_conversations(chat: _ChatPanel, turns, store):
    """New chat, clear and switching between kept conversations; returns the page-load restore."""
    outputs = [chat.chatbot, chat.msg, turns, chat.sources, chat.examples]

    def clear():
        # The empty chat shows the examples itself; the list under the input returns with the first answer.
        return [], "", [], fmt.render_sources(), gr.Dataset(visible=False)

    def restore(store_value):
        turns_value = conv.active_turns(store_value)
        panel = conv.last_sources(turns_value)
        return (_chat_messages(turns_value), turns_value, panel if panel else fmt.render_sources(),
                gr.Dropdown(choices=conv.choices(store_value), value=conv.active_id(store_value) or None))

    def pick(store_value, conversation_id):
        saved, _ = conv.switch(store_value, conversation_id)
        return (saved,) + restore(saved)

    def start_new(store_value):
        saved = conv.start_new(store_value)
        return (saved,) + clear() + (gr.Dropdown(choices=conv.choices(saved), value=None),)

    new_chat = dict(fn=start_new, inputs=store, outputs=[store] + outputs + [chat.conv_pick], queue=False, **_PRIVATE)
    chat.clear_btn.click(**new_chat)
    chat.new_conv.click(**new_chat)
    chat.chatbot.clear(**new_chat)  # the chat panel's own trash button clears only the panel; forget the turns too
    chat.conv_pick.input(pick, [store, chat.conv_pick], [store, chat.chatbot, turns, chat.sources, chat.conv_pick],
                         queue=False, **_PRIVATE)
    return restore


@dataclass
class _ArticlesPanel:
    """The articles tab's components."""

    status: object
    rebuild: object
    rebuild_note: object
    delete_pick: object
    browser: list


def _articles_panel(service: QAService, status, refresher, catalogue: Catalogue) -> _ArticlesPanel:
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=300):
            status_html = gr.HTML(fmt.render_status(status, str(service.index_dir), str(service.seeds_dir)),
                                  elem_id="qa-status")
            rebuild_btn = gr.Button("重建索引", variant="secondary", elem_id="qa-rebuild")
            rebuild_note = gr.HTML("", elem_id="qa-rebuild-msg")
            delete_pick = library_tab.build_panel(service, refresher)
        with gr.Column(scale=7):
            # One page of titles; further pages and whole articles load on demand.
            browser = article_browser(catalogue, _PRIVATE)
    return _ArticlesPanel(status_html, rebuild_btn, rebuild_note, delete_pick, list(browser))


def _wire_index(demo, service: QAService, panel: _ArticlesPanel, header, examples, seen, refresher, catalogue) -> None:
    """The rebuild button, the status on page load, and the timer that keeps status and list current."""
    index_views = _index_views_handler(service, catalogue)
    views = [panel.status, *panel.browser, header]
    # Several at once, so that clicks during a rebuild join it (QAService.rebuild) instead of queueing repeats.
    panel.rebuild.click(_rebuild_handler(service, index_views), None, views + [panel.rebuild_note, examples],
                        concurrency_limit=REBUILD_WAITERS, concurrency_id="rebuild", show_progress="full",
                        show_progress_on=[panel.status], **_PRIVATE)
    # Another session may have rebuilt the index since this page was rendered.
    demo.load(lambda: index_views(PAGE_LOAD_STATUS_AGE), None, views, queue=False, **_PRIVATE)

    def tick(seen_value):
        """Status and refresh progress without a reload; the list again once the index changed."""
        status_now, header_now, button, choices, now, changed = library_tab.poll(service, refresher, seen_value)
        lists = index_views()[1:4] if changed else (gr.skip(),) * 3
        return (status_now, *lists, header_now, button, choices, now)

    gr.Timer(library_tab.POLL_SECONDS).tick(tick, seen, views + [panel.rebuild, panel.delete_pick, seen],
                                            queue=False, show_progress="hidden", **_PRIVATE)


def build_app(service: QAService):
    """The page for a prepared :class:`QAService` (not launched)."""
    status = service.status()
    catalogue = Catalogue(service)
    refresher = library_tab.Refresher(service)
    with gr.Blocks(title="新闻问答") as demo:
        header = gr.HTML(fmt.render_header(status, _article_count(service)), elem_id="qa-header-block")
        turns = gr.State([])
        store = gr.BrowserState(conv.empty_store(), storage_key=conv.STORAGE_KEY)
        rating_id = gr.State("")
        seen = gr.State([])
        with gr.Tabs(elem_id="qa-tabs"):
            with gr.Tab("问答", id="chat", elem_id="qa-tab-chat"):
                chat = _chat_panel(service)
            with gr.Tab("文章与索引", id="articles", elem_id="qa-tab-articles"):
                articles = _articles_panel(service, status, refresher, catalogue)
        restore = _wire_chat(service, chat, turns, store, rating_id)
        demo.load(restore, store, [chat.chatbot, turns, chat.sources, chat.conv_pick], queue=False, **_PRIVATE)
        _wire_index(demo, service, articles, header, chat.examples, seen, refresher, catalogue)
        ask_api, answer_api = _api_handlers(service)
        gr.api(ask_api, api_name="ask", concurrency_limit=ASK_CONCURRENCY, concurrency_id="ask")
        gr.api(answer_api, api_name="answer", concurrency_limit=ASK_CONCURRENCY, concurrency_id="ask")
    return demo


def create_app(settings: Settings, *, progress=None, show_progress: bool = False):
    """(page, service) for the index and seeds folders of ``settings``, the index built first if needed."""
    service = QAService(settings).prepare(progress=progress, show_progress=show_progress)
    return build_app(service), service


def launch(demo, host: str = "127.0.0.1", port: int = 7860, *, prevent_thread_lock: bool = False, quiet: bool = False):
    """Start the page on ``host:port``: local only, no share link, analytics off, no web fonts."""
    from . import style

    demo.queue(default_concurrency_limit=1)
    return demo.launch(
        server_name=host, server_port=port, share=False, inbrowser=False, show_error=False,
        prevent_thread_lock=prevent_thread_lock, quiet=quiet, ssr_mode=False, mcp_server=False,
        footer_links=["api"], theme=style.theme(), css=style.CSS, enable_monitoring=False, pwa=False,
        max_file_size=limits.MAX_UPLOAD_BYTES, app_kwargs=limits.app_kwargs(), head=style.HEAD,
    )
