"""Metric functions on hand-made cases, and compute_metrics over hand-written result records."""

from __future__ import annotations

import pytest

from rag.evaluation.metrics import (
    HEADLINE,
    article_ranks,
    compute_metrics,
    facts_met,
    first_hit,
    hit_at,
    mrr_at,
    normalise,
    percentile,
    score,
)
from rag.evaluation.questions import Question
from tests.rag.evaluation.scripted import A, B, C, DigitCheck


def _row(rank: int, article: tuple[str, str]) -> dict:
    return {"rank": rank, "file": article[0], "title": article[1], "chunk_id": "x", "score": 0.8}


def _result(qid: str, retrieved=(), cited=(), answer="", refused=False, **extra) -> dict:
    return {
        "id": qid,
        "question": qid,
        "answer": answer,
        "refused": refused,
        "citations": [{"n": i, "file": a[0], "title": a[1]} for i, a in enumerate(cited, 1)],
        "retrieved": [_row(i, a) for i, a in enumerate(retrieved, 1)],
        "timings_ms": {"retrieve": 10.0, "generate": 90.0, "total": 100.0},
        "backend": "x",
        **extra,
    }


def test_article_ranks__an_article_counts_once_however_many_chunks():
    rows = [_row(1, A), _row(2, A), _row(3, A), _row(4, B), _row(5, A)]
    assert article_ranks(rows) == [A, B]
    assert first_hit(article_ranks(rows), {B}) == 2
    assert hit_at(2, 1) is False and hit_at(2, 3) is True


def test_article_ranks__follows_rank_not_list_order():
    assert article_ranks([_row(2, B), _row(1, A)]) == [A, B]


def test_first_hit__empty_retrieval_is_a_miss():
    assert article_ranks([]) == []
    assert first_hit([], {A}) is None
    assert hit_at(None, 5) is False
    assert mrr_at(None) == 0.0


def test_mrr_at__zero_beyond_k():
    assert mrr_at(2) == 0.5
    assert mrr_at(11, 10) == 0.0


@pytest.mark.parametrize(
    ("answer", "groups", "met"),
    [
        ("Employment reached 24,000 people", [["24000"]], True),
        ("Employment reached 24000 people", [["24,000"]], True),
        ("就业人数２４，０００人", [["24000"]], True),  # full-width digits and comma
        ("就业人数２４０００人", [["24,000", "2.4万"]], True),
        ("约２．４万人", [["24,000", "2.4万"]], True),
        ("Over 800 firms and 24 000 staff", [["800"], ["24000"]], True),
        ("Over 800 firms", [["800"], ["24000"]], False),
        ("HONGGUO launched it", [["Hongguo", "红果"]], True),
        ("红果短剧推出了该计划", [["Hongguo", "红果"]], True),
        ("Nian  Nian\nYou Ci", [["Nian Nian You Ci"]], True),
        ("", [["696"]], False),
        ("anything", [], True),  # no groups: nothing to miss
    ],
)
def test_facts_met(answer, groups, met):
    assert facts_met(answer, groups) is met


def test_normalise__keeps_commas_that_are_not_thousands_separators():
    assert normalise("1,234,567") == "1234567"
    assert normalise("30, 40") == "30,40"
    assert normalise("1,23") == "1,23"


def test_percentile():
    assert percentile([], 50) is None
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([10], 95) == 10
    assert percentile([0, 100], 95) == 95.0


QS = [
    Question("a", "a?", True, (A,), (("696",),), type="numeric", lang="en"),
    Question("b", "b?", True, (B,), (("800",),), type="numeric", lang="zh"),
    Question("c", "c?", True, (C,), (("x",),), type="factoid", lang="en"),
    Question("u", "u?", False, type="unanswerable", lang="en"),
]


def test_compute_metrics__retrieval_answers_and_refusals():
    results = [
        _result("a", [A, A, B], [A], "696 million [1]"),
        _result("b", [A, A, A, B], [A, B], "800 firms [1][2]"),
        _result("c", [], [], "The reports do not say.", refused=True),  # empty retrieval
        _result("u", [B], [], "The reports do not say.", refused=True),
    ]
    m = compute_metrics(QS, results)
    assert list(m)[: len(HEADLINE)] == list(HEADLINE)
    assert m["n"] == 4
    assert (m["hit@1"], m["hit@3"], m["hit@5"]) == (0.3333, 0.6667, 0.6667)
    assert m["mrr@10"] == 0.5
    assert m["fact_accuracy"] == 0.6667
    assert m["citation_precision"] == 0.6667  # 2 of 3 citations are of an expected article
    assert m["citation_precision_macro"] == 0.75  # (1/1 + 1/2) / 2 answers that cite
    assert m["cites_expected_share"] == 0.6667
    assert m["unanswerable_refused"] == 1.0
    assert (m["answerable_refused"], m["answerable_refused_count"]) == (0.3333, 1)
    assert m["latency_total_p50_ms"] == 100.0 and m["errors"] == 0
    assert (m["n_retrieval"], m["n_facts"], m["n_unanswerable"]) == (3, 3, 1)
    assert m["by_type"]["numeric"]["hit@5"] == 1.0
    assert m["by_type"]["factoid"]["hit@5"] == 0.0
    assert m["by_lang"]["zh"]["n"] == 1 and m["by_lang"]["en"]["n"] == 3


