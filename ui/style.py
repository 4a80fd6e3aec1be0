"""The page's look: theme, stylesheet, and its scripts: citation links scroll to their card and
open it; a click on a card asks for its passage; a document's remove button asks twice.

Kept as Python strings so they ship with the package (package data is *.txt/*.md only).
"""

from __future__ import annotations

from typing import Any

# System and shipped fonts only: the page never fetches anything from the internet.
FONTS = [
    "Source Sans Pro",
    "Noto Sans CJK SC",
    "PingFang SC",
    "Microsoft YaHei",
    "system-ui",
    "sans-serif",
]


def theme() -> Any:
    import gradio as gr

    return gr.themes.Default(
        primary_hue="blue",
        neutral_hue="slate",
        radius_size="md",
        font=[gr.themes.LocalFont("Source Sans Pro"), *FONTS[1:]],
    ).set(body_background_fill="#f8fafc", block_border_width="1px")


CSS = """
.gradio-container { max-width: 1440px !important; margin: 0 auto !important; }
footer { display: none !important; }
#header { align-items: flex-end; border-bottom: 1px solid #e2e8f0; padding-bottom: 6px; }
#header h1 { font-size: 1.6rem; margin: 0; }
#header p { color: #64748b; margin: 2px 0 0; }
#lang-toggle { align-self: center; }
#chat { border-radius: 12px; }
#chat .answer-text { line-height: 1.65; }
#sources-col { position: sticky; top: 8px; }
#sources { max-height: 70vh; overflow-y: auto; padding-right: 4px; }
.src-count, .src-status, .src-pending { color: #64748b; font-size: 13px; margin: 0 0 8px; }
.src-status { padding: 24px 8px; text-align: center; }
.src-pending { margin-bottom: 8px; }
.src-searched { font-size: 12px; color: #475569; background: #f1f5f9; border-radius: 6px;
  padding: 4px 8px; margin-bottom: 8px; }
.src-card { border: 1px solid #e2e8f0; border-radius: 10px; padding: 10px 12px; margin: 0 0 10px;
  background: #fff; position: relative; box-shadow: 0 1px 2px rgba(15, 23, 42, .04);
  transition: box-shadow .3s, border-color .3s; scroll-margin-top: 8px; }
.src-card.src-pending-card { border-style: dashed; background: #f8fafc; }
.src-card.flash { border-color: #2563eb; box-shadow: 0 0 0 3px rgba(37, 99, 235, .25); }
.src-n { position: absolute; top: 10px; left: 12px; background: #2563eb; color: #fff;
  border-radius: 999px; min-width: 22px; height: 22px; line-height: 22px; text-align: center;
  font-size: 12px; font-weight: 700; }
.src-card[id] .src-title, .src-card[id] .src-meta { margin-left: 32px; }
.src-title { font-weight: 600; line-height: 1.35; }
.src-title a { color: inherit; text-decoration: none; }
.src-title a:hover { text-decoration: underline; }
.src-meta { color: #64748b; font-size: 12px; margin: 3px 0 8px; }
.src-quote { margin: 0 !important; padding: 2px 0 2px 10px; border-left: 3px solid #93c5fd;
  font-size: 13px; color: #1e293b; line-height: 1.55; }
.src-supports { font-size: 12px; color: #334155; margin-top: 8px; }
.src-supports ul { margin: 2px 0 0 16px; padding: 0; }
.src-refused, .refused-badge { display: inline-block; padding: 6px 10px; border-radius: 8px;
  background: #fef3c7; color: #92400e; font-weight: 600; }
.refused-badge { font-size: 12px; padding: 2px 8px; margin-bottom: 6px; }
.src-consulted { color: #64748b; font-size: 12px; margin: 12px 0 6px; }
.notices { background: #fff7ed; border: 1px solid #fdba74; border-radius: 8px;
  padding: 6px 10px; margin-top: 8px; font-size: 13px; color: #9a3412; }
.notices ul { margin: 4px 0 0 16px; padding: 0; }
.notice-error { background: #fef2f2; border: 1px solid #fca5a5; border-radius: 8px;
  padding: 8px 12px; color: #991b1b; font-size: 14px; }
.answer-meta { color: #94a3b8; font-size: 11px; margin-top: 6px; }
a.cite { text-decoration: none; font-weight: 700; color: #2563eb; cursor: pointer; }
a.cite:hover { text-decoration: underline; }
.src-card[data-n] { cursor: pointer; }
.src-card[data-n]:hover { border-color: #93c5fd; }
#collection { min-width: 260px; }
#viewer-col { border: 1px solid #bfdbfe; border-radius: 10px; padding: 6px 10px;
  background: #f8fbff; }
#viewer-bar { align-items: center; }
#viewer-bar h3 { margin: 0; }
.viewer-head { position: relative; margin-bottom: 8px; }
.viewer-head .src-n { top: 0; left: 0; }
.viewer-head .src-title, .viewer-head .src-meta { margin-left: 32px; }
.viewer-context { max-height: 40vh; overflow-y: auto; font-size: 13px; line-height: 1.6;
  color: #475569; border-left: 3px solid #e2e8f0; padding-left: 10px; }
.viewer-context p { margin: 0 0 6px; }
.viewer-context mark { background: #fde68a; color: #0f172a; padding: 1px 0; }
.viewer-cited { color: #0f172a; }
.viewer-page { display: block; width: 100%; max-height: 75vh; object-fit: contain;
  margin-top: 10px; border: 1px solid #e2e8f0; border-radius: 6px; background: #fff; }
.viewer-links { margin-top: 8px; font-size: 13px; }
.upload-results { margin: 6px 0 0 16px; padding: 0; font-size: 13px; }
.upload-indexed { color: #166534; }
.upload-unchanged { color: #475569; }
.upload-skipped { color: #9a3412; }
.upload-removed { font-size: 13px; color: #475569; }
#documents table.docs { width: 100%; border-collapse: collapse; font-size: 13px; margin: 6px 0; }
#documents .docs th, #documents .docs td { border: none !important; background: none !important;
  padding: 4px 6px 4px 0 !important; text-align: left; }
#documents .docs th { color: #64748b; font-weight: 600;
  border-bottom: 1px solid #e2e8f0 !important; }
#documents .docs td { border-bottom: 1px solid #f1f5f9 !important; }
.doc-file { word-break: break-all; }
.doc-missing td { color: #9a3412; }
.doc-remove { font-size: 12px; padding: 1px 8px; border: 1px solid #cbd5e1; border-radius: 6px;
  background: #fff; cursor: pointer; }
.doc-remove.armed { border-color: #dc2626; color: #dc2626; }
.docs-empty { color: #64748b; font-size: 13px; padding: 6px 0; }
"""

