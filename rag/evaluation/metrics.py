"""Metrics: pure functions of the question set and the results.jsonl records.

The figures are scored against the set's gold (expected sources and facts, `answerable`) and the
answer's own `refused` field; the ALCE scores only by an independent judge, and the answerer's
own check as self-agreement (judging.py). `compute_metrics` is all the runner uses, so the
figures of a metrics.json can always be recomputed from its results.jsonl and the question set
(with the same judges). A figure that no question can be scored on (a set with no gold fields,
no judge) is None.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from index.text.rules import drop_thousands
from rag.evaluation.judges import Judge
from rag.evaluation.judging import (
    ALCE_DETAIL,
    ALCE_KEYS,
    SELF_DETAIL,
    SELF_KEYS,
    Judged,
    judge_answers,
    judged_figures,
)
from rag.evaluation.questions import Question, Source
from rag.evaluation.statements import answered, cited_sources, statements

KS = (1, 3, 5)
MRR_K = 10
TIMINGS = ("retrieve", "generate", "total")
GROUPS = (
    "type",
    "lang",
    "direction",
    "split",
)  # question fields metrics.json and report.md group by

# metrics.json starts with these scalars, in this order (a hook shows the first 14: the figures
# scored against the set's gold; then the ALCE scores of an independent judge, and last the
# answerer's own check judging its answers, self-agreement).
HEADLINE = (
    "n",
    "hit@1",
    "hit@3",
    "hit@5",
    "mrr@10",
    "fact_accuracy",
    "citation_precision",
    "cites_expected_share",
    "statements_citing_expected",
    "unanswerable_refused",
    "answerable_refused",
    "latency_total_p50_ms",
    "latency_total_p95_ms",
    "errors",
    "answerable_refused_count",
    "answered_unanswerables",  # unanswerable questions answered (not refused, no error)
    *ALCE_KEYS,
    *SELF_KEYS,
)
DETAIL = (
    "citation_precision_macro",
    "latency_retrieve_p50_ms",
    "latency_retrieve_p95_ms",
    "latency_generate_p50_ms",
    "latency_generate_p95_ms",
    "n_retrieval",  # answerable questions with expected_sources (hit@k, MRR, citations)
    "n_facts",  # answerable questions with expected_facts (fact accuracy)
    "n_answerable",
    "n_unanswerable",
    "n_citations",  # citations judged for citation_precision
    "n_statements_scored",  # statements judged for statements_citing_expected
    *ALCE_DETAIL,  # statements the judge failed on; answers with a judged statement
    *SELF_DETAIL,
)

_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFKC, case-folded, no whitespace, no thousands separators: "２４，０００" == "24000"."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE.sub("", drop_thousands(text))


def article_ranks(retrieved: Iterable[dict[str, Any]]) -> list[Source]:
    """Distinct (file, title) articles in rank order: an article counts once, at the rank of its
    best chunk, however many of its chunks were retrieved."""
    out: list[Source] = []
    for row in sorted(retrieved, key=lambda r: r.get("rank", 0)):
        key = (row["file"], row["title"])
        if key not in out:
            out.append(key)
    return out


def first_hit(articles: list[Source], expected: Iterable[Source]) -> int | None:
    """1-based rank of the first expected article among distinct articles, or None."""
    wanted = set(expected)
    return next((i for i, a in enumerate(articles, start=1) if a in wanted), None)


def hit_at(rank: int | None, k: int) -> bool:
    """A hit@k: the first expected article is among the first k distinct articles."""
    return rank is not None and rank <= k


def mrr_at(rank: int | None, k: int = MRR_K) -> float:
    """Reciprocal rank, 0 beyond k or for a miss."""
    return 1.0 / rank if rank is not None and rank <= k else 0.0


def facts_met(answer: str, groups: Iterable[Iterable[str]]) -> bool:
    """Every group has an alternative contained in the answer (after `normalise`)."""
    flat = normalise(answer)
    return all(any(normalise(alt) in flat for alt in group) for group in groups)


def percentile(values: list[float], p: float) -> float | None:
    """Linearly interpolated percentile (p in 0..100), rounded to 0.1; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * p / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (pos - low), 1)


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def score(q: Question, r: dict[str, Any]) -> dict[str, Any]:
    """What one result scores against its question. Keys are present only when the question
    carries the gold they need: rank/hit@k/rr/cited_ok/statements/statements_ok (answerable
    with expected_sources), facts (answerable with expected_facts), wrongly_refused /
    refused_ok (answerable said)."""
    row: dict[str, Any] = {
        "id": q.id,
        "error": r.get("error"),
        "refused": bool(r.get("refused")),
        "cited": len(r.get("citations") or []),
    }
    scorable = q.answerable is not False
    if q.expected_sources and scorable:
        expected = set(q.expected_sources)
        rank = first_hit(article_ranks(r.get("retrieved") or []), expected)
        row["rank"] = rank
        for k in KS:
            row[f"hit@{k}"] = hit_at(rank, k)
        row["rr"] = mrr_at(rank)
        row["cited_ok"] = sum((c["file"], c["title"]) in expected for c in r.get("citations") or [])
        row["statements"], row["statements_ok"] = statements_citing(r, expected)
    if q.expected_facts and scorable:
        row["facts"] = facts_met(r.get("answer") or "", q.expected_facts)
    if q.answerable is True:
        row["wrongly_refused"] = row["refused"]
    if q.answerable is False:
        row["refused_ok"] = row["refused"]
        row["answered_unanswerable"] = answered(r)
    return row