def test_compute_metrics__errors_count_as_misses_and_stay_out_of_latency():
    results = [
        _result("a", [A], [A], "696"),
        _result("b", error="RuntimeError: boom", timings_ms={"total": 5.0}),
    ]
    m = compute_metrics(QS[:2], results)
    assert m["errors"] == 1 and m["hit@5"] == 0.5
    assert m["latency_total_p50_ms"] == 100.0


def test_compute_metrics__a_set_without_gold_has_no_scores():
    qs = [Question("q001", "one?"), Question("q002", "two?")]
    m = compute_metrics(qs, [_result("q001", [A]), _result("q002")])
    assert m["n"] == 2
    for key in ("hit@5", "mrr@10", "fact_accuracy", "citation_precision", "unanswerable_refused"):
        assert m[key] is None
    assert "by_type" not in m and "by_lang" not in m


# --- gold citations per statement -----------------------------------------------------------
def _cites(qid: str, answer: str, cited: list, **extra) -> dict:
    """A record citing `cited` articles as [1], [2], ... (None: a marker with no citation)."""
    cites = [
        {"n": n, "file": a[0], "title": a[1], "quote": "q"}
        for n, a in enumerate(cited, 1)
        if a is not None
    ]
    return _result(qid, answer=answer, **extra) | {"citations": cites}


def test_statements_citing_expected__a_statement_counts_when_a_citation_is_an_expected_source():
    results = [
        # a expects A: the lead line is no statement; of three, one cites A (the others B, none)
        _cites(
            "a",
            "According to the reports:\n- Users reached 696 million [1].\n- Hongguo grew [2]. "
            "It rained.",
            [A, B],
        ),
        # b expects B: a line of each source's figure citing A and B cites B; [3] points nowhere
        _cites(
            "b",
            "The sources give different figures: 800 [1]; 820 [2].\nFirms grew [3].",
            [A, B],
        ),
        _cites("c", "The reports do not say.", [], refused=True),  # no statements: refused
        _cites("u", "It was C [1].", [C]),  # unanswerable: no expected sources
    ]
    rows = {q.id: score(q, r) for q, r in zip(QS, results, strict=True)}
    assert (rows["a"]["statements"], rows["a"]["statements_ok"]) == (3, 1)
    assert (rows["b"]["statements"], rows["b"]["statements_ok"]) == (2, 1)
    assert (rows["c"]["statements"], rows["c"]["statements_ok"]) == (0, 0)
    assert "statements" not in rows["u"]
    m = compute_metrics(QS, results)
    assert m["statements_citing_expected"] == 0.4 and m["n_statements_scored"] == 5
    assert m["by_lang"]["zh"]["statements_citing_expected"] == 0.5  # b
    assert m["by_type"]["numeric"]["statements_citing_expected"] == 0.4  # a and b


def test_statements_citing_expected__matches_file_and_title_and_is_none_without_statements():
    same_file = ("001.txt", "Another article of A's file")
    m = compute_metrics(QS[:1], [_cites("a", "Users reached 696 million [1].", [same_file])])
    assert m["statements_citing_expected"] == 0.0
    m = compute_metrics(QS[:1], [_cites("a", "", [], refused=True)])
    assert m["statements_citing_expected"] is None and m["n_statements_scored"] == 0


def test_answered_unanswerables__counts_answers_not_refusals_nor_errors():
    qs = [Question(f"u{i}", "?", False) for i in range(3)] + [Question("a", "?", True)]
    results = [
        _result("u0", answer="It was 5 [1].", cited=[A]),
        _result("u1", answer="The reports do not say.", refused=True),
        _result("u2", error="RuntimeError: boom"),
        _result("a", answer="It was 5 [1].", cited=[A]),
    ]
    m = compute_metrics(qs, results)
    assert m["answered_unanswerables"] == 1 and m["unanswerable_refused"] == 0.3333


# --- judged figures: ALCE by an independent judge, self-agreement by the answerer's check -----
def _quoted(qid: str, answer: str, quotes: list[str], **extra) -> dict:
    cites = [{"n": i, "file": "f", "title": "T", "quote": q} for i, q in enumerate(quotes, 1)]
    return _result(qid, answer=answer, **extra) | {"citations": cites}


FLAGGED = "Not supported by the cited sources (check the numbers): Users reached 900 million."
UNWARNED = "self_agreement_unsupported_figures_shown"