# A click on `[n]` scrolls the sources panel to card n and flashes it (no navigation, no new tab).
HEAD = """
<script>
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a.cite");
  if (!link) return;
  var card = document.getElementById((link.getAttribute("href") || "").slice(1));
  if (!card) return;
  event.preventDefault();
  event.stopPropagation();
  card.scrollIntoView({behavior: "smooth", block: "nearest"});
  card.classList.add("flash");
  setTimeout(function () { card.classList.remove("flash"); }, 1200);
  card.click();  // and opens its passage in the viewer
}, true);
</script>
"""

# `js_on_load` of the sources panel: a click on a numbered card (not on its title's web link)
# asks the server for that citation's passage in context.
OPEN_PASSAGE_JS = """
element.addEventListener("click", function (event) {
  if (event.target.closest("a[href]")) return;
  var card = event.target.closest(".src-card[data-n]");
  if (card) trigger("click", {n: Number(card.dataset.n)});
});
element.addEventListener("keydown", function (event) {
  var card = event.target.closest && event.target.closest(".src-card[data-n]");
  if (card && (event.key === "Enter" || event.key === " ")) {
    event.preventDefault();
    trigger("click", {n: Number(card.dataset.n)});
  }
});
"""

# `js_on_load` of the documents list: the first click on Remove arms it ("Remove?"), the second
# sends the document's id.
REMOVE_DOCUMENT_JS = """
element.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-doc]");
  if (!button) return;
  if (!button.classList.contains("armed")) {
    button.classList.add("armed");
    button.textContent = button.dataset.confirm;
    return;
  }
  trigger("click", {doc: button.dataset.doc});
});
"""
