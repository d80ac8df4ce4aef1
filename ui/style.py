"""The page's theme and CSS (Gradio 6 takes both as ``launch()`` arguments).

Fonts are named, never fetched: the product runs offline, so the theme uses
locally installed CJK fonts instead of Gradio's web-font loader.
"""

from __future__ import annotations

FONTS = ["PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
         "WenQuanYi Zen Hei", "sans-serif"]
MONO_FONTS = ["SFMono-Regular", "Menlo", "Consolas", "DejaVu Sans Mono", "monospace"]


def theme():
    """A restrained newspaper look: warm neutrals, one deep-red accent."""
    import gradio as gr

    return gr.themes.Base(
        primary_hue=gr.themes.colors.red,
        secondary_hue=gr.themes.colors.stone,
        neutral_hue=gr.themes.colors.stone,
        radius_size=gr.themes.sizes.radius_md,
        font=FONTS,
        font_mono=MONO_FONTS,
    ).set(
        body_background_fill="#f6f4f1",
        block_background_fill="#ffffff",
        block_border_width="1px",
        block_shadow="none",
        button_primary_background_fill="#b3261e",
        button_primary_background_fill_hover="#951f18",
        button_primary_text_color="#ffffff",
        input_background_fill="#ffffff",
    )


CSS = """
:root { --qa-accent: #b3261e; --qa-accent-soft: #fbeae8; --qa-ink: #1f1d1a; --qa-muted: #6f6a63;
        --qa-line: #e7e2da; --qa-mark: #ffe58a; }
.gradio-container { max-width: 1320px !important; margin: 0 auto !important; }
footer { opacity: .75; }

/* header */
.qa-header { display: flex; align-items: center; justify-content: space-between; padding: 6px 4px 2px; }
.qa-brand { display: flex; align-items: center; gap: 12px; }
.qa-logo { width: 40px; height: 40px; border-radius: 10px; background: var(--qa-accent); color: #fff;
           display: inline-flex; align-items: center; justify-content: center; font-size: 22px; font-weight: 700; }
.qa-title { font-size: 22px; font-weight: 700; color: var(--qa-ink); letter-spacing: 2px; }
.qa-tagline { font-size: 13px; color: var(--qa-muted); margin-top: 2px; }
.qa-header-meta { font-size: 13px; color: var(--qa-muted); display: flex; align-items: center; gap: 6px;
                  background: #fff; border: 1px solid var(--qa-line); border-radius: 999px; padding: 4px 12px; }
.qa-dot { width: 8px; height: 8px; border-radius: 50%; display: inline-block; }
.qa-dot-ok { background: #2e9d5b; } .qa-dot-warn { background: #d99a00; }

/* chat */
#qa-chat { border-color: var(--qa-line); }
#qa-chat .message-row .message { font-size: 15px; line-height: 1.7; }
#qa-chat .placeholder-content, #qa-chat .placeholder { color: var(--qa-muted); }
.qa-answer { color: var(--qa-ink); }
.qa-quote { font-size: 15.5px; }
.qa-short { font-size: 20px; font-weight: 700; margin-bottom: 4px; }
.qa-para mark strong.qa-span { font-weight: 700; text-decoration: underline; text-underline-offset: 3px; }
.qa-cite { display: inline-block; min-width: 1.35em; padding: 0 .3em; margin: 0 2px; font-size: 11px; line-height: 1.5;
           text-align: center; border-radius: 4px; background: var(--qa-accent); color: #fff !important;
           position: relative; top: -0.45em; font-weight: 600; }
.qa-refs { margin-top: 6px; padding-top: 6px; border-top: 1px dashed var(--qa-line); font-size: 12.5px; color: var(--qa-muted); }
.qa-ref { margin-left: 4px; }
.qa-refs .qa-cite { top: -1px; margin-right: 4px; }
#qa-sources { max-height: 640px; overflow-y: auto; padding-right: 4px; }
.qa-notfound, .qa-error { display: flex; gap: 10px; align-items: flex-start; border-radius: 8px; padding: 2px 0; }
.qa-notfound .qa-icon, .qa-error .qa-icon { flex: none; width: 22px; height: 22px; border-radius: 50%; display: inline-flex;
           align-items: center; justify-content: center; font-weight: 700; font-size: 13px; margin-top: 2px; }
.qa-notfound .qa-icon { background: #f3e3b5; color: #8a6100; }
.qa-error .qa-icon { background: #f7d4d1; color: var(--qa-accent); }
.qa-nf-title { font-weight: 700; color: #8a6100; }
.qa-nf-body { font-size: 13.5px; color: var(--qa-muted); }
#qa-chat .message.bot:has(.qa-notfound), #qa-chat .bot:has(.qa-notfound) { background: #fdf7e7 !important;
           border-color: #efd9a0 !important; }
#qa-chat .message.bot:has(.qa-error), #qa-chat .bot:has(.qa-error) { background: #fcefee !important;
           border-color: #efc2bd !important; }
#qa-input-row { align-items: stretch; gap: 8px; }
#qa-input textarea { font-size: 15px; }
#qa-send, #qa-clear { min-height: 42px; }

/* sources */
#qa-sources-col { gap: 0; }
.qa-sources { display: flex; flex-direction: column; gap: 10px; }
.qa-sources-head { display: flex; align-items: baseline; justify-content: space-between; font-weight: 700;
                   color: var(--qa-ink); font-size: 15px; padding: 2px 2px 0; }
.qa-count { font-weight: 400; color: var(--qa-muted); font-size: 12.5px; }
.qa-sources-empty { align-items: center; justify-content: center; text-align: center; color: var(--qa-muted);
                    border: 1px dashed var(--qa-line); border-radius: 12px; padding: 48px 28px; background: #fff; font-size: 14px; }
.qa-empty-icon { font-size: 28px; color: #c9c2b8; }
.qa-card { border: 1px solid var(--qa-line); border-radius: 12px; background: #fff; overflow: hidden; }
.qa-card.qa-has-mark { border-color: #e3b7b3; box-shadow: 0 1px 0 rgba(179,38,30,.06); }
.qa-card > summary { list-style: none; cursor: pointer; padding: 12px 14px 10px; display: block; }
.qa-card > summary::-webkit-details-marker { display: none; }
.qa-card > summary:hover { background: #fcfbf9; }
.qa-card-head { display: flex; gap: 8px; align-items: flex-start; }
.qa-num { flex: none; width: 22px; height: 22px; border-radius: 6px; background: var(--qa-accent-soft); color: var(--qa-accent);
          font-weight: 700; font-size: 12.5px; display: inline-flex; align-items: center; justify-content: center; margin-top: 1px; }
.qa-has-mark .qa-num { background: var(--qa-accent); color: #fff; }
.qa-card-title { font-weight: 700; font-size: 15px; color: var(--qa-ink); line-height: 1.5; }
.qa-meta { font-size: 12.5px; color: var(--qa-muted); margin: 4px 0 0 30px; }
.qa-file { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 11.5px; color: #8b857d; }
.qa-rel { display: flex; align-items: center; gap: 8px; margin: 6px 0 0 30px; font-size: 12px; color: var(--qa-muted); }
.qa-rel-bar { width: 96px; height: 5px; border-radius: 3px; background: #eee9e2; overflow: hidden; display: inline-block; }
.qa-rel-bar > span { display: block; height: 100%; border-radius: 3px; background: #c9c2b8; }
.qa-rel-high .qa-rel-bar > span { background: #2e9d5b; } .qa-rel-mid .qa-rel-bar > span { background: #d99a00; }
.qa-para { margin: 8px 0 0 30px !important; font-size: 14px; line-height: 1.75; color: #3b3833; }
.qa-card mark, .qa-article mark { background: var(--qa-mark); color: inherit; padding: 1px 2px; border-radius: 3px; }
.qa-more { display: inline-block; margin: 6px 0 0 30px; font-size: 12.5px; color: var(--qa-accent); }
.qa-more-open { display: none; } .qa-card[open] .qa-more-open { display: inline; } .qa-card[open] .qa-more-closed { display: none; }
.qa-article { padding: 10px 16px 14px 44px; border-top: 1px solid var(--qa-line); background: #fbfaf8; font-size: 14px;
              line-height: 1.8; color: #3b3833; }
.qa-article p { margin: 0 0 8px !important; text-indent: 2em; }
.qa-article-title { font-weight: 700; font-size: 15px; color: var(--qa-ink); margin-bottom: 2px; }
.qa-article-sub { color: var(--qa-muted); margin-bottom: 6px; }
.qa-article .qa-cited { background: #fff6f4; border-left: 3px solid var(--qa-accent); padding: 4px 8px; text-indent: 0; }
.qa-muted { color: var(--qa-muted); }

/* articles tab */
.qa-articles { border: 1px solid var(--qa-line); border-radius: 12px; background: #fff; overflow: hidden; }
.qa-art-header, .qa-art-row > summary { display: grid; grid-template-columns: 36px minmax(0,1fr) 190px 56px 190px;
           gap: 10px; align-items: center; padding: 10px 14px; }
.qa-art-header { font-size: 12.5px; color: var(--qa-muted); background: #faf8f5; border-bottom: 1px solid var(--qa-line); }
.qa-art-row { border-bottom: 1px solid var(--qa-line); }
.qa-art-row:last-child { border-bottom: none; }
.qa-art-row > summary { list-style: none; cursor: pointer; font-size: 14px; }
.qa-art-row > summary::-webkit-details-marker { display: none; }
.qa-art-row > summary:hover { background: #fcfbf9; }
.qa-art-no { color: var(--qa-muted); }
.qa-art-title { font-weight: 600; color: var(--qa-ink); }
.qa-art-sub { display: block; font-weight: 400; font-size: 12.5px; color: var(--qa-muted); }
.qa-art-byline, .qa-art-count { color: var(--qa-muted); font-size: 13px; }
.qa-art-row .qa-article { padding-left: 60px; }
.qa-status { background: #fff; border: 1px solid var(--qa-line); border-radius: 12px; padding: 14px 16px; font-size: 13.5px; }
.qa-status-head { margin-bottom: 8px; }
.qa-badge { display: inline-block; padding: 3px 10px; border-radius: 999px; font-size: 13px; font-weight: 600; }
.qa-badge-ok { background: #e3f4e9; color: #1f7a45; } .qa-badge-warn { background: #fbf0d3; color: #8a6100; }
.qa-badge-bad { background: #f7d4d1; color: var(--qa-accent); }
.qa-kv { display: grid; grid-template-columns: 72px minmax(0,1fr); gap: 8px; padding: 5px 0; border-bottom: 1px dashed var(--qa-line); }
.qa-kv > span:first-child { color: var(--qa-muted); }
.qa-kv > span:last-child { word-break: break-all; }
.qa-changes { margin-top: 10px; color: #8a6100; }
.qa-changes ul { margin: 4px 0 0 18px; }
.qa-tech { margin-top: 10px; font-size: 12px; color: var(--qa-muted); }
.qa-tech pre { white-space: pre-wrap; font-size: 11.5px; margin-top: 6px; }
#qa-rebuild-msg { font-size: 13.5px; }
.qa-note-ok { color: #1f7a45; } .qa-note-bad { color: var(--qa-accent); }
"""

