"""Batch evaluation: question sets in, results.jsonl + metrics.json + report.md out."""

from rag.evaluation.compare import Comparison, compare, render_comparison
from rag.evaluation.metrics import compute_metrics
from rag.evaluation.questions import Question, QuestionSetError, load_questions
from rag.evaluation.runner import run_eval

__all__ = [
    "Comparison",
    "Question",
    "QuestionSetError",
    "compare",
    "compute_metrics",
    "load_questions",
    "render_comparison",
    "run_eval",
]
