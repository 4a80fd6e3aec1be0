"""Whether the model's answer rests on the passages at all (the model's answer, at the end).

- `echo`: an answer that repeats the assistant's own instructions (`guard.py`) answers nothing
  from the reports: withheld (`withheld_instructions`), the refusal shown.
- `cited`: an answer left citing nothing (`withheld_unsupported`), or citing articles whose
  passages lack the question's key terms ("the college" named in another article), is withheld;
  the answerer then quotes the passages that name what the question names, or refuses. A year
  is no such term for a question asking who or which: "Which two supermarkets plan to merge in
  2024?" is answered by an article on the merger that does not say when it closes; anything
  else asked for a year (a figure, a date, a place, what happened) must come from an article
  giving that year.
- `audit`: the last word on figures: a sentence still showing a figure its cited sources do not
  state (none should be left) is named in a notice (`unsupported_figure`).
"""

from __future__ import annotations

from index.text.rules import strip_markers
from rag.answer import guard
from rag.answer.checks.figures import given, stated
from rag.answer.findings import Context, Finding
from rag.answer.record import Record
from rag.notices import Notice


def echo(record: Record, ctx: Context) -> list[Finding]:
    text = "\n".join(s.text for _, s in record.kept())
    if ctx.instructions and guard.repeats_instructions(text, ctx.instructions, ctx.texts):
        return [Finding("echo", "withhold", notice=Notice("withheld_instructions"))]
    return []


def cited(record: Record, ctx: Context) -> list[Finding]:
    kept = [s for _, s in record.kept()]
    numbers = {n for s in kept for n in s.markers if 1 <= n <= len(ctx.pool)}
    if not numbers:  # what is left says why, unless other checks removed it all already
        notice = Notice("withheld_unsupported", sentence=strip_markers(record.text))
        return [Finding("cited", "withhold", notice=notice if kept else None)]
    question = ctx.question
    if question is None or not question.terms:
        return []
    articles = {ctx.pool[n - 1].article for n in numbers}  # "the college" names it elsewhere
    lacking = question.missing([s.text for s in ctx.sources if s.article in articles])
    if [t for t in lacking if t.kind != "year" or question.asks not in ("person", "name")]:
        return [Finding("cited", "withhold")]
    return []


def audit(record: Record, ctx: Context) -> list[Finding]:
    pool, asked = ctx.pool, given(ctx)
    return [
        Finding("audit", "note", i, notice=Notice("unsupported_figure", sentence=s.plain))
        for i, s in record.kept()
        if s.figures and not stated(s.text, pool, asked)
    ]
