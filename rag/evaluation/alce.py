"""Citation recall and precision as ALCE measures them (Gao et al., 2023, "Enabling Large Language
Models to Generate Text with Citations"), with a pluggable judge of support. The same counts
judged by the answerer's own check are its self-agreement (judging.py), not ALCE.

Per statement (statements.py: sentences that claim something, with their [n] markers):
- recall is 1 when it cites passages and the judge finds them together supporting it;
- each citation of a supported statement is precise unless it alone does not support the
  statement while the statement's other citations together do (removing it loses nothing).
  As in ALCE's code, the citations of an unsupported statement are not precise.
Per answer: recall = supported / statements, precision = precise / citations (0 for an answer
that cites nothing, as in ALCE). The figures are macro averages over answered answers.
A statement whose judging failed (JudgeError) is left out of both and counted as not judged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rag.evaluation.errors import JudgeError
from rag.evaluation.judges import (
    JUDGES,
    FigureCheck,
    Judge,
    JudgeKind,
    OpenAIJudge,
    make_judge,
    parse_verdict,
)
from rag.evaluation.statements import Statement, answered, passages, statements

__all__ = [
    "JUDGES",
    "AlceScore",
    "FigureCheck",
    "Judge",
    "JudgeKind",
    "OpenAIJudge",
    "alce_figures",
    "judge_statement",
    "make_judge",
    "parse_verdict",
    "score_result",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AlceScore:
    """One answer's judged statements, counted."""

    statements: int = 0  # judged statements
    supported: int = 0  # ...whose citations together support them (recall 1)
    citations: int = 0  # citations of the judged statements
    precise: int = 0
    not_judged: int = 0  # statements left out because the judge failed

    @property
    def recall(self) -> float | None:
        return self.supported / self.statements if self.statements else None

    @property
    def precision(self) -> float | None:
        if not self.statements:
            return None
        return self.precise / self.citations if self.citations else 0.0


def judge_statement(
    statement: Statement, cited: Mapping[int, str], judge: Judge
) -> tuple[bool, int]:
    """(recall 1?, precise citations) of one statement; raises JudgeError from the judge.
    A marker with no citation behind it counts as a citation of an empty passage."""
    texts = [cited.get(n, "") for n in statement.cites]
    if not texts or not judge.supports(statement.text, texts):
        return False, 0
    if len(texts) == 1:
        return True, 1
    precise = 0
    for i, text in enumerate(texts):
        if judge.supports(statement.text, [text]):
            precise += 1
        elif not judge.supports(statement.text, texts[:i] + texts[i + 1 :]):
            precise += 1  # needed: the others do not do without it
    return True, precise


def score_result(result: Mapping[str, Any], judge: Judge) -> AlceScore | None:
    """The ALCE counts of one results.jsonl record; None for a refusal or an error."""
    if not answered(result):
        return None
    cited = passages(result)
    counts = dict.fromkeys(("statements", "supported", "citations", "precise", "not_judged"), 0)
    for st in statements(str(result.get("answer") or "")):
        try:
            supported, precise = judge_statement(st, cited, judge)
        except JudgeError as err:
            log.warning("statement of %s not judged: %s", result.get("id"), err)
            counts["not_judged"] += 1
            continue
        counts["statements"] += 1
        counts["supported"] += supported
        counts["citations"] += len(st.cites)
        counts["precise"] += precise
    return AlceScore(**counts)


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def alce_figures(scores: Iterable[AlceScore | None], prefix: str = "alce") -> dict[str, Any]:
    """Macro averages over the answers with a judged statement, and the counts behind them,
    named `{prefix}_citation_recall`, ... (`self_agreement` for the answerer's own check)."""
    scored = [s for s in scores if s is not None]
    judged = [s for s in scored if s.statements]
    return {
        f"{prefix}_citation_recall": _mean([s.recall for s in judged if s.recall is not None]),
        f"{prefix}_citation_precision": _mean(
            [s.precision for s in judged if s.precision is not None]
        ),
        f"{prefix}_statements": sum(s.statements for s in scored),
        f"{prefix}_not_judged": sum(s.not_judged for s in scored),
        f"n_{prefix}": len(judged),
    }