# Issue 9: chat actions, conversations, library panel, phone layout.
CSS += """
/* fixed shares of the row, so the chat column does not change width when sources arrive */
@media (min-width: 721px) {
  #qa-chat-col, #qa-sources-col { min-width: 0 !important; flex-basis: 0 !important; }
  #qa-chat-col { flex-grow: 7 !important; } #qa-sources-col { flex-grow: 5 !important; }
}
#qa-sources { overflow-wrap: anywhere; }
.qa-actions { display: flex; gap: 10px; margin-top: 6px; font-size: 12.5px; }
.qa-copy, .qa-jump { color: var(--qa-accent); cursor: pointer; user-select: none; }
.qa-copy.qa-copied { color: #1f7a45; }
.qa-jump { display: none; }
.qa-cite { cursor: pointer; }
.qa-card.qa-flash { outline: 3px solid var(--qa-accent); outline-offset: 1px; transition: outline-color .6s; }
#qa-conv-row { align-items: end; gap: 8px; }
.qa-upload-report ul { margin: 6px 0 0 0; padding: 0; list-style: none; font-size: 13.5px; }
.qa-file-report { padding: 4px 0; border-bottom: 1px dashed var(--qa-line); }
.qa-refresh { margin-bottom: 8px; font-size: 13px; color: #8a6100; }
.qa-refresh-bar { width: 100%; display: block; margin-top: 4px; }
.qa-refresh-bar > span { background: #d99a00 !important; }
#qa-feedback-note { font-size: 13px; min-height: 0; }
@media (max-width: 720px) {
  /* one column: the sources follow the chat, and each answer links to them */
  #qa-chat-col, #qa-sources-col { flex: 1 1 100% !important; min-width: 100% !important; }
  #qa-chat-col { order: 0; } #qa-sources-col { order: 1; }
  .qa-jump { display: inline; }
  #qa-chat { height: 58vh !important; max-height: 58vh !important; }
  #qa-sources { max-height: none; }
  .qa-art-header, .qa-art-row > summary { grid-template-columns: 28px minmax(0,1fr) 56px; }
  .qa-art-header > span:nth-child(3), .qa-art-header > span:nth-child(6),
  .qa-art-row .qa-art-byline, .qa-art-row .qa-file { display: none; }
}
"""

