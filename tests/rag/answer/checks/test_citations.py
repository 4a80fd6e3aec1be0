"""Citations placed where a sentence has none, re-pointed where its source lacks its figure;
markers to nowhere dropped; each with its notice."""

from __future__ import annotations

from rag.answer.checks.citations import point
from rag.answer.numbers.quantities import quantities
from rag.answer.record import sources
from tests.rag.answer.checking import checked, found

SOURCES = [
    "The user base reached 696 million by July.",
    "Zhengzhou has over 820 production companies and produces around 100 dramas daily.",
]


def _point(text: str, texts: list[str]) -> str:
    return point(text, tuple(quantities(text)), text, sources(texts))


def test_point__re_points_to_the_source_stating_the_figure_in_its_unit():
    texts = ["Users: 700万 in Xi'an.", "Users reached nearly 700 million nationwide."]
    assert _point("Users number nearly 7亿 [1].", texts) == "Users number nearly 7亿 [2]."


def test_point__adds_the_source_that_states_the_number():
    texts = ["Hengdian received 2,300 crews.", "Xi'an hosts over 10 crews daily."]
    assert _point("西安每天有10个剧组在拍摄。", texts) == "西安每天有10个剧组在拍摄 [2]。"


def test_point__re_points_a_citation_whose_source_lacks_the_number():
    texts = ["Hengdian received 2,300 crews.", "iQIYI integrated 30,000 novel IPs."]
    assert _point("According to [1], iQIYI integrated 30,000 IPs [1].", texts) == (
        "According to [2], iQIYI integrated 30,000 IPs [2]."
    )


def test_point__leaves_supported_and_unmatched_sentences_alone():
    texts = ["Hengdian received 2,300 crews."]
    assert _point("Hengdian got 2,300 crews [1].", texts) == "Hengdian got 2,300 crews [1]."
    assert _point("The sky is blue.", texts) == "The sky is blue."


def test_citations__a_model_answer_says_how_many_citations_were_placed():
    # the defect: the count of placed citations was dropped, so the notice never fired
    text = "China had 696 million users by July. Zhengzhou has over 820 companies."
    shown = checked(text, SOURCES)
    assert (
        shown.text
        == "China had 696 million users by July [1]. Zhengzhou has over 820 companies [2]."
    )
    [notice] = [n for n in shown.notices if n.code == "citations_placed"]
    assert notice.params == {"count": 2}
    # the extractive answer's quotes get their markers placed too, without the notice
    quoted = checked("China had 696 million users by July.", SOURCES, quoted=True)
    assert quoted.text == "China had 696 million users by July [1]." and quoted.notices == []
    # an answer that cited correctly gets no such notice
    assert checked("Users reached 696 million by July [1].", SOURCES).notices == []


def test_markers__to_nowhere_are_dropped_with_their_notice():
    findings = found("markers", "Users reached 696 million [1][7]. Zhengzhou has 820 [9].", SOURCES)
    assert [(f.action, f.at, f.text) for f in findings[:2]] == [
        ("rewrite", 0, "Users reached 696 million [1]."),
        ("rewrite", 1, "Zhengzhou has 820."),
    ]
    assert findings[-1].notice is not None and findings[-1].notice.params == {"markers": "[7], [9]"}


def test_checks__keep_only_cited_sources_renumbered():
    shown = checked("Zhengzhou has over 820 companies [2].", SOURCES)
    assert shown.cited == [2]
    assert shown.text == "Zhengzhou has over 820 companies [1]."
    assert shown.notices == []
