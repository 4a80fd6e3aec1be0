"""The checks every answer goes through, in order, while it streams and at the end.

Each check reads the record (`record.py`) and its context (`findings.Context`) and returns
findings; `run` applies them in turn, so a check sees what the checks before it left, and
`rag/answer/render.py` writes the result. A notice code comes from exactly one check (`codes`).
Checks marked `final_only` need the whole answer; `llm_only` ones read the model's text, not the
extractive answer's quotes.
"""

from __future__ import annotations

from rag.answer.checks import (
    citations,
    claims,
    conflicts,
    figures,
    glosses,
    grounding,
    parts,
    refusal,
    repeats,
)
from rag.answer.findings import Check, Context, State, apply
from rag.answer.record import Record

CHECKS: tuple[Check, ...] = (
    Check("echo", grounding.echo, ("withheld_instructions",), final_only=True, llm_only=True),
    Check("refusal", refusal.check),
    Check("glosses", glosses.check, llm_only=True),
    Check("repeats", repeats.check),
    Check("citations", citations.placed, ("citations_placed",)),
    Check("markers", citations.nowhere, ("markers_dropped",)),
    Check("figures", figures.check, ("figure_repaired", "withheld_sentence")),
    Check("claims", claims.check, ("withheld_claim", "restates_question"), llm_only=True),
    Check("conflicts", conflicts.check, ("conflict",), final_only=True, llm_only=True),
    Check(
        "parts", parts.check, ("not_answered", "part_unanswered"), final_only=True, llm_only=True
    ),
    Check("audit", grounding.audit, ("unsupported_figure",)),
    Check("cited", grounding.cited, ("withheld_unsupported",), final_only=True, llm_only=True),
)


def run(record: Record, ctx: Context, checks: tuple[Check, ...] = CHECKS) -> State:
    """Every check that applies, in order; a withheld or refusing answer is checked no further."""
    state = State(record)
    for check in checks:
        if (check.final_only and not ctx.final) or (check.llm_only and not ctx.from_llm):
            continue
        state = apply(state, check.find(state.record, ctx))
        if state.withheld or state.refused:
            break
    return state
