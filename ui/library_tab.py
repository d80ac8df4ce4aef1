"""The articles tab's library panel: upload documents, paste a text, delete files (to a trash, with
undo), the editor login, and the background refresh of the index (the old index keeps answering until the new one has loaded).

Everything the browser sends goes through :mod:`qa.ingest.library`, which enforces the
limits and writes only inside the seeds folder; this module only wires it to
the page and reports progress.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from qa.core.errors import IndexLockedError, QAError
from qa.ingest.library import (
    Limits,
    add_documents,
    add_text,
    list_documents,
    restore_documents,
    trash_documents,
)

from . import format as fmt

log = logging.getLogger(__name__)

LIMITS = Limits()
POLL_SECONDS = 1.5


@dataclass(frozen=True)
class RefreshState:
    """What the background refresh is doing, for the status panel."""

    running: bool = False
    fraction: float = 0.0
    message: str = ""
    error: str = ""
    done: int = 0  # refreshes finished since the server started


class Refresher:
    """One background index refresh at a time; a request during a run queues one more run.

    Every :meth:`start` returns a ticket; :meth:`wait` blocks until a refresh that began after
    that request has finished, so the page that made a change updates its counts when the new
    index answers - an event, not a timer that may look too early or late.
    """

    def __init__(self, service):
        self.service = service
        self._cond = threading.Condition()
        self._requested = 0  # tickets handed out
        self._settled = 0  # every ticket up to this one is finished (refreshed or failed)
        self.state = RefreshState()

    def start(self) -> int:
        """Refresh the index from the seeds folder in a background thread (or after the running one); the ticket."""
        with self._cond:
            self._requested += 1
            ticket = self._requested
            if self.state.running:
                return ticket  # the running loop sees the new request and goes round once more
            self.state = RefreshState(True, 0.0, "排队中", "", self.state.done)
        threading.Thread(target=self._run, name="qa-refresh", daemon=True).start()
        return ticket

    def wait(self, ticket: int, timeout: float | None = None) -> RefreshState:
        """The state once the refresh covering ``ticket`` has finished (or ``timeout`` seconds passed)."""
        with self._cond:
            self._cond.wait_for(lambda: self._settled >= ticket, timeout)
            return self.state

    def _progress(self, update) -> None:
        self.state = RefreshState(True, float(update.fraction), fmt.progress_text(update), "", self.state.done)

    def _run(self) -> None:
        while True:
            with self._cond:
                covering = self._requested  # changes made before this point are in this run's build
            error = ""
            try:
                self.service.rebuild(progress=self._progress, force=False)
            except IndexLockedError:  # a rebuild from the button runs: wait for it, then look again
                try:
                    self.service.rebuild(join=True)
                except Exception:  # noqa: BLE001 - its page reports its own failure
                    pass
                continue
            except QAError as exc:
                log.warning("background refresh failed: %s", exc)
                error = "刷新失败，原索引继续提供服务。详情见服务器日志。"
            except Exception:
                log.exception("background refresh failed")
                error = "刷新失败，原索引继续提供服务。详情见服务器日志。"
            with self._cond:
                if self._requested > covering and not error:
                    continue  # a change arrived during the build: build once more
                self._settled = self._requested
                self.state = RefreshState(False, 1.0, "", error, self.state.done + 1)
                self._cond.notify_all()
                return


NOT_EDITOR = "需要编辑权限：请先在上方用编辑口令登录。"


def _refused(editor) -> str:
    """'' when the session may change the articles, else the refusal (checked on the server for
    every write, so a reader calling the queue endpoints over HTTP is refused too)."""
    return "" if editor is True else fmt.render_upload_error(NOT_EDITOR)


def upload_files(service, refresher: Refresher, files, editor=True) -> tuple[str, list, int]:
    """Store uploaded files (paths in Gradio's upload cache) and start a refresh.

    (the per-file report, the reports, the refresh ticket - 0 when nothing changed).
    """
    refused = _refused(editor)
    if refused:
        return refused, [], 0
    paths = [Path(f if isinstance(f, str) else getattr(f, "name", "")) for f in (files or [])]
    if not paths:
        return "", [], 0
    try:
        reports = add_documents([(p.name, p) for p in paths], service.seeds_dir, LIMITS)
    except QAError as exc:
        log.info("upload refused: %s", exc)
        return fmt.render_upload_error(str(exc)), [], 0
    for r in reports:
        if r.reason:
            log.info("upload of %s: %s (%s)", r.name, r.status, r.reason)
    ticket = refresher.start() if any(r.status == "added" for r in reports) else 0
    return fmt.render_file_reports(reports), reports, ticket


def paste_text(service, refresher: Refresher, title: str, body: str, editor=True):
    """Store a pasted text as an article; (report, title box, body box, reports, ticket) - boxes kept when refused."""
    refused = _refused(editor)
    if refused:
        return refused, gr.skip(), gr.skip(), [], 0
    try:
        report = add_text(title, body, service.seeds_dir, LIMITS)
    except QAError as exc:
        return fmt.render_upload_error(str(exc)), gr.skip(), gr.skip(), [], 0
    if report.status == "added":
        return fmt.render_file_reports([report]), "", "", [report], refresher.start()
    return fmt.render_file_reports([report]), gr.skip(), gr.skip(), [], 0


def delete_files(service, refresher: Refresher, names, editor=True) -> tuple[str, list, int, str]:
    """Move seed files to the trash and start a refresh; (report, reports, ticket, trash batch for 撤销)."""
    refused = _refused(editor)
    if refused:
        return refused, [], 0, ""
    names = [n for n in (names or []) if isinstance(n, str)]
    if not names:
        return fmt.render_upload_error("先在列表里选择要删除的文件。"), [], 0, ""
    batch, reports = trash_documents(names, service.seeds_dir)
    ticket = refresher.start() if batch else 0
    return fmt.render_file_reports(reports), reports, ticket, batch


def restore_files(service, refresher: Refresher, batch: str, editor=True) -> tuple[str, list, int]:
    """Put a deleted batch back from the trash and start a refresh; (report, reports, ticket)."""
    refused = _refused(editor)
    if refused:
        return refused, [], 0
    try:
        reports = restore_documents(batch, service.seeds_dir)
    except QAError as exc:
        return fmt.render_upload_error(str(exc)), [], 0
    ticket = refresher.start() if reports else 0
    return fmt.render_file_reports(reports), reports, ticket


def article_counts(service) -> dict:
    """Articles of the index answering now, per source file name."""
    assistant = getattr(service, "current", None)
    counts: dict = {}
    for article in (getattr(assistant, "articles", None) or {}).values() if assistant is not None else ():
        counts[article.source] = counts.get(article.source, 0) + 1
    return counts


def confirm_text(names, bundled, counts=None) -> str:
    """The question asked before deleting ``names`` (sample pages in ``bundled`` called out), with
    how many articles go with them (``counts``: articles per file name, as indexed now)."""
    names = [n for n in (names or []) if isinstance(n, str)]
    if not names:
        return fmt.render_upload_error("先在列表里选择要删除的文件。")
    counts = counts or {}
    samples = [n for n in names if n in bundled]
    warn = ("<div class='qa-note-bad'>其中 %s 是项目随附的样稿，删除后示例问题可能失效。</div>"
            % "、".join("<span class='qa-file'>%s</span>" % fmt.esc(n) for n in samples)) if samples else ""
    listed = "、".join("<span class='qa-file'>%s</span>（%d 篇文章）" % (fmt.esc(n), int(counts.get(n, 0))) for n in names)
    total = sum(int(counts.get(n, 0)) for n in names)
    return ("<div class='qa-confirm-text'>确定删除这 %d 个文件（共 <span class='qa-confirm-articles'>%d</span> 篇文章）吗？"
            "%s<div class='qa-muted'>这些文章将不再用于回答。文件会先移到回收站，"
            "删除后可点“撤销删除”恢复；重建索引时回收站会被清空。</div>%s</div>"
            % (len(names), total, listed, warn))


def file_choices(service, bundled=frozenset()) -> list:
    """The delete picker's choices: (label, file name), the bundled sample pages marked."""
    try:
        names = list_documents(service.seeds_dir)
    except (QAError, OSError):
        return []
    return [("%s（%s）" % (n, fmt.BUNDLED_LABEL) if n in bundled else n, n) for n in names]


@dataclass
class LibraryPanel:
    """The write controls of the articles tab (present only when the page may be edited)."""

    login_box: object  # the login row (None when no login is needed)
    token: object
    login: object
    login_note: object
    editor_col: object  # upload, paste, delete: visible to editors
    upload: object
    paste_title: object
    paste_body: object
    paste_btn: object
    delete_pick: object
    delete_btn: object
    confirm_row: object
    confirm_note: object
    confirm_btn: object
    cancel_btn: object
    undo_btn: object
    report: object


def build_panel(service, access, bundled=frozenset()) -> LibraryPanel | None:
    """The login, upload / paste / delete controls (call inside a ``gr.Blocks`` context); None when read-only."""
    if not access.can_edit:
        gr.Markdown("本页面为只读：可以浏览和提问，不能添加或删除文章。", elem_id="qa-read-only")
        return None
    login_box = token = login = login_note = None
    if not access.editor_by_default:
        with gr.Column(elem_id="qa-login") as login_box:
            gr.Markdown("添加、删除文章和重建索引需要编辑权限。", elem_id="qa-login-help")
            with gr.Row(elem_id="qa-login-row"):
                token = gr.Textbox(type="password", show_label=False, placeholder="编辑口令", max_lines=1,
                                   max_length=200, scale=4, container=False, elem_id="qa-login-token")
                login = gr.Button("登录", scale=1, min_width=72, elem_id="qa-login-btn")
            login_note = gr.HTML("", elem_id="qa-login-note")
    with gr.Column(visible=access.editor_by_default, elem_id="qa-editor") as editor_col:
        with gr.Accordion("添加或删除文章", open=True, elem_id="qa-library"):
            gr.Markdown("拖放文件到下方区域，或点击选择（可多选）。支持 %s；每次最多 %d 个文件，单个不超过 %d MB。"
                        "扫描版 PDF（没有文字层）无法读取。"
                        % (" ".join(LIMITS.suffixes), LIMITS.max_files, LIMITS.max_file_bytes // 2**20),
                        elem_id="qa-upload-help")
            # No label (it floated over the upload icon) and no file_types: Gradio's own check refused
            # other types with an English toast; the library refuses them per file, in Chinese.
            upload = gr.File(show_label=False, file_count="multiple", type="filepath", elem_id="qa-upload", height=120)
            with gr.Accordion("粘贴一篇文章", open=False, elem_id="qa-paste"):
                paste_title = gr.Textbox(label="标题", max_lines=1, max_length=200, elem_id="qa-paste-title")
                paste_body = gr.Textbox(label="正文", lines=6, max_lines=20, max_length=200_000, elem_id="qa-paste-body")
                paste_btn = gr.Button("添加这篇文章", elem_id="qa-paste-add")
            with gr.Row(elem_id="qa-delete-row"):
                delete_pick = gr.Dropdown(choices=file_choices(service, bundled), multiselect=True, label="删除文件",
                                          scale=4, elem_id="qa-delete-pick")
                delete_btn = gr.Button("删除…", variant="stop", scale=1, min_width=72, elem_id="qa-delete")
            with gr.Column(visible=False, elem_id="qa-confirm") as confirm_row:
                confirm_note = gr.HTML("", elem_id="qa-confirm-note")
                with gr.Row():
                    confirm_btn = gr.Button("确认删除", variant="stop", elem_id="qa-confirm-delete")
                    cancel_btn = gr.Button("取消", elem_id="qa-cancel-delete")
            report = gr.HTML("", elem_id="qa-upload-report")
            undo_btn = gr.Button("撤销删除", visible=False, size="sm", elem_id="qa-undo")
    return LibraryPanel(login_box, token, login, login_note, editor_col, upload, paste_title, paste_body, paste_btn,
                        delete_pick, delete_btn, confirm_row, confirm_note, confirm_btn, cancel_btn, undo_btn, report)
