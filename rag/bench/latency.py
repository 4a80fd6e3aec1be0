"""Retrieval and answer latency over a question set, after a warm-up.

Retrieval is timed in each mode (keyword only, dense only, hybrid) with its quality next to it,
so the reference points sit side by side in one run. Answers are timed per backend: sources on
screen, first token, whole answer, and the decode rate of the streamed tokens.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from rag.assistant import Assistant
from rag.bench.common import summary
from rag.evaluation.metrics import first_hit, hit_at, mrr_at
from rag.evaluation.questions import Question
from rag.settings import Backend, RetrievalMode
from rag.types import AnswerEvent, ContextsEvent, TokenEvent

MODES: tuple[RetrievalMode, ...] = ("keyword", "dense", "hybrid")


def bench_retrieval(
    assistant: Assistant, questions: list[Question], repeats: int = 3
) -> dict[str, dict[str, Any]]:
    """Per mode: latency (ms) over `repeats` passes, and hit@1/@5 and MRR@10 at article level
    for the questions that name their expected sources."""
    assistant.warm_up("extractive")  # the embedder, the store, the keyword index, jieba
    out: dict[str, dict[str, Any]] = {}
    for mode in MODES:
        timings, ranks = [], []
        for rep in range(repeats):
            for q in questions:
                started = time.perf_counter()
                hits = assistant.retrieve(q.question, mode=mode)
                timings.append((time.perf_counter() - started) * 1000)
                if rep == 0 and q.expected_sources:
                    articles = list(dict.fromkeys((h.item.file, h.item.title) for h in hits))
                    ranks.append(first_hit(articles, q.expected_sources))
        scored = len(ranks) or 1
        out[mode] = {
            "ms": summary(timings),
            "hit@1": round(sum(hit_at(r, 1) for r in ranks) / scored, 3),
            "hit@5": round(sum(hit_at(r, 5) for r in ranks) / scored, 3),
            "mrr@10": round(sum(mrr_at(r) for r in ranks) / scored, 3),
            "scored_questions": len(ranks),
        }
    return out


# where an answer's time goes (Answer.timings_ms): the follow-up rewrite, retrieval, the first
# checked text the reader sees, generation as a whole (prompt read and decode), the checks after it
STAGES = ("rewrite", "retrieve", "first_token", "generate", "verify")


def bench_answers(assistant: Assistant, questions: list[str], backend: Backend) -> dict[str, Any]:
    """Time to sources, to the first token and to the final answer, per question, and the rate
    of streamed pieces after the first (llama.cpp streams one token per piece)."""
    assistant.warm_up(backend)  # load the model; the fixed prompt prefix read once
    to_sources, to_first, totals, rates, pieces_seen, fallbacks = [], [], [], [], [], 0
    stages: dict[str, list[float]] = {key: [] for key in STAGES}
    for q in questions:
        started = time.perf_counter()
        first = last = None
        pieces = 0
        for event in assistant.stream(q, backend=backend):
            now = time.perf_counter() - started
            if isinstance(event, ContextsEvent):
                to_sources.append(now * 1000)
            elif isinstance(event, TokenEvent):
                pieces += 1
                first = first if first is not None else now
                last = now
            elif isinstance(event, AnswerEvent):
                totals.append(now * 1000)
                fallbacks += "fallback" in event.answer.backend
                for key in STAGES:
                    stages[key].append(event.answer.timings_ms.get(key, 0.0))
        to_first.append(first * 1000 if first is not None else totals[-1])
        pieces_seen.append(pieces)
        if first is not None and last is not None and pieces > 1 and last > first:
            rates.append((pieces - 1) / (last - first))
    return {
        "sources_ms": summary(to_sources),
        "first_token_ms": summary(to_first),
        "total_ms": summary(totals),
        "tokens_per_s_median": round(statistics.median(rates), 1) if rates else None,
        "streamed_pieces_median": statistics.median(pieces_seen) if pieces_seen else 0,
        "fallbacks": fallbacks,
        "stages_ms_p50": {key: summary(v)["p50"] for key, v in stages.items() if v},
    }
