"""The model says the sources do not have the answer: the answer is the fixed refusal.

Recognised when the text is (or opens with) one of the fixed refusal sentences, in either
language, or says in other words that the sources lack the answer (the language packs'
phrasings) without citing any of them.
"""

from __future__ import annotations

from rag.answer.findings import Context, Finding
from rag.answer.record import Record
from rag.answer.refusals import is_refusal


def check(record: Record, ctx: Context) -> list[Finding]:
    if is_refusal(record.text, list(ctx.refusals)):
        return [Finding("refusal", "refuse")]
    return []