# Page behaviour Gradio has no component for: copy an answer, jump from a citation badge to its
# source card (and, on a phone, from an answer to the sources). One delegated listener; the
# chat's HTML is sanitised, so the messages carry classes only, never handlers.
HEAD = """<script>
(() => {
  function flash(el) { el.classList.add('qa-flash'); setTimeout(() => el.classList.remove('qa-flash'), 2000); }
  function copyText(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, () => fallback(text, done));
    } else { fallback(text, done); }
  }
  function fallback(text, done) {
    const area = document.createElement('textarea');
    area.value = text; area.style.position = 'fixed'; area.style.opacity = '0';
    document.body.appendChild(area); area.select();
    try { document.execCommand('copy'); } catch (e) {}
    area.remove(); done();
  }
  document.addEventListener('click', (event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const cite = target.closest('#qa-chat .qa-cite');
    if (cite) {
      // The badge belongs to one reply: show that reply's sources first (the panel holds one reply's cards).
      const number = cite.textContent.trim();
      withTurnPanel(replyIndex(cite), () => {
        const card = document.querySelector('#qa-sources .qa-card[data-source="' + number + '"]');
        if (card) { card.scrollIntoView({behavior: 'smooth', block: 'center'}); flash(card); }
      });
      return;
    }
    const jump = target.closest('#qa-chat .qa-jump');
    if (jump) {
      withTurnPanel(replyIndex(jump), () => {
        const panel = document.getElementById('qa-sources');
        if (panel) panel.scrollIntoView({behavior: 'smooth', block: 'start'});
      });
      return;
    }
    const back = target.closest('#qa-sources .qa-back-latest');
    if (back) { askTurn('latest'); return; }
    const copy = target.closest('#qa-chat .qa-copy');
    if (copy) {
      const answer = copy.closest('.qa-answer');
      const quote = answer && (answer.querySelector('.qa-quote') || answer.querySelector('.qa-nf-text'));
      const text = quote ? quote.innerText.trim() : '';
      copyText(text, () => { copy.textContent = '已复制'; copy.classList.add('qa-copied');
        setTimeout(() => { copy.textContent = '复制'; copy.classList.remove('qa-copied'); }, 1500); });
      window.__qaCopied = text;
      return;
    }
    const open = target.closest('#qa-articles .qa-art-open');
    if (open) { openArticle(open.dataset.n); }
  });
  // Replies are numbered as the server numbers its turns: the n-th .qa-answer of the chat is turn n.
  function replyIndex(el) {
    const answer = el.closest('.qa-answer');
    return Array.from(document.querySelectorAll('#qa-chat .qa-answer')).indexOf(answer);
  }
  function panelTurn() {
    const panel = document.querySelector('#qa-sources .qa-panel');
    return panel ? panel.dataset.turn : null;
  }
  function askTurn(k) {
    const box = document.querySelector('#qa-turn-pick textarea, #qa-turn-pick input');
    const go = document.getElementById('qa-turn-go');
    if (!box || !go) return false;
    const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(box), 'value').set;
    setter.call(box, k + ':' + Date.now());
    box.dispatchEvent(new Event('input', {bubbles: true}));
    setTimeout(() => go.click(), 60);
    return true;
  }
  // Run done() once the panel shows reply k's sources (asking the server for them when it shows another's).
  function withTurnPanel(k, done) {
    if (k < 0 || panelTurn() === String(k)) { done(); return; }
    if (!askTurn(k)) return;
    const until = Date.now() + 10000;
    const wait = setInterval(() => {
      if (panelTurn() === String(k)) { clearInterval(wait); done(); }
      else if (Date.now() > until) { clearInterval(wait); }
    }, 100);
  }
  // Gradio's own controls carry English tooltips; the page is Chinese.
  const WORDS = {'Like': '有用', 'Dislike': '没用', 'Clear': '清空', 'Copy': '复制', 'Copy message': '复制',
                 'Retry': '重试', 'Undo': '撤销', 'Edit': '编辑', 'Share': '分享', 'Delete': '删除'};
  function chinese() {
    document.querySelectorAll('[aria-label], [title]').forEach((el) => {
      for (const attr of ['aria-label', 'title']) {
        const v = el.getAttribute(attr);
        if (v && WORDS[v]) el.setAttribute(attr, WORDS[v]);
      }
    });
    const pick = document.querySelector('#qa-conversations input');
    if (pick && !pick.getAttribute('placeholder')) pick.setAttribute('placeholder', '还没有对话（提问后自动保存）');
  }
  new MutationObserver(chinese).observe(document.documentElement, {subtree: true, childList: true,
                                                                    attributes: true, attributeFilter: ['aria-label', 'title']});
  document.addEventListener('keydown', (event) => {
    const target = event.target;
    if ((event.key === 'Enter' || event.key === ' ') && target instanceof Element && target.matches('.qa-art-open')) {
      event.preventDefault(); openArticle(target.dataset.n);
    }
  });
  // The list's 查看全文: put the number in the viewer's box (as if typed) and press its button.
  function openArticle(n) {
    const input = document.querySelector('#qa-art-number input');
    const show = document.getElementById('qa-art-show');
    if (!input || !show || !n) return;
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, String(n));
    input.dispatchEvent(new Event('input', {bubbles: true}));
    input.dispatchEvent(new Event('change', {bubbles: true}));
    setTimeout(() => {
      show.click();
      // Scroll once the article has arrived (on a phone the viewer is far below the list).
      const until = Date.now() + 8000;
      const wait = setInterval(() => {
        const view = document.getElementById('qa-art-view');
        const title = view && view.querySelector('.qa-article-title');
        if (title && title.textContent.startsWith(String(n) + '. ')) {
          clearInterval(wait); view.scrollIntoView({behavior: 'smooth', block: 'start'});
        } else if (Date.now() > until) { clearInterval(wait); }
      }, 100);
    }, 60);
  }
  // The question box's counter: shown from 80% of the limit, red past it. The box is not cut
  // (the server refuses an over-long question with the reason), so the counter is the warning.
  function countChars() {
    const box = document.querySelector('#qa-input textarea');
    const out = document.getElementById('qa-counter');
    if (!box || !out) return;
    const max = parseInt(out.dataset.max || '1000', 10);
    const n = Array.from(box.value.trim()).length;
    const state = n > max ? 'over' : (n >= max * 0.8 ? 'near' : 'ok');
    const text = state === 'ok' ? '' : (state === 'over'
      ? n + ' / ' + max + ' 字 · 超出 ' + (n - max) + ' 字，请删减后再发送'
      : n + ' / ' + max + ' 字');
    if (out.textContent !== text) out.textContent = text;
    out.dataset.state = state;
  }
  document.addEventListener('input', (event) => {
    if (event.target instanceof Element && event.target.closest('#qa-input')) countChars();
  });
  // The server empties the box after an answer without an input event.
  setInterval(countChars, 400);
})();
</script>"""