def statements_citing(r: dict[str, Any], expected: set[Source]) -> tuple[int, int]:
    """(statements, statements citing an expected source) of an answered answer; (0, 0) for a
    refusal or an error. A statement citing nothing, or only other articles, is not one."""
    if not answered(r):
        return 0, 0
    sources = cited_sources(r)
    found = statements(str(r.get("answer") or ""))
    ok = sum(any(sources.get(n) in expected for n in st.cites) for st in found)
    return len(found), ok


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def is_miss(row: dict[str, Any]) -> bool:
    """A question the report lists first: an error, or any scored figure that failed."""
    return bool(
        row["error"]
        or row.get("hit@5") is False
        or row.get("facts") is False
        or row.get("wrongly_refused")
        or row.get("refused_ok") is False
    )


def _figures(pairs: list[tuple[Question, dict[str, Any]]], judged: Judged) -> dict[str, Any]:
    rows = [score(q, r) for q, r in pairs]
    retrieval = [row for row in rows if "rank" in row]
    facts = [row for row in rows if "facts" in row]
    answerable = [row for row in rows if "wrongly_refused" in row]
    unanswerable = [row for row in rows if "refused_ok" in row]
    timings = {
        key: [
            float(r["timings_ms"][key])
            for _, r in pairs
            if not r.get("error") and (r.get("timings_ms") or {}).get(key) is not None
        ]
        for key in TIMINGS
    }
    out: dict[str, Any] = {"n": len(pairs)}
    for k in KS:
        out[f"hit@{k}"] = _mean([float(row[f"hit@{k}"]) for row in retrieval])
    out["mrr@10"] = _mean([row["rr"] for row in retrieval])
    out["fact_accuracy"] = _mean([float(row["facts"]) for row in facts])
    n_citations = sum(row["cited"] for row in retrieval)
    out["citation_precision"] = _share(sum(row["cited_ok"] for row in retrieval), n_citations)
    out["cites_expected_share"] = _mean([float(row["cited_ok"] > 0) for row in retrieval])
    n_statements = sum(row["statements"] for row in retrieval)
    out["statements_citing_expected"] = _share(
        sum(row["statements_ok"] for row in retrieval), n_statements
    )
    out["unanswerable_refused"] = _mean([float(row["refused_ok"]) for row in unanswerable])
    out["answerable_refused"] = _mean([float(row["wrongly_refused"]) for row in answerable])
    out["latency_total_p50_ms"] = percentile(timings["total"], 50)
    out["latency_total_p95_ms"] = percentile(timings["total"], 95)
    out["errors"] = sum(1 for row in rows if row["error"])
    out["answerable_refused_count"] = sum(row["wrongly_refused"] for row in answerable)
    out["answered_unanswerables"] = sum(row["answered_unanswerable"] for row in unanswerable)
    judged_out = judged_figures(judged, (q.id for q, _ in pairs))
    out.update({k: judged_out[k] for k in (*ALCE_KEYS, *SELF_KEYS)})
    out["citation_precision_macro"] = _mean(
        [row["cited_ok"] / row["cited"] for row in retrieval if row["cited"]]
    )
    for key in ("retrieve", "generate"):
        out[f"latency_{key}_p50_ms"] = percentile(timings[key], 50)
        out[f"latency_{key}_p95_ms"] = percentile(timings[key], 95)
    out["n_retrieval"] = len(retrieval)
    out["n_facts"] = len(facts)
    out["n_answerable"] = len(answerable)
    out["n_unanswerable"] = len(unanswerable)
    out["n_citations"] = n_citations
    out["n_statements_scored"] = n_statements
    out.update({k: judged_out[k] for k in (*ALCE_DETAIL, *SELF_DETAIL)})
    return out


def compute_metrics(
    questions: list[Question],
    results: list[dict[str, Any]],
    judge: Judge | None = None,
    *,
    self_check: Judge | None = None,
    judged: Judged | None = None,
) -> dict[str, Any]:
    """The figures of metrics.json (all but `settings`): the HEADLINE scalars first, then DETAIL,
    then `by_type`, `by_lang` and `by_direction` (each group with the same figures) when the set
    has them.
    Only questions with a result count; a result whose id is not in the set is ignored.
    The judged figures are `judged` when given (`judge_answers`), else judged here by `judge`
    (ALCE) and `self_check` (self-agreement); without either they are None."""
    by_id = {r["id"]: r for r in results}
    pairs = [(q, by_id[q.id]) for q in questions if q.id in by_id]
    if judged is None:
        judged = judge_answers([r for _, r in pairs], judge, self_check)
    metrics = _figures(pairs, judged)
    for field in GROUPS:
        groups: dict[str, list[tuple[Question, dict[str, Any]]]] = {}
        for q, r in pairs:
            value = getattr(q, field)
            if value:
                groups.setdefault(value, []).append((q, r))
        if groups:
            metrics[f"by_{field}"] = {k: _figures(v, judged) for k, v in sorted(groups.items())}
    return metrics
