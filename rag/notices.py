"""Notices: what an answer wants its reader to know besides the answer, as data.

A `Notice` is a string (its English message, so code that treats notices as text keeps working)
that also carries a `code` and its `params`; `message(lang)` renders it for a Chinese or English
interface, and `to_record()` is what the HTTP API and results files carry.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

# code -> (English template, Chinese template); fields come from the notice's params.
MESSAGES: dict[str, tuple[str, str]] = {
    "planted_passages": (
        "Left out passages that give instructions to the assistant: {sources}",
        "已略去向助手下达指令的段落：{sources}",
    ),
    "llm_failed": (
        "The {backend} model could not answer ({error}); an extractive answer is shown instead.",
        "{backend} 模型未能作答（{error}），以下改为摘录原文的回答。",
    ),
    "citations_placed": (
        "{count} citation(s) placed by matching sentences to the sources.",
        "有 {count} 处引用是按句子与出处的匹配补上的。",
    ),
    "markers_dropped": (
        "Removed citation markers that point at no source: {markers}",
        "已删除不指向任何出处的引用标记：{markers}",
    ),
    "unsupported_figure": (
        "Not supported by the cited sources (check the numbers): {sentence}",
        "引用的出处不支持这句话中的数字，请核对：{sentence}",
    ),
    "figure_repaired": (
        "A figure was corrected to the source's own: {was} -> {now}",
        "已按出处原文更正数字：{was} → {now}",
    ),
    "withheld_sentence": (
        "Left out a sentence whose figures no cited source states: {sentence}",
        "已略去一句出处不支持其数字的话：{sentence}",
    ),
    "withheld_claim": (
        "Left out a sentence its cited sources do not state ({why}): {sentence}",
        "已略去一句引用的出处没有说过的话（{why}）：{sentence}",
    ),
    "not_answered": (
        "The model's answer gives no {asks} ({counts}) as the question asks.",
        "模型的回答没有给出问题所问的{asks}（{counts}）。",
    ),
    "part_unanswered": (
        "The reports do not answer this part of the question: {part}",
        "报告没有回答问题的这一部分：{part}",
    ),
    "restates_question": (
        "The model's answer only restated the question: {sentence}",
        "模型的回答只是复述了问题：{sentence}",
    ),
    "withheld_unsupported": (
        "Withheld an answer no source supports: {sentence}",
        "已撤下没有出处支持的回答：{sentence}",
    ),
    "quotes_instead": (
        "The model's answer could not be checked against the sources; the sources' own sentences "
        "are quoted instead.",
        "模型的回答无法与出处核对一致，以下改为直接引用出处原文。",
    ),
    "withheld_instructions": (
        "Withheld an answer that repeats the assistant's instructions.",
        "已撤下复述助手指令的回答。",
    ),
    "not_mentioned": (
        "The reports do not mention: {terms}",
        "报告没有提到：{terms}",
    ),
    "conflict": (
        "The sources give different figures: {values}",
        "各出处给出的数字不一致：{values}",
    ),
}


# Why the claims check withheld a sentence, when it is a reason rather than the names or the
# count it gives that no cited passage states
WHY = {
    "empty": ("it says nothing", "这句话没有内容"),
    "heading": ("it copies a source's heading", "这句话照抄了出处的标题"),
    "words": ("its words are not the source's", "出处没有这样的说法"),
}


def _render(code: str, params: Mapping[str, Any], lang: str) -> str:
    en, zh = MESSAGES.get(code, ("{text}", "{text}"))
    template = zh if lang == "zh" else en
    why = WHY.get(str(params.get("why")))
    if why:
        params = {**params, "why": why[1] if lang == "zh" else why[0]}
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return f"{code}: {dict(params)}"


class Notice(str):
    """A notice: `str(notice)` is its English message; `code` and `params` are its data."""

    code: str
    params: Mapping[str, Any]

    def __new__(cls, code: str, **params: Any) -> Notice:
        notice = super().__new__(cls, _render(code, params, "en"))
        notice.code = code
        notice.params = MappingProxyType(dict(params))
        return notice

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, Any]]:  # copy and pickle
        return (self.code,), dict(self.params)

    def message(self, lang: str = "en") -> str:
        return _render(self.code, self.params, lang)

    def to_record(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params), "message": str(self)}


def message(notice: str, lang: str = "en") -> str:
    """A notice in `lang`; a plain string (an older record) as it is."""
    return notice.message(lang) if isinstance(notice, Notice) else notice


def record(notice: str) -> dict[str, Any]:
    """A notice as the API and results files carry it."""
    if isinstance(notice, Notice):
        return notice.to_record()
    return {"code": "text", "params": {}, "message": notice}