def head() -> str:
    """The ``<head>`` additions of the page (its script)."""
    return HEAD

# Issue 34: the page as a newsroom uses it.
CSS += """
/* the drop zone in Chinese whatever the browser's language (Gradio words it from navigator.language) */
#qa-upload [data-testid="upload-text"] { font-size: 0 !important; gap: 6px; }
#qa-upload [data-testid="upload-text"] .or { display: none !important; }
#qa-upload [data-testid="upload-text"]::after { content: "拖放文件到这里，或点击选择（可多选）"; font-size: 14px;
           color: var(--qa-muted); display: block; text-align: center; line-height: 1.5; }
/* error notices are not answers: nothing to rate */
/* (Gradio puts a reply's buttons in the element right after its message row) */
#qa-chat .message-row:has(.qa-error) + .message-buttons { display: none !important; }
.qa-nf-hint { margin-top: 4px; font-size: 13.5px; color: #8a6100; }
#qa-counter-box, #qa-input-hint { min-height: 0 !important; }
.qa-counter { font-size: 12.5px; text-align: right; color: var(--qa-muted); min-height: 0; }
.qa-counter[data-state="near"] { color: #8a6100; } .qa-counter[data-state="over"] { color: var(--qa-accent); font-weight: 600; }
.qa-input-hint { font-size: 13.5px; color: var(--qa-accent); padding: 2px 2px; animation: qa-shake .4s ease-in-out 1; }
.qa-hint-empty { color: #8a6100; }
@keyframes qa-shake { 0%, 100% { transform: translateX(0); } 20%, 60% { transform: translateX(-6px); }
                      40%, 80% { transform: translateX(6px); } }
.qa-date { color: var(--qa-muted); }
.qa-bundled { display: inline-block; margin-left: 6px; padding: 0 6px; border-radius: 4px; background: #efe9df;
              color: #6f6a63; font-family: inherit; font-size: 11.5px; }
.qa-art-open { color: var(--qa-accent); cursor: pointer; user-select: none; }
.qa-confirm-text { font-size: 13.5px; line-height: 1.7; }
#qa-confirm { border: 1px solid #efc2bd; border-radius: 10px; padding: 10px; background: #fff8f7; }
.qa-header-meta { white-space: nowrap; }
@media (max-width: 720px) { .qa-header-meta { font-size: 12px; padding: 3px 8px; } .qa-tagline { font-size: 12px; } }
/* the pager's "第 1 / 1 页 · 共 5 篇": two pieces that never break inside */
#qa-art-info { min-width: max-content !important; }
.qa-pager-page, .qa-pager-count { white-space: nowrap; display: inline-block; }
#qa-art-pager { align-items: center; flex-wrap: wrap; }
/* the conversation picker's text stops before its arrow */
#qa-conversations input { text-overflow: ellipsis; padding-right: 28px !important; }
#qa-conversations .wrap-inner { min-width: 0; }
@media (max-width: 720px) {
  #qa-art-pager > * { flex: 0 1 auto !important; min-width: 64px !important; }
  #qa-art-info { flex: 1 1 100% !important; }
  #qa-input-row { flex-wrap: wrap; }
  #qa-input { flex: 1 1 100% !important; min-width: 100% !important; }
}
"""

