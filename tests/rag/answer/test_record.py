"""A draft parsed once: lines, sentences, markers and figures."""

from __future__ import annotations

from rag.answer.record import parse, sources


def test_parse__lines_sentences_markers_and_figures_read_once():
    record = parse("Users reached 696 million [1, 2]. Zhengzhou has 820 [3].\n\n- 近百部【2】")
    assert [(s.line, s.text) for s in record.sentences] == [
        (0, "Users reached 696 million [1][2]."),
        (0, "Zhengzhou has 820 [3]."),
        (2, "- 近百部[2]"),
    ]
    assert record.lines == 3
    first = record.sentences[0]
    assert first.markers == (1, 2) and first.plain == "Users reached 696 million."
    assert [q.text for q in first.figures] == ["696 million"]


def test_sources__numbered_with_their_sentences_and_figures():
    one, two = sources(["A has 3 parts. B has 40 parts.", "C"], articles=["a1", "a2"])
    assert (one.n, two.n, one.article) == (1, 2, "a1")
    assert one.sentences == ("A has 3 parts.", "B has 40 parts.")
    assert [q.text for q in one.figures] == ["3", "40"]
