"""The articles tab's library panel: upload documents, paste a text, delete files, and the
background refresh of the index (the old index keeps answering until the new one has loaded).

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
    remove_documents,
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
    """One background index refresh at a time; a request during a run queues one more run."""

    def __init__(self, service):
        self.service = service
        self._lock = threading.Lock()
        self._pending = False
        self.state = RefreshState()

    def start(self) -> None:
        """Refresh the index from the seeds folder in a background thread (or after the running one)."""
        with self._lock:
            if self.state.running:
                self._pending = True
                return
            self.state = RefreshState(True, 0.0, "排队中", "", self.state.done)
        threading.Thread(target=self._run, name="qa-refresh", daemon=True).start()

    def _progress(self, update) -> None:
        self.state = RefreshState(True, float(update.fraction), fmt.progress_text(update), "", self.state.done)

    def _run(self) -> None:
        while True:
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
                error = "刷新失败，原索引继续提供服务：%s" % exc
            except Exception:
                log.exception("background refresh failed")
                error = "刷新失败，原索引继续提供服务。详情见服务器日志。"
            with self._lock:
                if self._pending and not error:
                    self._pending = False
                    continue
                self._pending = False
                self.state = RefreshState(False, 1.0, "", error, self.state.done + 1)
                return


def upload_files(service, refresher: Refresher, files) -> str:
    """Store uploaded files (paths in Gradio's upload cache) and start a refresh; the per-file report."""
    paths = [Path(f if isinstance(f, str) else getattr(f, "name", "")) for f in (files or [])]
    if not paths:
        return ""
    try:
        reports = add_documents([(p.name, p) for p in paths], service.seeds_dir, LIMITS)
    except QAError as exc:
        return fmt.render_upload_error(str(exc))
    if any(r.status == "added" for r in reports):
        refresher.start()
    return fmt.render_file_reports(reports)


def paste_text(service, refresher: Refresher, title: str, body: str) -> tuple[str, object, object]:
    """Store a pasted text as an article; (report, cleared title, cleared body) - kept when refused."""
    try:
        report = add_text(title, body, service.seeds_dir, LIMITS)
    except QAError as exc:
        return fmt.render_upload_error(str(exc)), gr.skip(), gr.skip()
    if report.status == "added":
        refresher.start()
        return fmt.render_file_reports([report]), "", ""
    return fmt.render_file_reports([report]), gr.skip(), gr.skip()


def delete_files(service, refresher: Refresher, names) -> str:
    """Delete seed files by name and start a refresh."""
    names = [n for n in (names or []) if isinstance(n, str)]
    if not names:
        return fmt.render_upload_error("先在列表里选择要删除的文件。")
    reports = remove_documents(names, service.seeds_dir)
    if any(r.status == "removed" for r in reports):
        refresher.start()
    return fmt.render_file_reports(reports)


def file_choices(service) -> list[str]:
    try:
        return list_documents(service.seeds_dir)
    except (QAError, OSError):
        return []


def build_panel(service, refresher: Refresher):
    """The upload / paste / delete controls (call inside a ``gr.Blocks`` context); returns
    (components to refresh on a timer, the timer's handler's outputs wired by the caller)."""
    with gr.Accordion("添加或删除文章", open=True, elem_id="qa-library"):
        gr.Markdown("支持 %s；每次最多 %d 个文件，单个不超过 %d MB。扫描版 PDF（没有文字层）无法读取。"
                    % (" ".join(LIMITS.suffixes), LIMITS.max_files, LIMITS.max_file_bytes // 2**20),
                    elem_id="qa-upload-help")
        upload = gr.File(label="拖放文件到这里，或点击选择（可多选）", file_count="multiple", type="filepath",
                         file_types=list(LIMITS.suffixes), elem_id="qa-upload", height=120)
        with gr.Accordion("粘贴一篇文章", open=False, elem_id="qa-paste"):
            paste_title = gr.Textbox(label="标题", max_lines=1, max_length=200, elem_id="qa-paste-title")
            paste_body = gr.Textbox(label="正文", lines=6, max_lines=20, max_length=200_000, elem_id="qa-paste-body")
            paste_btn = gr.Button("添加这篇文章", elem_id="qa-paste-add")
        with gr.Row(elem_id="qa-delete-row"):
            delete_pick = gr.Dropdown(choices=file_choices(service), multiselect=True, label="删除文件",
                                      scale=4, elem_id="qa-delete-pick")
            delete_btn = gr.Button("删除", variant="stop", scale=1, min_width=72, elem_id="qa-delete")
        report = gr.HTML("", elem_id="qa-upload-report")
    private = dict(api_visibility="private")
    upload.upload(lambda files: (upload_files(service, refresher, files), None), upload, [report, upload],
                  concurrency_limit=1, concurrency_id="library", **private)
    paste_btn.click(lambda t, b: paste_text(service, refresher, t, b), [paste_title, paste_body],
                    [report, paste_title, paste_body], concurrency_limit=1, concurrency_id="library", **private)
    delete_btn.click(lambda names: (delete_files(service, refresher, names), gr.Dropdown(value=[])), delete_pick,
                     [report, delete_pick], concurrency_limit=1, concurrency_id="library", **private)
    return delete_pick


def poll(service, refresher: Refresher, seen):
    """Timer tick: (status HTML with the refresh progress, header, rebuild button, delete choices, seen, changed).

    ``seen`` is what this browser last showed (the assistant's build and the
    refresh count); file choices are sent again only when it changes, so an
    open dropdown is not reset under the user's finger.
    """
    status = service.status()
    state = refresher.state
    try:
        count = len(service.assistant.articles)
    except QAError:
        count = 0
    now = [id(service._assistant), state.done]
    changed = now != seen
    status_html = fmt.render_refresh(state) + fmt.render_status(status, str(service.index_dir), str(service.seeds_dir))
    button = gr.Button(variant="secondary" if status.fresh else "primary", interactive=not state.running)
    choices = gr.Dropdown(choices=file_choices(service)) if changed else gr.skip()
    return status_html, fmt.render_header(status, count), button, choices, now, changed