# The new user's report: sources per reply, labelled cards, worded notices, phone order.
CSS += """
/* notices: a worded tag (not a lone "?"), the text beside it, the actions on their own line */
.qa-notfound, .qa-error { display: block !important; }
.qa-nf-row { display: flex; gap: 8px; align-items: flex-start; }
.qa-tag { flex: none; display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 12px; line-height: 22px;
          font-weight: 600; white-space: nowrap; background: #f3e3b5; color: #8a6100; margin-top: 1px; }
.qa-tag-error { background: #f7d4d1; color: var(--qa-accent); }
.qa-nf-text { min-width: 0; flex: 1 1 auto; }
.qa-hint-only .qa-nf-hint { margin-top: 0; }
.qa-actions { flex-wrap: wrap; }
.qa-copy, .qa-jump { white-space: nowrap; flex: none; }
/* one clear control: 清空对话 under the input (with undo); the chat panel's own trash icon goes */
#qa-chat .icon-button-wrapper.top-panel { display: none !important; }
/* what each card is, instead of a percentage */
.qa-role { margin: 6px 0 0 30px; font-size: 12px; }
.qa-role-label { display: inline-block; padding: 0 8px; border-radius: 999px; line-height: 20px; }
.qa-role-cited .qa-role-label { background: var(--qa-accent); color: #fff; font-weight: 600; }
.qa-role-related .qa-role-label, .qa-role-nf .qa-role-label { background: #efe9df; color: var(--qa-muted); }
.qa-card-related, .qa-card-nf { border-style: dashed; }
.qa-older-note { font-size: 12.5px; color: #8a6100; background: #fdf7e7; border: 1px solid #efd9a0; border-radius: 8px;
                 padding: 6px 10px; margin-bottom: 8px; }
.qa-back-latest { color: var(--qa-accent); cursor: pointer; white-space: nowrap; }
.qa-hint-cleared { color: var(--qa-muted); animation: none; }
#qa-undo-clear { align-self: flex-start; }
/* the article list: a date column */
.qa-art-header, .qa-art-row > summary { grid-template-columns: 36px minmax(0,1fr) 150px 92px 56px 170px; }
.qa-art-date { color: var(--qa-muted); font-size: 13px; white-space: nowrap; }
@media (max-width: 720px) {
  .qa-art-header, .qa-art-row > summary { grid-template-columns: 28px minmax(0,1fr) 86px 44px; }
  /* the list first, the editor tools after it */
  #qa-art-row { flex-wrap: wrap; }
  #qa-art-list-col { order: -1; flex: 1 1 100% !important; min-width: 100% !important; }
  #qa-art-tools-col { order: 1; flex: 1 1 100% !important; min-width: 100% !important; }
}
"""
