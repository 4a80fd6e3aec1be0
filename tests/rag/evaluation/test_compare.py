"""Comparing two runs: headline deltas and the questions that changed, both ways."""

from __future__ import annotations

import pytest

from rag.evaluation import (
    RunNotFoundError,
    compare,
    load_questions,
    render_comparison,
    run_eval,
    write_comparison,
)
from rag.evaluation.compare import Change
from tests.rag.evaluation.scripted import (
    SCRIPT,
    B,
    C,
    DigitCheck,
    ScriptedAssistant,
    write_set,
)

# Run b: q1 loses its article and its fact; q3 now retrieves C and answers.
WORSE_AND_BETTER = dict(
    SCRIPT,
    **{
        "hit at 1": ("No figure given [1].", False, [C, B], [C]),
        "miss": ("Hongguo launched it [1].", False, [C], [C]),
    },
)


@pytest.fixture
def runs(tmp_path):
    qs = load_questions(write_set(tmp_path / "set.jsonl"))
    for name, script in (("base", SCRIPT), ("new", WORSE_AND_BETTER)):
        run = tmp_path / name
        run_eval(ScriptedAssistant(script), qs, run, progress=False, self_check=DigitCheck())
    return tmp_path / "base", tmp_path / "new"


def test_compare__lists_questions_that_went_from_hit_to_miss_and_back(runs):
    cmp = compare(*runs)
    assert Change("q1", "hit@5", True, False, "hit at 1") in cmp.worse()
    assert Change("q1", "facts", True, False, "hit at 1") in cmp.worse()
    assert {(c.id, c.metric) for c in cmp.better()} == {("q3", "hit@5"), ("q3", "facts")}
    assert cmp.judged == 4


def test_render_comparison__headline_side_by_side_with_deltas(runs):
    text = render_comparison(compare(*runs))
    assert "| metric | base | new | Δ |" in text
    assert "| hit@5 | 0.667 | 0.667 | +0.000 |" in text  # q1 lost, q3 gained
    assert "| answerable_refused | 0.333 | 0.000 | -0.333 |" in text
    assert "| n | 4 | 4 | +0 |" in text
    # no independent judge: no ALCE figures; q3 now answers, and q1 states no figure
    assert "| alce_citation_recall | – | – |  |" in text
    assert "| self_agreement_citation_recall | 0.000 | 0.667 | +0.667 |" in text
    assert "| self_agreement_statements | 2 | 3 | +1 |" in text
    assert "| self_agreement_unsupported_figures_shown | 3 | 2 | -1 |" in text
    assert "| answered_unanswerables | 0 | 0 | +0 |" in text
    worse = text[text.index("## From hit to miss") : text.index("## From miss to hit")]
    assert "by hit@5: q1" in worse and "by fact accuracy: q1" in worse
    assert "by hit@5: q3" in text[text.index("## From miss to hit") :]


def test_write_comparison__defaults_to_run_b(runs):
    base, new = runs
    path = write_comparison(compare(base, new))
    assert path == new / "compare_base.md" and "q1" in path.read_text(encoding="utf-8")
    other = write_comparison(compare(base, new), new.parent / "cmp.md")
    assert other.is_file()


def test_compare__a_folder_without_a_run_is_a_clear_error(runs, tmp_path):
    with pytest.raises(RunNotFoundError, match="no metrics.json in"):
        compare(runs[0], tmp_path / "nowhere")
