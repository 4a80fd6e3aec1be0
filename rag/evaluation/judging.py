"""Each answer of a run judged once, by whom the caller gives:

- `judge`, independent of the answerer (the LLM judge, `--judge openai`): the ALCE citation
  recall and precision (alce.py). Without one there are no ALCE figures.
- `self_check`, the answerer's own check handed in by the composition root (the CLI gives the
  answerer's `SupportVerifier`): the same counts, reported as self-agreement (how often the
  product agrees with itself), and, when it can count figures (`FigureCheck`), the figures
  shown that it finds in none of the cited passages and no notice warns about.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rag.evaluation.alce import AlceScore, FigureCheck, Judge, alce_figures, score_result
from rag.evaluation.statements import answered, notice_text, passages, statements

SELF = "self_agreement"  # the prefix of every figure the answerer's own check judged


def _named(keys: tuple[str, ...], prefix: str) -> tuple[str, ...]:
    """ALCE's keys for the figures of another judge (`alce_statements` -> `{prefix}_statements`)."""
    return tuple(k.replace("alce", prefix, 1) for k in keys)


ALCE_KEYS = ("alce_citation_recall", "alce_citation_precision", "alce_statements")
ALCE_DETAIL = ("alce_not_judged", "n_alce")
UNWARNED = f"{SELF}_unsupported_figures_shown"  # figures no cited source states, unwarned
SELF_KEYS = (*_named(ALCE_KEYS, SELF), UNWARNED)
SELF_DETAIL = _named(ALCE_DETAIL, SELF)


@dataclass(frozen=True)
class Judged:
    """Per answer id; a field is None when nobody was given to judge it."""

    alce: dict[str, AlceScore | None] | None = None
    self_agreement: dict[str, AlceScore | None] | None = None
    unwarned: dict[str, int] | None = None  # figures shown unwarned, by the self check


def judge_answers(
    results: list[dict[str, Any]], judge: Judge | None = None, self_check: Judge | None = None
) -> Judged:
    """Every answer judged by `judge` (ALCE) and by `self_check` (self-agreement)."""
    return Judged(
        alce={r["id"]: score_result(r, judge) for r in results} if judge is not None else None,
        self_agreement=(
            {r["id"]: score_result(r, self_check) for r in results}
            if self_check is not None
            else None
        ),
        unwarned=(
            {r["id"]: unwarned_figures(r, self_check) for r in results}
            if isinstance(self_check, FigureCheck)
            else None
        ),
    )


def _flat(text: str) -> str:
    return "".join(text.split())


def unwarned_figures(result: Mapping[str, Any], check: FigureCheck) -> int:
    """Figures of an answered answer that the check finds in none of its statement's cited
    passages (for a statement citing nothing: none of the answer's citations) and whose
    statement no notice mentions - figures a reader sees with no warning. 0 for a refusal or
    an error."""
    if not answered(result):
        return 0
    cited = passages(result)
    warned = _flat("\n".join(notice_text(n) for n in result.get("notices") or []))
    count = 0
    for st in statements(str(result.get("answer") or "")):
        if _flat(st.text) in warned:
            continue
        sources = [cited.get(n, "") for n in st.cites] if st.cites else list(cited.values())
        count += check.unstated_figures(st.text, sources)
    return count


def judged_figures(judged: Judged, ids: Iterable[str]) -> dict[str, Any]:
    """The judged figures of the answers `ids`: ALCE and self-agreement (each None when nobody
    judged it), and their detail counts."""
    ids = list(ids)
    out: dict[str, Any] = {}
    for prefix, scores in (("alce", judged.alce), (SELF, judged.self_agreement)):
        figures = alce_figures((scores.get(i) for i in ids), prefix) if scores is not None else {}
        out.update({k: figures.get(k) for k in _named(ALCE_KEYS + ALCE_DETAIL, prefix)})
    unwarned = judged.unwarned
    out[UNWARNED] = sum(unwarned.get(i, 0) for i in ids) if unwarned is not None else None
    return out
