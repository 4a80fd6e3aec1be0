"""report.md: the per-direction table beside the per-type and per-language ones."""

from __future__ import annotations

from rag.evaluation.metrics import compute_metrics
from rag.evaluation.questions import Question
from rag.evaluation.report import render_report
from tests.rag.evaluation.scripted import A, B
from tests.rag.evaluation.test_metrics import _result


def test_render_report__a_table_by_direction():
    qs = [
        Question("x1", "x1?", True, (A,), direction="en->zh"),
        Question("x2", "x2?", True, (B,), direction="zh->en"),
    ]
    results = [_result("x1", [A]), _result("x2", [A, B])]
    page = render_report(qs, results, compute_metrics(qs, results), [])
    section = page.split("### By direction", 1)[1]
    assert "| direction | n | hit@1 | hit@5 | mrr@10 |" in section
    assert "| en->zh | 1 | 1.000 | 1.000 | 1.000 |" in section
    assert "| zh->en | 1 | 0.000 | 1.000 | 0.500 |" in section
