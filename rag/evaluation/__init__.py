"""Batch evaluation: question sets in, results.jsonl + metrics.json + report.md out."""

from rag.evaluation.alce import (
    JUDGES,
    AlceScore,
    FigureCheck,
    Judge,
    OpenAIJudge,
    alce_figures,
    make_judge,
    score_result,
)
from rag.evaluation.compare import (
    Change,
    Comparison,
    compare,
    render_comparison,
    write_comparison,
)
from rag.evaluation.errors import (
    EvaluationError,
    JudgeError,
    QuestionSetError,
    RunNotFoundError,
)
from rag.evaluation.judging import Judged, judge_answers
from rag.evaluation.metrics import HEADLINE, compute_metrics
from rag.evaluation.questions import Question, load_questions
from rag.evaluation.results import answer_to_result, read_results
from rag.evaluation.runner import Asker, run_eval

__all__ = [
    "HEADLINE",
    "JUDGES",
    "AlceScore",
    "Asker",
    "Change",
    "Comparison",
    "EvaluationError",
    "FigureCheck",
    "Judge",
    "Judged",
    "JudgeError",
    "OpenAIJudge",
    "Question",
    "QuestionSetError",
    "RunNotFoundError",
    "alce_figures",
    "answer_to_result",
    "compare",
    "compute_metrics",
    "judge_answers",
    "load_questions",
    "make_judge",
    "read_results",
    "render_comparison",
    "run_eval",
    "score_result",
    "write_comparison",
]
