"""Batch evaluation: question sets in, results.jsonl + metrics.json + report.md out."""

from rag.evaluation.compare import (
    Change,
    Comparison,
    compare,
    render_comparison,
    write_comparison,
)
from rag.evaluation.errors import EvaluationError, QuestionSetError, RunNotFoundError
from rag.evaluation.metrics import HEADLINE, compute_metrics
from rag.evaluation.questions import Question, load_questions
from rag.evaluation.results import answer_to_result, read_results
from rag.evaluation.runner import Asker, run_eval

__all__ = [
    "HEADLINE",
    "Asker",
    "Change",
    "Comparison",
    "EvaluationError",
    "Question",
    "QuestionSetError",
    "RunNotFoundError",
    "answer_to_result",
    "compare",
    "compute_metrics",
    "load_questions",
    "read_results",
    "render_comparison",
    "run_eval",
    "write_comparison",
]
