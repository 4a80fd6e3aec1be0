"""Metrics over results: pure functions of the question set and results.jsonl records."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from rag.evaluation.questions import Question

Article = tuple[str, str]  # (file, title)
KS = (1, 3, 5)


def normalise(text: str) -> str:
    """NFKC, case-folded, no spaces, no thousands separators ("24,000" == "24000")."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)
    return re.sub(r"\s+", "", text)


def article_ranks(retrieved: Iterable[dict[str, Any]]) -> list[Article]:
    """Distinct articles in rank order: an article counts once however many chunks it has."""
    out: list[Article] = []
    for row in sorted(retrieved, key=lambda r: r.get("rank", 0)):
        key = (row["file"], row["title"])
        if key not in out:
            out.append(key)
    return out


def first_hit(articles: list[Article], expected: set[Article]) -> int | None:
    """1-based rank of the first expected article, or None."""
    return next((i + 1 for i, a in enumerate(articles) if a in expected), None)


def hit_at(rank: int | None, k: int) -> float:
    return 1.0 if rank is not None and rank <= k else 0.0


def mrr_at(rank: int | None, k: int = 10) -> float:
    return 1.0 / rank if rank is not None and rank <= k else 0.0


def facts_met(answer: str, groups: Iterable[Iterable[str]]) -> bool:
    flat = normalise(answer)
    return all(any(normalise(alt) in flat for alt in group) for group in groups)


def percentile(values: list[float], p: float) -> float | None:
    """Linear-interpolated percentile (p in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * p / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (pos - low), 1)


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def per_question(q: Question, r: dict[str, Any]) -> dict[str, Any]:
    """What one result scores: the per-question row of the report."""
    expected = set(q.expected_sources)
    rank = first_hit(article_ranks(r.get("retrieved", [])), expected) if expected else None
    cited = [(c["file"], c["title"]) for c in r.get("citations", [])]
    row: dict[str, Any] = {"id": q.id, "rank": rank, "error": r.get("error")}
    if expected and q.answerable is not False:
        row["hit@5"] = hit_at(rank, 5)
        row["cited_ok"] = sum(c in expected for c in cited)
        row["cited"] = len(cited)
    if q.expected_facts and q.answerable is not False:
        row["facts"] = facts_met(r.get("answer", ""), q.expected_facts)
    return row


def compute_metrics(questions: list[Question], results: list[dict[str, Any]]) -> dict[str, Any]:
    """Headline figures first, then breakdowns by `type` and `lang`."""
    by_id = {r["id"]: r for r in results}
    pairs = [(q, by_id[q.id]) for q in questions if q.id in by_id]
    metrics = _figures(pairs)
    for field in ("type", "lang"):
        groups: dict[str, list[tuple[Question, dict[str, Any]]]] = {}
        for q, r in pairs:
            value = getattr(q, field)
            if value:
                groups.setdefault(value, []).append((q, r))
        if groups:
            metrics[f"by_{field}"] = {k: _figures(v) for k, v in sorted(groups.items())}
    return metrics


def _figures(pairs: list[tuple[Question, dict[str, Any]]]) -> dict[str, Any]:
    retrieval = [(q, r) for q, r in pairs if q.expected_sources and q.answerable is not False]
    ranks = [
        first_hit(article_ranks(r.get("retrieved", [])), set(q.expected_sources))
        for q, r in retrieval
    ]
    answerable = [(q, r) for q, r in pairs if q.answerable is True]
    unanswerable = [(q, r) for q, r in pairs if q.answerable is False]
    with_facts = [(q, r) for q, r in pairs if q.expected_facts and q.answerable is not False]
    cited = [
        ((c["file"], c["title"]) in set(q.expected_sources))
        for q, r in retrieval
        for c in r.get("citations", [])
    ]
    per_answer_precision = [
        sum((c["file"], c["title"]) in set(q.expected_sources) for c in r["citations"])
        / len(r["citations"])
        for q, r in retrieval
        if r.get("citations")
    ]
    timings = {
        key: [
            r["timings_ms"][key]
            for _, r in pairs
            if not r.get("error") and key in r.get("timings_ms", {})
        ]
        for key in ("retrieve", "generate", "total")
    }
    out: dict[str, Any] = {"n": len(pairs)}
    for k in KS:
        out[f"hit@{k}"] = _mean([hit_at(rank, k) for rank in ranks])
    out["mrr@10"] = _mean([mrr_at(rank, 10) for rank in ranks])
    out["fact_accuracy"] = _mean(
        [float(facts_met(r.get("answer", ""), q.expected_facts)) for q, r in with_facts]
    )
    out["citation_precision"] = _mean([float(c) for c in cited])
    out["citation_precision_macro"] = _mean(per_answer_precision)
    out["cites_expected_share"] = _mean(
        [
            float(
                any(
                    (c["file"], c["title"]) in set(q.expected_sources)
                    for c in r.get("citations", [])
                )
            )
            for q, r in retrieval
        ]
    )
    out["unanswerable_refused"] = _mean([float(bool(r.get("refused"))) for _, r in unanswerable])
    out["answerable_refused"] = _mean([float(bool(r.get("refused"))) for _, r in answerable])
    out["answerable_refused_count"] = sum(bool(r.get("refused")) for _, r in answerable)
    for key, values in timings.items():
        out[f"latency_{key}_p50_ms"] = percentile(values, 50)
        out[f"latency_{key}_p95_ms"] = percentile(values, 95)
    out["errors"] = sum(1 for _, r in pairs if r.get("error"))
    return out