@pytest.mark.parametrize(
    ("answer", "notices", "shown"),
    [
        ("Users reached 696 million [1].", [], 0),  # the source says it
        ("Users reached 900 million [1].", [], 1),  # it does not, and nothing says so
        ("Users reached 900 million [1].", [FLAGGED], 0),  # a notice warns (text)
        (
            "Users reached 900 million [1].",
            [{"code": "unsupported_figure", "params": {"sentence": "Users reached 900 million."}}],
            0,  # a notice warns (structured)
        ),
        ("Users reached 900 million by 2030 [1].", [], 2),  # two figures the source lacks
        ("Users reached 900 million.", [], 1),  # uncited: no source the answer cites says it
        ("用户规模达9亿[1]。", ["Removed citation markers that point at no source: [3]"], 1),
    ],
)
def test_unsupported_figures_shown__counted_by_the_self_check(answer, notices, shown):
    result = _quoted("a", answer, ["Users reached 696 million."], notices=notices)
    assert compute_metrics(QS[:1], [result], self_check=DigitCheck())[UNWARNED] == shown


def test_unsupported_figures_shown__refusals_and_errors_show_nothing_and_no_check_no_figure():
    results = [
        _quoted("a", "Users reached 900 million [1].", ["x"], refused=True),
        _quoted("b", "900 [1]", ["x"], error="RuntimeError: boom"),
    ]
    assert compute_metrics(QS[:2], results, self_check=DigitCheck())[UNWARNED] == 0
    assert compute_metrics(QS[:2], results)[UNWARNED] is None


ANSWERS = [
    _quoted(
        "a",
        "According to the reports:\n- Users reached 696 million [1].",
        ["Users reached 696 million."],
    ),
    _quoted("b", "Users reached 900 million [1]. Hongguo grew.", ["Users reached 696 million."]),
    _result("c", answer="The reports do not say.", refused=True),
]
ALCE = ("alce_citation_recall", "alce_citation_precision", "alce_statements", "n_alce")
SELF = tuple(k.replace("alce", "self_agreement") for k in ALCE)


def test_compute_metrics__without_a_judge_there_are_no_alce_figures():
    m = compute_metrics(QS[:3], ANSWERS)
    assert list(m)[: len(HEADLINE)] == list(HEADLINE)
    assert all(m[k] is None for k in ALCE + SELF + (UNWARNED,))


def test_compute_metrics__the_independent_judge_gives_the_alce_figures():
    m = compute_metrics(QS[:3], ANSWERS, DigitCheck())
    assert m["alce_citation_recall"] == 0.5  # (1/1 + 0/2) / 2 answered answers
    assert m["alce_citation_precision"] == 0.5  # (1/1 + 0/1) / 2
    assert (m["alce_statements"], m["n_alce"], m["alce_not_judged"]) == (3, 2, 0)
    assert m["by_lang"]["en"]["alce_citation_recall"] == 1.0
    assert m["by_lang"]["zh"]["alce_citation_precision"] == 0.0
    assert all(m[k] is None for k in SELF)


def test_compute_metrics__the_self_check_is_self_agreement_never_alce():
    m = compute_metrics(QS[:3], ANSWERS, self_check=DigitCheck())
    assert (m["self_agreement_citation_recall"], m["self_agreement_citation_precision"]) == (
        0.5,
        0.5,
    )
    assert (m["self_agreement_statements"], m["n_self_agreement"]) == (3, 2)
    assert m[UNWARNED] == 1  # b's 900
    assert all(m[k] is None for k in ALCE)
    both = compute_metrics(QS[:3], ANSWERS, DigitCheck(), self_check=DigitCheck())
    assert both["alce_citation_recall"] == both["self_agreement_citation_recall"] == 0.5


def test_compute_metrics__the_judge_is_pluggable():
    class Everything:
        def supports(self, statement: str, passages: list[str]) -> bool:
            return True

    results = [_quoted("a", "Users reached 900 million [1].", ["x"])]
    assert compute_metrics(QS[:1], results, Everything())["alce_citation_recall"] == 1.0
    assert compute_metrics(QS[:1], results, DigitCheck())["alce_citation_recall"] == 0.0


def test_compute_metrics__hit_and_mrr_per_direction():
    qs = [
        Question("x1", "x1?", True, (A,), direction="en->zh"),
        Question("x2", "x2?", True, (A,), direction="en->zh"),
        Question("x3", "x3?", True, (B,), direction="zh->en"),
        Question("x4", "x4?", True, (B,)),  # no direction: in the totals only
    ]
    results = [
        _result("x1", [A, B]),
        _result("x2", [B, C, A]),
        _result("x3", [C, C, C, C, C, C, B]),
        _result("x4", [B]),
    ]
    m = compute_metrics(qs, results)
    en_zh, zh_en = m["by_direction"]["en->zh"], m["by_direction"]["zh->en"]
    assert (en_zh["n"], en_zh["hit@1"], en_zh["hit@5"], en_zh["mrr@10"]) == (2, 0.5, 1.0, 0.6667)
    assert (zh_en["n"], zh_en["hit@1"], zh_en["mrr@10"]) == (1, 0.0, 0.5)  # C, then B
    assert m["n"] == 4 and set(m["by_direction"]) == {"en->zh", "zh->en"}
